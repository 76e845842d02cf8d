"""Cetak peta: the current map view as a PNG or PDF page, drawn on the server.

The same layers as the app's map (the priority classes of the areas shown, towers,
backbone and proposed sites when switched on, place names), in the view the planner is
looking at, with a legend, a scale bar, a north arrow, the date and the data status. Drawn
with matplotlib's object API (no pyplot, no shared state) in UTM 47N, so the scale bar is
true; no browser screenshot and no network. Every text passes through
:func:`infra_gap.outputs.dossier.charts.safe_text` (a glyph the font lacks becomes U+FFFD) and is
never parsed as mathtext.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.maps.folium_maps import score_classes
from infra_gap.outputs.dossier.charts import safe_text
from infra_gap.text.i18n import t

__all__ = ["PrintLayers", "print_map"]

_PAGE = (11.69, 8.27)  # A4 landscape, inches
_DPI = 150
_MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")  # fmt: skip


@dataclass(frozen=True)
class PrintLayers:
    """What the printed map shows (any CRS; drawn in UTM 47N).

    ``areas`` has ``kode``, ``nama``, ``score`` (NaN: no data) and polygons; ``labels`` has
    ``nama``, ``lat`` and ``lon`` (place names, e.g. from
    :func:`infra_gap.maps.labels.label_points`).
    """

    areas: gpd.GeoDataFrame
    towers: gpd.GeoSeries | None = None
    backbone: gpd.GeoSeries | None = None
    sites: gpd.GeoSeries | None = None
    labels: pd.DataFrame | None = None


def _date(day: dt.date, lang: str) -> str:
    if lang == "id":
        return f"{day.day} {_MONTHS_ID[day.month - 1]} {day.year}"
    return day.strftime("%d %B %Y").lstrip("0")


def _charset() -> frozenset[int]:
    return frozenset(FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())


def _polygon_paths(geoms: np.ndarray) -> list[MplPath]:
    out = []
    for poly in shapely.orient_polygons(shapely.get_parts(geoms)):
        if shapely.get_type_id(poly) != 3 or poly.is_empty:
            continue
        rings = [poly.exterior, *poly.interiors]
        out.append(
            MplPath.make_compound_path(*(MplPath(np.asarray(r.coords)[:, :2]) for r in rings))
        )
    return out


def _scale_bar(ax: Axes, x0: float, x1: float, y0: float, y1: float) -> None:
    width = x1 - x0
    steps = (500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5)
    nice = max((s for s in steps if s <= width / 5), default=500)
    bx, by = x0 + 0.03 * width, y0 + 0.04 * (y1 - y0)
    height = 0.008 * (y1 - y0)
    for i, colour in enumerate(("black", "white")):  # a two-segment bar
        ax.add_patch(Rectangle((bx + i * nice / 2, by), nice / 2, height, facecolor=colour,
                               edgecolor="black", lw=0.8, zorder=9))  # fmt: skip
    label = f"{nice / 1000:g} km" if nice >= 1000 else f"{nice:g} m"
    ax.text(bx + nice / 2, by + 0.015 * (y1 - y0), label, ha="center", va="bottom",
            fontsize=8, zorder=9, parse_math=False)  # fmt: skip


def _north_arrow(ax: Axes, north: str) -> None:
    ax.annotate(
        north, xy=(0.96, 0.95), xytext=(0.96, 0.85), xycoords="axes fraction",
        ha="center", va="center", fontsize=11, fontweight="bold", zorder=10,
        arrowprops={"facecolor": "black", "width": 4, "headwidth": 11, "headlength": 10},
    )  # fmt: skip


def _view(
    areas: gpd.GeoDataFrame, view: Sequence[float] | None, aspect: float
) -> tuple[float, float, float, float]:
    """The extent in UTM, widened to the map box's aspect.

    The planner's view (degrees: west, south, east, north) when given, else the areas.
    """
    if view is not None and len(view) == 4 and np.isfinite(list(view)).all():
        w, so, e, n = (float(v) for v in view)
        box = gpd.GeoSeries([shapely.box(w, so, e, n)], crs=GEO_CRS).to_crs(WORK_CRS)
        x0, y0, x1, y1 = (float(v) for v in box.total_bounds)
    else:
        x0, y0, x1, y1 = (float(v) for v in areas.total_bounds)
        pad = 0.03 * max(x1 - x0, y1 - y0, 2_000.0)
        x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    dx, dy = max(x1 - x0, 2_000.0), max(y1 - y0, 2_000.0)
    dx, dy = max(dx, dy * aspect), max(dy, dx / aspect)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - dx / 2, cy - dy / 2, cx + dx / 2, cy + dy / 2


Txt = Callable[..., str]


def _draw_areas(
    ax: Axes, areas: gpd.GeoDataFrame, tick_format: Callable[[float], str], txt: Txt, lang: str
) -> list[Any]:
    """The areas in the map's score classes; their legend handles."""
    edges, colours, nodata = score_classes()
    areas = areas.to_crs(WORK_CRS)
    scores = pd.to_numeric(areas["score"], errors="coerce").to_numpy(dtype=float)
    classes = np.clip(np.searchsorted(edges, scores, side="right") - 1, 0, len(colours) - 1)
    patches, faces = [], []
    for geom, score, cls in zip(areas.geometry.to_numpy(), scores, classes, strict=True):
        for path in _polygon_paths(np.array([geom])):
            patches.append(PathPatch(path))
            faces.append(nodata if np.isnan(score) else colours[cls])
    ax.add_collection(PatchCollection(patches, facecolors=faces, edgecolors="#666666",
                                      linewidths=0.3, alpha=0.85, zorder=1))  # fmt: skip
    legend: list[Any] = [
        Patch(
            facecolor=c, edgecolor="#888888", label=txt(f"{tick_format(lo)}\u2013{tick_format(hi)}")
        )
        for c, lo, hi in zip(colours, edges[:-1], edges[1:], strict=True)
    ]
    if np.isnan(scores).any():
        legend.append(Patch(facecolor=nodata, edgecolor="#888888", label=txt(t("no_data", lang))))
    return legend


def _draw_evidence(ax: Axes, layers: PrintLayers, txt: Txt, lang: str) -> list[Any]:
    """Backbone, towers and proposed sites when given; their legend handles."""
    extra: list[Any] = []
    if layers.backbone is not None and len(layers.backbone):
        geoms = layers.backbone.to_crs(WORK_CRS).to_numpy()
        lines = shapely.get_parts(geoms[np.isin(shapely.get_type_id(geoms), (1, 5))])
        runs = [np.asarray(g.coords)[:, :2] for g in lines if not g.is_empty]
        ax.add_collection(LineCollection(runs, colors="#6a3d9a", linewidths=1.2, zorder=3))
        label = txt(t("layer_backbone", lang))
        extra.append(ax.plot([], [], color="#6a3d9a", lw=1.2, label=label)[0])
    if layers.towers is not None and len(layers.towers):
        xy = shapely.get_coordinates(layers.towers.to_crs(WORK_CRS).to_numpy())
        extra.append(ax.scatter(xy[:, 0], xy[:, 1], marker="^", s=10, color="black", zorder=5,
                                label=txt(t("layer_towers", lang))))  # fmt: skip
    if layers.sites is not None and len(layers.sites):
        xy = shapely.get_coordinates(layers.sites.to_crs(WORK_CRS).to_numpy())
        extra.append(ax.scatter(xy[:, 0], xy[:, 1], marker="o", s=28, color="#1f78b4",
                                edgecolors="white", zorder=6,
                                label=txt(t("layer_sites", lang))))  # fmt: skip
    return extra


def _draw_labels(
    ax: Axes, labels: pd.DataFrame, bounds: tuple[float, float, float, float], txt: Txt
) -> None:
    """Place names inside the view."""
    x0, y0, x1, y1 = bounds
    pts = gpd.GeoSeries(gpd.points_from_xy(labels["lon"], labels["lat"]),
                        crs=GEO_CRS).to_crs(WORK_CRS)  # fmt: skip
    inside = ((pts.x > x0) & (pts.x < x1) & (pts.y > y0) & (pts.y < y1)).to_numpy()
    halo = {"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.6}
    for name, p in zip(labels["nama"].to_numpy()[inside], pts[inside], strict=True):
        ax.text(p.x, p.y, txt(name, 40), fontsize=6.5, ha="center", va="center", zorder=7,
                color="#222222", parse_math=False, bbox=halo)  # fmt: skip


def print_map(
    layers: PrintLayers,
    *,
    title: str,
    status: Sequence[str],
    lang: str,
    fmt: str = "png",
    view: Sequence[float] | None = None,
    today: dt.date | None = None,
    tick_format: Callable[[float], str] = "{:.1f}".format,
) -> bytes:
    """The map view as one A4-landscape page (PNG at 150 dpi, or PDF with embedded fonts).

    Parameters
    ----------
    layers
        Areas with their score, and the optional layers switched on in the app.
    title
        The heading, e.g. "Peta prioritas: 45 kecamatan di Kabupaten Nias ...".
    status
        The data status lines (synthetic demo, own files, sources and dates).
    lang
        ``"id"`` or ``"en"``: legend, date and north arrow.
    fmt
        ``"png"`` or ``"pdf"``.
    view
        ``(west, south, east, north)`` in degrees: the browser's view; None: the areas.
    today
        The printed date (today by default).
    tick_format
        Text of the class limits (the app gives the language's decimal sign).
    """
    if fmt not in {"png", "pdf"}:
        msg = f"`fmt` must be 'png' or 'pdf'; found {fmt!r}"
        raise ValueError(msg)
    charset = _charset()

    def txt(value: object, limit: int | None = None) -> str:
        return safe_text(value, charset, limit=limit)

    fig = Figure(figsize=_PAGE)
    ax = fig.add_axes((0.03, 0.1, 0.68, 0.78))
    box_w, box_h = 0.68 * _PAGE[0], 0.78 * _PAGE[1]
    x0, y0, x1, y1 = _view(layers.areas.to_crs(WORK_CRS), view, box_w / box_h)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#f3f2ee")
    legend = _draw_areas(ax, layers.areas, tick_format, txt, lang)
    extra = _draw_evidence(ax, layers, txt, lang)
    if layers.labels is not None and len(layers.labels):
        _draw_labels(ax, layers.labels, (x0, y0, x1, y1), txt)
    _scale_bar(ax, x0, x1, y0, y1)
    _north_arrow(ax, "U" if lang == "id" else "N")
    lax = fig.add_axes((0.74, 0.1, 0.24, 0.78))
    lax.axis("off")
    first = lax.legend(handles=legend, title=txt(t("legend_score", lang)), loc="upper left",
                       frameon=False, fontsize=8, title_fontsize=9)  # fmt: skip
    if extra:
        lax.add_artist(first)
        lax.legend(handles=extra, title=txt(t("legend_layers", lang)), loc="center left",
                   frameon=False, fontsize=8, title_fontsize=9)  # fmt: skip
    fig.text(0.03, 0.95, txt(title, 140), fontsize=13, fontweight="bold", parse_math=False)
    day = _date(today or dt.date.today(), lang)
    fig.text(0.03, 0.915, txt(t("print_dated", lang).format(date=day)), fontsize=8.5,
             color="#444444", parse_math=False)  # fmt: skip
    wrapped = [part for line in status for part in textwrap.wrap(line, 180)]
    for i, line in enumerate(wrapped[:4]):
        fig.text(0.03, 0.065 - 0.018 * i, txt(line, 200), fontsize=7.5, color="#444444",
                 parse_math=False)  # fmt: skip
    buf = BytesIO()
    fig.savefig(buf, format=fmt, dpi=_DPI, metadata={"Creator": "infra-gap"})
    return buf.getvalue()
