"""A priority choropleth whose outlines are serialised once and recoloured per rerun.

A weight change in the app changes every area's score, colour and tooltip, but no outline.
:func:`area_shapes` encodes the display outlines once (the app caches them per level and
area of interest, read-only); :func:`add_score_layer` then ships only the colours and
tooltips, a few hundred bytes per area, and Leaflet joins them to the outlines by code in
the browser.  Folium's ``GeoJson`` would rebuild and re-serialise every geometry on every
rerun, which was most of the app's rerun time.

The outlines travel as Google encoded polylines, one string per ring, with coordinates
quantised to a grid of 1e-4 degrees (about 11 m, far finer than the display
simplification): about a fifth of the GeoJSON text, so that a province's 6,110 desa fit
in the page.  Every vertex is snapped to the same grid, so an edge two neighbours share
stays identical in both.  The page decodes them back to GeoJSON before ``L.geoJson``;
:func:`decode_outlines` does the same in Python.

The outlines are made by :mod:`infra_gap.maps.outlines` and JSON text by
:mod:`infra_gap.maps.safe_json`; their public names stay importable from here.

All text is HTML-escaped here (Leaflet inserts tooltips as HTML), and every JSON text
placed in the page has ``<``, ``>`` and ``&`` escaped, so no value can close the script.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.template import Template

from infra_gap.errors import SchemaError
from infra_gap.maps.folium_text import TextMacro
from infra_gap.maps.outlines import AreaShapes, area_shapes, decode_outlines
from infra_gap.maps.safe_json import safe_json

__all__ = [
    "AreaShapes",
    "add_score_layer",
    "area_shapes",
    "decode_outlines",
    "safe_json",
    "score_script",
    "scores_script",
]

_WAITING = "#d9d9d9"  # the fill of outlines drawn before their scores arrive


def _edge_weight(n_areas: int) -> float:
    return 0.5 if n_areas < 1_500 else 0.2 if n_areas < 4_000 else 0.0


class _ScoreLayer(folium.map.Layer, TextMacro):
    """Outlines joined in the browser to per-area colours and tooltips."""

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
        var {{ this.get_name() }}_shapes = {{ this.shapes_js }};
        var {{ this.get_name() }} = (function (d, shapes) {
            var ring = function (text) {  // a Google encoded polyline, latitude first
                var out = [], i = 0, lat = 0, lon = 0, v = [0, 0];
                while (i < text.length) {
                    for (var j = 0; j < 2; j++) {
                        var b, shift = 0, r = 0;
                        do {
                            b = text.charCodeAt(i++) - 63;
                            r |= (b & 31) << shift;
                            shift += 5;
                        } while (b >= 32);
                        v[j] = r & 1 ? ~(r >> 1) : r >> 1;
                    }
                    lat += v[0];
                    lon += v[1];
                    out.push([lon / shapes.scale, lat / shapes.scale]);
                }
                if (out.length) { out.push(out[0]); }
                return out;
            };
            var cell = function (column, n) {  // a plain list, or distinct values and indices
                if (Array.isArray(column)) { return column[n]; }
                return column.i[n] < 0 ? null : column.v[column.i[n]];
            };
            var row = new Map(), features = [];
            shapes.kodes.forEach(function (kode, n) {
                if (d.fill[n] < 0) { return; }
                row.set(kode, n);
                features.push({type: "Feature", id: kode, properties: {kode: kode},
                               geometry: {type: "MultiPolygon", coordinates: shapes.polygons[n].map(
                                   function (polygon) { return polygon.map(ring); })}});
            });
            var style = function (f) {
                var chosen = d.selected.indexOf(f.id) >= 0;
                return {fillColor: d.palette[d.fill[row.get(f.id)]], fillOpacity: 0.75,
                        color: chosen ? d.selected_color : d.edge_color,
                        weight: chosen ? 3 : d.edge_weight};
            };
            var tip = function (f, part) {
                var n = row.get(f.id);
                if (d.tips.length && cell(d.tips[0], n) !== null) {
                    var rows = d.tips.map(function (column, i) {  // values arrive HTML-escaped
                        return "<tr><th>" + d.labels[i] + "</th><td>" + cell(column, n)
                            + "</td></tr>";
                    });
                    part.bindTooltip(
                        '<table class="infra-gap-tip">' + rows.join("") + "</table>",
                        {sticky: true});
                }
            };
            var front = function () {
                shown.eachLayer(function (layer) {
                    if (d.selected.indexOf(layer.feature.id) >= 0) { layer.bringToFront(); }
                });
            };
            var shown = L.geoJson({type: "FeatureCollection", features: features}, {
                style: style,
                onEachFeature: function (f, part) {
                    tip(f, part);
                    part.on({
                        mouseover: function (e) {
                            e.target.setStyle({weight: 2.5, fillOpacity: 0.9});
                        },
                        mouseout: function (e) { shown.resetStyle(e.target); }
                    });
                }
            });
            front();
            // New scores (a weight change): colours, tooltips and the selected area change
            // on the outlines already drawn (see add_score_layer's `scores_to`).
            window.infraGapScoresKey = d.key;
            window.infraGapScores = function (scores) {
                d.palette = scores.palette;
                d.fill = scores.fill;
                d.tips = scores.tips;
                d.selected = scores.selected;
                shown.setStyle(style);
                shown.eachLayer(function (part) {
                    part.unbindTooltip();
                    tip(part.feature, part);
                });
                front();
            };
            try {  // scores the host page sent before this map was drawn (scores_script)
                var held = d.key && window.parent !== window && window.parent.infraGapHeldScores;
                if (held && held[d.key]) { window.infraGapScores(held[d.key]); }
            } catch (e) {}  // a host of another origin: the scores come by call, or not at all
            return shown;
        })({{ this.get_name() }}_data, {{ this.get_name() }}_shapes);
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, name: str, shapes_js: str, data_js: str) -> None:
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "ScoreLayer"
        self.shapes_js = shapes_js
        self.data_js = data_js


class _Scores(TextMacro):
    """The colours, tooltips and selection of a score layer, applied to its outlines."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        if (window.infraGapScores) { window.infraGapScores({{ this.data_js }}); }
        {% endmacro %}
        """
    )

    def __init__(self, *, data_js: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Scores"
        self.data_js = data_js


def _outlines_key(shapes: AreaShapes) -> str:
    """The key of a map's outlines: scores are lists aligned with ``shapes.kodes``."""
    return hashlib.sha256("\n".join(shapes.kodes).encode()).hexdigest()[:16]


def _score_data(
    shapes: AreaShapes,
    *,
    fill: Mapping[str, str],
    tooltips: pd.DataFrame | None,
    labels: Sequence[str],
    selected: Sequence[str],
) -> dict[str, Any]:
    """The scores :func:`add_score_layer` ships, aligned with ``shapes.kodes``.

    Each distinct colour once with an index per area, the tooltips, the selection and the
    outlines' key.
    """
    tips = [] if tooltips is None else _tip_columns(tooltips, labels, shapes.kodes)
    palette = sorted(set(fill.values()))
    colour = {c: i for i, c in enumerate(palette)}
    return {
        "palette": palette,
        "fill": [colour[fill[k]] if k in fill else -1 for k in shapes.kodes],
        "tips": tips,
        "selected": [str(k) for k in selected],
        "key": _outlines_key(shapes),
    }


def score_script(
    shapes: AreaShapes,
    *,
    fill: Mapping[str, str],
    tooltips: pd.DataFrame | None,
    labels: Sequence[str],
    selected: Sequence[str] = (),
) -> str:
    """:func:`scores_script` of the scores :func:`add_score_layer` would send, with no map.

    The scores `add_score_layer` would give its `scores_to` with these arguments; the app
    sends them before the map (a weight change repaints the map already drawn sooner,
    issue #20).
    """
    data = _score_data(shapes, fill=fill, tooltips=tooltips, labels=labels, selected=selected)
    return _script(safe_json(data))


def _script(data_js: str) -> str:
    return (
        "(function (s) {\n"
        "  var held = window.infraGapHeldScores = window.infraGapHeldScores || {};\n"
        "  held[s.key] = s;\n"
        '  document.querySelectorAll("iframe").forEach(function (f) {\n'
        "    try {\n"
        "      var w = f.contentWindow;\n"
        "      if (w && w.infraGapScoresKey === s.key && w.infraGapScores) {\n"
        "        w.infraGapScores(s);\n"
        "      }\n"
        "    } catch (e) {}  // a frame of another origin\n"
        "  });\n"
        f"}})({data_js});"
    )


def scores_script(group: folium.FeatureGroup) -> str:
    """The script that recolours, from the host page, the map whose scores went to `group`.

    For a page that holds the map in an iframe of the same origin (the app's st_folium) and
    runs this script beside it (``st.html(..., unsafe_allow_javascript=True)``): the map's
    own text then never changes with the scores, so Streamlit sends it once and later only
    a reference to it, and a weight change sends the colours and tooltips alone, never the
    outlines. The scores are held in the host page under the outlines' key, for a map
    drawn after the script ran; a map already drawn with those outlines is recoloured at
    once. Raises ``ValueError`` when `group` holds no scores (see :func:`add_score_layer`).
    """
    found = [c for c in group._children.values() if isinstance(c, _Scores)]
    if len(found) != 1:
        msg = f"the group holds {len(found)} score sets; give add_score_layer's `scores_to`"
        raise ValueError(msg)
    return _script(found[0].data_js)


def _tip_columns(
    tooltips: pd.DataFrame, labels: Sequence[str], kodes: Sequence[str]
) -> list[list[str | None] | dict[str, list[Any]]]:
    """Tooltip texts per column, HTML-escaped, one per area of `kodes` (None: no tooltip).

    A column with few distinct texts ships them once, with an index per area (-1: none).
    """
    columns = [c for c in tooltips.columns if c != "kode"]
    if len(columns) != len(labels):
        msg = f"{len(labels)} tooltip labels for {len(columns)} tooltip columns"
        raise SchemaError(msg)
    codes_in = tooltips["kode"].astype("str")
    last = ~codes_in.duplicated(keep="last").to_numpy()
    body = tooltips.loc[:, tooltips.columns != "kode"]  # by position: names may repeat
    values = body.fillna("").astype("str").to_numpy()[last]
    rows = pd.Index(codes_in.to_numpy()[last]).get_indexer(pd.Index(list(kodes)))
    out: list[list[str | None] | dict[str, list[Any]]] = []
    for j in range(len(columns)):
        codes, distinct = pd.factorize(values[:, j])
        texts = [html.escape(str(v)) for v in distinct]
        index = np.r_[codes, -1][rows]  # -1: no tooltip
        size = np.array([*(len(t) + 3 for t in texts), 5], dtype=np.int64)  # JSON bytes, about
        digits = np.floor(np.log10(np.maximum(index, 1))).astype(np.int64) + 2
        shared = int(size[:-1].sum() + digits.sum())
        plain = int(size[index].sum())
        if shared < plain:
            out.append({"v": texts, "i": index.tolist()})
        else:
            out.append([texts[i] if i >= 0 else None for i in index.tolist()])
    return out


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
    scores_to: folium.FeatureGroup | None = None,
) -> None:
    """Add the outlines of ``shapes`` to ``m``, coloured by code.

    Colours and tooltips ship as lists aligned with ``shapes.kodes``: each distinct colour
    once, and each tooltip column either as a list or, when few texts repeat, as its
    distinct texts and an index per area.

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
        no tooltips. Areas not in it have no tooltip.
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
    scores_to
        A feature group for the colours, tooltips and selection: ``m`` then holds the
        outlines alone (grey until the group is added) and stays the same text when only
        the scores change, so a page that adds the group to a map already drawn (the app's
        ``st_folium(feature_group_to_add=...)``) recolours it without sending it again.
    """
    scores = _score_data(shapes, fill=fill, tooltips=tooltips, labels=labels, selected=selected)
    data: dict[str, object] = {
        **scores,
        "labels": [html.escape(label) for label in labels],
        "edge_color": edge_color,
        "edge_weight": _edge_weight(len(fill)) if edge_weight is None else edge_weight,
        "selected_color": selected_color,
    }
    data["key"] = ""  # no scores from the host page
    if scores_to is not None:
        data["key"] = scores["key"]
        _Scores(data_js=safe_json(scores)).add_to(scores_to)
        drawn = [0 if k >= 0 else -1 for k in scores["fill"]]  # which areas, not their scores
        data |= {"palette": [_WAITING], "fill": drawn, "tips": [], "selected": []}
    _ScoreLayer(
        name=html.escape(layer_name), shapes_js=shapes.encoded, data_js=safe_json(data)
    ).add_to(m)
