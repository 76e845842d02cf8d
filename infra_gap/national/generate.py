"""A national synthetic workload: Indonesia-sized, deterministic, partitioned by province.

National boundaries are not shipped, so the national run is tested on generated data.
**Everything here is synthetic, the village polygons included**; the manifest says so and
every export of a run on it carries the "synthetic demo" label.  Method, at scale ``s``
(``--scale``; 1.0 is the national size, 0.01 is small enough for tests):

1. **Villages.**  ``round(83,218 s)`` desa (Indonesia's count, domain.md "National scale")
   are split over the 38 provinces (real Kemendagri province codes) by seeded lognormal
   weights (sigma 0.5, largest remainder, at most 6,110 per province).  Each province is
   a *blob* of the real North Sumatra desa layer: the ``n`` desa nearest to a seeded centre
   desa, translated (not reshaped) so that blob polygons keep real shapes, areas and
   overlaps.  Codes keep their Sumut tail under the province prefix (``12.71.01.1001`` in
   province 31 becomes ``31.71.01.1001``); kecamatan and kabupaten are the unions of their
   desa; the capital of a province is the kabupaten/kota of its centre desa.
2. **Layout.**  Blobs are laid out in province-code order in rows of ten, west to east and
   north to south, at least 20 km apart, and the layout is stretched to Indonesia's extent
   (95-141 E, 11 S-6 N).  It is a schematic, not geography.  CRS: World Cylindrical Equal
   Area (ESRI:54034), metric and equal-area, under 2 % scale error over Indonesia.
3. **MSMEs.**  ``round(65,000,000 s)`` points (about 65 million nationally, domain.md),
   split over provinces by villages x lognormal(0, 0.3), then over desa as in the demo
   (area^0.25 x lognormal(0, 0.5), x4 in a kelurahan; multinomial).  Points are drawn 60 %
   around the desa's representative point (sigma = 0.2 sqrt(area), at least 50 m) and 40 %
   uniform in its bounding box, rounded to whole metres, and kept only when the placement
   rule puts them in their own desa (redrawn otherwise).  ``online`` as in the demo: 15 %,
   2.5x likelier in a kelurahan.
4. **Towers, coverage, speed tiles, backbone.**  As the demo, with its model
   (:mod:`infra_gap.synthetic.model`: masts, online MSMEs, speed tiles, backbone):
   towers at the demo's density (3,200 over the Sumut desa area: a blob of a third of
   that area gets a third of 3,200), drawn near MSMEs, fewer far from a kota; LTE reach
   discs rasterised at 250 m into one tiled, sparse, national GeoTIFF (no data beyond
   2 km of the province); Ookla-schema tiles of the zoom-16 tiles holding MSMEs; a
   backbone that is the minimum spanning tree of all kabupaten/kota centres.

Province ``i`` draws from ``numpy.random.default_rng([seed, i])``, so provinces can be made
in any order and the same scale and seed always give the same files.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from pyproj import Transformer
from scipy.spatial import cKDTree

from infra_gap import io
from infra_gap.analysis.coverage import model_coverage, point_coverage
from infra_gap.analysis.evidence import nearest_distance
from infra_gap.analysis.placement import build_label_grid, place_points_indexed
from infra_gap.config import GEO_CRS, DemoParams
from infra_gap.io import partitioned
from infra_gap.layers import Source
from infra_gap.national.workload import (
    Workload,
    workload_manifest,
)
from infra_gap.synthetic.model import (
    OPERATORS,
    RADIOS,
    backbone_layer,
    choice,
    masts,
    online_flags,
    speed_tiles,
)
from infra_gap.synthetic.province import apportion

__all__ = [
    "NATIONAL_CRS",
    "PROVINCES",
    "NationalParams",
    "generate_national",
]

#: World Cylindrical Equal Area: metric, equal-area, < 2 % scale error over Indonesia.
NATIONAL_CRS = "ESRI:54034"
#: The 38 province codes (Aceh 11 ... Papua Barat Daya 96; Kepmendagri 100.1.1-6117/2022).
PROVINCES: tuple[str, ...] = (
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35",
    "36", "51", "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
    "81", "82", "91", "92", "93", "94", "95", "96",
)  # fmt: skip
_SYN = "synthetic national workload (infra_gap.national.generate, seed {seed}, scale {scale})"


@dataclass(frozen=True)
class NationalParams:
    """Parameters of the national workload.  Every figure it produces is synthetic.

    Attributes
    ----------
    scale
        Share of the national size: 1.0 is about 83,000 desa and 65 million MSMEs.
    seed
        Seed of the generators (province ``i`` uses ``[seed, i]``).
    villages
        Desa/kelurahan in Indonesia: 83,218 (domain.md, "National scale").
    msme_total
        MSMEs in Indonesia: about 65 million (domain.md, "National scale").
    extent_lonlat
        Indonesia's extent, degrees (west, south, east, north).
    gap_m
        Least distance between two provinces' bounding boxes, metres.
    demo
        The demo's parameters: shares, tower density, reach and pixel size are reused.
    """

    scale: float = 1.0
    seed: int = 20240223
    villages: int = 83_218
    msme_total: int = 65_000_000
    extent_lonlat: tuple[float, float, float, float] = (95.0, -11.0, 141.0, 6.0)
    gap_m: float = 20_000.0
    demo: DemoParams = field(default_factory=DemoParams)


@dataclass(frozen=True)
class _Plan:
    code: str
    villages: np.ndarray  # positions in the source desa layer, ascending (= code order)
    centre: int  # position of the centre desa in the source layer
    msme: int
    towers: int
    offset: tuple[float, float]
    bounds: tuple[float, float, float, float]  # after the offset


def _plan(src: gpd.GeoDataFrame, p: NationalParams) -> list[_Plan]:
    rng = np.random.default_rng([p.seed, 0])
    n_total = max(round(p.villages * p.scale), len(PROVINCES))
    w = rng.lognormal(0.0, 0.5, len(PROVINCES))
    counts = np.ones(len(PROVINCES), dtype="int64")
    free = np.ones(len(PROVINCES), dtype=bool)
    while (rest := n_total - int(counts.sum())) > 0 and free.any():
        add = np.zeros(len(PROVINCES), dtype="int64")
        add[free] = apportion(rest, w[free])
        counts = np.minimum(counts + add, len(src))
        free = counts < len(src)
    msme = apportion(round(p.msme_total * p.scale), counts * rng.lognormal(0.0, 0.3, len(counts)))
    pts = shapely.get_coordinates(src.geometry.representative_point().to_numpy())
    tree = cKDTree(pts)
    centres = rng.integers(0, len(src), len(counts))
    blobs = [
        np.sort(np.atleast_1d(tree.query(pts[c], k=int(n))[1]))
        for n, c in zip(counts, centres, strict=True)
    ]
    all_bounds = shapely.bounds(src.geometry.to_numpy())
    area = src.geometry.area.to_numpy()
    towers = [round(p.demo.tower_count * area[b].sum() / area.sum()) for b in blobs]
    boxes = [(*all_bounds[b, :2].min(axis=0), *all_bounds[b, 2:].max(axis=0)) for b in blobs]
    # Shelf layout in rows of ten, then stretched to Indonesia's extent.
    to_xy = Transformer.from_crs(GEO_CRS, NATIONAL_CRS, always_xy=True)
    west, south = to_xy.transform(p.extent_lonlat[0], p.extent_lonlat[1])
    east, north = to_xy.transform(p.extent_lonlat[2], p.extent_lonlat[3])
    origins, y, row_h = [], 0.0, 0.0
    for i, (minx, miny, maxx, maxy) in enumerate(boxes):
        if i % 10 == 0:
            x, y, row_h = 0.0, y - row_h - (p.gap_m if i else 0.0), 0.0
        origins.append((x, y))
        x += maxx - minx + p.gap_m
        row_h = max(row_h, maxy - miny)
    ox, oy = np.array(origins).T
    span_x = max(o + b[2] - b[0] for o, b in zip(ox, boxes, strict=True))
    span_y = -min(o - (b[3] - b[1]) for o, b in zip(oy, boxes, strict=True))
    fx, fy = max(1.0, (east - west) / span_x), max(1.0, (north - south) / span_y)
    plans = []
    for i, (b, box) in enumerate(zip(blobs, boxes, strict=True)):
        dx, dy = west + fx * ox[i] - box[0], north + fy * oy[i] - box[3]
        moved = (box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy)
        plans.append(
            _Plan(PROVINCES[i], b, int(centres[i]), int(msme[i]), towers[i], (dx, dy), moved)
        )
    return plans


def _areas(src: gpd.GeoDataFrame, plan: _Plan, kab_jenis: Mapping[str, str]) -> dict[str, Any]:
    geoms = shapely.transform(src.geometry.to_numpy()[plan.villages], lambda c: c + plan.offset)
    kode = np.array([plan.code + k[2:] for k in src["kode"].to_numpy()[plan.villages]])
    desa = gpd.GeoDataFrame(
        {"kode": kode, "nama": np.char.add("Desa sintetis ", kode)}, geometry=geoms
    )
    desa["jenis"] = src["jenis"].to_numpy()[plan.villages]
    desa = desa.set_crs(NATIONAL_CRS)
    kec = desa[["geometry"]].dissolve(by=desa["kode"].str.slice(0, 8)).reset_index(names="kode")
    kec["nama"] = "Kecamatan sintetis " + kec["kode"]
    kab = kec[["geometry"]].dissolve(by=kec["kode"].str.slice(0, 5)).reset_index(names="kode")
    kab["jenis"] = kab["kode"].str.slice(3).map(lambda k: kab_jenis.get(k, "kabupaten"))
    kab["nama"] = np.where(kab["jenis"] == "kota", "Kota sintetis ", "Kabupaten sintetis ")
    kab["nama"] = kab["nama"] + kab["kode"]
    return {"desa": desa, "kecamatan": kec[["kode", "nama", "geometry"]], "kabupaten": kab}


def _scatter(
    rng: np.random.Generator, desa: gpd.GeoDataFrame, counts: np.ndarray, cell_m: float
) -> tuple[np.ndarray, np.ndarray]:
    grid = build_label_grid(desa, cell_m=cell_m)
    origin = np.repeat(np.arange(len(desa)), counts)
    centre = shapely.get_coordinates(desa.geometry.representative_point().to_numpy())
    box = desa.geometry.bounds.to_numpy()
    sigma = np.maximum(np.sqrt(desa.geometry.area.to_numpy()) * 0.2, 50.0)
    xy = np.repeat(centre, counts, axis=0).round()
    todo = np.arange(len(origin))
    for _ in range(50):
        if not len(todo):
            break
        d = origin[todo]
        near = rng.random(len(d)) < 0.6
        px = np.where(near, rng.normal(centre[d, 0], sigma[d]), rng.uniform(box[d, 0], box[d, 2]))
        py = np.where(near, rng.normal(centre[d, 1], sigma[d]), rng.uniform(box[d, 1], box[d, 3]))
        px, py = px.round(), py.round()
        ok = place_points_indexed(px, py, grid) == d
        xy[todo[ok]] = np.column_stack([px[ok], py[ok]])
        todo = todo[~ok]
    return xy, origin  # the few left in ``todo`` stay on their desa's point (maybe rejected)


def _towers(
    rng: np.random.Generator,
    areas: dict[str, Any],
    xy: np.ndarray,
    origin: np.ndarray,
    n: int,
    p: NationalParams,
) -> gpd.GeoDataFrame:
    desa, kab, d = areas["desa"], areas["kabupaten"], p.demo
    n_msme = np.bincount(origin, minlength=len(desa))
    centre = shapely.get_coordinates(desa.geometry.representative_point().to_numpy())
    kota = shapely.get_coordinates(kab[kab["jenis"] == "kota"].representative_point().to_numpy())
    d_kota = nearest_distance(centre[:, 0], centre[:, 1], kota[:, 0], kota[:, 1]) / 1000.0
    urban = (desa["jenis"] == "kelurahan").to_numpy()
    decay = np.exp(-np.nan_to_num(d_kota, nan=0.0) / d.remote_tower_km)
    w = (n_msme + 1.0) ** 0.8 * np.where(urban, 1.5, 1.0) * decay
    per_desa = rng.multinomial(n, w / w.sum())
    at = np.repeat(np.arange(len(desa)), per_desa)
    starts = np.r_[0, np.cumsum(n_msme)[:-1]]
    pick = starts[at] + (rng.random(n) * n_msme[at]).astype("int64")
    base = centre[at]
    if len(xy):
        base = np.where((n_msme[at] > 0)[:, None], xy[np.minimum(pick, len(xy) - 1)], base)
    x, y = base[:, 0] + rng.normal(0, 300, n), base[:, 1] + rng.normal(0, 300, n)
    height, reach = masts(rng, urban[at])
    return gpd.GeoDataFrame(
        {
            "operator": choice(rng, OPERATORS, n),
            "radio": choice(rng, RADIOS, n),
            "height_m": height,
            "range": reach,
        },
        geometry=gpd.points_from_xy(x, y),
        crs=NATIONAL_CRS,
    )


def _province(
    src: gpd.GeoDataFrame,
    plan: _Plan,
    index: int,
    transform: Affine,
    kab_jenis: Mapping[str, str],
    out: Path,
    p: NationalParams,
) -> tuple[tuple[int, int, np.ndarray], gpd.GeoDataFrame, gpd.GeoDataFrame, int]:
    rng = np.random.default_rng([p.seed, index + 1])
    areas = _areas(src, plan, kab_jenis)
    desa = areas["desa"]
    urban = (desa["jenis"] == "kelurahan").to_numpy()
    dens = np.where(urban, p.demo.kelurahan_density, 1.0)
    w = (desa.geometry.area.to_numpy() / 1e6) ** 0.25 * rng.lognormal(0, 0.5, len(desa)) * dens
    xy, origin = _scatter(rng, desa, rng.multinomial(plan.msme, w / w.sum()), 100.0)
    is_urban = urban[origin]
    online = online_flags(
        rng, is_urban, share=p.demo.online_share, urban_ratio=p.demo.online_urban_ratio
    )
    towers = _towers(rng, areas, xy, origin, plan.towers, p)
    lte = towers[towers["radio"] == "LTE"]
    px = p.demo.coverage_pixel_m
    minx, miny, maxx, maxy = areas["kabupaten"].total_bounds + np.array([-1, -1, 1, 1]) * 2500.0
    col0, row0 = int((minx - transform.c) // px), int((transform.f - maxy) // px)
    x0, y1 = transform.c + col0 * px, transform.f - row0 * px
    cols, rows = int(np.ceil((maxx - x0) / px)), int(np.ceil((y1 - miny) / px))
    cov = model_coverage(
        lte.geometry.x.to_numpy(),
        lte.geometry.y.to_numpy(),
        lte["range"].to_numpy(),
        bounds=(x0, y1 - rows * px, x0 + cols * px, y1),
        pixel_m=px,
        crs=NATIONAL_CRS,
        mask=shapely.buffer(areas["kabupaten"].union_all(), 2000.0),
    )
    covered = point_coverage(cov, xy[:, 0], xy[:, 1], xy_crs=NATIONAL_CRS, covered_min=1).covered
    lon, lat = Transformer.from_crs(NATIONAL_CRS, GEO_CRS, always_xy=True).transform(
        xy[:, 0], xy[:, 1]
    )
    lte_xy = shapely.get_coordinates(lte.geometry.to_numpy())
    lte_at = (lte_xy[:, 0], lte_xy[:, 1])
    tiles, _ = speed_tiles(rng, np.asarray(lon), np.asarray(lat), covered, lte_at, crs=NATIONAL_CRS)
    tiles["home"] = True
    for level, frame in areas.items():
        io.write_geoparquet(frame, partitioned.part_path(out, level, plan.code))
    attrs = pd.DataFrame({"online": online})
    msme_path = partitioned.part_path(out, "msme", plan.code)
    partitioned.write_points(xy[:, 0], xy[:, 1], attrs, msme_path, crs=NATIONAL_CRS)
    partitioned.write_table(tiles, partitioned.part_path(out, "speed_tiles", plan.code))
    towers["part"] = plan.code
    return (row0, col0, cov.array), towers, areas["kabupaten"], len(areas["kecamatan"])


def generate_national(
    src_desa: gpd.GeoDataFrame, src_kab: gpd.GeoDataFrame, out: Path, *, params: NationalParams
) -> Workload:
    """Generate the national workload into ``out`` (see the module docstring).

    Parameters
    ----------
    src_desa, src_kab
        The real Sumut desa (``kode``, ``jenis``) and kabupaten/kota (``kode``, ``jenis``)
        layers in a metric CRS, sorted by ``kode``; their shapes are reused, translated.
    out
        The workload folder (created; existing files are replaced).
    params
        Scale, seed and the figures used.
    """
    t0 = time.perf_counter()
    plans = _plan(src_desa, params)
    kab_jenis = dict(zip(src_kab["kode"].str.slice(3), src_kab["jenis"], strict=True))
    px = params.demo.coverage_pixel_m
    lo = np.array([p.bounds for p in plans])
    x0 = np.floor((lo[:, 0].min() - 10_000) / px) * px
    y1 = np.ceil((lo[:, 3].max() + 10_000) / px) * px
    width = int(np.ceil((lo[:, 2].max() + 10_000 - x0) / px))
    height = int(np.ceil((y1 - lo[:, 1].min() + 10_000) / px))
    transform = Affine(px, 0.0, x0, 0.0, -px, y1)
    results = [
        _province(src_desa, plan, i, transform, kab_jenis, out, params)
        for i, plan in enumerate(plans)
    ]
    partitioned.write_sparse_geotiff(
        out / "coverage.tif",
        width=width,
        height=height,
        transform=transform,
        crs=NATIONAL_CRS,
        nodata=255.0,
        blocks=(r[0] for r in results),
    )
    towers = pd.concat([r[1] for r in results], ignore_index=True)
    xy = shapely.get_coordinates(towers.geometry.to_numpy())
    attrs = pd.DataFrame(towers.drop(columns="geometry"))
    partitioned.write_points(xy[:, 0], xy[:, 1], attrs, out / "towers.parquet", crs=NATIONAL_CRS)
    kab = pd.concat([r[2] for r in results], ignore_index=True)
    io.write_geoparquet(backbone_layer(kab, crs=NATIONAL_CRS), out / "backbone.parquet")
    origin = _SYN.format(seed=params.seed, scale=params.scale)
    wl = Workload(
        root=out,
        crs=NATIONAL_CRS,
        parts=tuple(p.code for p in plans),
        partition_level="provinsi",
        layers=("towers", "speed_tiles", "backbone"),
        msme_columns=("online",),
        capitals=MappingProxyType(
            {p.code: p.code + src_desa["kode"].iloc[p.centre][2:5] for p in plans}
        ),
        sources=tuple(
            Source(layer, origin, "CC0 (generated)", "generated", synthetic=True)
            for layer in ("boundaries", "msme", "towers", "coverage", "speed_tiles", "backbone")
        ),
    )
    counts = {
        "desa": sum(len(p.villages) for p in plans),
        "kecamatan": int(sum(r[3] for r in results)),
        "kabupaten": len(kab),
        "msme": sum(p.msme for p in plans),
        "towers": len(towers),
    }
    seconds = round(time.perf_counter() - t0, 1)
    manifest = workload_manifest(wl, scale=params.scale, seed=params.seed, counts=counts)
    io.write_json({**manifest, "generation_seconds": seconds}, out / "manifest.json")
    return wl
