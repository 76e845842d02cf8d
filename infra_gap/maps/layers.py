"""Evidence layers for the planner's map.

Coverage, towers, MSME density, speed tiers, backbone and proposed sites.  Each adds itself
to a map from :mod:`infra_gap.maps.folium_maps`,
toggled in the layer control, and returns its legend
entries.  Everything is aggregated or rasterised so the map
stays light (never 1.17 million markers), and all text shown is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine
from folium.plugins import FastMarkerCluster, HeatMap
from folium.utilities import image_to_url
from pyproj import Transformer
from rasterio import features
from rasterio.warp import Resampling, reproject

from infra_gap.config import GEO_CRS
from infra_gap.layers import Raster
from infra_gap.text.i18n import fmt_int

__all__ = [
    "OPERATOR_COLORS",
    "SITE_COLOR",
    "SPEED_TIER_COLORS",
    "Overlay",
    "add_backbone",
    "add_coverage",
    "add_msme_density",
    "add_overlay",
    "add_sites",
    "add_speed_tiers",
    "add_towers",
    "coverage_overlay",
    "msme_cells",
    "speed_overlay",
]

OPERATOR_COLORS: Mapping[str, str] = {
    "Telkomsel": "#e4002b", "Indosat": "#f5b700", "XL Axiata": "#0067b1",
    "Smartfren": "#d6007e",
}  # fmt: skip
_OTHER_OPERATOR = "#555555"
#: Giga tiers (domain.md): < 1 Mbps none, 1-5 below the FCC 4G tier, 5-20 moderate, > 20 good.
SPEED_TIER_COLORS = (
    (1_000, "#7b0000"),
    (5_000, "#e34a33"),
    (20_000, "#fdbb84"),
    (np.inf, "#31a354"),
)
_MERCATOR = "EPSG:3857"


@dataclass(frozen=True)
class Overlay:
    """A raster layer ready for the map: a PNG data URL and its lon/lat bounds.

    Built once (warping is the slow part) and added to any number of maps with
    :func:`add_overlay`; it holds only immutable values, so it can be shared read-only.
    """

    url: str
    bounds: tuple[tuple[float, float], tuple[float, float]]


def _warp(rgba: np.ndarray, transform: Affine, crs: str) -> Overlay:
    """Warp an RGBA image in a projected CRS to Web Mercator and encode it as a PNG.

    The target grid is computed with pyproj (rasterio's ``calculate_default_transform``
    needs GDAL's VRT driver, which the hardened environment switches off).
    """
    h, w = rgba.shape[1:]
    left, top = transform @ (0, 0)
    right, bottom = transform @ (w, h)
    tr = Transformer.from_crs(crs, _MERCATOR, always_xy=True)
    west, south, east, north = tr.transform_bounds(left, bottom, right, top, densify_pts=21)
    scale = max((east - west) / w, (north - south) / h)
    dw, dh = int(np.ceil((east - west) / scale)), int(np.ceil((north - south) / scale))
    dst_t = Affine(scale, 0.0, west, 0.0, -scale, north)
    out = np.zeros((4, dh, dw), dtype="uint8")
    for band in range(4):
        reproject(
            rgba[band], out[band], src_transform=transform, src_crs=crs, dst_transform=dst_t,
            dst_crs=_MERCATOR, resampling=Resampling.nearest,
        )  # fmt: skip
    lon, lat = Transformer.from_crs(_MERCATOR, GEO_CRS, always_xy=True).transform(
        [west, west + dw * scale], [north - dh * scale, north]
    )
    url = image_to_url(np.moveaxis(out, 0, -1), origin="upper")
    return Overlay(url, ((float(lat[0]), float(lon[0])), (float(lat[1]), float(lon[1]))))


def add_overlay(m: folium.Map, overlay: Overlay, *, name: str, show: bool = False) -> None:
    """Add a prepared :class:`Overlay` to `m` (hidden until switched on, unless `show`)."""
    folium.raster_layers.ImageOverlay(
        overlay.url, bounds=[list(overlay.bounds[0]), list(overlay.bounds[1])],
        name=html.escape(name), mercator_project=False, pixelated=True, show=show,
    ).add_to(m)  # fmt: skip


def _overlay(rgba: np.ndarray, transform: Affine, crs: str, name: str, m: folium.Map) -> None:
    add_overlay(m, _warp(rgba, transform, crs), name=name)


COVERAGE_COLOR = "rgba(49,163,84,.5)"


def coverage_overlay(raster: Raster, *, covered_min: float, max_side: int = 1600) -> Overlay:
    """The coverage raster as an :class:`Overlay`: covered green, no data grey."""
    step = max(1, int(np.ceil(max(raster.array.shape) / max_side)))
    values = raster.array[::step, ::step]
    transform = raster.transform @ raster.transform.scale(step, step)
    nodata = np.zeros(values.shape, bool) if raster.nodata is None else values == raster.nodata
    covered = ~nodata & (values >= covered_min)
    rgba = np.zeros((4, *values.shape), dtype="uint8")
    rgba[:, covered] = np.array([[49], [163], [84], [120]])
    rgba[:, nodata] = np.array([[150], [150], [150], [60]])
    return _warp(rgba, transform, raster.crs)


def add_coverage(
    m: folium.Map,
    raster: Raster | Overlay,
    *,
    covered_min: float,
    name: str,
    max_side: int = 1600,
    show: bool = False,
) -> list[tuple[str, str]]:
    """Coverage raster as an image: covered green, no data grey, not covered clear.

    `raster` may be an :class:`Overlay` made earlier by :func:`coverage_overlay`.
    """
    overlay = (
        raster
        if isinstance(raster, Overlay)
        else coverage_overlay(raster, covered_min=covered_min, max_side=max_side)
    )
    add_overlay(m, overlay, name=name, show=show)
    return [(COVERAGE_COLOR, name)]


def speed_overlay(tiles: gpd.GeoDataFrame, *, cell_m: float = 300) -> Overlay | None:
    """Speed tiles rasterised by download tier as an :class:`Overlay` (None when empty)."""
    if tiles.empty:
        return None
    down = tiles["avg_d_kbps"].to_numpy(dtype="float64")
    tier = np.searchsorted([t for t, _ in SPEED_TIER_COLORS], down, side="right") + 1
    minx, miny, maxx, maxy = tiles.total_bounds
    w, h = int(np.ceil((maxx - minx) / cell_m)), int(np.ceil((maxy - miny) / cell_m))
    transform = Affine(cell_m, 0, minx, 0, -cell_m, maxy)
    grid = features.rasterize(
        zip(tiles.geometry, tier.tolist(), strict=True), out_shape=(h, w), transform=transform,
        fill=0, dtype="uint8",
    )  # fmt: skip
    rgba = np.zeros((4, h, w), dtype="uint8")
    for i, (_, color) in enumerate(SPEED_TIER_COLORS, start=1):
        rgb = [int(color[k : k + 2], 16) for k in (1, 3, 5)]
        rgba[:, grid == i] = np.array([[rgb[0]], [rgb[1]], [rgb[2]], [190]])
    return _warp(rgba, transform, str(tiles.crs))


def add_speed_tiers(
    m: folium.Map,
    tiles: gpd.GeoDataFrame | Overlay | None,
    *,
    name: str,
    labels: Sequence[str],
    cell_m: float = 300,
    show: bool = False,
) -> list[tuple[str, str]]:
    """Speed tiles rasterised by Giga/FCC download tier (about 610 m tiles, 300 m pixels).

    `tiles` may be an :class:`Overlay` made earlier by :func:`speed_overlay`.
    """
    overlay = (
        tiles
        if isinstance(tiles, Overlay) or tiles is None
        else speed_overlay(tiles, cell_m=cell_m)
    )
    if overlay is None:
        return []
    add_overlay(m, overlay, name=name, show=show)
    return [(c, label) for (_, c), label in zip(SPEED_TIER_COLORS, labels, strict=True)]


_TOWER_CALLBACK = """function (row) {
    var m = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 5, color: row[2], fillColor: row[2], fillOpacity: 0.8, weight: 1});
    m.bindTooltip(row[3]);
    return m;
}"""


def add_towers(
    m: folium.Map, towers: gpd.GeoDataFrame, *, name: str, show: bool = False
) -> list[tuple[str, str]]:
    """Towers clustered, coloured by operator; tooltips are escaped server-side."""
    geo = towers.to_crs(GEO_CRS)
    ops = towers["operator"].astype("str")
    colors = ops.map(OPERATOR_COLORS).fillna(_OTHER_OPERATOR)
    radio = (
        towers["radio"].astype("str") if "radio" in towers else pd.Series("", index=towers.index)
    )
    tips = [html.escape(f"{o} {r}".strip()) for o, r in zip(ops, radio, strict=True)]
    data = [
        [round(float(y), 5), round(float(x), 5), c, t]
        for x, y, c, t in zip(geo.geometry.x, geo.geometry.y, colors, tips, strict=True)
    ]
    cluster = FastMarkerCluster(  # type: ignore[no-untyped-call]
        data, callback=_TOWER_CALLBACK, name=html.escape(name), show=show
    )
    cluster.add_to(m)
    present = sorted(set(ops))
    return [(OPERATOR_COLORS.get(o, _OTHER_OPERATOR), o) for o in present]


HeatCells = tuple[tuple[float, float, float], ...]


def msme_cells(
    lon: np.ndarray, lat: np.ndarray, uncovered: np.ndarray, *, cell_deg: float = 0.01
) -> tuple[HeatCells, HeatCells]:
    """MSMEs counted in about 1 km cells, all and uncovered: ``(lat, lon, weight)`` rows."""

    def cells(mask: np.ndarray) -> HeatCells:
        ok = mask & np.isfinite(lon) & np.isfinite(lat)
        ix = np.floor(lon[ok] / cell_deg).astype("int64")
        iy = np.floor(lat[ok] / cell_deg).astype("int64")
        key, count = np.unique(np.column_stack([ix, iy]), axis=0, return_counts=True)
        top = max(float(count.max()), 1.0) if len(count) else 1.0
        return tuple(
            (
                round((float(k[1]) + 0.5) * cell_deg, 4),
                round((float(k[0]) + 0.5) * cell_deg, 4),
                round(float(c) / top, 4),
            )
            for k, c in zip(key, count, strict=True)
        )

    return cells(np.ones(len(lon), dtype=bool)), cells(np.asarray(uncovered, dtype=bool))


def add_msme_density(
    m: folium.Map,
    lon: np.ndarray | None,
    lat: np.ndarray | None,
    uncovered: np.ndarray | None,
    *,
    name_all: str,
    name_uncovered: str,
    cell_deg: float = 0.01,
    cells: tuple[HeatCells, HeatCells] | None = None,
    show_all: bool = False,
) -> list[tuple[str, str]]:
    """Two heat maps of MSMEs aggregated to about 1 km cells: all, and uncovered apart.

    `cells` (from :func:`msme_cells`) replaces the three arrays when made earlier.
    """
    if cells is None:
        if lon is None or lat is None or uncovered is None:
            msg = "give `cells`, or `lon`, `lat` and `uncovered`"
            raise ValueError(msg)
        cells = msme_cells(lon, lat, uncovered, cell_deg=cell_deg)
    all_cells, uncovered_cells = ([list(c) for c in part] for part in cells)
    heat = HeatMap(all_cells, name=html.escape(name_all), radius=9, blur=12, show=show_all)  # type: ignore[no-untyped-call]
    heat.add_to(m)
    red = {0.2: "#fee0d2", 0.5: "#fc9272", 0.8: "#de2d26", 1.0: "#67000d"}
    HeatMap(  # type: ignore[no-untyped-call]
        uncovered_cells, name=html.escape(name_uncovered), radius=9,
        blur=12, gradient=red, show=True,
    ).add_to(m)  # fmt: skip
    return [("#de2d26", name_uncovered)]


def add_backbone(
    m: folium.Map, backbone: gpd.GeoDataFrame, *, name: str, pop_label: str, show: bool = False
) -> list[tuple[str, str]]:
    """Backbone lines and points of presence."""
    geo = backbone.to_crs(GEO_CRS)
    group = folium.FeatureGroup(name=html.escape(name), show=show)
    lines = geo[geo.geom_type.isin(["LineString", "MultiLineString"])]
    if len(lines):
        folium.GeoJson(
            lines[["geometry"]].__geo_interface__,
            style_function=lambda _: {"color": "#6a3d9a", "weight": 3},
        ).add_to(group)
    pops = geo[geo.geom_type == "Point"]
    for pt in pops.geometry:
        folium.CircleMarker([pt.y, pt.x], radius=4, color="#6a3d9a", fill=True).add_to(group)
    group.add_to(m)
    return [("#6a3d9a", name), ("#6a3d9a", pop_label)]


SITE_COLOR = "#1f4e9c"


def add_sites(
    m: folium.Map,
    sites: gpd.GeoDataFrame,
    *,
    name: str,
    radius_m: float | None = None,
    tooltip: str = "{site}: +{n} UMKM",
    lang: str = "id",
    show: bool = True,
) -> list[tuple[str, str]]:
    """Proposed sites with their reach discs, as one layer that can be switched off.

    Parameters
    ----------
    sites
        Points with ``site_id``, ``msme_new`` and ``radius_km`` (each site's reach) when
        known.
    name
        Layer and legend name.
    radius_m
        Reach of every site, metres; each site's ``radius_km`` when None.
    tooltip
        Text on hover, with ``{site}`` and ``{n}`` (MSMEs newly covered, formatted for
        ``lang``); HTML-escaped.
    show
        Whether the layer is on at first.
    """
    geo = sites.to_crs(GEO_CRS)
    group = folium.FeatureGroup(name=html.escape(name), show=show)
    new = sites["msme_new"] if "msme_new" in sites else pd.Series(0, index=sites.index)
    if radius_m is not None:
        radii = np.full(len(sites), float(radius_m))
    elif "radius_km" in sites:
        radii = sites["radius_km"].to_numpy(dtype="float64") * 1000.0
    else:
        msg = "give `radius_m`, or sites with a `radius_km` column"
        raise ValueError(msg)
    ids = sites["site_id"] if "site_id" in sites else pd.Series(sites.index, index=sites.index)
    for pt, sid, n, r in zip(geo.geometry, ids, new, radii, strict=True):
        tip = html.escape(tooltip.format(site=sid, n=fmt_int(int(n), lang)))
        folium.Circle([pt.y, pt.x], radius=float(r), color=SITE_COLOR, weight=1, fill=True,
                      fill_opacity=0.08).add_to(group)  # fmt: skip
        folium.CircleMarker([pt.y, pt.x], radius=6, color=SITE_COLOR, fill=True, fill_opacity=1,
                            tooltip=tip).add_to(group)  # fmt: skip
    group.add_to(m)
    return [(SITE_COLOR, name)]
