"""The priority map panel: the choropleth of the shown areas, evidence layers and a click that
opens an area's detail (it never changes the filter)."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from folium.template import Template
from streamlit_folium import st_folium

from infra_gap.errors import InfraGapError
from infra_gap.layers import Layers
from infra_gap.maps import folium_maps as maps
from infra_gap.maps import labels as map_labels
from infra_gap.maps import layers as map_layers
from infra_gap.maps.folium_text import TextMacro
from infra_gap.outputs.views import code_path, map_frame, md_escape
from infra_gap.text.i18n import fmt_num, t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import (
    TTL,
    display_areas,
    evidence,
    label_tiers,
    map_shapes,
    province_map_bytes,
)
from infra_gap.app.ui.common import office_tiles, priority_map, priority_scores
from infra_gap.app.ui.filter import Selection
from infra_gap.app.ui.print_panel import print_panel

MAP_BUDGET = 3_000_000  # bytes of map HTML at most; above it, desa one kabupaten at a time


def map_panel(
    *,
    ranked: pd.DataFrame,
    sel: Selection,
    layers: Layers,
    data_key: str,
    scenario_text: str,
    level: str,
    covered_min: float,
    top_n: int,
    pick: str,
    on: dict[str, bool],
    sites: gpd.GeoDataFrame | None,
    lang: str,
) -> None:
    """Draw the map; a click on an area shows it in the detail panel (next run).

    The map keeps the planner's view across reruns, draws the place names from the
    boundaries and puts every legend in one box.
    """
    ss = st.session_state
    prefix, kab_codes, shown_ranked = sel.prefix, sel.kab_codes, sel.shown
    names_by_code = sel.names_by_code
    map_prefix = prefix
    map_bytes = 0
    if level == "desa":
        try:
            map_bytes = province_map_bytes(data_key, level, float(covered_min), layers)
        except InfraGapError:  # measured under the default weights: if those fail, be careful
            map_bytes = MAP_BUDGET + 1
    too_big = map_bytes > MAP_BUDGET
    if too_big and not map_prefix:
        map_prefix = code_path(pick).get("kabupaten", "")
    # The areas drawn: a drilled kabupaten, the filter's kabupaten, or every area.
    drawn = tuple(shown_ranked["kode"]) if kab_codes and not map_prefix else ()
    codes_key = hashlib.sha256("\n".join(drawn).encode()).hexdigest() if drawn else ""
    scores = map_scores(
        data_key, level, scenario_text, lang, map_prefix, codes_key, pick, int(top_n),
        _codes=drawn, _layers=layers, _ranked=ranked,
    )  # fmt: skip
    # The colours first, before the map is built and sent: a weight change recolours the map
    # the browser holds as soon as this script arrives (issue #20); a new map takes them from
    # the page when it is drawn.
    st.html(f"<script>{scores.js}</script>", unsafe_allow_javascript=True)
    st.subheader(t("map", lang))
    if too_big:
        mb = map_bytes / 1e6
        st.caption(
            t("desa_one_kab", lang).format(
                mb=fmt_num(mb, lang, decimals=1),
                nama=md_escape(names_by_code.get(map_prefix, map_prefix)),
            )
        )
    frame = scores.frame
    outlines = outline_map(
        data_key, level, lang, map_prefix, codes_key, int(top_n), office_tiles(),
        scores.nodata, _frame=frame, _layers=layers,
    )  # fmt: skip
    fmap = copy.deepcopy(outlines)  # shared by every session: layers are added to a copy
    legend = _evidence_layers(fmap, layers, data_key, covered_min, on, sites, lang)
    if legend:
        maps.add_legend(fmap, t("legend_layers", lang), legend)  # into the score legend's box
    shown_codes = None if map_prefix or not kab_codes else set(kab_codes)
    map_labels.add_place_labels(
        fmap, label_tiers(data_key, layers, map_prefix, shown_codes), name=t("layer_labels", lang)
    )
    # The view (centre, zoom) is kept per extent: a weight, preset or level change redraws the
    # map in the same view; a new filter (another extent) fits the map to it.
    extent = f"{data_key[:16]}|{map_prefix}|{','.join(sorted(kab_codes or ()))}"
    view = ss.get(VIEW_KEY)
    view = view if isinstance(view, dict) and view.get("extent") == extent else None
    _map_view(
        fmap, key=f"map_{data_key[:16]}_{level}_{map_prefix}", extent=extent, view=view,
        level=level,
    )  # fmt: skip
    st.caption(t("map_hint", lang))
    own = ss.get(K.OWN)
    print_panel(
        frame=frame, layers=layers, data_key=data_key, sel=sel,
        scope=_scope(sel, len(ranked), level, lang), on=on, sites=sites,
        view=(ss.get(VIEW_KEY) or {}).get("bounds") if view is not None else None,
        own_name=own["name"] if isinstance(own, dict) and data_key != "demo" else None, lang=lang,
    )  # fmt: skip


@dataclass(frozen=True)
class MapScores:
    """The areas a priority map draws with their scores (read-only), the script that colours
    that map, and whether a score is NaN (the legend then says "no data")."""

    frame: gpd.GeoDataFrame
    js: str
    nodata: bool


@st.cache_resource(show_spinner=False, max_entries=12, ttl=TTL)
def map_scores(
    key: str, level: str, text: str, lang: str, prefix: str, codes_key: str, pick: str,
    top_n: int, *, _codes: tuple[str, ...], _layers: Layers, _ranked: pd.DataFrame,
) -> MapScores:  # fmt: skip
    """The scores of the priority map of data `key` at `level` under scenario `text`, built
    once per weights, areas and pick: a warm visit to a level reuses them.

    `_ranked` is the scenario's ranking (`text` stands in for it); the areas drawn are those
    of kabupaten `prefix`, or `_codes` (`codes_key` is their SHA-256), or every area.
    The scores travel apart from the map (:func:`outline_map`): a weight change or a new
    pick leaves the map's text as it was, so Streamlit sends a reference to the map the
    browser holds (not its outlines again) and the scores alone, in a script (issue #20).
    """
    display = display_areas(key, level, _layers)
    if prefix:
        display = display[display["kode"].str.startswith(prefix + ".")]
    elif _codes:
        display = display[display["kode"].isin(_codes)]
    frame = map_frame(display, _ranked, lang)
    js, nodata = priority_scores(
        frame, map_shapes(key, level, prefix, _layers), lang, top_n=top_n, pick=pick
    )
    return MapScores(frame=frame, js=js, nodata=nodata)


@st.cache_resource(show_spinner=False, max_entries=12, ttl=TTL)
def outline_map(
    key: str, level: str, lang: str, prefix: str, codes_key: str, top_n: int, tiles: str,
    nodata: bool, *, _frame: gpd.GeoDataFrame, _layers: Layers,
) -> folium.Map:  # fmt: skip
    """The priority map of :func:`map_scores`'s areas without their scores (read-only): the
    outlines, legend and controls, the same for any weights, so a warm visit to a level or
    a weight change reuses it. `_frame` is :attr:`MapScores.frame` (any weights: only its
    areas and geometry count; `nodata` says whether the legend lists "no data"); `tiles`
    is the office tile server the map shows (:func:`office_tiles`, read per run).
    """
    scores = folium.FeatureGroup(name="scores", control=False)  # sent by map_scores instead
    return priority_map(
        _frame, map_shapes(key, level, prefix, _layers), lang, top_n=top_n, scores_to=scores
    )


def _scope(sel: Selection, n_all: int, level: str, lang: str) -> str:
    """What the printed map shows: "45 kecamatan di Kabupaten Nias dan ..."."""
    if sel.filtered:
        return t("print_scope_sel", lang).format(
            n=fmt_num(len(sel.shown), lang), level=level, where=sel.title
        )
    return t("print_scope_all", lang).format(n=fmt_num(n_all, lang), level=level)


VIEW_KEY = K.MAP_VIEW
RETURNED = ["last_active_drawing", "center", "zoom", "bounds"]


@st.fragment
def _map_view(
    fmap: folium.Map,
    *,
    key: str,
    extent: str,
    view: dict[str, Any] | None,
    level: str,
) -> None:
    """The map, in `view` when the map is new; panning and zooming rerun only this fragment.

    `view` is the one of the last full run: a rerun of this fragment passes the same centre
    and zoom, so the map never jumps back while the planner moves it; a full run (new
    colours, a new map) passes the latest view, and the new map opens there.
    """
    ss = st.session_state
    shown = copy.deepcopy(fmap)  # st_folium renames the elements it renders: keep `fmap`
    _QuietStart().add_to(shown)
    out = st_folium(
        shown,
        returned_objects=RETURNED,
        height=480,
        use_container_width=True,
        key=key,
        center=tuple(view["center"]) if view else None,
        zoom=view["zoom"] if view else None,
    )
    out = out or {}
    center, zoom, bounds = out.get("center"), out.get("zoom"), out.get("bounds")
    if isinstance(center, dict) and zoom is not None:  # reported by the browser, not a default
        ss[VIEW_KEY] = {
            "extent": extent,
            "center": [float(center["lat"]), float(center["lng"])],
            "zoom": float(zoom),
            "bounds": _bounds(bounds),
        }
    drawing = out.get("last_active_drawing") or {}
    clicked = str((drawing.get("properties") or {}).get("kode") or "")
    if clicked and clicked != ss.get(K.MAP_CLICKED):
        ss[K.MAP_CLICKED] = clicked
        ss[K.PENDING_SELECT] = (clicked, level)
        st.rerun(scope="app")


class _QuietStart(TextMacro):
    """The map reports its view when the planner moves it, not when it opens.

    streamlit-folium sends the view as soon as a map opens (its centre is not among the
    defaults), and that rerun raced with a checklist field being saved in the browser test.
    The map's first view is recorded as already sent; a pan or zoom still reports.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var g = window.__GLOBAL_DATA__;
            if (!g) { return; }
            g.previous_data = {last_active_drawing: null, bounds: map.getBounds(),
                               zoom: map.getZoom(), center: map.getCenter()};
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "QuietStart"


def _bounds(bounds: object) -> list[float] | None:
    """``[west, south, east, north]`` of the bounds the browser reported, or None."""
    try:
        sw, ne = bounds["_southWest"], bounds["_northEast"]  # type: ignore[index]
        return [float(sw["lng"]), float(sw["lat"]), float(ne["lng"]), float(ne["lat"])]
    except (KeyError, TypeError, ValueError):
        return None


def _evidence_layers(
    fmap: folium.Map,
    layers: Layers,
    data_key: str,
    covered_min: float,
    on: dict[str, bool],
    sites: gpd.GeoDataFrame | None,
    lang: str,
) -> list[tuple[str, str]]:
    """Add the evidence layers switched on, and proposed sites; their legend entries."""
    legend: list[tuple[str, str]] = []
    if any(on.values()):
        with st.spinner(t("layers_loading", lang)):
            ev = evidence(data_key, float(covered_min), layers)
        if on["msme"] and ev.cells is not None:
            legend += map_layers.add_msme_density(
                fmap, None, None, None, cells=ev.cells, name_all=t("layer_msme", lang),
                name_uncovered=t("layer_msme_uncovered", lang),
            )  # fmt: skip
        if on["coverage"] and ev.coverage is not None:
            legend += map_layers.add_coverage(
                fmap, ev.coverage, covered_min=float(covered_min),
                name=t("layer_coverage", lang), show=True,
            )  # fmt: skip
        if on["speed"] and ev.speed is not None:
            legend += map_layers.add_speed_tiers(
                fmap, ev.speed, name=t("layer_speed", lang),
                labels=[t(f"speed_tier_{i}", lang) for i in range(1, 5)], show=True,
            )  # fmt: skip
        if on["towers"] and layers.towers is not None:
            legend += map_layers.add_towers(
                fmap, layers.towers, name=t("layer_towers", lang), show=True
            )
        if on["backbone"] and layers.backbone is not None:
            legend += map_layers.add_backbone(
                fmap, layers.backbone, name=t("layer_backbone", lang),
                pop_label=t("layer_pop", lang), show=True,
            )  # fmt: skip
    if sites is not None and len(sites):
        legend += map_layers.add_sites(
            fmap, sites, name=t("layer_sites", lang), tooltip=t("sites_tooltip", lang), lang=lang
        )
    return legend
