"""infra-gap Streamlit app: widgets, cached library calls and rendering only."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from infra_gap import maps
from infra_gap.config import GEO_CRS, LEVELS, CoverageParams, ScoringParams
from infra_gap.demo import load_demo
from infra_gap.errors import InfraGapError
from infra_gap.export import ranked_csv
from infra_gap.i18n import DEFAULT_LANG, LANGS, fmt_int, fmt_num, fmt_pct, t
from infra_gap.layers import Layers
from infra_gap.pipeline import PointFacts, place_and_cover, rank_level
from infra_gap.views import TOOLTIP_COLUMNS, indicator_label, map_frame, table_view

ROOT = Path(__file__).parent
DATA_DIR = Path(os.environ.get("INFRA_GAP_DATA", ROOT / "data"))
CACHE_DIR = Path(os.environ.get("INFRA_GAP_CACHE", ROOT / ".cache"))
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


@st.cache_resource(show_spinner=False)
def demo_layers() -> Layers:
    """Static demo data, shared read-only by all sessions."""
    return load_demo(DATA_DIR, CACHE_DIR)


@st.cache_resource(show_spinner=False)
def demo_facts(covered_min: float) -> PointFacts:
    """Point placement and coverage: done once, serves every level."""
    return place_and_cover(demo_layers(), covered_min=covered_min)


@st.cache_resource(show_spinner=False)
def display_areas(level: str) -> gpd.GeoDataFrame:
    """Simplified display geometry per level (analysis keeps the full geometry)."""
    areas = demo_layers().areas[level]
    shown = areas[["kode", "nama"]].copy()
    tolerance = 150.0 if level == "desa" else 50.0  # keeps the desa map payload small
    geometry = maps.display_geometry(areas, tolerance_m=tolerance)
    return gpd.GeoDataFrame(shown, geometry=geometry).to_crs(GEO_CRS)


st.set_page_config(page_title="infra-gap", layout="wide")

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
        index=LEVELS.index("kecamatan"),
        format_func=lambda lv: t(f"level_{lv}", lang),
        key="level",
    )
    st.subheader(t("weights", lang))
    st.caption(t("weights_help", lang))
    weights = {
        name: st.slider(indicator_label(name, lang), 0.0, 1.0, float(w), 0.05, key=f"w_{name}")
        for name, w in ScoringParams().weights.items()
    }

st.title(t("app_title", lang))
st.caption(t("app_caption", lang))
st.markdown(
    "<style>h1 {font-size: 1.9rem !important; padding-top: 0 !important;}"
    " .block-container {padding-top: 2.2rem !important;}</style>",
    unsafe_allow_html=True,
)

with st.spinner(t("loading", lang)):
    layers = demo_layers()
    facts = demo_facts(CoverageParams().covered_min)
if layers.synthetic:
    st.warning(t("synthetic_banner", lang), icon="\u26a0\ufe0f")

try:
    ranked = rank_level(layers, facts, level=level, weights=weights)
except InfraGapError as err:
    st.error(f"{t('error', lang)} [{err.code}]: {err}")
    st.stop()

left, right = st.columns([3, 2])
with left:
    st.subheader(t("map", lang))
    frame = map_frame(display_areas(level), ranked, lang)
    fmap = maps.priority_choropleth(
        frame,
        value_col="score",
        tooltip_fields=[(col, t(key, lang)) for col, key in TOOLTIP_COLUMNS],
        legend_title=t("legend_score", lang),
        layer_name=t("layer_priority", lang),
        tick_format=lambda v: fmt_num(v, lang, decimals=1),
        nodata_label=t("no_data", lang),
    )
    st_folium(fmap, returned_objects=[], height=560, use_container_width=True, key=f"map_{level}")
with right:
    st.subheader(t("table", lang))
    st.dataframe(table_view(ranked, lang), hide_index=True, height=520, key="ranked_table")
    st.download_button(
        t("download_csv", lang),
        ranked_csv(ranked, synthetic=layers.synthetic),
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


with st.expander(t("sources", lang)):
    for s in layers.sources:
        kind = t("synthetic_yes" if s.synthetic else "synthetic_no", lang)
        st.markdown(f"- **{s.layer}** ({kind}): {s.origin}; {s.licence}; {s.vintage}")
