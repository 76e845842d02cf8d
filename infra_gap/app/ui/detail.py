"""The selected area's panel: why it ranks there, how sure that is (in words), its indicators,
the BAKTI checklist and a note (saved in the workspace), and its dossier."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from infra_gap.analysis.pipeline import PointFacts
from infra_gap.layers import Layers
from infra_gap.outputs.dossier.document import CHECKLIST_FIELDS
from infra_gap.outputs.views import (
    checklist_view,
    contribution_view,
    indicator_view,
    md_escape,
    rank_range,
    reason,
)
from infra_gap.ranking.scenario import ScenarioResult
from infra_gap.text.i18n import fmt_int, t
from infra_gap.text.numfmt import fmt_value
from infra_gap.workspace import Store

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.common import held
from infra_gap.app.ui.downloads import dossier_button
from infra_gap.app.ui.filter import Selection
from infra_gap.app.ui.state import drill, mark_picked
from infra_gap.app.ui.workspace_ui import checklists, field_widgets, show_conflict


def how_sure(row: Mapping[str, object], top_n: int, lang: str) -> str:
    """The top-N share in words: 0% means "not in the top N in any draw", not "unknown"."""
    share = float(row["top_n_share"])  # type: ignore[arg-type]
    pct = fmt_value("top_n_share", share, lang)
    if share <= 0:
        key = "sure_never"
    elif share >= 0.8:
        key = "sure_high"
    elif share >= 0.05:
        key = "sure_some"
    else:
        key = "sure_rare"
    return t(key, lang).format(n=top_n, pct=pct)


def detail_panel(
    *,
    ranked: pd.DataFrame,
    sel: Selection,
    result: ScenarioResult,
    layers: Layers,
    facts: PointFacts,
    sites: gpd.GeoDataFrame | None,
    level: str,
    levels: list[str],
    top_n: int,
    db: Store | None,
    ws: int | None,
    checklist: Mapping[str, Mapping[str, str]],
    lang: str,
) -> str:
    """Draw the panel; return the area shown."""
    why_key = K.why(level)
    st.subheader(t("why_title", lang))
    shown = sel.shown
    # Labels carry no rank, so the chosen area stays chosen when the weights reorder the list.
    labels = {k: f"{n} ({k})" for k, n in zip(shown["kode"], shown["nama"], strict=True)}
    why_left, why_right = st.columns([2, 3])
    with why_left:
        held_pick = held(why_key, "")
        pick = st.selectbox(
            t("why_pick", lang), list(labels), format_func=lambda k: labels.get(k, k), key=why_key,
            index=list(labels).index(held_pick) if held_pick in labels else 0,
            on_change=mark_picked, args=(level,),
        )  # fmt: skip
        pick = str(pick)
        row: dict[Any, Any] = ranked.set_index("kode").loc[pick].to_dict()
        st.markdown(f"**{reason(row, lang)}**")
        if sel.filtered:
            within = shown["kode"].tolist().index(pick) + 1
            st.caption(
                t("rank_both", lang).format(
                    sel=fmt_int(within, lang),
                    n=fmt_int(len(shown), lang),
                    where=md_escape(sel.title),
                    rank=fmt_int(row["rank"], lang),
                    total=fmt_int(len(ranked), lang),
                )
            )
        m1, m2, m3 = st.columns(3)
        m1.metric(t("col_tier", lang), fmt_int(row["tier"], lang))
        m2.metric(t("col_rank_range", lang), rank_range(row["rank_low"], row["rank_high"], lang))
        m3.metric(
            t("metric_top_share", lang).format(n=top_n),
            fmt_value("top_n_share", row["top_n_share"], lang),
            help=t("col_top_share", lang).format(n=top_n),
        )
        st.caption(how_sure(row, top_n, lang))
        child = {"kabupaten": "kecamatan", "kecamatan": "desa"}.get(level)
        if sel.hierarchy and child in levels:
            st.button(
                t("drill_down", lang).format(
                    child=t(f"level_{child}", lang), nama=md_escape(str(row["nama"]))
                ),
                key="drill_down",
                on_click=drill,
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
                    contrib_col,
                    format="%.3f",
                    min_value=0.0,
                    max_value=max(float(row["score"]), 1e-9),
                ),
                t("col_weight", lang): st.column_config.NumberColumn(format="%.2f"),
            },
        )
    ind_col, ck_col = st.columns([3, 2])
    with ind_col:
        st.markdown(f"##### {t('indicators_title', lang)}")
        st.dataframe(indicator_view(row, lang), hide_index=True, key="why_indicators", height=280)
    with ck_col:
        checklist_section(
            ranked=ranked, result=result, layers=layers, facts=facts, sites=sites, pick=pick,
            nama=str(row["nama"]), db=db, ws=ws, page_checklist=checklist, lang=lang,
        )  # fmt: skip
    return str(pick)


@st.fragment
def checklist_section(
    *, ranked: pd.DataFrame, result: ScenarioResult, layers: Layers, facts: PointFacts,
    sites: gpd.GeoDataFrame | None, pick: str, nama: str, db: Store | None, ws: int | None,
    page_checklist: Mapping[str, Mapping[str, str]], lang: str,
) -> None:  # fmt: skip
    """The area's BAKTI checklist, its note and its dossier.

    A fragment: a field saved reruns this section alone, not the map and the list. The whole
    page follows only when a top-N PDF made beside the list holds the checklist as it was.
    """
    show_conflict(lang)
    st.markdown(f"##### {t('checklist_title', lang)}")
    field_widgets(db, ws, pick, CHECKLIST_FIELDS, lang)
    checklist = checklists(db, ws)
    if checklist != page_checklist and ".pdf" in st.session_state.get(K.PREPARED, {}):
        st.rerun()  # that PDF is offered again once made with the checklist as it is now
    mine = {pick: dict(checklist.get(pick, {}))}
    st.dataframe(
        checklist_view(mine[pick], CHECKLIST_FIELDS, lang), hide_index=True, key="why_checklist"
    )
    dossier_button(
        ranked=ranked, result=result, layers=layers, facts=facts, sites=sites, pick=pick,
        nama=nama, checklist=mine, lang=lang,
    )  # fmt: skip
