"""Maps and charts of the PDF dossier, drawn offline with matplotlib from the layers.

No tile server and no pyplot: each figure is a :class:`matplotlib.figure.Figure` rendered
by Agg to PNG bytes, so concurrent app sessions share no state.  Maps are in the work CRS
(metres, undistorted), with a scale bar.  Every label passes through :func:`safe_text`
first, so a glyph the embedded DejaVu font lacks (emoji) becomes U+FFFD instead of a
missing-glyph warning or an invisible character.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Container, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from infra_gap.layers import Raster

__all__ = [
    "REPLACEMENT",
    "MapLayers",
    "bars_png",
    "locator_map_png",
    "overview_map_png",
    "safe_text",
]

#: What a character the font cannot draw becomes.
REPLACEMENT = "\ufffd"
_DPI = 150
_MAX_POINTS = 20_000  # points drawn per map; above this a regular subsample
_COVER_RGBA = (0.55, 0.80, 0.55, 0.45)
_TIER_COLOURS = ("#C0392B", "#E67E22", "#7F8C8D")  # tier 1 (or unknown), 2, 3
Bounds = Sequence[float] | np.ndarray


def safe_text(text: object, charset: Container[int], *, limit: int | None = None) -> str:
    """Text the embedded font can draw, never interpreted as markup.

    Tabs and line breaks become spaces; other control characters and glyphs missing from
    ``charset`` become U+FFFD; text longer than ``limit`` characters is cut, with an
    ellipsis.
    """
    out = []
    for ch in str(text):
        if ch in "\t\r\n":
            out.append(" ")
        elif unicodedata.category(ch) in {"Cc", "Cs", "Co", "Cn"} or ord(ch) not in charset:
            out.append(REPLACEMENT)
        else:
            out.append(ch)
    s = "".join(out)
    return s if limit is None or len(s) <= limit else s[: limit - 1] + "\u2026"


@dataclass(frozen=True)
class MapLayers:
    """What a map draws, all in the work CRS.

    Attributes
    ----------
    outline
        Context boundaries (e.g. the kabupaten), drawn as thin lines.
    coverage
        Coverage raster (covered pixels shaded), or None.
    covered_min
        Coverage threshold.
    towers
        Tower points, or None.
    backbone
        Backbone lines and points of presence, or None.
    """

    outline: gpd.GeoSeries
    coverage: Raster | None = None
    covered_min: float = 1.0
    towers: gpd.GeoSeries | None = None
    backbone: gpd.GeoSeries | None = None


@dataclass(frozen=True)
class AreaLookup:
    """Per-area look-ups for the dossier sections, built once per dossier.

    Attributes
    ----------
    level
        Level of the areas.
    areas
        Areas at ``level``, indexed by ``kode``.
    desa
        The finest areas given, sorted by ``kode`` (the MSMEs' ``area_index`` points into
        them): the desa, or the user's own kecamatan or kabupaten when those are the finest.
    names
        Code -> name of every kabupaten and kecamatan (for the parent line).
    xy
        (n, 2) MSME coordinates, work CRS.
    area_index
        Desa position of each MSME, ``-1`` if unplaced.
    covered
        True where an MSME is covered.
    sektor
        Sector of each MSME, or None when the register lacks it.
    sites
        Proposed sites, or None.
    """

    level: str
    areas: gpd.GeoDataFrame
    desa: gpd.GeoDataFrame
    names: dict[str, str]
    xy: np.ndarray
    area_index: np.ndarray
    covered: np.ndarray
    sektor: np.ndarray | None = None
    sites: gpd.GeoDataFrame | None = None

    @property
    def finest(self) -> bool:
        """The areas are the finest level given (the desa, or the user's own level)."""
        return self.level == "desa" or (
            len(self.areas) == len(self.desa)
            and np.array_equal(self.areas.index.to_numpy(), self.desa["kode"].to_numpy())
        )

    def span(self, code: str) -> tuple[int, int]:
        """Positions [lo, hi) of the desa inside ``code`` (desa are sorted by code)."""
        codes = self.desa["kode"].to_numpy().astype("str")
        if self.finest:
            lo = int(np.searchsorted(codes, code, side="left"))
            return lo, lo + int(lo < len(codes) and codes[lo] == code)
        return (
            int(np.searchsorted(codes, code + ".", side="left")),
            int(np.searchsorted(codes, code + ".~", side="left")),
        )

    def msme_mask(self, code: str) -> np.ndarray:
        """True for the MSMEs placed in ``code``."""
        lo, hi = self.span(code)
        return (self.area_index >= lo) & (self.area_index < hi)

    def geometry(self, code: str) -> shapely.Geometry:
        """The area's polygon."""
        return self.areas.geometry.loc[code]

    def inner(self, code: str) -> gpd.GeoSeries:
        """The desa inside the area (none at desa level)."""
        lo, hi = self.span(code) if not self.finest else (0, 0)
        return self.desa.geometry.iloc[lo:hi]

    def parent(self, code: str) -> str:
        """Names of the kabupaten (and kecamatan, for a desa) holding ``code``."""
        keys = [code[:n] for n in (5, 8) if len(code) > n]
        return ", ".join(self.names[k] for k in keys if k in self.names)

    def sectors(self, mask: np.ndarray, uncovered: np.ndarray) -> list[tuple[str, int, int]]:
        """(sector, MSMEs, MSMEs without 4G) in the area, most uncovered first."""
        if self.sektor is None:
            return []
        all_s, all_n = np.unique(self.sektor[mask].astype("str"), return_counts=True)
        unc_s, unc_n = np.unique(self.sektor[uncovered].astype("str"), return_counts=True)
        unc = dict(zip(unc_s.tolist(), unc_n.tolist(), strict=True))
        rows = [
            (s, int(n), int(unc.get(s, 0)))
            for s, n in zip(all_s.tolist(), all_n.tolist(), strict=True)
        ]
        return sorted(rows, key=lambda r: (-r[2], -r[1], r[0]))

    def sites_in(self, code: str) -> gpd.GeoDataFrame | None:
        """Proposed sites of the area, or None when no sites were given.

        Sites with a ``kode`` column belong to the area whose code prefixes theirs; other
        sites belong to the areas their points touch.
        """
        if self.sites is None:
            return None
        if "kode" in self.sites:
            return self.sites[self.sites["kode"].astype("str").str.startswith(code)]
        return self.sites[self.sites.geometry.intersects(self.geometry(code))]


def _png(fig: Figure) -> bytes:
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI)
    return buf.getvalue()


def _paths(geoms: np.ndarray) -> list[np.ndarray]:
    """Coordinate runs of lines (polygons give their rings)."""
    geoms = geoms[~shapely.is_empty(geoms)]
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))  # Polygon, MultiPolygon
    lines = np.where(polygonal, shapely.boundary(geoms), geoms)
    parts = shapely.get_parts(lines)
    parts = parts[shapely.get_type_id(parts) != 0]  # points (PoPs) are drawn apart
    coords, index = shapely.get_coordinates(parts, return_index=True)
    return np.split(coords, np.flatnonzero(np.diff(index)) + 1) if len(coords) else []


def _lines(ax: Axes, geoms: np.ndarray, **kw: Any) -> None:
    ax.add_collection(LineCollection(_paths(geoms), **kw))


def _fill(ax: Axes, geom: shapely.Geometry, **kw: Any) -> None:
    for poly in shapely.orient_polygons(shapely.get_parts(np.array([geom]))):
        rings = [poly.exterior, *poly.interiors]
        path = MplPath.make_compound_path(*(MplPath(np.asarray(r.coords)[:, :2]) for r in rings))
        ax.add_patch(PathPatch(path, **kw))


def _coverage(ax: Axes, raster: Raster, covered_min: float, bounds: Bounds) -> None:
    inv = ~raster.transform
    c0, r0 = inv @ (bounds[0], bounds[3])
    c1, r1 = inv @ (bounds[2], bounds[1])
    h, w = raster.array.shape
    r0, r1 = max(math.floor(r0), 0), min(math.ceil(r1), h)
    c0, c1 = max(math.floor(c0), 0), min(math.ceil(c1), w)
    if r1 <= r0 or c1 <= c0:
        return
    step = max(1, math.ceil(max(r1 - r0, c1 - c0) / 1000))  # enough for a 7-inch map
    win = raster.array[r0:r1:step, c0:c1:step]
    covered = win >= covered_min
    if raster.nodata is not None:
        covered &= win != raster.nodata
    rgba = np.zeros((*win.shape, 4), dtype=np.uint8)
    rgba[covered] = [round(255 * c) for c in _COVER_RGBA]
    left, top = raster.transform @ (c0, r0)
    right, bottom = raster.transform @ (c0 + win.shape[1] * step, r0 + win.shape[0] * step)
    ax.imshow(rgba, extent=(left, right, bottom, top), interpolation="nearest", zorder=0)


def _scale_bar(ax: Axes, bounds: Bounds) -> None:
    width = bounds[2] - bounds[0]
    steps = (100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5)
    nice = max((s for s in steps if s <= width / 5), default=100)
    x0 = bounds[0] + 0.04 * width
    y0 = bounds[1] + 0.04 * (bounds[3] - bounds[1])
    ax.plot([x0, x0 + nice], [y0, y0], color="black", linewidth=2.5, zorder=9)
    label = f"{nice / 1000:g} km" if nice >= 1000 else f"{nice:g} m"
    ax.text(x0 + nice / 2, y0, label, ha="center", va="bottom", fontsize=7, zorder=9)


def _frame(ax: Axes, bounds: Bounds, pad: float) -> Bounds:
    """Set limits around ``bounds`` at 1:1 scale that fill the axes box; return them."""
    pos = ax.get_position()
    fig_w, fig_h = ax.get_figure().get_size_inches()  # type: ignore[union-attr]
    aspect = (pos.width * fig_w) / (pos.height * fig_h)
    x0, y0, x1, y1 = (float(v) for v in bounds)
    dx, dy = max(x1 - x0, 2_000.0) * (1 + 2 * pad), max(y1 - y0, 2_000.0) * (1 + 2 * pad)
    dx, dy = max(dx, dy * aspect), max(dy, dx / aspect)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    ax.set_xlim(cx - dx / 2, cx + dx / 2)
    ax.set_ylim(cy - dy / 2, cy + dy / 2)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    return (cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2)


def _context(ax: Axes, layers: MapLayers, bounds: Bounds, *, detail: bool) -> None:
    if layers.coverage is not None:
        _coverage(ax, layers.coverage, layers.covered_min, bounds)
    _lines(ax, layers.outline.to_numpy(), colors="#555555", linewidths=0.6, zorder=2)
    if detail and layers.backbone is not None:
        geoms = layers.backbone.to_numpy()
        _lines(ax, geoms, colors="#6C3483", linewidths=1.2, zorder=4)
        pops = shapely.get_coordinates(geoms[shapely.get_type_id(geoms) == 0])
        ax.scatter(pops[:, 0], pops[:, 1], marker="s", s=14, color="#6C3483", zorder=5)
    if detail and layers.towers is not None:
        xy = shapely.get_coordinates(layers.towers.to_numpy())
        ax.scatter(xy[:, 0], xy[:, 1], marker="^", s=16, color="black", zorder=6)


def locator_map_png(
    area: shapely.Geometry,
    layers: MapLayers,
    *,
    inner: gpd.GeoSeries,
    uncovered_xy: np.ndarray,
    sites_xy: np.ndarray | None,
    legend: Sequence[str],
) -> bytes:
    """Map of one area, with an inset locating it in the province.

    Parameters
    ----------
    area
        The area's polygon, outlined; its desa (``inner``) are drawn thinly, over the
        coverage, towers and backbone of ``layers``.
    layers
        Context layers.
    inner
        Boundaries inside the area.
    uncovered_xy
        (n, 2) coordinates of the area's MSMEs without 4G (a regular subsample above
        20,000).
    sites_xy
        (n, 2) coordinates of proposed sites, or None.
    legend
        Safe labels: area, uncovered MSMEs, tower, backbone, 4G coverage, proposed site.
    """
    fig = Figure(figsize=(7.2, 4.6))
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    bounds = _frame(ax, shapely.bounds(area), 0.08)
    _context(ax, layers, bounds, detail=True)
    _lines(ax, inner.to_numpy(), colors="#999999", linewidths=0.4, zorder=2)
    _fill(ax, area, facecolor="none", edgecolor="#C0392B", linewidth=2.0, zorder=3)
    pts = uncovered_xy[:: max(1, math.ceil(len(uncovered_xy) / _MAX_POINTS))]
    ax.scatter(pts[:, 0], pts[:, 1], s=1.5, color="#E74C3C", alpha=0.6, linewidths=0, zorder=3)
    n = 5
    if sites_xy is not None and len(sites_xy):
        n = 6
        ax.scatter(
            sites_xy[:, 0],
            sites_xy[:, 1],
            marker="*",
            s=120,
            color="#1F618D",
            edgecolor="white",
            zorder=8,
        )
    _scale_bar(ax, bounds)
    handles = [
        Rectangle((0, 0), 1, 1, facecolor="none", edgecolor="#C0392B", linewidth=2),
        Line2D([], [], marker="o", linestyle="", color="#E74C3C", markersize=4),
        Line2D([], [], marker="^", linestyle="", color="black", markersize=5),
        Line2D([], [], color="#6C3483"),
        Rectangle((0, 0), 1, 1, facecolor=_COVER_RGBA),
        Line2D([], [], marker="*", linestyle="", color="#1F618D", markersize=9),
    ]
    ax.legend(handles[:n], list(legend[:n]), loc="upper left", fontsize=7, framealpha=0.85)
    inset = fig.add_axes((0.78, 0.62, 0.21, 0.37))
    _frame(inset, layers.outline.total_bounds, 0.02)
    _lines(inset, layers.outline.to_numpy(), colors="#777777", linewidths=0.3)
    _fill(inset, area, facecolor="#C0392B", edgecolor="#C0392B", linewidth=1.5)
    return _png(fig)


def overview_map_png(
    areas: gpd.GeoSeries, labels: Sequence[str], tiers: Sequence[int], layers: MapLayers
) -> bytes:
    """The province with the selected areas filled by tier, and a zoom that numbers them.

    ``labels`` (safe text, e.g. ``"1"``) and ``tiers`` (1-3; 0 when unknown) follow
    ``areas``.
    """
    fig = Figure(figsize=(7.2, 3.9))
    geoms = areas.to_numpy()
    zoom = shapely.total_bounds(geoms)
    province = fig.add_axes((0.0, 0.0, 0.42, 1.0))
    near = fig.add_axes((0.43, 0.0, 0.57, 1.0))
    near_bounds = _frame(near, zoom, 0.1)
    for ax, bounds in (
        (province, _frame(province, layers.outline.total_bounds, 0.03)),
        (near, near_bounds),
    ):
        _context(ax, layers, bounds, detail=ax is near)
        for g, tier in zip(geoms, tiers, strict=True):
            colour = _TIER_COLOURS[min(max(tier, 1), 3) - 1]
            _fill(ax, g, facecolor=colour, edgecolor="black", linewidth=0.6, alpha=0.8, zorder=3)
    province.add_patch(
        Rectangle(
            (zoom[0], zoom[1]),
            zoom[2] - zoom[0],
            zoom[3] - zoom[1],
            fill=False,
            edgecolor="#1F618D",
            linewidth=1.2,
            zorder=9,
        )
    )
    for g, text in zip(geoms, labels, strict=True):
        p = shapely.point_on_surface(g)
        near.text(
            p.x,
            p.y,
            text,
            ha="center",
            va="center",
            fontsize=9,
            weight="bold",
            color="white",
            zorder=10,
            parse_math=False,
            bbox={"boxstyle": "circle,pad=0.2", "fc": "black", "alpha": 0.7},
        )
    _scale_bar(near, near_bounds)
    return _png(fig)


def bars_png(
    contrib: Sequence[tuple[str, float]],
    sectors: Sequence[tuple[str, int, int]],
    *,
    titles: Sequence[str],
) -> bytes:
    """Two horizontal bar charts: score contributions, and MSMEs by sector (all vs no 4G).

    Parameters
    ----------
    contrib
        (safe label, contribution) per weighted indicator.
    sectors
        (safe label, MSMEs, MSMEs without 4G) per sector; may be empty.
    titles
        Safe titles: contributions, sectors, "all MSMEs", "without 4G".

    Labels are plain text: ``$`` never starts mathtext.
    """
    fig = Figure(figsize=(7.2, 2.6))
    left = fig.add_axes((0.27, 0.15, 0.21, 0.72))
    right = fig.add_axes((0.74, 0.15, 0.24, 0.72))
    y = np.arange(len(contrib))[::-1]
    left.barh(y, [c[1] for c in contrib], color="#C0392B")
    left.set_yticks(y, [c[0] for c in contrib], parse_math=False)
    left.set_xlim(0, max([0.05, *(c[1] for c in contrib)]) * 1.15)
    if sectors:
        y = np.arange(len(sectors))[::-1]
        right.barh(y, [s[1] for s in sectors], color="#D5D8DC", label=titles[2])
        right.barh(y, [s[2] for s in sectors], color="#E74C3C", label=titles[3])
        right.set_yticks(y, [s[0] for s in sectors], parse_math=False)
        right.legend(fontsize=6, loc="lower right")
    for ax, title in ((left, titles[0]), (right, titles[1])):
        ax.set_title(title, fontsize=8, parse_math=False)
        ax.tick_params(labelsize=7)
    return _png(fig)
