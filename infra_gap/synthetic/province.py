"""The deterministic synthetic demo: MSMEs, towers, coverage, speed tiles, backbone.

Only the boundaries and the kabupaten statistics are real.  Every layer made here is a
*synthetic demo* and is labelled so wherever it is shown.  One seeded generator drives
everything, so the same inputs always give the same demo.  Method (also in
``data/README.md``):

1. MSMEs per kabupaten/kota: the 2023 provincial total apportioned by real population
   (largest remainder).
2. Within a kabupaten, over desa: weight = area^0.25 x lognormal noise, x ``kelurahan_density``
   for urban kelurahan; a multinomial draw gives exact totals.
3. Points inside each desa polygon (rejection sampling): 60% clustered around the desa's
   settlement point, 40% uniform.
4. Towers: more where MSMEs are, fewer far from a kota and on islands; reach grows with
   mast height.  Coverage: the union of LTE reach discs on a 250 m grid.
5. Speed tiles: real zoom-16 quadkeys of tiles holding MSMEs; tests and speeds fall off
   with distance to the nearest LTE tower.
6. Backbone: the minimum spanning tree of the kabupaten/kota centres, with a point of
   presence at each.

Masts, online MSMEs, speed tiles and the backbone are drawn by the synthetic core that the
national generator shares (:mod:`infra_gap.synthetic.model`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from infra_gap.analysis.coverage import model_coverage, point_coverage
from infra_gap.analysis.tiles import tile_bounds
from infra_gap.config import GEO_CRS, WORK_CRS, DemoParams
from infra_gap.layers import Raster
from infra_gap.synthetic.model import (
    OPERATORS,
    RADIOS,
    backbone_layer,
    choice,
    masts,
    online_flags,
    speed_tiles,
)

__all__ = ["DemoLayers", "apportion", "generate_demo", "island_mask"]

SECTORS = {
    "perdagangan": 0.38,
    "makanan_minuman": 0.24,
    "pertanian_perikanan": 0.14,
    "jasa": 0.12,
    "fesyen_kerajinan": 0.07,
    "lainnya": 0.05,
}


@dataclass(frozen=True)
class DemoLayers:
    """The generated layers, all in the work CRS."""

    msme: gpd.GeoDataFrame
    towers: gpd.GeoDataFrame
    coverage: Raster
    speed_tiles: gpd.GeoDataFrame
    backbone: gpd.GeoDataFrame


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype="float64")
    quota = total * w / w.sum()
    base = np.floor(quota).astype("int64")
    rest = total - int(base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:rest]] += 1
    return base


def island_mask(geoms: gpd.GeoSeries, province: shapely.Geometry) -> np.ndarray:
    """True for geometries not on the province's largest land mass (Sumatra mainland)."""
    parts = shapely.get_parts(province)
    mainland = parts[np.argmax(shapely.area(parts))]
    return ~shapely.intersects(mainland, geoms.representative_point().to_numpy())


def _scatter(
    rng: np.random.Generator, poly: shapely.Geometry, n: int, centre: shapely.Point
) -> np.ndarray:
    """``n`` points inside ``poly``: 60% clustered around ``centre``, 40% uniform."""
    inner = shapely.buffer(poly, -1.0)  # 1 m inside: lon/lat rounded to 6 decimals stay in
    poly = poly if shapely.is_empty(inner) else inner
    shapely.prepare(poly)
    minx, miny, maxx, maxy = shapely.bounds(poly)
    sigma = max(np.sqrt(shapely.area(poly)) * 0.2, 50.0)
    out = np.empty((0, 2))
    for _ in range(200):
        need = n - len(out)
        if need <= 0:
            break
        m = max(4 * need, 16)
        clustered = rng.random(m) < 0.6
        cx = np.where(clustered, rng.normal(centre.x, sigma, m), rng.uniform(minx, maxx, m))
        cy = np.where(clustered, rng.normal(centre.y, sigma, m), rng.uniform(miny, maxy, m))
        ok = shapely.contains_xy(poly, cx, cy)
        out = np.vstack([out, np.column_stack([cx[ok], cy[ok]])[:need]])
    if len(out) < n:  # a sliver defeats sampling: fall back to a point surely inside
        rp = shapely.get_coordinates(shapely.point_on_surface(poly))[0]
        out = np.vstack([out, np.tile(rp, (n - len(out), 1))])
    return out


def _msme(
    rng: np.random.Generator, desa: gpd.GeoDataFrame, kab_stats: pd.DataFrame, p: DemoParams
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    stats = kab_stats.set_index("kode").loc[sorted(desa["kode_kab"].unique())]
    per_kab = dict(
        zip(stats.index, apportion(p.msme_total, stats["penduduk_total"].to_numpy()), strict=True)
    )
    urban = (desa["jenis"] == "kelurahan").to_numpy()
    weight = np.sqrt(np.sqrt(desa.geometry.area.to_numpy() / 1e6)) * rng.lognormal(
        0.0, 0.5, len(desa)
    )
    weight = weight * np.where(urban, p.kelurahan_density, 1.0)
    counts = np.zeros(len(desa), dtype="int64")
    for kab, n in per_kab.items():
        idx = np.flatnonzero((desa["kode_kab"] == kab).to_numpy())
        counts[idx] = rng.multinomial(n, weight[idx] / weight[idx].sum())
    centres = desa.representative_point().to_numpy()
    xy = np.vstack(
        [
            _scatter(rng, g, int(c), ctr)
            for g, c, ctr in zip(desa.geometry, counts, centres, strict=True)
            if c
        ]
    )
    origin = np.repeat(np.arange(len(desa)), counts)
    n = len(xy)
    skala = np.full(n, "mikro_kecil", dtype=object)
    skala[rng.choice(n, size=round(n * p.medium_large_share), replace=False)] = "menengah_besar"
    is_urban = urban[origin]
    online = online_flags(rng, is_urban, share=p.online_share, urban_ratio=p.online_urban_ratio)
    lon, lat = Transformer.from_crs(WORK_CRS, GEO_CRS, always_xy=True).transform(xy[:, 0], xy[:, 1])
    frame = pd.DataFrame(
        {
            "umkm_id": np.char.add("SYN-", np.char.zfill(np.arange(1, n + 1).astype("str"), 7)),
            "lat": np.round(lat, 6),
            "lon": np.round(lon, 6),
            "skala": skala.astype("str"),
            "sektor": choice(rng, SECTORS, n),
            "online": online,
        }
    )
    # The geometry is built from the rounded lon/lat, exactly as a reader of the exported CSV
    # builds it, so the embedded demo and its export give the same results.
    points = gpd.points_from_xy(frame["lon"], frame["lat"], crs=GEO_CRS).to_crs(WORK_CRS)
    gdf = gpd.GeoDataFrame(frame, geometry=points)
    return gdf, origin


def _towers(
    rng: np.random.Generator,
    desa: gpd.GeoDataFrame,
    msme_xy: np.ndarray,
    origin: np.ndarray,
    kota_xy: np.ndarray,
    island: np.ndarray,
    p: DemoParams,
) -> gpd.GeoDataFrame:
    centres = np.column_stack([desa.representative_point().x, desa.representative_point().y])
    d_kota = np.sqrt(((centres[:, None, :] - kota_xy[None, :, :]) ** 2).sum(-1)).min(1) / 1000.0
    n_msme = np.bincount(origin, minlength=len(desa))
    urban = (desa["jenis"] == "kelurahan").to_numpy()
    w = (n_msme + 1.0) ** 0.8 * np.where(urban, 1.5, 1.0) * np.exp(-d_kota / p.remote_tower_km)
    w = w * np.where(island, p.island_tower_factor, 1.0)
    per_desa = rng.multinomial(p.tower_count, w / w.sum())
    starts = np.r_[0, np.cumsum(n_msme)[:-1]]
    order = np.argsort(origin, kind="stable")
    xs, ys = [], []
    for i in np.flatnonzero(per_desa):
        k = per_desa[i]
        if n_msme[i]:
            pick = order[starts[i] + rng.integers(0, n_msme[i], k)]
            xs.append(msme_xy[pick, 0] + rng.normal(0, 300, k))
            ys.append(msme_xy[pick, 1] + rng.normal(0, 300, k))
        else:
            xs.append(np.full(k, centres[i, 0]))
            ys.append(np.full(k, centres[i, 1]))
    x, y = np.concatenate(xs), np.concatenate(ys)
    desa_of = np.repeat(np.flatnonzero(per_desa), per_desa[per_desa > 0])
    t_urban = urban[desa_of]
    height, reach = masts(rng, t_urban)
    return gpd.GeoDataFrame(
        {
            "site_id": np.char.add(
                "SYN-T", np.char.zfill(np.arange(1, len(x) + 1).astype("str"), 5)
            ),
            "operator": choice(rng, OPERATORS, len(x)),
            "radio": choice(rng, RADIOS, len(x)),
            "height_m": height,
            "range": reach,
        },
        geometry=gpd.points_from_xy(x, y),
        crs=WORK_CRS,
    )


def _speed_tiles(
    rng: np.random.Generator, msme: gpd.GeoDataFrame, covered: np.ndarray, towers: gpd.GeoDataFrame
) -> gpd.GeoDataFrame:
    """The model's speed tiles (:func:`infra_gap.synthetic.model.speed_tiles`) as polygons."""
    lte = shapely.get_coordinates(towers[towers["radio"] == "LTE"].geometry.to_numpy())
    lon, lat = msme["lon"].to_numpy(), msme["lat"].to_numpy()
    frame, (tx, ty) = speed_tiles(rng, lon, lat, covered, (lte[:, 0], lte[:, 1]), crs=WORK_CRS)
    geom = shapely.box(*tile_bounds(tx, ty, 16))
    frame["tile"] = shapely.to_wkt(geom, rounding_precision=7)
    return gpd.GeoDataFrame(frame, geometry=geom, crs=GEO_CRS).to_crs(WORK_CRS)


def generate_demo(
    desa: gpd.GeoDataFrame,
    kab: gpd.GeoDataFrame,
    province: shapely.Geometry,
    kab_stats: pd.DataFrame,
    *,
    params: DemoParams,
) -> DemoLayers:
    """Generate every synthetic layer of the demo.

    Parameters
    ----------
    desa, kab
        Real desa and kabupaten/kota areas in the work CRS (columns ``kode``, ``nama``,
        ``jenis``; desa also ``kode_kab``).
    province
        The province polygon in the work CRS.
    kab_stats
        Real kabupaten statistics with ``kode`` and ``penduduk_total``.
    params
        Demo parameters (seed, totals, assumptions).
    """
    rng = np.random.default_rng(params.seed)
    msme, origin = _msme(rng, desa, kab_stats, params)
    kota = kab[kab["jenis"] == "kota"].representative_point()
    island = island_mask(desa.geometry, province)
    msme_xy = np.column_stack([msme.geometry.x, msme.geometry.y])
    towers = _towers(rng, desa, msme_xy, origin, np.column_stack([kota.x, kota.y]), island, params)
    lte = towers[towers["radio"] == "LTE"]
    px = params.coverage_pixel_m
    minx, miny, maxx, maxy = (np.array(shapely.bounds(province)) / px).round() * px + [
        -px,
        -px,
        px,
        px,
    ]
    coverage = model_coverage(
        lte.geometry.x.to_numpy(),
        lte.geometry.y.to_numpy(),
        lte["range"].to_numpy(),
        bounds=(minx, miny, maxx, maxy),
        pixel_m=px,
        crs=WORK_CRS,
        mask=shapely.buffer(province, 2000.0),
    )
    covered = point_coverage(
        coverage, msme_xy[:, 0], msme_xy[:, 1], xy_crs=WORK_CRS, covered_min=1
    ).covered
    tiles = _speed_tiles(rng, msme, covered, towers)
    backbone = backbone_layer(kab, crs=WORK_CRS)
    return DemoLayers(
        msme=msme, towers=towers, coverage=coverage, speed_tiles=tiles, backbone=backbone
    )
