"""infra-gap Streamlit app: widgets, cached library calls and rendering only."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from infra_gap import maps
from infra_gap.config import GEO_CRS, LEVELS
from infra_gap.demo import load_demo
from infra_gap.errors import InfraGapError
from infra_gap.i18n import DEFAULT_LANG, LANGS, fmt_int, fmt_num, fmt_pct, t
from infra_gap.layers import Layers
from infra_gap.pipeline import PointFacts, indicator_table, place_and_cover
from infra_gap.presets import CUSTOM, PRESETS, preset_weights
from infra_gap.registry import INDICATORS
from infra_gap.scenario import (
    Scenario,
    ScenarioResult,
    compare_rankings,
    run_scenario,
    scenario_from_bytes,
    scenario_from_toml,
    scenario_to_toml,
)
from infra_gap.scoring import NORMALISATIONS, normalised_weights
from infra_gap.stability import MAX_DRAWS, StabilityParams
from infra_gap.views import (
    TOOLTIP_COLUMNS,
    compare_view,
    contribution_view,
    indicator_label,
    map_frame,
    rank_range,
    ranked_export,
    reason,
    table_view,
)

ROOT = Path(__file__).parent
DATA_DIR = Path(os.environ.get("INFRA_GAP_DATA", ROOT / "data"))
CACHE_DIR = Path(os.environ.get("INFRA_GAP_CACHE", ROOT / ".cache"))
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
PRESET_CHOICES = [*(k for k, p in PRESETS.items() if p.available), CUSTOM]


@st.cache_resource(show_spinner=False)
def demo_layers() -> Layers:
    """Static demo data, shared read-only by all sessions."""
    return load_demo(DATA_DIR, CACHE_DIR)


@st.cache_resource(show_spinner=False, max_entries=4)
def demo_facts(covered_min: float) -> PointFacts:
    """Point placement and coverage: done once per threshold, serves every level."""
    return place_and_cover(demo_layers(), covered_min=covered_min)


@st.cache_resource(show_spinner=False, max_entries=12)
def indicators(level: str, covered_min: float) -> pd.DataFrame:
    """Indicator table of one level (read-only: scoring copies it)."""
    return indicator_table(demo_layers(), demo_facts(covered_min), level=level)


@st.cache_resource(show_spinner=False, max_entries=32)
def scenario_run(text: str) -> ScenarioResult:
    """Ranking, stability and tiers of a scenario, keyed by its TOML text."""
    scenario = scenario_from_toml(text)
    return run_scenario(indicators(scenario.level, scenario.covered_min), scenario)


@st.cache_resource(show_spinner=False)
def display_areas(level: str) -> gpd.GeoDataFrame:
    """Simplified display geometry per level (analysis keeps the full geometry)."""
    areas = demo_layers().areas[level]
    shown = areas[["kode", "nama"]].copy()
    tolerance = 150.0 if level == "desa" else 50.0  # keeps the desa map payload small
    geometry = maps.display_geometry(areas, tolerance_m=tolerance)
    return gpd.GeoDataFrame(shown, geometry=geometry).to_crs(GEO_CRS)


def _state_from(scenario: Scenario) -> dict[str, object]:
    s = scenario.stability
    weights = dict(scenario.weights)
    if max(weights.values()) > 1:  # sliders end at 1: re-scale, which changes no ranking
        weights = normalised_weights(weights)
    return {
        "level": scenario.level,
        "preset": scenario.preset if scenario.preset in PRESET_CHOICES else CUSTOM,
        "method": scenario.normalisation,
        "covered_min": float(scenario.covered_min),
        "top_n": s.top_n,
        "draws": s.draws,
        "concentration": float(s.concentration),
        "seed": s.seed,
        "scenario_name": scenario.name,
    } | {f"w_{k}": float(weights.get(k, 0.0)) for k in INDICATORS}


# Choices shown through a language's labels (level, preset, normalisation) keep their value
# under a plain key; each language has its own widget key (`level_id`, `level_en`), because a
# select widget remembers the label it showed, and the labels change with the language.
def _sync(name: str, lang: str) -> None:
    st.session_state[name] = st.session_state[f"{name}_{lang}"]


def _forget(*names: str) -> None:
    """Drop the widgets of choices set in code, so they show the new value."""
    for name in names:
        for code in LANGS:
            st.session_state.pop(f"{name}_{code}", None)


def _apply_preset(lang: str) -> None:
    _sync("preset", lang)
    key = st.session_state["preset"]
    if key != CUSTOM:
        weights = preset_weights(key)
        for name in INDICATORS:
            st.session_state[f"w_{name}"] = float(weights.get(name, 0.0))


def _mark_picked(key: str) -> None:
    st.session_state[f"{key}_picked"] = True


def _to_custom() -> None:
    if st.session_state["preset"] != CUSTOM:
        st.session_state["preset"] = CUSTOM
        _forget("preset")


def _load_scenario() -> None:
    upload = st.session_state.get("scenario_file")
    if upload is None:
        return
    try:
        loaded = scenario_from_bytes(upload.getvalue())
    except InfraGapError as err:
        ui_lang = st.session_state.get("lang", DEFAULT_LANG)
        st.session_state["scenario_error"] = f"{t('error', ui_lang)} [{err.code}]: {err}"
        return
    st.session_state.update(_state_from(loaded))
    _forget("level", "preset", "method")
    st.session_state["scenario_loaded"] = loaded.name or upload.name


st.set_page_config(page_title="infra-gap", layout="wide")
if "preset" not in st.session_state:  # a new session starts on the default scenario
    st.session_state.update(_state_from(Scenario()))
# A slider that was not shown in the last run lost its state: it gets the preset's weight.
_preset_w = (
    {} if st.session_state["preset"] == CUSTOM else preset_weights(st.session_state["preset"])
)
for _name in INDICATORS:
    st.session_state.setdefault(f"w_{_name}", float(_preset_w.get(_name, 0.0)))

with st.sidebar:
    lang = st.radio(
        "Bahasa / Language",
        LANGS,
        index=LANGS.index(DEFAULT_LANG),
        format_func=LANG_NAMES.__getitem__,
        key="lang",
        horizontal=True,
    )
    level = st.selectbox(
        t("level", lang),
        LEVELS,
        index=LEVELS.index(st.session_state["level"]),
        format_func=lambda lv: t(f"level_{lv}", lang),
        key=f"level_{lang}",
        on_change=_sync,
        args=("level", lang),
    )
    with st.expander(t("advanced", lang)):
        method = st.radio(
            t("normalisation", lang),
            NORMALISATIONS,
            index=NORMALISATIONS.index(st.session_state["method"]),
            format_func=lambda m: t(f"norm_{m}", lang),
            key=f"method_{lang}",
            on_change=_sync,
            args=("method", lang),
        )
        covered_min = st.number_input(
            t("covered_min", lang), help=t("covered_min_help", lang), key="covered_min"
        )
    preset = st.selectbox(
        t("preset", lang),
        PRESET_CHOICES,
        index=PRESET_CHOICES.index(st.session_state["preset"]),
        format_func=lambda k: t(f"preset_{k}", lang),
        key=f"preset_{lang}",
        on_change=_apply_preset,
        args=(lang,),
    )
    st.caption(t(f"preset_{preset}_why", lang))
    for p in PRESETS.values():
        if not p.available:
            st.button(
                t("preset_unavailable", lang).format(name=t(f"preset_{p.key}", lang)),
                disabled=True,
                help=t(f"preset_{p.key}_why", lang),
                key=f"preset_na_{p.key}",
            )
            st.caption(t(f"preset_needs_{p.needs}", lang))
    with st.spinner(t("loading", lang)):
        table = indicators(level, float(covered_min))
    shown = [n for n in INDICATORS if n in table.columns or st.session_state.get(f"w_{n}", 0.0)]
    active = [n for n in shown if st.session_state.get(f"w_{n}", 0.0)]
    weights = {}
    for names, label, expanded in (
        (active, "weights", True),
        ([n for n in shown if n not in active], "weights_other", False),
    ):
        with st.expander(t(label, lang), expanded=expanded):
            if expanded:
                st.caption(t("weights_help", lang))
            for name in names:
                weights[name] = st.slider(
                    indicator_label(name, lang),
                    0.0,
                    1.0,
                    step=0.05,
                    key=f"w_{name}",
                    on_change=_to_custom,
                    disabled=name not in table.columns,
                    help=None if name in table.columns else t("weight_absent", lang),
                )
    with st.expander(t("stability", lang)):
        top_n = st.number_input(t("top_n", lang), min_value=1, step=1, key="top_n")
        draws = st.number_input(
            t("draws", lang),
            min_value=0,
            max_value=MAX_DRAWS,
            step=100,
            help=t("draws_help", lang),
            key="draws",
        )
        concentration = st.number_input(
            t("concentration", lang), help=t("concentration_help", lang), key="concentration"
        )
        seed = st.number_input(t("seed", lang), min_value=0, step=1, key="seed")

st.title(t("app_title", lang))
st.caption(t("app_caption", lang))
st.markdown(
    "<style>h1 {font-size: 1.9rem !important; padding-top: 0 !important;}"
    ' .block-container, [data-testid="stMainBlockContainer"] {padding-top: 3.4rem !important;}'
    "</style>",
    unsafe_allow_html=True,
)

layers = demo_layers()
facts = demo_facts(float(covered_min))
if layers.synthetic:
    st.warning(t("synthetic_banner", lang), icon="\u26a0\ufe0f")

try:
    scenario = Scenario(
        level=level,
        preset=preset,
        weights=weights,
        normalisation=method,
        covered_min=float(covered_min),
        stability=StabilityParams(
            top_n=int(top_n), draws=int(draws), concentration=float(concentration), seed=int(seed)
        ),
        name=st.session_state.get("scenario_name", ""),
    )
    result = scenario_run(scenario_to_toml(replace(scenario, name="")))
except InfraGapError as err:
    st.error(f"{t('error', lang)} [{err.code}]: {err}")
    st.stop()
ranked = result.ranked
if result.dropped:
    names = ", ".join(indicator_label(k, lang) for k in result.dropped)
    st.warning(t("dropped_warning", lang).format(names=names))

left, right = st.columns([5, 4])
with left:
    st.subheader(t("map", lang))
    frame = map_frame(display_areas(level), ranked, lang)
    fmap = maps.priority_choropleth(
        frame,
        value_col="score",
        tooltip_fields=[(col, t(key, lang).format(n=top_n)) for col, key in TOOLTIP_COLUMNS],
        legend_title=t("legend_score", lang),
        layer_name=t("layer_priority", lang),
        tick_format=lambda v: fmt_num(v, lang, decimals=1),
        nodata_label=t("no_data", lang),
    )
    st_folium(fmap, returned_objects=[], height=560, use_container_width=True, key=f"map_{level}")
with right:
    st.subheader(t("table", lang))
    top_col = t("col_top_share", lang).format(n=top_n)
    st.dataframe(
        table_view(ranked, lang, top_n=int(top_n), weighted=result.weights),
        hide_index=True,
        height=470,
        key="ranked_table",
        column_config={
            top_col: st.column_config.ProgressColumn(top_col, format="%.0f%%", max_value=100)
        },
    )
    st.caption(t("tier_rule", lang).format(n=top_n))
    st.download_button(
        t("download_csv", lang),
        lambda: ranked_export(ranked, lang, synthetic=layers.synthetic),
        file_name=f"infra-gap-{level}.csv",
        mime="text/csv",
        key="download_csv",
    )

total, uncovered = int(ranked["msme_total"].sum()), int(ranked["msme_uncovered"].sum())
c1, c2, c3 = st.columns(3)
c1.metric(t("metric_msme", lang), fmt_int(total, lang))
c2.metric(t("metric_uncovered", lang), fmt_int(uncovered, lang))
c3.metric(t("metric_share", lang), fmt_pct(uncovered / total if total else float("nan"), lang))
acc = facts.account
st.caption(
    t("rows_line", lang).format(
        read=fmt_int(acc.read, lang),
        used=fmt_int(acc.used, lang),
        rejected=fmt_int(acc.rejected, lang),
    )
    + " "
    + t("placement_rule", lang)
)

st.subheader(t("why_title", lang))
# Labels carry no rank, so the chosen area stays chosen when the weights reorder the list.
labels = {k: f"{n} ({k})" for k, n in zip(ranked["kode"], ranked["nama"], strict=True)}
why_key = f"why_{level}"
if not st.session_state.get(f"{why_key}_picked"):  # follow rank 1 until the user picks
    st.session_state[why_key] = ranked["kode"].iloc[0]
why_left, why_right = st.columns([2, 3])
with why_left:
    pick = st.selectbox(
        t("why_pick", lang),
        list(labels),
        format_func=labels.get,
        key=why_key,
        on_change=_mark_picked,
        args=(why_key,),
    )
    row = ranked.set_index("kode").loc[pick]
    st.markdown(f"**{reason(row, lang)}**")
    m1, m2, m3 = st.columns(3)
    m1.metric(t("col_tier", lang), fmt_int(row["tier"], lang))
    m2.metric(t("col_rank_range", lang), rank_range(row["rank_low"], row["rank_high"], lang))
    m3.metric(
        t("metric_top_share", lang).format(n=top_n),
        fmt_pct(row["top_n_share"], lang, decimals=0),
        help=t("col_top_share", lang).format(n=top_n),
    )
with why_right:
    contrib_col = t("col_contribution", lang)
    st.dataframe(
        contribution_view(row, result.weights, lang),
        hide_index=True,
        key="why_contrib",
        column_config={
            contrib_col: st.column_config.ProgressColumn(
                contrib_col, format="%.3f", min_value=0.0, max_value=max(float(row["score"]), 1e-9)
            ),
            t("col_weight", lang): st.column_config.NumberColumn(format="%.2f"),
        },
    )

st.subheader(t("scenario", lang))
save_col, load_col, compare_col = st.columns(3)
with save_col:
    st.text_input(t("scenario_name", lang), key="scenario_name")
    st.download_button(
        t("scenario_save", lang),
        scenario_to_toml(scenario),
        file_name=f"infra-gap-scenario-{level}.toml",
        mime="application/toml",
        key="download_scenario",
    )
    with st.expander(t("scenario_show", lang)):
        st.code(scenario_to_toml(scenario), language="toml")
with load_col:
    st.file_uploader(
        t("scenario_load", lang),
        type=["toml"],
        max_upload_size=1,
        key="scenario_file",
        on_change=_load_scenario,
    )
    if "scenario_error" in st.session_state:
        st.error(st.session_state.pop("scenario_error"))
    elif "scenario_loaded" in st.session_state:
        st.success(t("scenario_loaded", lang).format(name=st.session_state.pop("scenario_loaded")))
with compare_col:
    other_file = st.file_uploader(
        t("scenario_compare", lang), type=["toml"], max_upload_size=1, key="compare_file"
    )
if other_file is not None:
    try:
        other = scenario_from_bytes(other_file.getvalue())
        compared = compare_rankings(
            scenario_run(scenario_to_toml(replace(other, name=""))).ranked, ranked, top=int(top_n)
        )
    except InfraGapError as err:
        st.error(f"{t('error', lang)} [{err.code}]: {err}")
    else:
        name = other.name or other_file.name
        st.caption(t("compare_title", lang).format(name=name, n=top_n))
        st.dataframe(compare_view(compared, lang), hide_index=True, key="compare_table")

with st.expander(t("sources", lang)):
    for s in layers.sources:
        kind = t("synthetic_yes" if s.synthetic else "synthetic_no", lang)
        st.markdown(f"- **{s.layer}** ({kind}): {s.origin}; {s.licence}; {s.vintage}")
