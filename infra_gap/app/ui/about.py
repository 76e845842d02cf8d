"""The about-and-method page: how a score, a rank and a tier are made, every indicator's
definition and source, and where the data in use comes from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from infra_gap.registry import INDICATORS
from infra_gap.synthetic.demo import demo_sources
from infra_gap.text.i18n import t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.panels import sources_panel


def indicator_definitions(lang: str) -> pd.DataFrame:
    """Every indicator of the registry: its label with unit, direction, definition, source."""
    rows = [
        {
            t("about_col_indicator", lang): f"{ind.label_id if lang == 'id' else ind.label_en}"
            f" ({ind.unit})",
            t("about_col_direction", lang): t(
                "about_need_higher" if ind.higher_is_need else "about_need_lower", lang
            ),
            t("about_col_definition", lang): ind.definition_id
            if lang == "id"
            else ind.definition_en,
            t("about_col_source", lang): ind.source,
        }
        for ind in INDICATORS.values()
    ]
    return pd.DataFrame(rows)


def about_page(lang: str) -> None:
    """The page's sections: the method, the indicators, the tiers, the sources."""
    ss = st.session_state
    st.title(t("nav_about", lang))
    st.markdown(t("about_method", lang))
    st.caption(t("placement_rule", lang))
    st.subheader(t("about_indicators", lang))
    st.dataframe(indicator_definitions(lang), hide_index=True, key="about_indicators")
    st.subheader(t("about_tiers", lang))
    st.markdown(t("tier_rule", lang).format(n=int(ss.get(K.TOP_N, 10))))
    own = ss.get(K.OWN)  # the demo's sources are named without loading it
    sources_panel(own["loaded"].layers.sources if own is not None else demo_sources(), lang)
