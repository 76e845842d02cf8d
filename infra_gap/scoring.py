"""Normalise, weight and rank areas; every score is explained by its contributions.

Score = sum over weighted indicators of ``weight x normalised value``.  Normalisation
follows each indicator's direction in the registry; min-max maps to [0, 1] and a
constant column maps to 0.  A missing value (an empty area's ratio) contributes 0: no
evidence of need is not evidence of need.  Weights are re-balanced to sum to 1 after
zero weights are dropped.  Ties are broken by code, ascending.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from infra_gap.errors import ScoringError
from infra_gap.registry import INDICATORS

__all__ = ["normalise", "normalised_weights", "rank_areas"]

NORMALISATIONS = ("minmax", "percentile")


def normalised_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Drop zero weights and scale the rest to sum to 1.

    Raises
    ------
    ScoringError
        For an unknown indicator, a negative weight, or all weights zero.
    """
    unknown = sorted(set(weights) - set(INDICATORS))
    if unknown:
        msg = f"unknown indicator(s) {unknown}; known: {sorted(INDICATORS)}"
        raise ScoringError(msg)
    bad = {k: v for k, v in weights.items() if not np.isfinite(v) or v < 0}
    if bad:
        msg = f"weights must be finite and >= 0, got {bad}"
        raise ScoringError(msg)
    kept = {k: float(v) for k, v in weights.items() if v > 0}
    total = sum(kept.values())
    if not kept or total <= 0:
        msg = "all weights are zero: give at least one indicator a weight above 0"
        raise ScoringError(msg)
    return {k: v / total for k, v in kept.items()}


def normalise(values: pd.Series, *, higher_is_need: bool, method: str = "minmax") -> pd.Series:
    """Map an indicator to [0, 1], 1 = most need; missing stays missing.

    Parameters
    ----------
    values
        Indicator values.
    higher_is_need
        Direction from the registry.
    method
        ``"minmax"`` (default; a constant column maps to 0) or ``"percentile"`` (average
        rank / count, for skewed indicators).
    """
    v = values.astype("float64")
    if not higher_is_need:
        v = -v
    if method == "minmax":
        lo, hi = v.min(), v.max()
        if not np.isfinite(hi - lo) or hi == lo:
            return pd.Series(np.where(v.isna(), np.nan, 0.0), index=v.index)
        return (v - lo) / (hi - lo)
    if method == "percentile":
        if v.nunique() <= 1:
            return pd.Series(np.where(v.isna(), np.nan, 0.0), index=v.index)
        r = v.rank(method="average")
        return (r - 1) / (r.max() - 1)
    msg = f"`method` must be one of {NORMALISATIONS}, got {method!r}"
    raise ScoringError(msg)


def rank_areas(
    table: pd.DataFrame, weights: Mapping[str, float], *, method: str = "minmax"
) -> pd.DataFrame:
    """Score and rank areas.

    Parameters
    ----------
    table
        Indicator table with ``kode`` and the weighted indicator columns.
    weights
        Indicator name -> weight (any non-negative scale).
    method
        Normalisation, see :func:`normalise`.

    Returns
    -------
    The table sorted by rank, with ``rank`` (1 = highest need), ``score`` in [0, 1] and
    one ``contrib_<indicator>`` column per weighted indicator; the contributions of a
    row add up to its score.
    """
    w = normalised_weights(weights)
    missing = [k for k in w if k not in table.columns]
    if missing:
        msg = f"indicator table lacks weighted column(s) {missing}"
        raise ScoringError(msg)
    out = table.copy()
    score = np.zeros(len(out))
    for name, weight in w.items():
        norm = normalise(out[name], higher_is_need=INDICATORS[name].higher_is_need, method=method)
        contrib = weight * norm.fillna(0.0).to_numpy()
        out[f"contrib_{name}"] = contrib
        score += contrib
    out["score"] = np.clip(score, 0.0, 1.0)
    out = out.sort_values(["score", "kode"], ascending=[False, True], kind="stable")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)
