"""infra-gap Streamlit app: widgets, cached library calls and rendering only."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from infra_gap import map_layers, maps
from infra_gap.cli_export import FORMATS, export_bytes, meta_for
from infra_gap.config import LEVELS
from infra_gap.costs import cost_table, fmt_idr
from infra_gap.dossier import CHECKLIST_FIELDS
from infra_gap.eligibility import with_eligibility
from infra_gap.errors import InfraGapError
from infra_gap.export import rejected_csv, rejected_rows, row_accounts, sites_csv
from infra_gap.hardening import check_environment, safe_label
from infra_gap.i18n import DEFAULT_LANG, LANGS, fmt_int, fmt_num, fmt_pct, t
from infra_gap.inputs import InputPaths
from infra_gap.layers import Layers
from infra_gap.pipeline import PointFacts
from infra_gap.presets import CUSTOM, PRESETS, preset_weights
from infra_gap.registry import INDICATORS, SITING_INDICATORS, uses_siting
from infra_gap.scenario import (
    Scenario,
    compare_rankings,
    scenario_from_bytes,
    scenario_to_toml,
)
from infra_gap.scoring import NORMALISATIONS, normalised_weights
from infra_gap.siteplan import SitePlan
from infra_gap.siting import ReachParams
from infra_gap.stability import MAX_DRAWS
from infra_gap.uncertainty import correlation_warnings, cost_line
from infra_gap.views import (
    EVIDENCE_LAYERS,
    accounts_view,
    checklist_view,
    code_path,
    compare_view,
    contribution_view,
    indicator_label,
    indicator_view,
    map_frame,
    md_escape,
    rank_range,
    reason,
    rejected_view,
    search_areas,
)
from ui.cached import (
    FLAT_KM,
    area_names,
    boundary_measures,
    candidate_plots,
    demo_layers,
    display_areas,
    eligibility_rules,
    evidence,
    indicator_tip_texts,
    indicators,
    map_shapes,
    own_data,
    point_facts,
    province_map_bytes,
    ranked_csv_bytes,
    scenario_run,
    site_plan,
    siting,
)
from ui.common import (
    error_text,
    forget,
    index_of,
    priority_map,
    ranked_table,
    scenario_of,
    sync,
)
from ui.national_page import national_page, national_province, national_scale, national_table
from ui.outputs import excel_csv_button
from ui.provenance_panel import provenance_fields, sources_list, with_provenance

LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
PRESET_CHOICES = [*(k for k, p in PRESETS.items() if p.available), CUSTOM]
DEMO = "demo"
NATIONAL = "national"  # the synthetic national workload (issue #9)
SOURCES = (DEMO, NATIONAL)
MAP_BUDGET = 3_000_000  # bytes of map HTML at most; above it, desa one kabupaten at a time
UPLOADS = ("areas", "msme", "coverage", "towers", "speed_tiles", "backbone")
SITE_TABLE_COLUMNS = (
    "site_id", "kode_desa", "kode_kec", "lon", "lat", "msme_new", "capex_idr", "backhaul",
    "opex_idr_per_year", "island",
)  # fmt: skip


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


def _apply_preset(lang: str) -> None:
    sync("preset", lang)
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
        forget("preset")


def _load_scenario() -> None:
    upload = st.session_state.get("scenario_file")
    if upload is None:
        return
    try:
        loaded = scenario_from_bytes(upload.getvalue())
    except InfraGapError as err:
        ui_lang = st.session_state.get("lang", DEFAULT_LANG)
        st.session_state["scenario_error"] = error_text(err, ui_lang)
        return
    st.session_state.update(_state_from(loaded))
    forget("level", "preset", "method")
    st.session_state["scenario_loaded"] = loaded.name or upload.name


def _select(kode: str, level: str) -> None:
    """Select an area (map click, search): drill-down boxes, level and detail follow it.

    Runs in a callback or before any widget is made, so it may set widget state.
    """
    ss = st.session_state
    path = code_path(kode)
    for lv in ("kabupaten", "kecamatan", "desa"):
        ss[f"dd_{lv}"] = path.get(lv, "")
    forget("dd_kabupaten", "dd_kecamatan", "dd_desa")
    ss["level"] = level
    forget("level")
    ss[f"why_{level}"] = kode
    ss[f"why_{level}_picked"] = True


def _dd_changed(name: str, lang: str) -> None:
    """A drill-down box changed: clear the boxes below it; pick the area at its level."""
    ss = st.session_state
    sync(f"dd_{name}", lang)
    below = ("kabupaten", "kecamatan", "desa")
    for lv in below[below.index(name) + 1 :]:
        ss[f"dd_{lv}"] = ""
        forget(f"dd_{lv}")
    chosen = ss[f"dd_{name}"]
    if chosen and ss["level"] == name:
        ss[f"why_{name}"] = chosen
        ss[f"why_{name}_picked"] = True


def _search_picked(lang: str) -> None:
    # One widget per language: a select box remembers the label it showed, and after a
    # language switch it would hand back that label instead of "level:kode" (issue #19).
    picked = st.session_state.get(f"search_pick_{lang}") or ""
    level, _, kode = str(picked).partition(":")
    if kode and level in LEVELS:
        _select(kode, level)


def _search_label(value: str, names: dict[str, str], lang: str) -> str:
    if not value:
        return "\u2026"
    level, _, kode = value.partition(":")
    return f"{names.get(kode, '')} ({kode}) \u00b7 {t(f'level_{level}', lang)}"


def _drill(kode: str, level: str, child: str) -> None:
    """Select an area and show its children (kabupaten -> kecamatan -> desa)."""
    _select(kode, level)
    st.session_state["level"] = child
    forget("level")


def _store_checklist(kode: str, name: str) -> None:
    entries = st.session_state.setdefault("checklist", {})
    entries.setdefault(kode, {})[name] = st.session_state[f"ck_{name}_{kode}"]


def _reset_selection() -> None:
    ss = st.session_state
    for lv in LEVELS:
        ss[f"dd_{lv}"] = ""
        ss.pop(f"why_{lv}_picked", None)
        ss.pop(f"why_{lv}", None)
    forget("dd_kabupaten", "dd_kecamatan", "dd_desa")
    ss.pop("map_clicked", None)
    ss.pop("pending_select", None)


def _load_own(lang: str) -> None:
    """Read the uploaded files with the library (same checks and messages as the CLI)."""
    ss = st.session_state
    files = {k: ss.get(f"up_{k}") for k in UPLOADS}
    if files["areas"] is None or files["msme"] is None:
        ss["own_error"] = t("up_need", lang)
        return
    data = {k: f.getvalue() for k, f in files.items() if f is not None}
    options = {
        "areas_layer": ss.get("up_layer"),
        "id_col": ss.get("up_id_col"),
        "name_col": ss.get("up_name_col"),
        "lat_col": ss.get("up_lat"),
        "lon_col": ss.get("up_lon"),
    }
    options = {k: (v or "").strip() or None for k, v in options.items()}
    level = ss.get("up_level", "auto")
    nodata_text = (ss.get("up_nodata") or "").strip().replace(",", ".")
    try:
        nodata = float(nodata_text) if nodata_text else None
    except ValueError:
        ss["own_error"] = t("up_nodata_bad", lang)
        return
    digest = hashlib.sha256(f"{level}|{nodata}|{sorted(options.items())!r}".encode())
    for k in UPLOADS:
        digest.update(f"|{k}|{files[k].name if files[k] else ''}|".encode())
        digest.update(hashlib.sha256(data.get(k, b"")).digest())
    key = f"own-{digest.hexdigest()}"
    paths = InputPaths(
        areas=data["areas"],
        msme=data["msme"],
        level=level,
        coverage=data.get("coverage"),
        coverage_nodata=nodata,
        towers=data.get("towers"),
        speed_tiles=data.get("speed_tiles"),
        backbone=data.get("backbone"),
        names={k: f.name for k, f in files.items() if f is not None},
        **options,  # type: ignore[arg-type]
    )
    try:
        loaded = with_provenance(own_data(key, paths))
    except InfraGapError as err:
        ss["own_error"] = error_text(err, lang)
        return
    ss["own"] = {"key": key, "name": files["areas"].name, "loaded": loaded}
    _reset_selection()
    ss["level"] = loaded.level
    forget("level")


def _back_to_demo() -> None:
    st.session_state.pop("own", None)
    _reset_selection()
    st.session_state["level"] = Scenario().level
    forget("level")


def _data_quality(layers: Layers, facts: PointFacts | None, own: dict | None, lang: str) -> None:
    """The "Kualitas data" panel: rows read/placed/rejected per source, rejected rows,
    boundary repairs, overlaps and gaps."""
    data_key = own["key"] if own is not None else DEMO
    with st.expander(t("dq_title", lang), expanded=own is not None):
        if own is None:
            st.caption(t("dq_demo", lang))
        st.dataframe(
            accounts_view(row_accounts(layers, facts.accounts if facts else ()), lang),
            hide_index=True,
            key="dq_accounts",
        )
        if own is not None:
            report = own["loaded"].boundary
            pairs, overlap_km2, gap_km2 = boundary_measures(data_key, own["loaded"])
            st.caption(
                " \u00b7 ".join(
                    [
                        t("dq_repairs", lang).format(n=fmt_int(len(report.repairs), lang)),
                        t("dq_overlaps", lang).format(
                            n=fmt_int(pairs, lang), km2=fmt_num(overlap_km2, lang, decimals=2)
                        ),
                        t("dq_gaps", lang).format(km2=fmt_num(gap_km2, lang, decimals=2)),
                    ]
                )
            )
            if len(report.repairs):
                st.dataframe(report.repairs, hide_index=True, key="dq_repairs")
        rejected = rejected_rows(layers, facts.rejected if facts else None)
        st.caption(f"{t('dq_rejected_rows', lang)}: {fmt_int(len(rejected), lang)}")
        if len(rejected):
            st.dataframe(
                rejected_view(rejected.head(1000), lang), hide_index=True, key="dq_rejected"
            )
        st.download_button(
            t("dq_download", lang),
            rejected_csv(rejected),
            file_name=f"{safe_label(f'infra-gap-rejected-{data_key[:12]}')}.csv",
            mime="text/csv",
            key="download_rejected",
            on_click="ignore",
        )


st.set_page_config(page_title="infra-gap", layout="wide")
try:
    check_environment()
except InfraGapError as env_err:
    st.error(error_text(env_err, DEFAULT_LANG))
    st.stop()
ss = st.session_state
if "preset" not in ss:  # a new session starts on the default scenario
    ss.update(_state_from(Scenario()))
# A slider that was not shown in the last run lost its state: it gets the preset's weight.
_preset_w = {} if ss["preset"] == CUSTOM else preset_weights(ss["preset"])
for _name in INDICATORS:
    ss.setdefault(f"w_{_name}", float(_preset_w.get(_name, 0.0)))
for _lv in LEVELS:
    ss.setdefault(f"dd_{_lv}", "")
ss.setdefault("checklist", {})
for _key, _value in (
    ("sites_on", False), ("site_by_count", False), ("site_count", 20), ("site_budget_bn", 50),
    ("site_radius_km", FLAT_KM), ("site_hilly", ReachParams().terrain == "hilly"),
):  # fmt: skip
    ss.setdefault(_key, _value)
if "pending_select" in ss:  # a map click of the last run, applied before any widget exists
    _select(*ss.pop("pending_select"))
if "nat_pending" in ss:  # a national workload just made: chosen before the scale box exists
    ss["nat_scale"] = ss.pop("nat_pending")
    forget("nat_scale")

national = ss.setdefault("source", DEMO) == NATIONAL
own = None if national else ss.get("own")
if own is not None:
    data_key, layers = own["key"], own["loaded"].layers
elif not national:  # a national run never loads the demo
    data_key, layers = DEMO, demo_layers()
levels = list(LEVELS) if national else [lv for lv in LEVELS if lv in layers.areas]
if ss["level"] not in levels:
    ss["level"] = levels[-1]
    forget("level")

with st.sidebar:
    lang = st.radio(
        "Bahasa / Language",
        LANGS,
        index=LANGS.index(DEFAULT_LANG),
        format_func=LANG_NAMES.__getitem__,
        key="lang",
        horizontal=True,
    )
    st.radio(
        t("source", lang),
        SOURCES,
        index=index_of("source", lang, SOURCES),
        format_func=lambda src: t(f"source_{src}", lang),
        key=f"source_{lang}",
        on_change=sync,
        args=("source", lang),
    )
    nat_chosen = national_scale(lang) if national else None
    level = st.selectbox(
        t("level", lang),
        levels,
        index=index_of("level", lang, levels),
        format_func=lambda lv: t(f"level_{lv}", lang),
        key=f"level_{lang}",
        on_change=sync,
        args=("level", lang),
    )
    nat_province = national_province(nat_chosen[1], lang) if nat_chosen is not None else ""
    with st.expander(t("advanced", lang)):
        method = st.radio(
            t("normalisation", lang),
            NORMALISATIONS,
            index=index_of("method", lang, NORMALISATIONS),
            format_func=lambda m: t(f"norm_{m}", lang),
            key=f"method_{lang}",
            on_change=sync,
            args=("method", lang),
        )
        covered_min = st.number_input(
            t("covered_min", lang), help=t("covered_min_help", lang), key="covered_min"
        )
    preset = st.selectbox(
        t("preset", lang),
        PRESET_CHOICES,
        index=index_of("preset", lang, PRESET_CHOICES),
        format_func=lambda k: t(f"preset_{k}", lang),
        key=f"preset_{lang}",
        on_change=_apply_preset,
        args=(lang,),
    )
    st.caption(t(f"preset_{preset}_why", lang))
    if preset in PRESETS and PRESETS[preset].needs:
        st.caption(t(f"preset_needs_{PRESETS[preset].needs}", lang))
    for p in PRESETS.values():
        if not p.available:
            st.button(
                t("preset_unavailable", lang).format(name=t(f"preset_{p.key}", lang)),
                disabled=True,
                help=t(f"preset_{p.key}_why", lang),
                key=f"preset_na_{p.key}",
            )
            st.caption(t(f"preset_needs_{p.needs}", lang))
    data_error: InfraGapError | None = None
    try:
        if national:
            table = national_table(nat_chosen, level, nat_province, float(covered_min), lang)
        else:
            with st.spinner(t("loading", lang)):
                table = indicators(data_key, level, float(covered_min), layers)
    except InfraGapError as err:  # own data the pipeline cannot use: said below
        data_error, table = err, pd.DataFrame()
    siting_ok = not national and len(table) > 0  # a national run keeps no points to site
    computable = set(table.columns) | (set(SITING_INDICATORS) if siting_ok else set())
    shown = [n for n in INDICATORS if n in computable or ss.get(f"w_{n}", 0.0)]
    active = [n for n in shown if ss.get(f"w_{n}", 0.0)]
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
                    # A value given saves Streamlit a scan of the session state per slider;
                    # the state (from a preset or the slider) still wins over it.
                    value=float(ss.get(f"w_{name}", 0.0)),
                    step=0.05,
                    key=f"w_{name}",
                    on_change=_to_custom,
                    disabled=name not in computable,
                    help=None if name in computable else t("weight_absent", lang),
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
choices: dict[str, object] = {
    "level": level, "preset": preset, "weights": weights, "method": method,
    "covered_min": float(covered_min), "top_n": int(top_n), "draws": int(draws),
    "concentration": float(concentration), "seed": int(seed),
}  # fmt: skip

st.title(t("nat_title" if national else "app_title", lang))
st.caption(t("nat_caption" if national else "app_caption", lang))
st.markdown(
    "<style>h1 {font-size: 1.9rem !important; padding-top: 0 !important;}"
    ' .block-container, [data-testid="stMainBlockContainer"] {padding-top: 3.4rem !important;}'
    "</style>",
    unsafe_allow_html=True,
)
if national:
    if data_error is not None:
        st.error(error_text(data_error, lang))
    else:
        national_page(nat_chosen, choices, nat_province, lang)
    st.stop()

with st.sidebar:
    available = {
        "msme": True,
        "coverage": layers.coverage is not None and hasattr(layers.coverage, "array"),
        "towers": layers.towers is not None and len(layers.towers) > 0,
        "speed": layers.speed_tiles is not None and len(layers.speed_tiles) > 0,
        "backbone": layers.backbone is not None and len(layers.backbone) > 0,
    }
    with st.expander(t("sites_title", lang), expanded=bool(ss["sites_on"])):
        sites_on = st.toggle(t("sites_on", lang), key="sites_on", help=t("sites_on_help", lang))
        by_count = st.toggle(t("sites_by_count", lang), key="site_by_count")
        if by_count:
            site_count = st.number_input(
                t("sites_count", lang), min_value=1, max_value=2000, step=1, key="site_count"
            )
        else:
            budget_bn = st.slider(t("sites_budget", lang), 5, 500, step=5, key="site_budget_bn")
        site_radius = st.slider(
            t("sites_radius", lang), 2.0, 15.0, step=0.5, key="site_radius_km",
            help=t("sites_radius_help", lang),
        )  # fmt: skip
        site_terrain = "hilly" if st.toggle(t("sites_hilly", lang), key="site_hilly") else "flat"
        plots_file = st.file_uploader(
            t("sites_plots", lang), type=["geojson", "gpkg", "zip", "parquet"], key="site_plots",
            help=t("sites_plots_help", lang),
        )  # fmt: skip
        only_plots = plots_file is not None and st.toggle(
            t("sites_only_plots", lang), key="site_only_plots"
        )
    with st.expander(t("layers_title", lang)):
        on = {}
        for name in EVIDENCE_LAYERS:
            shown_on = st.toggle(
                t(f"layer_{name}", lang), key=f"lyr_{name}", disabled=not available[name]
            )
            on[name] = shown_on and available[name]
    with st.expander(t("own_data", lang), expanded=own is not None):
        st.caption(t("own_help", lang))
        st.file_uploader(
            t("up_areas", lang),
            type=["geojson", "json", "gpkg", "zip", "parquet"],
            key="up_areas",
        )
        ss.setdefault("up_level", "auto")
        st.selectbox(
            t("up_level", lang),
            ("auto", *LEVELS),
            index=index_of("up_level", lang, ("auto", *LEVELS)),
            format_func=lambda lv: t(f"level_{lv}", lang),
            key=f"up_level_{lang}",
            on_change=sync,
            args=("up_level", lang),
        )
        lc1, lc2, lc3 = st.columns(3)
        lc1.text_input(t("up_layer", lang), key="up_layer")
        lc2.text_input(t("up_id_col", lang), key="up_id_col")
        lc3.text_input(t("up_name_col", lang), key="up_name_col")
        st.file_uploader(
            t("up_msme", lang), type=["csv", "txt", "xlsx", "parquet", "gpkg", "geojson"],
            key="up_msme",
        )  # fmt: skip
        mc1, mc2 = st.columns(2)
        mc1.text_input(t("up_lat", lang), key="up_lat")
        mc2.text_input(t("up_lon", lang), key="up_lon")
        st.file_uploader(t("up_coverage", lang), type=["tif", "tiff"], key="up_coverage")
        st.text_input(t("up_nodata", lang), key="up_nodata")
        st.file_uploader(t("up_towers", lang), type=["csv", "gz", "parquet"], key="up_towers")
        st.file_uploader(
            t("up_speed", lang), type=["parquet", "csv", "zip", "gpkg"], key="up_speed_tiles"
        )
        st.file_uploader(
            t("up_backbone", lang), type=["geojson", "json", "gpkg", "zip", "parquet"],
            key="up_backbone",
        )  # fmt: skip
        provenance_fields(lang)
        st.button(t("up_run", lang), key="up_run", on_click=_load_own, args=(lang,))
        if "own_error" in ss:
            st.error(ss.pop("own_error"))
        if own is not None:
            st.caption(t("own_in_use", lang).format(name=md_escape(own["name"])))
            for note in own["loaded"].notes:
                shown = st.warning if note.startswith("warning:") else st.caption
                shown(md_escape(note))
            st.button(t("back_to_demo", lang), key="back_to_demo", on_click=_back_to_demo)

if data_error is not None:
    st.error(error_text(data_error, lang))
    _data_quality(layers, None, own, lang)
    st.stop()
facts = point_facts(data_key, float(covered_min), layers)  # cached by the indicators above
if layers.synthetic:
    st.warning(t("synthetic_banner", lang), icon="\u26a0\ufe0f")

try:
    scenario = scenario_of(**choices)
    with st.spinner(t("efficiency_loading" if uses_siting(weights) else "loading", lang)):
        scenario_text = scenario_to_toml(replace(scenario, name=""))
        result = scenario_run(data_key, scenario_text, layers)
except InfraGapError as err:
    st.error(error_text(err, lang))
    st.stop()
ranked = result.ranked.copy(deep=False)  # the cached result is shared by every session
ranked = with_eligibility(ranked, eligibility_rules(), lang=lang)  # a new frame
plan: SitePlan | None = None
plots, plots_key = None, ""
if sites_on:
    try:
        if plots_file is not None:
            plot_bytes = plots_file.getvalue()
            plots_key = hashlib.sha256(plots_file.name.encode() + b"\0" + plot_bytes).hexdigest()
            plots = candidate_plots(plots_key, plots_file.name, plot_bytes)
        with st.spinner(t("sites_running", lang)):
            plan = site_plan(
                data_key, float(covered_min), float(site_radius), site_terrain,
                None if by_count else float(budget_bn) * 1e9,
                int(site_count) if by_count else None, layers, plots_key, bool(only_plots),
                plots,
            )  # fmt: skip
    except InfraGapError as err:
        st.error(error_text(err, lang))
sites = plan.sites if plan is not None else None
if result.dropped:
    names = ", ".join(indicator_label(k, lang) for k in result.dropped)
    st.warning(t("dropped_warning", lang).format(names=names))
for warning in correlation_warnings(
    result.correlated, lang, labels={k: indicator_label(k, lang) for k in result.weights}
):
    st.warning(warning)
st.caption(cost_line(result.scenario.stability.as_meta(), result.stability_seconds, lang))

# Drill-down: kabupaten -> kecamatan -> desa boxes (areas with Kemendagri codes), and search.
names_by_code = area_names(data_key, tuple(levels), layers)
hierarchy = bool(code_path(str(ranked["kode"].iloc[0])))
dd_levels = [lv for lv in ("kabupaten", "kecamatan", "desa") if lv in levels] if hierarchy else []
dd_levels = dd_levels[: dd_levels.index(level) + 1] if level in dd_levels else []
# Several kabupaten at once ("Nias and Nias Selatan"), when no single one is drilled into.
several = level != "kabupaten" and len(dd_levels) > 1 and not ss["dd_kabupaten"]
drill_cols = st.columns([2, 4, 3] if several else [*([2] * len(dd_levels)), 3])
parent = ""
for col, lv in zip(drill_cols, dd_levels, strict=False):
    codes = layers.areas[lv]["kode"].astype("str")
    if parent:
        codes = codes[codes.str.startswith(parent + ".")]
    options = ["", *codes.tolist()]
    if ss[f"dd_{lv}"] not in options:
        ss[f"dd_{lv}"] = ""
        forget(f"dd_{lv}")
    with col:
        chosen_code = st.selectbox(
            t(f"dd_{lv}", lang),
            options,
            index=index_of(f"dd_{lv}", lang, options),
            format_func=lambda k: f"{names_by_code.get(k, k)} ({k})" if k else t("dd_all", lang),
            key=f"dd_{lv}_{lang}",
            on_change=_dd_changed,
            args=(lv, lang),
        )
    parent = chosen_code or ""
    if not parent:
        break
with drill_cols[-1]:
    query = st.text_input(t("search", lang), key="search")
    if query:
        found = search_areas({lv: layers.areas[lv] for lv in levels}, query)
        if found:
            st.selectbox(
                t("search_pick", lang),
                ["", *(f"{lv}:{k}" for lv, k, _ in found)],
                format_func=lambda v: _search_label(v, names_by_code, lang),
                key=f"search_pick_{lang}",
                on_change=_search_picked,
                args=(lang,),
            )
        else:
            st.caption(t("search_none", lang))

prefix = ""
if level == "kecamatan":
    prefix = ss["dd_kabupaten"]
elif level == "desa":
    prefix = ss["dd_kecamatan"] or ss["dd_kabupaten"]
kab_codes: list[str] = []
if several:
    kab_options = layers.areas["kabupaten"]["kode"].astype("str").tolist()
    kept = [k for k in ss.get("kab_filter", []) if k in kab_options]
    if kept != ss.get("kab_filter", []):
        ss["kab_filter"] = kept  # another data set: codes it lacks are dropped
    with drill_cols[1]:
        kab_codes = st.multiselect(
            t("kab_filter", lang),
            kab_options,
            format_func=lambda k: f"{names_by_code.get(k, k)} ({k})",
            key="kab_filter",
            help=t("kab_filter_help", lang),
            placeholder=t("dd_all", lang),
        )
if prefix:
    shown_ranked = ranked[ranked["kode"].str.startswith(prefix + ".")]
    shown_names = names_by_code.get(prefix, prefix)
elif kab_codes:
    kab_of = ranked["kode"].str.split(".", n=2).str[:2].str.join(".")
    shown_ranked = ranked[kab_of.isin(kab_codes)]
    shown_names = ", ".join(names_by_code.get(k, k) for k in kab_codes)
else:
    shown_ranked = ranked
# Only BAKTI-eligible areas (3T or priority location, with a blank spot): on by default for
# the BAKTI preset, remembered per preset; ineligible areas keep their rank when shown.
if st.toggle(
    t("elig_only", lang),
    value=preset == "siap_usul_bakti",
    key=f"elig_only_{preset}",
    help=t("elig_only_help", lang),
):
    if shown_ranked["eligible"].any():
        shown_ranked = shown_ranked[shown_ranked["eligible"]]
    else:
        st.caption(t("elig_none", lang))
if (prefix or kab_codes) and shown_ranked.empty:  # e.g. own data without such areas
    st.warning(t("filter_empty", lang).format(nama=md_escape(shown_names)))
    prefix, kab_codes, shown_ranked = "", [], ranked
elif prefix or kab_codes:
    st.caption(
        t("filtered", lang).format(n=fmt_int(len(shown_ranked), lang), nama=md_escape(shown_names))
    )

# The detail area: picked in the detail box, on the map, in the drill-down or by search.
why_key = f"why_{level}"
pick_options = shown_ranked["kode"].tolist()
if not ss.get(f"{why_key}_picked") or ss.get(why_key) not in pick_options:
    ss[why_key] = pick_options[0]  # follow rank 1 (of the filtered list) until the user picks
pick = ss[why_key]

left, right = st.columns([5, 4])
with left:
    st.subheader(t("map", lang))
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
    if too_big:
        mb = map_bytes / 1e6
        st.caption(
            t("desa_one_kab", lang).format(
                mb=fmt_num(mb, lang, decimals=1),
                nama=md_escape(names_by_code.get(map_prefix, map_prefix)),
            )
        )
    display = display_areas(data_key, level, layers)
    if map_prefix:
        display = display[display["kode"].str.startswith(map_prefix + ".")]
    elif kab_codes:
        display = display[display["kode"].isin(shown_ranked["kode"])]
    tips = indicator_tip_texts(data_key, level, float(covered_min), lang, layers)
    fmap = priority_map(
        map_frame(display, ranked, lang, tips=tips),
        map_shapes(data_key, level, map_prefix, layers), lang, top_n=int(top_n), pick=pick,
    )  # fmt: skip
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
    if legend:
        maps.add_legend(fmap, t("legend_layers", lang), legend)
    # Only a click (the clicked feature) is sent back: panning and zooming do not rerun.
    clicked_map = st_folium(
        fmap,
        returned_objects=["last_active_drawing"],
        height=480,
        use_container_width=True,
        key=f"map_{data_key[:16]}_{level}_{map_prefix}",
    )
    st.caption(t("map_hint", lang))
    drawing = (clicked_map or {}).get("last_active_drawing") or {}
    clicked = str((drawing.get("properties") or {}).get("kode") or "")
    if clicked and clicked != ss.get("map_clicked"):
        ss["map_clicked"] = clicked
        ss["pending_select"] = (clicked, level)
        st.rerun()
with right:
    st.subheader(t("table", lang))
    every = st.toggle(t("table_every_indicator", lang), key="table_every_indicator")
    ranked_table(
        shown_ranked, lang, top_n=int(top_n), weights=result.weights, key="ranked_table",
        every_indicator=every,
    )  # fmt: skip
    st.markdown(f"##### {t('downloads', lang)}")
    meta = meta_for(result)
    stem = safe_label(f"infra-gap-{level}-{ss.get('scenario_name', '')}")
    checklist = {k: dict(v) for k, v in ss["checklist"].items()}
    columns = st.columns(4)
    # Bytes are built only when clicked (deferred download): the GeoPackage takes seconds.
    for col, (ext, key, with_facts) in zip(
        columns[:3],
        ((".csv", "csv", False), (".xlsx", "xlsx", True), (".gpkg", "gpkg", True)),
        strict=True,
    ):
        made_on_click = lambda ext=ext, with_facts=with_facts: export_bytes(  # noqa: E731
            ranked,
            layers,
            fmt=ext,
            meta=meta,
            facts=facts if with_facts else None,
            lang=lang,
            sites=sites,
        )
        col.download_button(
            t(f"download_{key}", lang),
            ranked_csv_bytes(data_key, scenario_text, lang, layers)
            if ext == ".csv" and sites is None
            else made_on_click,
            file_name=f"{stem}{ext}",
            mime=FORMATS[ext],
            key=f"download_{key}",
            on_click="ignore",
        )
    columns[3].download_button(
        t("download_pdf_top", lang).format(n=int(top_n)),
        lambda: export_bytes(
            ranked,
            layers,
            fmt=".pdf",
            meta=meta,
            facts=facts,
            lang=lang,
            top=int(top_n),
            checklist=checklist,
            sites=sites,
        ),
        file_name=f"{stem}-top{int(top_n)}.pdf",
        mime=FORMATS[".pdf"],
        key="download_pdf",
        on_click="ignore",
    )
    excel_csv_button(ranked, layers, meta=meta, lang=lang, stem=stem)

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

st.subheader(t("sites_title", lang))
if plan is None:
    st.caption(t("sites_off", lang))
else:
    problem = siting(
        data_key, float(covered_min), float(site_radius), site_terrain, layers, plots_key,
        bool(only_plots), plots,
    )  # fmt: skip
    st.markdown(f"**{md_escape(plan.summary(lang, synthetic=layers.synthetic))}**")
    costs = problem.costs
    st.caption(
        t("sites_method", lang).format(
            candidates=fmt_int(len(problem.candidates), lang),
            demand=fmt_int(problem.msme_uncovered, lang),
            method=plan.method,
            capex=fmt_idr(costs.capex_idr[costs.site_class], lang),
            spent=fmt_idr(float(plan.sites["cost_idr"].sum()), lang),
        )
    )
    if not len(plan.sites):
        st.info(t("sites_none", lang))
    st.dataframe(
        plan.sites[list(SITE_TABLE_COLUMNS)].rename(
            columns={c: t(f"site_col_{c}", lang) for c in SITE_TABLE_COLUMNS}
        ),
        hide_index=True,
        key="sites_table",
    )
    st.download_button(
        t("download_sites_csv", lang),
        sites_csv(plan.sites, synthetic=layers.synthetic),
        file_name=f"{safe_label(f'infra-gap-sites-{data_key[:12]}')}.csv",
        mime="text/csv",
        key="download_sites",
        on_click="ignore",
    )
    st.caption(t("sites_in_exports", lang))
    with st.expander(t("sites_costs", lang)):
        figures = cost_table(costs).astype({"value": "str"})  # mixed numbers and names
        st.dataframe(figures, hide_index=True, key="sites_cost_table")

st.subheader(t("why_title", lang))
# Labels carry no rank, so the chosen area stays chosen when the weights reorder the list.
labels = {k: f"{n} ({k})" for k, n in zip(shown_ranked["kode"], shown_ranked["nama"], strict=True)}
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
    child = {"kabupaten": "kecamatan", "kecamatan": "desa"}.get(level)
    if hierarchy and child in levels:
        st.button(
            t("drill_down", lang).format(
                child=t(f"level_{child}", lang), nama=md_escape(str(row["nama"]))
            ),
            key="drill_down",
            on_click=_drill,
            args=(pick, level, child),
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
ind_col, ck_col = st.columns([3, 2])
with ind_col:
    st.markdown(f"##### {t('indicators_title', lang)}")
    st.dataframe(indicator_view(row, lang), hide_index=True, key="why_indicators", height=280)
with ck_col:
    st.markdown(f"##### {t('checklist_title', lang)}")
    stored = ss["checklist"].get(pick, {})
    for field in CHECKLIST_FIELDS:
        ck_key = f"ck_{field}_{pick}"
        if ck_key not in ss:
            ss[ck_key] = stored.get(field, "")
        st.text_input(
            t(f"ck_{field}", lang),
            key=ck_key,
            placeholder=t("ck_unfilled", lang),
            on_change=_store_checklist,
            args=(pick, field),
        )
    st.dataframe(
        checklist_view(ss["checklist"].get(pick, {}), CHECKLIST_FIELDS, lang),
        hide_index=True,
        key="why_checklist",
    )
    pick_checklist = {pick: dict(ss["checklist"].get(pick, {}))}
    dossier_name = safe_label(f"infra-gap-{pick}-{row['nama']}") + ".pdf"
    st.download_button(
        t("download_dossier", lang),
        lambda: export_bytes(
            ranked,
            layers,
            fmt=".pdf",
            meta=meta,
            facts=facts,
            lang=lang,
            codes=[pick],
            checklist=pick_checklist,
            sites=sites,
        ),
        file_name=dossier_name,
        mime=FORMATS[".pdf"],
        key="download_dossier",
        on_click="ignore",
    )

_data_quality(layers, facts, own, lang)

st.subheader(t("scenario", lang))
save_col, load_col, compare_col = st.columns(3)
with save_col:
    st.text_input(t("scenario_name", lang), key="scenario_name")
    st.download_button(
        t("scenario_save", lang),
        scenario_to_toml(scenario),
        file_name=f"{safe_label(f'infra-gap-scenario-{level}')}.toml",
        mime="application/toml",
        key="download_scenario",
        on_click="ignore",
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
    if "scenario_error" in ss:
        st.error(ss.pop("scenario_error"))
    elif "scenario_loaded" in ss:
        st.success(t("scenario_loaded", lang).format(name=md_escape(ss.pop("scenario_loaded"))))
with compare_col:
    other_file = st.file_uploader(
        t("scenario_compare", lang), type=["toml"], max_upload_size=1, key="compare_file"
    )
if other_file is not None:
    try:
        other = scenario_from_bytes(other_file.getvalue())
        compared = compare_rankings(
            scenario_run(data_key, scenario_to_toml(replace(other, name="")), layers).ranked,
            ranked,
            top=int(top_n),
        )
    except InfraGapError as err:
        st.error(error_text(err, lang))
    else:
        name = other.name or other_file.name
        st.caption(t("compare_title", lang).format(name=md_escape(name), n=top_n))
        st.dataframe(compare_view(compared, lang), hide_index=True, key="compare_table")

with st.expander(t("sources", lang)):
    sources_list(layers, lang)
