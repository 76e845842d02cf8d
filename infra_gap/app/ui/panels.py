"""Panels below the detail: proposed sites, scenarios (files and the workspace), sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from infra_gap.errors import InfraGapError
from infra_gap.hardening import safe_label
from infra_gap.layers import Layers, Source
from infra_gap.outputs.export import sites_csv
from infra_gap.outputs.views import compare_view, md_escape
from infra_gap.ranking.scenario import (
    Scenario,
    compare_rankings,
    scenario_from_bytes,
    scenario_from_toml,
    scenario_to_toml,
)
from infra_gap.siting.costs import cost_table, fmt_idr
from infra_gap.siting.plan import SitePlan
from infra_gap.text.i18n import fmt_int, t
from infra_gap.workspace import Store

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import scenario_run, siting
from infra_gap.app.ui.common import error_text, held, office_tiles
from infra_gap.app.ui.file_box import file_box
from infra_gap.app.ui.provenance_panel import sources_list
from infra_gap.app.ui.sidebar import Tools
from infra_gap.app.ui.state import apply_scenario, full_run, load_scenario
from infra_gap.app.ui.workspace_ui import workspace_files

SITE_TABLE_COLUMNS = (
    "site_id", "kode_desa", "kode_kec", "lon", "lat", "msme_new", "capex_idr", "backhaul",
    "opex_idr_per_year", "island",
)  # fmt: skip


def sites_panel(
    plan: SitePlan | None, layers: Layers, data_key: str, covered_min: float, tools: Tools,
    plots_key: str, plots: object, lang: str,
) -> None:  # fmt: skip
    """The proposed tower sites, their method and costs."""
    site_radius, site_terrain = tools.site_radius, tools.site_terrain
    only_plots = tools.only_plots
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


@st.fragment
def scenario_panel(
    scenario: Scenario, ranked: pd.DataFrame, layers: Layers, data_key: str, level: str,
    top_n: int, db: Store | None, ws: int | None, lang: str,
) -> None:  # fmt: skip
    """Save, load and compare scenarios (files, and by name in the workspace).

    A fragment: comparing with a file or saving in the workspace reruns this panel alone; a
    new name or a scenario loaded changes the sidebar and the downloads, so the page follows.
    """
    ss = st.session_state
    if ss.pop(K.FULL_RUN, False):
        st.rerun()
    st.subheader(t("scenario", lang))
    save_col, load_col, compare_col = st.columns(3)
    with save_col:
        st.text_input(
            t("scenario_name", lang), value=held(K.SCENARIO_NAME, ""), key=K.SCENARIO_NAME,
            on_change=full_run,
        )  # fmt: skip
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
        file_box(
            t("scenario_load", lang), types=("toml",), key=K.SCENARIO_FILE, lang=lang,
            max_mb=1, on_change=load_scenario,
        )  # fmt: skip
        if K.SCENARIO_ERROR in ss:
            st.error(ss.pop(K.SCENARIO_ERROR))
        elif K.SCENARIO_LOADED in ss:
            st.success(t("scenario_loaded", lang).format(name=md_escape(ss.pop(K.SCENARIO_LOADED))))
    with compare_col:
        other_file = file_box(
            t("scenario_compare", lang), types=("toml",), key=K.COMPARE_FILE, lang=lang, max_mb=1
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

    if db is not None and ws is not None:
        _saved_scenarios(scenario, db, ws, lang)


def _saved_scenarios(scenario: Scenario, db: Store, ws: int, lang: str) -> None:
    ss = st.session_state
    st.markdown(f"##### {t('ws_title', lang)}")
    save_col, open_col, file_col = st.columns(3)
    saved = db.items(ws, "scenario")
    with save_col:
        name = str(ss.get(K.SCENARIO_NAME, "")).strip() or t("scenario_unnamed", lang)
        if st.button(t("ws_save_scenario", lang).format(name=name), key="ws_save_scenario"):
            current = saved.get((name[:200], ""))
            try:
                db.put(ws, "scenario", name[:200], "", scenario_to_toml(scenario),
                       expected=current.version if current else 0)  # fmt: skip
            except InfraGapError as err:
                st.warning(error_text(err, lang))
            else:
                st.success(t("ws_saved_scenario", lang).format(name=md_escape(name)))
                saved = db.items(ws, "scenario")
    with open_col:
        names = [k for k, _ in saved]
        if names:
            chosen = st.selectbox(t("ws_scenarios", lang), names, key=K.WS_SCENARIO_PICK)
            if st.button(t("ws_open_scenario", lang), key="ws_open_scenario"):
                try:
                    loaded = scenario_from_toml(saved[(chosen, "")].value)
                except InfraGapError as err:
                    st.error(error_text(err, lang))
                else:
                    apply_scenario(loaded)
                    st.rerun()
        else:
            st.caption(t("ws_no_scenarios", lang))
    with file_col:
        workspace_files(db, ws, lang)


def sources_panel(sources: Sequence[Source], lang: str) -> None:
    """Where each layer comes from, and the basemap (none unless the office set one)."""
    with st.expander(t("sources", lang)):
        tiles = office_tiles()
        st.caption(
            t("about_basemap_office", lang).format(url=md_escape(tiles))
            if tiles
            else t("about_basemap_none", lang)
        )
        sources_list(sources, lang)
