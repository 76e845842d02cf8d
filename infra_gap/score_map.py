"""A priority choropleth whose outlines are serialised once and recoloured per rerun.

A weight change in the app changes every area's score, colour and tooltip, but no outline.
:func:`area_shapes` turns the display outlines into GeoJSON text once (the app caches it
per level and area of interest, read-only); :func:`add_score_layer` then ships only the
colours and tooltips, a few hundred bytes per area, and Leaflet joins them to the outlines
by code in the browser.  Folium's ``GeoJson`` would rebuild and re-serialise every
geometry on every rerun, which was most of the app's rerun time.

All text is HTML-escaped here (Leaflet inserts tooltips as HTML), and every JSON text
placed in the page has ``<``, ``>`` and ``&`` escaped, so no value can close the script.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.template import Template

from infra_gap.errors import DataError, SchemaError

__all__ = ["AreaShapes", "add_score_layer", "area_shapes", "safe_json"]

_DECIMALS = 5  # about 1 m


def safe_json(obj: Any) -> str:
    """JSON text that is safe inside an HTML ``<script>`` (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


@dataclass(frozen=True)
class AreaShapes:
    """Display outlines as GeoJSON text, made once and shared read-only.

    Attributes
    ----------
    kodes
        The codes drawn, in drawing order.
    geojson
        A FeatureCollection; each feature has ``id`` and ``properties.kode`` = its code,
        coordinates rounded to 5 decimals (about 1 m). Safe inside a script.
    bounds
        ``(minx, miny, maxx, maxy)`` in degrees.
    """

    kodes: tuple[str, ...]
    geojson: str
    bounds: tuple[float, float, float, float]

    @property
    def nbytes(self) -> int:
        """Size of the outlines in the page, bytes."""
        return len(self.geojson.encode("utf-8"))


def area_shapes(display: gpd.GeoDataFrame) -> AreaShapes:
    """Serialise display outlines (``kode``, geometry in EPSG:4326) once.

    Rows without geometry are left out.

    Raises
    ------
    SchemaError
        When ``kode`` is missing or not unique, or the CRS is not EPSG:4326.
    DataError
        When no row has a geometry.
    """
    if "kode" not in display.columns or not display["kode"].is_unique:
        msg = "`display` needs a unique `kode` column"
        raise SchemaError(msg)
    if display.crs is None or display.crs.to_epsg() != 4326:
        msg = f"`display` must be in EPSG:4326; found {display.crs}"
        raise SchemaError(msg)
    geoms = display.geometry.to_numpy()
    drawn = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not drawn.any():
        msg = "`display` has no geometry to draw"
        raise DataError(msg)
    kodes = display["kode"].astype("str").to_numpy()[drawn]
    rounded = shapely.transform(geoms[drawn], lambda xy: np.round(xy, _DECIMALS))
    texts = shapely.to_geojson(rounded)
    features = ",".join(
        f'{{"type":"Feature","id":{k},"properties":{{"kode":{k}}},"geometry":{g}}}'
        for k, g in zip((safe_json(str(k)) for k in kodes), texts, strict=True)
    )
    minx, miny, maxx, maxy = (float(v) for v in shapely.total_bounds(rounded))
    return AreaShapes(
        kodes=tuple(str(k) for k in kodes),
        geojson=f'{{"type":"FeatureCollection","features":[{features}]}}',
        bounds=(minx, miny, maxx, maxy),
    )


def _edge_weight(n_areas: int) -> float:
    return 0.5 if n_areas < 1_500 else 0.2 if n_areas < 4_000 else 0.0


class _ScoreLayer(folium.map.Layer):
    """Outlines joined in the browser to per-code colours and tooltips."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
          .infra-gap-tip { font: 12px/1.35 sans-serif; border-collapse: collapse; }
          .infra-gap-tip th { text-align: left; padding-right: 10px; font-weight: 600; }
          .infra-gap-tip td { text-align: left; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = {{ this.data_js }};
        var {{ this.get_name() }} = L.geoJson({{ this.shapes_js }}, {
            filter: function (f) { return f.id in {{ this.get_name() }}_data.fill; },
            style: function (f) {
                var d = {{ this.get_name() }}_data, chosen = d.selected.indexOf(f.id) >= 0;
                return {fillColor: d.fill[f.id], fillOpacity: 0.75,
                        color: chosen ? d.selected_color : d.edge_color,
                        weight: chosen ? 3 : d.edge_weight};
            },
            onEachFeature: function (f, layer) {
                var d = {{ this.get_name() }}_data, tip = d.tips[f.id];
                if (tip) {  // values and labels arrive HTML-escaped
                    var rows = tip.map(function (v, i) {
                        return "<tr><th>" + d.labels[i] + "</th><td>" + v + "</td></tr>";
                    });
                    layer.bindTooltip('<table class="infra-gap-tip">' + rows.join("") + "</table>",
                                      {sticky: true});
                }
                layer.on({
                    mouseover: function (e) { e.target.setStyle({weight: 2.5, fillOpacity: 0.9}); },
                    mouseout: function (e) { {{ this.get_name() }}.resetStyle(e.target); }
                });
            }
        });
        {{ this.get_name() }}.eachLayer(function (layer) {
            if ({{ this.get_name() }}_data.selected.indexOf(layer.feature.id) >= 0) {
                layer.bringToFront();
            }
        });
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, name: str, shapes_js: str, data_js: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "ScoreLayer"
        self.shapes_js = shapes_js
        self.data_js = data_js


def add_score_layer(
    m: folium.Map,
    shapes: AreaShapes,
    *,
    fill: Mapping[str, str],
    tooltips: pd.DataFrame | None,
    labels: Sequence[str],
    layer_name: str,
    selected: Sequence[str] = (),
    edge_color: str = "#666666",
    selected_color: str = "#1f4e9c",
    edge_weight: float | None = None,
) -> None:
    """Add the outlines of ``shapes`` to ``m``, coloured by code.

    Parameters
    ----------
    m
        The map.
    shapes
        Outlines from :func:`area_shapes`.
    fill
        Code -> fill colour (``#rrggbb``); areas not in it are not drawn.
    tooltips
        ``kode`` plus one text column per label, already formatted for the UI; None for
        no tooltips.
    labels
        Tooltip row labels, in column order (after ``kode``).
    layer_name
        Name in the layer control (escaped here).
    selected
        Codes drawn with a thick outline, on top of their neighbours.
    edge_color, selected_color
        Outline colours.
    edge_weight
        Outline width in pixels; by default 0.5, thinner with many areas (0.2 from 1,500
        areas, 0 from 4,000), so that the fills of a national map are not hidden by borders.
    """
    tips: dict[str, list[str]] = {}
    if tooltips is not None:
        columns = [c for c in tooltips.columns if c != "kode"]
        if len(columns) != len(labels):
            msg = f"{len(labels)} tooltip labels for {len(columns)} tooltip columns"
            raise SchemaError(msg)
        values = tooltips[columns].fillna("").astype("str").to_numpy().tolist()
        codes = tooltips["kode"].astype("str").tolist()
        tips = {k: [html.escape(v) for v in row] for k, row in zip(codes, values, strict=True)}
    data = {
        "fill": dict(fill),
        "tips": tips,
        "labels": [html.escape(label) for label in labels],
        "selected": [str(k) for k in selected],
        "edge_color": edge_color,
        "edge_weight": _edge_weight(len(fill)) if edge_weight is None else edge_weight,
        "selected_color": selected_color,
    }
    _ScoreLayer(
        name=html.escape(layer_name), shapes_js=shapes.geojson, data_js=safe_json(data)
    ).add_to(m)
