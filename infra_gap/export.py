"""Ranked tables to proposal-ready bytes.  Nothing here writes files.

Every export carries a ``data_status`` column that says whether synthetic layers went
into the figures, so a synthetic demo figure can never pass for a fact.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from infra_gap.registry import INDICATORS

__all__ = ["CSV_COLUMNS", "SYNTHETIC_LABEL", "neutralise_formulas", "ranked_csv"]

SYNTHETIC_LABEL = "synthetic demo / demo sintetis"
REAL_LABEL = "user data / data pengguna"
CSV_COLUMNS = (
    "rank",
    "kode",
    "nama",
    "score",
    "msme_total",
    "msme_uncovered",
    "msme_uncovered_share",
    "msme_coverage_unknown",
    "msme_online_share",
)
#: Per-area flags written after the indicators.
FLAG_COLUMNS = ("speed_low_evidence", "operator_class", "evidence_conflict", "area_km2")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Only text columns are touched; numbers stay numbers (OWASP CSV injection).
    """
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            s = out[col]
            text = s.map(lambda v: isinstance(v, str))
            risky = text & s.astype("str").str.startswith(_FORMULA_START)
            out[col] = s.where(~risky, "'" + s.astype("str"))
    return out


def ranked_csv(
    ranked: pd.DataFrame,
    *,
    synthetic: bool,
    sep: str = ",",
    extra_columns: Sequence[str] = (),
) -> bytes:
    """CSV bytes of a ranked table: UTF-8 with a BOM, one row per area, sorted by rank.

    Parameters
    ----------
    ranked
        Output of :func:`infra_gap.scoring.rank_areas`.
    synthetic
        True when any input layer is synthetic; sets ``data_status`` on every row.
    sep
        ``","`` or ``";"`` (Excel with Indonesian regional settings).
    extra_columns
        More columns to include after the standard ones.  Every registry indicator and
        flag present follows, then the ``contrib_*`` columns.
    """
    if sep not in {",", ";"}:
        msg = f"`sep` must be ',' or ';', got {sep!r}"
        raise ValueError(msg)
    cols = [c for c in CSV_COLUMNS if c in ranked.columns]
    cols += [c for c in extra_columns if c in ranked.columns and c not in cols]
    cols += [c for c in (*INDICATORS, *FLAG_COLUMNS) if c in ranked.columns and c not in cols]
    cols += [c for c in ranked.columns if c.startswith("contrib_")]
    out = neutralise_formulas(ranked[cols])
    out["data_status"] = SYNTHETIC_LABEL if synthetic else REAL_LABEL
    decimal = "," if sep == ";" else "."
    text = out.to_csv(index=False, sep=sep, decimal=decimal, float_format="%.6g")
    return ("\ufeff" + text).encode("utf-8")
