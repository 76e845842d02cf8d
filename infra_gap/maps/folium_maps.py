"""Folium maps that paint with no internet.

folium and streamlit-folium load Leaflet and its plugins from CDNs, so offline their maps
never paint. Maps built here link only to the copies in the app's ``static/vendor`` (listed
in ``infra_gap/app/static/README.md``), which Streamlit serves at ``/app/static/vendor`` when
``server.enableStaticServing`` is on. Leaflet inserts tooltip, legend and layer names as
HTML, so all text is HTML-escaped here.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import branca.colormap
import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, Figure
from branca.utilities import color_brewer
from folium.elements import JSCSSMixin
from folium.template import Template

from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError, SchemaError
from infra_gap.maps.folium_text import TextMacro, keep_rendered_text, render_as_text
from infra_gap.maps.score_map import AreaShapes, add_score_layer, area_shapes, score_script

__all__ = [
    "ASSET_BASE_URL",
    "CANVAS_FROM",
    "add_legend",
    "display_geometry",
    "map_html",
    "offline_map",
    "priority_choropleth",
    "priority_scores",
    "score_classes",
]

#: URL under which ``static/vendor`` is served (Streamlit static serving).
ASSET_BASE_URL = "/app/static/vendor"

#: folium's names for its links -> vendored file under the asset base URL.
_VENDORED: Mapping[str, str] = MappingProxyType(
    {
        "leaflet": "leaflet@1.9.4/leaflet.js",
        "leaflet_css": "leaflet@1.9.4/leaflet.css",
        "markerclusterjs": "leaflet.markercluster@1.5.3/leaflet.markercluster.js",
        "markerclustercss": "leaflet.markercluster@1.5.3/MarkerCluster.css",
        "markerclusterdefaultcss": "leaflet.markercluster@1.5.3/MarkerCluster.Default.css",
        "leaflet-heat.js": "leaflet.heat@0.2.0-folium-0.20.0/leaflet_heat.min.js",
    }
)
_CLASS_EDGES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
_COLORS = color_brewer("YlOrRd", n=len(_CLASS_EDGES) - 1)
_NODATA_COLOR, _EDGE_COLOR, _SELECTED_COLOR = "#cccccc", "#666666", "#1f4e9c"
#: Areas from which the priority map draws on a canvas (the desa of a province: 6,110 SVG
#: paths made panning stutter; a kabupaten's few hundred desa stay SVG).
CANVAS_FROM = 1_500


def offline_map(
    *,
    bounds: tuple[float, float, float, float],
    asset_base_url: str = ASSET_BASE_URL,
    basemap: bool | str = True,
    collapsed: bool = False,
    prefer_canvas: bool = False,
) -> folium.Map:
    """Create an empty map that needs no internet, fitted to `bounds`.

    Parameters
    ----------
    bounds
        ``(minx, miny, maxx, maxy)`` in lon/lat degrees.
    asset_base_url
        URL of ``static/vendor``. When the map renders, every script and stylesheet link,
        also of plugins added later, points here. Rendering raises ValueError for a plugin
        whose files are not vendored, and for ``folium.Popup`` and ``folium.Icon`` (they
        need jQuery and Font Awesome, which are not vendored).
    basemap
        Add OpenStreetMap tiles as an overlay that can be switched off (True), or the tiles
        of this URL template (an office's own tile server, ``https://host/{z}/{x}/{y}.png``),
        or none (False). Offline the tiles fail to load and the rest still paints on a light
        background.
    collapsed
        Show the layer control as a button that opens on hover (it covers less of the map).
    prefer_canvas
        Draw vector layers on one ``<canvas>`` (Leaflet's ``preferCanvas``) instead of one
        SVG path each: thousands of polygons pan and zoom smoothly.

    Returns
    -------
    m
        A map with a layer control and no tiles but the optional basemap.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not (np.isfinite([minx, miny, maxx, maxy]).all() and minx <= maxx and miny <= maxy):
        msg = f"`bounds` must be finite (minx, miny, maxx, maxy); found {bounds}"
        raise ValueError(msg)
    center = [(miny + maxy) / 2, (minx + maxx) / 2]
    m = _OfflineMap(
        asset_base_url=asset_base_url,
        location=center,
        zoom_start=8,
        tiles=None,
        zoom_snap=0.25,  # fit the bounds closely, not to the nearest whole zoom level
        prefer_canvas=prefer_canvas,
    )
    if isinstance(basemap, str) and basemap:
        folium.TileLayer(basemap, name="Basemap", attr="Basemap", overlay=True).add_to(m)
    elif basemap is True:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", overlay=True).add_to(m)
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    folium.LayerControl(collapsed=collapsed).add_to(m)
    return m


def priority_choropleth(
    areas: pd.DataFrame,
    *,
    value_col: str,
    tooltip_fields: Sequence[tuple[str, str]],
    legend_title: str,
    layer_name: str,
    asset_base_url: str = ASSET_BASE_URL,
    highlight_codes: Collection[str] = (),
    basemap: bool | str = True,
    collapsed: bool = False,
    tick_format: Callable[[float], str] = "{:.1f}".format,
    nodata_label: str = "No data",
    shapes: AreaShapes | None = None,
    prefer_canvas: bool | None = None,
    scores_to: folium.FeatureGroup | None = None,
) -> folium.Map:
    """Map a score in [0, 1] in five equal classes, with tooltips and a legend.

    Parameters
    ----------
    areas
        Areas with a unique string ``kode``, `value_col` and the tooltip columns; with
        their EPSG:4326 geometry (best simplified with :func:`display_geometry`) unless
        `shapes` is given. Rows without geometry are not drawn. With `shapes`, a geometry
        column still sets the map's extent when fewer areas are drawn than `shapes` holds.
    value_col
        Score in [0, 1] (clipped to it); NaN is drawn grey as no data.
    tooltip_fields
        ``(column, label)`` pairs; the columns hold text already formatted for the UI.
    legend_title, layer_name
        Plain text for the legend and the layer control.
    asset_base_url, basemap, collapsed
        As in :func:`offline_map`.
    highlight_codes
        ``kode`` values outlined with a thicker border (for example the selected area).
    tick_format, nodata_label
        Text of the class limits in the legend (for example with a decimal comma), and of
        its entry for NaN, shown only when a score is NaN.
    shapes
        The outlines serialised once (:func:`infra_gap.maps.score_map.area_shapes`, cached by
        the caller); areas of `areas` that are not in it are not drawn.
    prefer_canvas
        As in :func:`offline_map`; by default on from :data:`CANVAS_FROM` areas drawn.
    scores_to
        As in :func:`infra_gap.score_map.add_score_layer`: the colours, tooltips and
        highlight go into this group, the map holds the outlines.

    Returns
    -------
    m
        The map. The outlines (encoded polylines on a 1e-4 degree grid, about 11 m) and, per
        area, its fill colour and tooltip texts are shipped; Leaflet joins them by code.
    """
    _check_areas(areas, value_col, [col for col, _ in tooltip_fields], geometry=shapes is None)
    if shapes is None:
        shapes = area_shapes(gpd.GeoDataFrame(areas[["kode", "geometry"]], crs=areas.crs))
    drawn, values, fill, tips = _painted(areas, value_col, tooltip_fields, shapes)
    m = offline_map(
        bounds=_drawn_bounds(drawn, shapes),
        asset_base_url=asset_base_url,
        basemap=basemap,
        collapsed=collapsed,
        prefer_canvas=len(drawn) >= CANVAS_FROM if prefer_canvas is None else prefer_canvas,
    )
    add_score_layer(
        m,
        shapes,
        fill=fill,
        tooltips=tips if tooltip_fields else None,
        labels=[label for _, label in tooltip_fields],
        layer_name=layer_name,
        selected=[k for k in highlight_codes if k in fill],
        edge_color=_EDGE_COLOR,
        selected_color=_SELECTED_COLOR,
        scores_to=scores_to,
    )
    limits = itertools.pairwise(_CLASS_EDGES)
    entries = [
        (c, f"{tick_format(lo)}\u2013{tick_format(hi)}")
        for c, (lo, hi) in zip(_COLORS, limits, strict=True)
    ]
    if np.isnan(values).any():
        entries.append((_NODATA_COLOR, nodata_label))
    rows = "".join(f'<br><i style="background:{c}"></i>{html.escape(t)}' for c, t in entries)
    _Legend(f"<b>{html.escape(legend_title)}</b>{rows}").add_to(m)
    return m


def priority_scores(
    areas: pd.DataFrame,
    *,
    value_col: str,
    tooltip_fields: Sequence[tuple[str, str]],
    shapes: AreaShapes,
    highlight_codes: Collection[str] = (),
) -> tuple[str, bool]:
    """The scores script of :func:`priority_choropleth` with `scores_to`, without the map.

    The script is :func:`infra_gap.maps.score_map.scores_script`'s; the flag says whether a
    score is NaN (the map's legend then has a no-data entry). Arguments as there.
    """
    _check_areas(areas, value_col, [col for col, _ in tooltip_fields], geometry=False)
    _, values, fill, tips = _painted(areas, value_col, tooltip_fields, shapes)
    script = score_script(
        shapes,
        fill=fill,
        tooltips=tips if tooltip_fields else None,
        labels=[label for _, label in tooltip_fields],
        selected=[k for k in highlight_codes if k in fill],
    )
    return script, bool(np.isnan(values).any())


def _painted(
    areas: pd.DataFrame,
    value_col: str,
    tooltip_fields: Sequence[tuple[str, str]],
    shapes: AreaShapes,
) -> tuple[pd.DataFrame, np.ndarray, dict[str, str], pd.DataFrame]:
    """The areas drawn (those in `shapes`), their values, fill colours and tooltip texts."""
    drawn = areas[areas["kode"].isin(shapes.kodes)]
    if drawn.empty:
        msg = "`areas` has no geometry to draw"
        raise DataError(msg)
    kodes = drawn["kode"].tolist()
    values = drawn[value_col].to_numpy(dtype=float)
    scale = branca.colormap.StepColormap(_COLORS, index=_CLASS_EDGES, vmin=0.0, vmax=1.0)
    fill = {
        k: _NODATA_COLOR if np.isnan(v) else scale.rgb_hex_str(np.clip(v, 0, 1))
        for k, v in zip(kodes, values, strict=True)
    }
    tips = pd.DataFrame(drawn[["kode", *(col for col, _ in tooltip_fields)]])
    return drawn, values, fill, tips


def score_classes() -> tuple[tuple[float, ...], tuple[str, ...], str]:
    """The priority map's class limits, their colours and the no-data colour.

    The printed map (:mod:`infra_gap.outputs.map_print`) draws the same classes.
    """
    return _CLASS_EDGES, tuple(_COLORS), _NODATA_COLOR


def _drawn_bounds(drawn: pd.DataFrame, shapes: AreaShapes) -> tuple[float, float, float, float]:
    """The map's extent: the areas drawn, or all the outlines.

    The areas drawn when they are fewer than the outlines and have their geometry (a filter,
    e.g. two kabupaten of a province).
    """
    if len(drawn) < len(shapes.kodes) and isinstance(drawn, gpd.GeoDataFrame):
        bounds = drawn.geometry.total_bounds
        if np.isfinite(bounds).all():
            minx, miny, maxx, maxy = (float(v) for v in bounds)
            return minx, miny, maxx, maxy
    return shapes.bounds


def display_geometry(areas: gpd.GeoDataFrame, *, tolerance_m: float = 50.0) -> gpd.GeoSeries:
    """Simplify area outlines for display, keeping shared edges shared.

    Geometries are repaired (``make_valid``, polygonal parts only), made a valid coverage
    (``shapely.coverage_clean``: no overlaps, matched edges; shapely 2.2+) and simplified
    together in EPSG:32647 (``shapely.coverage_simplify``), so neighbours never part or
    overlap. For display only: compute with the original geometry.

    Parameters
    ----------
    areas
        Polygons in any CRS.
    tolerance_m
        Visvalingam-Whyatt tolerance: roughly the square root of the area (m2) of the
        triangles removed.

    Returns
    -------
    geometry
        In the CRS and index of `areas`. Missing and empty geometries stay so; a row whose
        simplified geometry would be empty or invalid keeps its repaired geometry, and one
        that cannot be repaired to a non-empty polygon (zero area) keeps its original.
    """
    if areas.crs is None:
        msg = "`areas` has no CRS; set one before simplifying"
        raise SchemaError(msg)
    if not tolerance_m >= 0:
        msg = f"`tolerance_m` must be >= 0; found {tolerance_m}"
        raise ValueError(msg)
    original = areas.geometry.to_numpy()
    repaired = original.copy()
    present = ~(shapely.is_missing(original) | shapely.is_empty(original))
    repaired[present] = shapely.make_valid(
        original[present], method="structure", keep_collapsed=False
    )
    usable = present & ~shapely.is_empty(repaired)
    repaired[present & ~usable] = original[present & ~usable]
    result = repaired.copy()
    if usable.any():
        work = gpd.GeoSeries(repaired[usable], crs=areas.crs).to_crs(WORK_CRS).to_numpy()
        clean = getattr(shapely, "coverage_clean", None)  # shapely >= 2.2
        work = shapely.coverage_simplify(work if clean is None else clean(work), tolerance_m)
        result[usable] = gpd.GeoSeries(work, crs=WORK_CRS).to_crs(areas.crs).to_numpy()
    bad = usable & (shapely.is_empty(result) | ~shapely.is_valid(result))
    result[bad] = repaired[bad]
    return gpd.GeoSeries(result, index=areas.index, crs=areas.crs, name=areas.geometry.name)


def add_legend(
    m: folium.Map, title: str, entries: Sequence[tuple[str, str]], *, position: str = "bottomright"
) -> None:
    """Add an offline legend: a title and ``(colour, label)`` rows, all text escaped.

    A map has one legend box: when `m` has one already (the priority map's), the entries
    are added to it under `title`; `position` places a new box.
    """
    rows = "".join(f'<br><i style="background:{c}"></i>{html.escape(t)}' for c, t in entries)
    section = f"<b>{html.escape(title)}</b>{rows}"
    box = next((c for c in m._children.values() if isinstance(c, _Legend)), None)
    if box is not None:
        box.body += f'<div class="infra-gap-legend-part">{section}</div>'
    else:
        _Legend(section, position=position).add_to(m)


def map_html(m: folium.Map) -> str:
    """Render the complete HTML page of `m`, for tests and payload measurement."""
    return str(m.get_root().render())


def _check_areas(
    areas: pd.DataFrame, value_col: str, text_cols: list[str], *, geometry: bool
) -> None:
    missing = [c for c in ["kode", value_col, *text_cols] if c not in areas.columns]
    if missing:
        msg = f"`areas` is missing required column(s) {missing}; found {list(areas.columns)}"
        raise SchemaError(msg)
    crs = getattr(areas, "crs", None)
    if geometry and (crs is None or crs.to_epsg() != 4326):
        msg = f"`areas` must be in EPSG:4326; found {crs}"
        raise SchemaError(msg)
    if not pd.api.types.is_numeric_dtype(areas[value_col]):
        msg = f"`{value_col}` must be numeric; found {areas[value_col].dtype}"
        raise SchemaError(msg)
    for col in ["kode", *text_cols]:
        if not pd.api.types.is_string_dtype(areas[col]):
            msg = f"`{col}` must hold strings; found {areas[col].dtype}"
            raise SchemaError(msg)
    if not areas["kode"].is_unique:
        msg = "`kode` must be unique in `areas`"
        raise SchemaError(msg)


class _OfflineMap(folium.Map, TextMacro):
    """A folium Map that links only to vendored assets, whatever is added to it later."""

    def __init__(self, *, asset_base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.asset_base_url = asset_base_url.rstrip("/")
        keep_rendered_text(self.get_root())  # data is never evaluated as a template

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Point every asset link at the vendored copies, then render as folium does."""
        for element in _walk(self):
            needs_jquery = element is self and bool(self.objects_to_stay_in_front)
            if type(element) in (folium.Popup, folium.Icon) or needs_jquery:
                msg = (
                    f"{type(element).__name__} needs jQuery or Font Awesome, which are not "
                    "vendored for offline maps; use a tooltip, CircleMarker or DivIcon"
                )
                raise ValueError(msg)
            if isinstance(element, JSCSSMixin):
                # Instance attributes: folium's class-level lists stay untouched.
                element.default_js = self._vendored(element, element.default_js)
                element.default_css = self._vendored(element, element.default_css)
            if element is not self:
                render_as_text(element)  # no element's output is compiled as a template
        # A layer control lists only the layers rendered before it, so it goes last.
        for key, child in list(self._children.items()):
            if isinstance(child, folium.LayerControl):
                self._children.move_to_end(key)
        figure = self.get_root()
        if isinstance(figure, Figure):
            css = "<style>.leaflet-container { background: #f3f2ee; }</style>"
            figure.header.add_child(Element(css), name="infra_gap_background")
        super().render(**kwargs)  # type: ignore[no-untyped-call]

    def _vendored(self, element: Element, links: list[tuple[str, str]]) -> list[tuple[str, str]]:
        out = []
        for name, url in links:
            if name not in _VENDORED and isinstance(element, folium.Map):
                continue  # jQuery, Bootstrap, Font Awesome: only Popup and Icon need them
            local = f"{self.asset_base_url}/{_VENDORED[name]}" if name in _VENDORED else url
            if not local.startswith(f"{self.asset_base_url}/"):
                msg = (
                    f"{type(element).__name__} needs {url!r}, which is not vendored; add it under "
                    "infra_gap/app/static/vendor and to `infra_gap.maps.folium_maps._VENDORED`"
                )
                raise ValueError(msg)
            out.append((name, local))
        return out


class _Legend(TextMacro):
    """A plain HTML legend in a Leaflet control (branca's legend loads d3 from a CDN)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .infra-gap-legend { background: #fff; padding: 6px 8px; border-radius: 4px;
            box-shadow: 0 0 4px rgba(0,0,0,.35); font: 12px/1.5 sans-serif;
            max-height: 45vh; overflow-y: auto; }
          .infra-gap-legend-part { margin-top: 4px; border-top: 1px solid #ddd; }
          .infra-gap-legend i { display: inline-block; width: 14px; height: 11px;
            margin-right: 6px; border: 1px solid #888; vertical-align: -1px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function () {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "infra-gap-legend");
                div.innerHTML = {{ this.body|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, body: str, *, position: str = "bottomright") -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.body = body
        self.position = position


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)
