"""The province page (app_pages/province.py): the demo or own data, composed of the panels
in `infra_gap/app/ui/`."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from infra_gap.analysis.pipeline import PointFacts
from infra_gap.config import LEVELS
from infra_gap.errors import InfraGapError
from infra_gap.layers import Layers
from infra_gap.outputs.views import indicator_label, md_escape
from infra_gap.ranking.eligibility import ELIGIBILITY_COLUMNS, with_eligibility
from infra_gap.ranking.scenario import Scenario, ScenarioResult, scenario_to_toml
from infra_gap.ranking.uncertainty import correlation_warnings, cost_line
from infra_gap.registry import uses_siting
from infra_gap.siting.plan import SitePlan
from infra_gap.text.i18n import fmt_int, t
from infra_gap.workspace import Store

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import (
    candidate_plots,
    demo_layers,
    eligibility_rules,
    point_facts,
    scenario_run,
    scenario_scores,
    site_plan,
)
from infra_gap.app.ui.common import error_text, forget, msme_metrics, ranked_table, scenario_of
from infra_gap.app.ui.detail import detail_panel
from infra_gap.app.ui.downloads import downloads
from infra_gap.app.ui.filter import Selection, area_filter, sort_box, sorted_by
from infra_gap.app.ui.frame import frame
from infra_gap.app.ui.links import view_of, write_link
from infra_gap.app.ui.map_panel import map_panel
from infra_gap.app.ui.own_data import DEMO, data_quality, own_status
from infra_gap.app.ui.panels import scenario_panel, sites_panel, sources_panel
from infra_gap.app.ui.sidebar import Settings, Tools, settings, tools
from infra_gap.app.ui.warmup import warm_demo
from infra_gap.app.ui.workspace_ui import checklists, workspace_box


def province_page() -> None:
    """The province's ranking: the demo, or the user's own files once loaded."""
    fr = frame()
    lang, db = fr.lang, fr.db
    ss = st.session_state
    own = ss.get(K.OWN)
    # Text first: the title shows before the data loads (cold start, issue #19).
    st.title(t("app_title", lang))
    st.caption(t("app_caption", lang))
    data_key, layers, levels = _data(own, lang=lang)
    cfg = settings(national=False, levels=levels, data_key=data_key, layers=layers, lang=lang)
    tl = tools(layers, lang)
    with st.sidebar:
        own_status(own, lang)
    ws = workspace_box(db, lang)
    _demo_page(
        db=db, ws=ws, cfg=cfg, tl=tl, own=own, data_key=data_key, layers=layers, levels=levels
    )


def _demo_page(
    *, db: Store | None, ws: int | None, cfg: Settings, tl: Tools, own: dict[str, Any] | None,
    data_key: str, layers: Layers, levels: list[str],
) -> None:  # fmt: skip
    """The demo or own-data page below the title."""
    ss = st.session_state
    lang, level, top_n, covered_min = cfg.lang, cfg.level, int(cfg.top_n), float(cfg.covered_min)
    if cfg.data_error is not None:
        st.error(error_text(cfg.data_error, lang))
        data_quality(layers, None, own, lang)
        st.stop()
    facts = point_facts(data_key, covered_min, layers)  # cached by the indicators above
    if layers.synthetic:
        st.warning(t("synthetic_banner", lang), icon="\u26a0\ufe0f")

    scenario, scenario_text, scores = _scores(cfg, data_key, layers)
    # The map first: its colours need the scores alone, so they reach the browser before the
    # stability draws run (a weight change repaints the map sooner, issue #20). The draws'
    # notes are written above the filter once they are done.
    quick = with_eligibility(scores, eligibility_rules(), lang=lang)  # a new frame
    plan, plots, plots_key = _site_plan(tl, data_key, covered_min, layers, lang)
    sites = plan.sites if plan is not None else None
    notes = st.container()

    sel = area_filter(quick, layers, levels, level, data_key, lang, preset=cfg.preset)
    pick = _pick(sel, level)

    _headline(sel, lang)
    left, right = st.columns([5, 4])
    with left:
        map_panel(
            ranked=quick, sel=sel, layers=layers, data_key=data_key,
            scenario_text=scenario_text, level=level,
            covered_min=covered_min, top_n=top_n, pick=pick, on=tl.on, sites=sites, lang=lang,
        )  # fmt: skip
    checklist = checklists(db, ws)  # a read of the workspace: after the map's colours are sent
    ss[K.CHECKLIST] = checklist

    try:
        with right, st.spinner(t("loading", lang)):
            result = scenario_run(data_key, scenario_text, layers)
    except InfraGapError as err:
        st.error(error_text(err, lang))
        st.stop()
    ranked = _eligible_as(result.ranked, quick, lang)  # a new frame: the cached one is shared
    sel = replace(sel, shown=ranked.loc[sel.shown.index])  # the same rows, with the draws'
    with notes:
        _notes(result, lang)
    with right:
        _table(
            ranked=ranked, sel=sel, result=result, layers=layers, facts=facts, sites=sites,
            checklist=checklist, data_key=data_key, scenario_text=scenario_text, level=level,
            top_n=top_n, lang=lang,
        )  # fmt: skip

    _rows_line(facts, lang)
    sites_panel(plan, layers, data_key, covered_min, tl, plots_key, plots, lang)
    pick = detail_panel(
        ranked=ranked, sel=sel, result=result, layers=layers, facts=facts, sites=sites, level=level,
        levels=levels, top_n=top_n, db=db, ws=ws, checklist=checklist, lang=lang,
    )  # fmt: skip
    data_quality(layers, facts, own, lang)
    scenario_panel(scenario, ranked, layers, data_key, level, top_n, db, ws, lang)
    sources_panel(layers.sources, lang)
    write_link(
        view_of(level=level, preset=cfg.preset, weights=cfg.weights, sel=sel, pick=pick),
        lang=lang, db=db, ws=ws,
    )  # fmt: skip
    if data_key == DEMO:  # the page is drawn: build the demo's other levels meanwhile
        warm_demo(layers, first=level)


def _eligible_as(ranked: pd.DataFrame, quick: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`ranked` (the draws' result) with the eligibility found for the same rows in `quick`
    (eligibility depends on the area and its need, not on the draws)."""
    if not ranked.index.equals(quick.index):  # never seen: the draws keep the scores' rows
        return with_eligibility(ranked, eligibility_rules(), lang=lang)
    return ranked.assign(**{c: quick[c].to_numpy() for c in ELIGIBILITY_COLUMNS})


def _scores(cfg: Settings, data_key: str, layers: Layers) -> tuple[Scenario, str, pd.DataFrame]:
    """The scenario of the sidebar's choices, its TOML text and its scores (without the
    stability draws); an error is said in the page, which stops there."""
    lang = cfg.lang
    try:
        scenario = scenario_of(**cfg.choices())
        with st.spinner(t("efficiency_loading" if uses_siting(cfg.weights) else "loading", lang)):
            text = scenario_to_toml(replace(scenario, name=""))
            return scenario, text, scenario_scores(data_key, text, layers)
    except InfraGapError as err:
        st.error(error_text(err, lang))
        st.stop()


def _pick(sel: Selection, level: str) -> str:
    """The detail area: picked in the detail box, on the map, in the drill-down or by search;
    rank 1 of the shown list until a pick."""
    ss, shown, why_key = st.session_state, sel.shown, K.why(level)
    if not ss.get(K.picked(level)) or ss.get(why_key) not in set(shown["kode"]):
        ss[why_key] = shown["kode"].iloc[0]
        ss.pop(K.picked(level), None)
    return str(ss[why_key])


def _data(own: dict[str, Any] | None, *, lang: str) -> tuple[str, Layers, list[str]]:
    """The data set's key, its layers and its levels."""
    ss = st.session_state
    data_key = DEMO
    if own is not None:
        data_key, layers = own["key"], own["loaded"].layers
    else:
        with st.spinner(t("loading_demo", lang)):
            layers = demo_layers()
    levels = [lv for lv in LEVELS if lv in layers.areas]
    if ss[K.LEVEL] not in levels:
        ss[K.LEVEL] = levels[-1]
        forget(K.LEVEL)
    return data_key, layers, levels


def _site_plan(
    tl: Tools, data_key: str, covered_min: float, layers: Layers, lang: str
) -> tuple[SitePlan | None, gpd.GeoDataFrame | None, str]:
    """The proposed sites when siting is on (errors said in the page)."""
    plan: SitePlan | None = None
    plots, plots_key = None, ""
    if tl.sites_on:
        try:
            if tl.plots_file is not None:
                plot_bytes = tl.plots_file.getvalue()  # type: ignore[attr-defined]
                plots_name = str(tl.plots_file.name)  # type: ignore[attr-defined]
                plots_key = hashlib.sha256(plots_name.encode() + b"\0" + plot_bytes).hexdigest()
                plots = candidate_plots(plots_key, plots_name, plot_bytes)
            with st.spinner(t("sites_running", lang)):
                plan = site_plan(
                    data_key, covered_min, tl.site_radius, tl.site_terrain,
                    None if tl.by_count else tl.budget_bn * 1e9,
                    tl.site_count if tl.by_count else None, layers, plots_key, tl.only_plots, plots,
                )  # fmt: skip
        except InfraGapError as err:
            st.error(error_text(err, lang))

    return plan, plots, plots_key


def _headline(sel: Selection, lang: str) -> None:
    """MSMEs, uncovered MSMEs and their share, of the shown areas."""
    msme_metrics(sel.shown, lang)
    if sel.filtered:
        st.caption(t("metric_in", lang).format(where=md_escape(sel.title)))


def _notes(result: ScenarioResult, lang: str) -> None:
    """Weights dropped, indicators counted twice, and the stability draws' cost."""
    if result.dropped:
        names = ", ".join(indicator_label(k, lang) for k in result.dropped)
        st.warning(t("dropped_warning", lang).format(names=names))
    for warning in correlation_warnings(
        result.correlated, lang, labels={k: indicator_label(k, lang) for k in result.weights}
    ):
        st.warning(warning)
    st.caption(cost_line(result.scenario.stability.as_meta(), result.stability_seconds, lang))


def _table(
    *, ranked: pd.DataFrame, sel: Selection, result: ScenarioResult, layers: Layers,
    facts: PointFacts, sites: gpd.GeoDataFrame | None, checklist: dict[str, dict[str, str]],
    data_key: str, scenario_text: str, level: str, top_n: int, lang: str,
) -> None:  # fmt: skip
    """The ranked list beside the map, and its downloads."""
    shown = sel.shown
    st.subheader(t("table", lang))
    sort_col, every_col = st.columns([3, 2])
    with sort_col:
        sort_by = sort_box(lang)
    every = every_col.toggle(t("table_every_indicator", lang), key=K.TABLE_EVERY_INDICATOR)
    in_sel = pd.Series(range(1, len(shown) + 1), index=shown.index) if sel.filtered else None
    ranked_table(
        sorted_by(shown, sort_by), lang, top_n=top_n, weights=result.weights,
        key="ranked_table", every_indicator=every, selection_rank=in_sel,
    )  # fmt: skip
    downloads(
        ranked=ranked, sel=sel, result=result, layers=layers, facts=facts, sites=sites,
        checklist=checklist, data_key=data_key, scenario_text=scenario_text, level=level,
        top_n=top_n, lang=lang,
    )  # fmt: skip


def _rows_line(facts: PointFacts, lang: str) -> None:
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
