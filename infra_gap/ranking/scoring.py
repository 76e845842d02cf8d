"""Normalise, weight and rank areas; every score is explained by its contributions.

Score = sum over weighted indicators of ``weight x normalised value``.  Normalisation
follows each indicator's direction in the registry; min-max maps to [0, 1] and a
constant column maps to 0.  A missing value (an empty area's ratio) contributes 0: no
evidence of need is not evidence of need, except that with ``unknown_as_need`` (the
default) an area with no speed test counts as the worst measured one
(:mod:`infra_gap.analysis.unknown`).  Weights are re-balanced to sum to 1 after zero weights are
dropped.  Scores that agree to :data:`TIE_DECIMALS` decimal places are
tied, and ties are broken by code, ascending; the stability draws use the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from infra_gap.analysis.unknown import presume_unknown
from infra_gap.errors import DataError, ScoringError
from infra_gap.registry import INDICATORS

__all__ = [
    "NORMALISATIONS",
    "STABILITY_NORMALISATIONS",
    "TIE_DECIMALS",
    "base_scores",
    "need_matrix",
    "normalise",
    "normalise_array",
    "normalised_weights",
    "rank_areas",
    "stack_need",
    "tie_keys",
    "usable_weights",
]

NORMALISATIONS = ("minmax", "percentile")
#: The normalisations the stability draws vary over (OECD/JRC Handbook on Constructing
#: Composite Indicators, 2008, Step 5 and Section 7): z-scores only rank, so a ranking's own
#: score (in [0, 1]) uses one of :data:`NORMALISATIONS`.
STABILITY_NORMALISATIONS = ("minmax", "percentile", "zscore")
#: Scores equal to this many decimals count as tied, so float noise never decides an order.
TIE_DECIMALS = 12


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


def usable_weights(
    weights: Mapping[str, float], columns: Iterable[str]
) -> tuple[dict[str, float], tuple[str, ...]]:
    """Split weights into those the table can use and the weighted indicators it lacks.

    An indicator in the registry may be absent from a run (its input layer was not given).
    Its weight is dropped and the rest are re-balanced; the caller must show ``dropped``.

    Returns
    -------
    weights
        The usable weights, re-balanced to sum to 1.
    dropped
        Names with a weight above 0 that are not columns of the table, in the given order.

    Raises
    ------
    ScoringError
        As :func:`normalised_weights`, and when every weighted indicator is absent.
    """
    w = normalised_weights(weights)
    present = set(columns)
    dropped = tuple(k for k in w if k not in present)
    if len(dropped) == len(w):
        msg = f"none of the weighted indicators is in this data: {list(dropped)}"
        raise ScoringError(msg)
    return normalised_weights({k: v for k, v in w.items() if k in present}), dropped


def normalise(values: pd.Series, *, higher_is_need: bool, method: str = "minmax") -> pd.Series:
    """Map an indicator to [0, 1], 1 = most need; missing stays missing.

    Parameters
    ----------
    values
        Indicator values.
    higher_is_need
        Direction from the registry.
    method
        ``"minmax"`` (default; a constant column maps to 0), ``"percentile"`` (average
        rank / count, for skewed indicators) or ``"zscore"`` ((value - mean) / standard
        deviation, unbounded; a constant column maps to 0; for the stability draws only).
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
    if method == "zscore":
        sd = v.std(ddof=0)
        if not np.isfinite(sd) or sd == 0:
            return pd.Series(np.where(v.isna(), np.nan, 0.0), index=v.index)
        return (v - v.mean()) / sd
    msg = f"`method` must be one of {STABILITY_NORMALISATIONS}, got {method!r}"
    raise ScoringError(msg)


def normalise_array(values: np.ndarray, *, higher_is_need: bool, method: str) -> np.ndarray:
    """:func:`normalise` of a float64 array, as an array: the same numbers, without pandas.

    For the stability draws, which normalise some 60 columns.  ``minmax`` and ``percentile``
    are computed here as pandas does (minimum and maximum without NaN; average ranks of
    equal values, exact halves); ``zscore`` goes through :func:`normalise` itself.
    """
    v = np.asarray(values, dtype="float64")
    if method == "zscore" or method not in NORMALISATIONS:
        return normalise(pd.Series(v), higher_is_need=higher_is_need, method=method).to_numpy(
            dtype="float64"
        )
    if not higher_is_need:
        v = -v
    present = ~np.isnan(v)
    flat = np.where(present, 0.0, np.nan)
    if not present.any():
        return flat
    if method == "minmax":
        lo, hi = v[present].min(), v[present].max()
        if not np.isfinite(hi - lo) or hi == lo:
            return flat
        return (v - lo) / (hi - lo)
    ranks = _average_ranks(v[present])
    if ranks.max() == ranks.min():  # one distinct value
        return flat
    out = np.full(len(v), np.nan)
    out[present] = (ranks - 1) / (ranks.max() - 1)
    return out


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of ``x`` (no NaN), equal values sharing their average rank."""
    order = np.argsort(x, kind="stable")
    ordered = x[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(x)]
    ranks = np.empty(len(x))
    ranks[order] = np.repeat((starts + 1 + ends) / 2.0, ends - starts)
    return ranks


def need_matrix(table: pd.DataFrame, names: Iterable[str], *, method: str) -> np.ndarray:
    """Normalised need, one row per area and one column per name; missing -> 0.

    With ``"zscore"`` a missing value takes its column's lowest z-score (no evidence of
    need, as 0 is under the other methods), and every column then goes through one affine
    map into [0, 1] (the same for all columns), so that weights summing to 1 rank areas
    exactly as the weighted sum of z-scores does.

    Raises
    ------
    ScoringError
        If the table lacks one of the columns.
    """
    names = list(names)
    missing = [k for k in names if k not in table.columns]
    if missing:
        msg = f"indicator table lacks weighted column(s) {missing}"
        raise ScoringError(msg)
    cols = [
        normalise(table[k], higher_is_need=INDICATORS[k].higher_is_need, method=method).to_numpy(
            dtype="float64"
        )
        for k in names
    ]
    return stack_need(cols, method=method, rows=len(table))


def stack_need(cols: Sequence[np.ndarray], *, method: str, rows: int) -> np.ndarray:
    """Columns of :func:`normalise` (missing as NaN) as the matrix of :func:`need_matrix`."""
    if not cols:
        return np.zeros((rows, 0))
    matrix = np.column_stack(cols)
    if method != "zscore":
        return np.where(np.isnan(matrix), 0.0, matrix)
    for j in range(matrix.shape[1]):
        col = matrix[:, j]
        if np.isnan(col).any():
            col[np.isnan(col)] = np.nanmin(col) if (~np.isnan(col)).any() else 0.0
    lo, hi = (float(matrix.min()), float(matrix.max())) if matrix.size else (0.0, 0.0)
    return (matrix - lo) / (hi - lo) if hi > lo else np.zeros_like(matrix)


def base_scores(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted sum, one indicator at a time, so equal rows always get equal scores."""
    score = np.zeros(matrix.shape[0])
    for j, w in enumerate(weights):
        score += w * matrix[:, j]
    return np.clip(score, 0.0, 1.0)


def tie_keys(scores: np.ndarray) -> np.ndarray:
    """Integer sort keys: scores rounded to :data:`TIE_DECIMALS` decimals (higher = more need)."""
    return np.rint(np.asarray(scores) * 10.0**TIE_DECIMALS).astype(np.int64)


def rank_areas(
    table: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    method: str = "minmax",
    unknown_as_need: bool = True,
) -> pd.DataFrame:
    """Score and rank areas.

    Parameters
    ----------
    table
        Indicator table with a unique ``kode`` and the weighted indicator columns.
    weights
        Indicator name -> weight (any non-negative scale).
    method
        Normalisation, see :func:`normalise`.
    unknown_as_need
        Areas with no speed test count as need (the NTIA presumption,
        :func:`infra_gap.analysis.unknown.presume_unknown`); the table's values stay as measured.

    Returns
    -------
    The table sorted by rank, with ``rank`` (1 = highest need), ``score`` in [0, 1] and
    one ``contrib_<indicator>`` column per weighted indicator; the contributions of a
    row add up to its score.

    Examples
    --------
    >>> t = pd.DataFrame({"kode": ["a", "b"], "msme_uncovered": [5, 9]})
    >>> rank_areas(t, {"msme_uncovered": 1})["kode"].tolist()
    ['b', 'a']
    """
    w = normalised_weights(weights)
    if table["kode"].duplicated().any():
        msg = "indicator table has duplicate `kode` values; each area must appear once"
        raise DataError(msg)
    matrix = need_matrix(presume_unknown(table, unknown_as_need=unknown_as_need), w, method=method)
    values = np.fromiter(w.values(), dtype="float64", count=len(w))
    out = table.copy()
    for j, name in enumerate(w):
        out[f"contrib_{name}"] = values[j] * matrix[:, j]
    out["score"] = base_scores(matrix, values)
    out["_tie"] = -tie_keys(out["score"].to_numpy())
    out = out.sort_values(["_tie", "kode"], kind="stable").drop(columns="_tie")
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out.reset_index(drop=True)
