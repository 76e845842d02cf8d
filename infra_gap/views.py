"""Presentation helpers shared by the app and the tests: localised tables and map frames.

These only format; they never compute indicators or scores.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from infra_gap.config import GEO_CRS
from infra_gap.i18n import fmt_int, fmt_num, fmt_pct, t
from infra_gap.indicators import INDICATORS

__all__ = ["TOOLTIP_COLUMNS", "indicator_label", "map_frame", "table_view"]

#: Tooltip columns of the priority map (column of :func:`map_frame`, catalogue key).
TOOLTIP_COLUMNS = (
    ("tt_nama", "col_nama"),
    ("tt_kode", "col_kode"),
    ("tt_rank", "col_rank"),
    ("tt_msme", "metric_msme"),
    ("tt_uncovered", "metric_uncovered"),
    ("tt_share", "metric_share"),
    ("tt_score", "col_score"),
)


def indicator_label(name: str, lang: str) -> str:
    """Label of an indicator with its unit, e.g. ``"UMKM tanpa sinyal 4G (UMKM)"``."""
    ind = INDICATORS[name]
    return f"{ind.label_id if lang == 'id' else ind.label_en} ({ind.unit})"


def table_view(ranked: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranked table with columns named for the UI language, shares in percent."""
    cols = ["rank", "kode", "nama", "score", *(c for c in INDICATORS if c in ranked.columns)]
    view = ranked[cols].copy()
    for c in cols:
        if INDICATORS.get(c) is not None and INDICATORS[c].unit == "%":
            view[c] = 100.0 * view[c]
    names = {"rank": t("col_rank", lang), "kode": t("col_kode", lang)}
    names |= {"nama": t("col_nama", lang), "score": t("col_score", lang)}
    names |= {c: indicator_label(c, lang) for c in cols if c in INDICATORS}
    return view.rename(columns=names)


def map_frame(display: gpd.GeoDataFrame, ranked: pd.DataFrame, lang: str) -> gpd.GeoDataFrame:
    """Join scores onto display geometry and add formatted tooltip columns.

    Parameters
    ----------
    display
        Display geometry (``kode``, ``nama``, geometry) in EPSG:4326.
    ranked
        Output of :func:`infra_gap.scoring.rank_areas` for the same level.
    lang
        UI language.
    """
    cols = ["kode", "rank", "score", "msme_total", "msme_uncovered", "msme_uncovered_share"]
    gdf = display[["kode", "nama", "geometry"]].merge(ranked[cols], on="kode", how="left")
    gdf["tt_nama"] = gdf["nama"].astype("str")
    gdf["tt_kode"] = gdf["kode"].astype("str")
    gdf["tt_rank"] = [fmt_int(v, lang) for v in gdf["rank"]]
    gdf["tt_msme"] = [fmt_int(v, lang) for v in gdf["msme_total"]]
    gdf["tt_uncovered"] = [fmt_int(v, lang) for v in gdf["msme_uncovered"]]
    gdf["tt_share"] = [fmt_pct(v, lang) for v in gdf["msme_uncovered_share"]]
    gdf["tt_score"] = [fmt_num(v, lang, decimals=3) for v in gdf["score"]]
    return gpd.GeoDataFrame(gdf, geometry="geometry", crs=display.crs or GEO_CRS)
