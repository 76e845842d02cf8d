"""Rank stability: whether an area stays near the top when the choices behind it are argued.

Each draw varies every factor of :data:`infra_gap.ranking.uncertainty.FACTORS` at once (the
OECD/JRC Handbook's uncertainty analysis; the module :mod:`infra_gap.ranking.uncertainty` states
each factor and its source): the weights, the normalisation, which indicators are kept,
and errors in the counts.  The chosen weights ``w`` (re-balanced to sum to 1) are perturbed
by drawing weight vectors from a Dirichlet distribution with parameters ``concentration x
w``: the draws average ``w``, and a higher concentration keeps them closer to it.  Each
draw ranks every area by the same rule as :func:`infra_gap.ranking.scoring.rank_areas` (scores
equal to 12 decimals tie, ties by code).  For each area we report the 5th and 95th
percentile of its rank over the draws (``rank_low``, ``rank_high``; inverted-CDF
percentiles, so both are ranks that occurred) and ``top_n_share``, the share of draws in
which it is in the top N.  With ``factors=("weights",)`` only the weights vary (the rule of
earlier versions, and the same numbers).

Speed: the indicators are normalised once into an (areas x indicators) matrix; the scores
of all draws are one matrix product; each draw is sorted once on integer keys that carry
the score and the tie-break position, so the ranks need no second sort (the keys are
distinct, so NumPy's fastest sort, not a stable one, gives the same order).  Groups of draws
are ranked in a second thread while the next group's matrix is built, and long groups in
blocks on a few threads (NumPy sorts outside the GIL); results do not depend on it.

Tiers (:func:`assign_tiers`), with N = ``top_n``:

* **Prioritas 1** -- score above 0, rank within the top N, *and* in the top N in at least
  80% of the draws (``top_n_share >= 0.8``): the order holds when the weights are argued.
* **Prioritas 2** -- not tier 1, score above 0, and either rank within the top N or a
  5th-percentile rank within the top N (``rank_low <= N``: top N in at least 5% of draws).
* **Prioritas 3** -- every other area.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from infra_gap.errors import DataError, ScoringError
from infra_gap.ranking.scoring import (
    STABILITY_NORMALISATIONS,
    TIE_DECIMALS,
    base_scores,
    need_matrix,
    normalise_array,
    normalised_weights,
    stack_need,
)
from infra_gap.ranking.uncertainty import FACTORS, perturbed_columns
from infra_gap.registry import INDICATORS

__all__ = [
    "MAX_DRAWS",
    "MAX_REPLICATES",
    "StabilityParams",
    "TierRule",
    "assign_tiers",
    "draw_ranks",
    "percentile_index",
    "rank_stability",
    "weight_draws",
]

#: Upper limit on draws: 5,000 draws of 6,110 desa hold 61 MB of ranks.
MAX_DRAWS = 5000
#: Upper limit on perturbed copies of the data (each is normalised three times).
MAX_REPLICATES = 100
_KEY_BITS = 41  # the score key rint(score * 1e12) < 2**40, with a bit to spare
_CHUNK = 250  # draws sorted at a time: bounds memory, keeps the chunk in cache
_MAX_WORKERS = 4


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class StabilityParams:
    """How the weights are perturbed and what counts as "near the top".

    Attributes
    ----------
    top_n
        N of "top N" (default 10: a list short enough for one funding meeting).
    draws
        Dirichlet weight draws (default 1,000; 0 turns perturbation off, and the columns
        then show the chosen ranking itself).  At most :data:`MAX_DRAWS`.
    concentration
        Dirichlet concentration (the spread: lower = wider).  The default 20 moves a
        0.7/0.3 pair to about 0.53-0.85 for the first weight (5-95%), and five equal
        weights of 0.2 to about 0.08-0.36 each: the range planners argue over.  A project
        choice, stated here and in the UI.
    seed
        Seed of the draws, so a scenario gives the same numbers every run (12, the
        province code of Sumatera Utara; any fixed value would do).
    factors
        Which of :data:`infra_gap.ranking.uncertainty.FACTORS` the draws vary (default all four).
    data_margin
        Relative error of the counts for the ``data_error`` factor (default 0.10, i.e.
        +/-10%; the source and the reasoning are in :mod:`infra_gap.ranking.uncertainty`).
    data_replicates
        Perturbed copies of the data the draws share (default 20, at most
        :data:`MAX_REPLICATES`): bounds the cost whatever the number of draws.
    """

    top_n: int = 10
    draws: int = 1000
    concentration: float = 20.0
    seed: int = 12
    factors: tuple[str, ...] = FACTORS
    data_margin: float = 0.10
    data_replicates: int = 20

    def __post_init__(self) -> None:
        if not _is_int(self.top_n) or self.top_n < 1:
            msg = f"`top_n` must be an integer >= 1, got {self.top_n!r}"
            raise ScoringError(msg)
        if not _is_int(self.draws) or not 0 <= self.draws <= MAX_DRAWS:
            msg = f"`draws` must be an integer from 0 to {MAX_DRAWS:,}, got {self.draws!r}"
            raise ScoringError(msg)
        c = self.concentration
        if isinstance(c, bool) or not isinstance(c, int | float) or not np.isfinite(c) or c <= 0:
            msg = f"`concentration` must be a finite number > 0, got {c!r}"
            raise ScoringError(msg)
        if not _is_int(self.seed) or self.seed < 0:
            msg = f"`seed` must be an integer >= 0, got {self.seed!r}"
            raise ScoringError(msg)
        factors = self.factors
        if isinstance(factors, str) or not all(f in FACTORS for f in factors):
            msg = f"`factors` must be a list of {list(FACTORS)}, got {factors!r}"
            raise ScoringError(msg)
        object.__setattr__(self, "factors", tuple(f for f in FACTORS if f in factors))
        m = self.data_margin
        if isinstance(m, bool) or not isinstance(m, int | float) or not 0 <= m < 1:
            msg = f"`data_margin` must be a number from 0 to below 1, got {m!r}"
            raise ScoringError(msg)
        r = self.data_replicates
        if not _is_int(r) or not 1 <= r <= MAX_REPLICATES:
            msg = f"`data_replicates` must be an integer from 1 to {MAX_REPLICATES}, got {r!r}"
            raise ScoringError(msg)

    def as_meta(self) -> dict[str, float]:
        """The settings as numbers, for an export's methodology record (factors as 0/1)."""
        out = {
            "top_n": float(self.top_n),
            "draws": float(self.draws),
            "concentration": float(self.concentration),
            "seed": float(self.seed),
            "data_margin": float(self.data_margin),
            "data_replicates": float(self.data_replicates),
        }
        out |= {f"factor_{f}": float(f in self.factors) for f in FACTORS}
        return out


@dataclass(frozen=True)
class TierRule:
    """Thresholds of the tier rule stated in the module docstring.

    Attributes
    ----------
    robust_share
        Share of draws in the top N that makes a top-N area Prioritas 1 (0.8: four
        plausible weightings in five agree).  A project choice.
    """

    robust_share: float = 0.8


def weight_draws(
    weights: Mapping[str, float], *, draws: int, concentration: float, seed: int
) -> np.ndarray:
    """Dirichlet draws around ``weights``: shape (draws, len(weights)), rows sum to 1."""
    w = np.fromiter(normalised_weights(weights).values(), dtype="float64")
    rng = np.random.default_rng(seed)
    return rng.dirichlet(concentration * w, size=draws)


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows and, per row, the position of its distinct row (``np.unique(axis=0)``).

    Sorted with ``np.lexsort`` on the columns, several times faster than ``np.unique`` on a
    row view; the order of the distinct rows does not matter to the caller.
    """
    n = rows.shape[0]
    if n == 0 or rows.shape[1] == 0:
        return rows[:1], np.zeros(n, dtype=np.intp)
    order = np.lexsort(rows.T[::-1])
    ordered = rows[order]
    starts = np.empty(n, dtype=bool)
    starts[0] = True
    starts[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    group = np.cumsum(starts) - 1
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = group
    return ordered[starts], inverse


def draw_ranks(
    matrix: np.ndarray,
    draws: np.ndarray,
    *,
    workers: int | None = None,
    out: np.ndarray | None = None,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Rank of every row under every weight draw.

    Parameters
    ----------
    matrix
        Normalised need, (areas x indicators), rows in tie-break order (code ascending).
    draws
        Weight vectors, (draws x indicators).
    workers
        Threads that rank blocks of draws at once (NumPy sorts outside the GIL); by
        default up to four, as many as there are CPUs.  The result does not depend on it.
    out, rows
        Write the ranks of draw ``i`` into row ``rows[i]`` of ``out`` (all draws x areas)
        instead of a new array: a caller ranking groups of draws fills one array.  Laid
        out by draw, each draw's ranks are written within one row (scattered over the
        whole array, writing them took most of the time).

    Returns
    -------
    ranks
        (areas x draws), 1 = highest score; int16 when it fits, else int32.  Laid out by
        area, so each area's ranks are contiguous for the percentiles.  With ``out``, it
        (draws x areas).
    """
    n = matrix.shape[0]
    bits = max(int(n - 1).bit_length(), 1)
    mask = (1 << bits) - 1
    if bits + _KEY_BITS > 62:
        msg = f"too many areas for the stability ranks: {n:,}"
        raise DataError(msg)
    # Lay the areas out in ascending order of the mean draw's score: every draw is then
    # nearly sorted already, which the stable sort (timsort) exploits.
    layout = np.argsort(matrix @ draws.mean(axis=0), kind="stable")
    low_bits = mask - layout.astype(np.int64)  # tie-break: larger for earlier codes
    # Equal rows must get equal scores whatever the BLAS kernel does: score unique rows.
    unique, inverse = _unique_rows(matrix[layout])
    gather = len(unique) < n
    rows_used = np.ascontiguousarray((unique if gather else matrix[layout]).T)
    dtype = np.int16 if n < np.iinfo(np.int16).max else np.int32
    by_draw = np.empty((len(draws), n), dtype=dtype) if out is None else out
    place = np.arange(len(draws)) if rows is None else np.asarray(rows)
    descending = np.arange(n, 0, -1, dtype=by_draw.dtype)

    def rank_block(start: int) -> None:
        block = draws[start : start + _CHUNK]
        scores = block @ rows_used
        np.clip(scores, 0.0, 1.0, out=scores)
        scores *= 10.0**TIE_DECIMALS
        keys = np.rint(scores, out=scores).astype(np.int64)
        if gather:
            keys = np.ascontiguousarray(keys[:, inverse])
        keys <<= bits
        keys |= low_bits
        keys.sort(axis=1)  # ascending (keys are distinct: any sort is exact); last is rank 1
        position = mask - (keys & mask)  # code position of the area at each sorted place
        by_draw[place[start : start + len(block), None], position] = descending

    starts = range(0, len(draws), _CHUNK)
    workers = workers or min(_MAX_WORKERS, os.cpu_count() or 1)
    if workers <= 1 or len(starts) <= 1:
        for start in starts:
            rank_block(start)
    else:
        with ThreadPoolExecutor(max_workers=min(workers, len(starts))) as pool:
            list(pool.map(rank_block, starts))  # blocks write disjoint rows of `by_draw`
    return by_draw if out is not None else np.ascontiguousarray(by_draw.T)


def percentile_index(q: int, n: int) -> int:
    """0-based index of the ``q``-th percentile in ``n`` sorted values (inverted CDF)."""
    return max(-(-q * n // 100) - 1, 0)


def _design(
    w: Mapping[str, float], method: str, params: StabilityParams, n_areas: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per draw: its weights, its normalisation (index) and its copy of the data (index)."""
    k, d = len(w), params.draws
    values = np.fromiter(w.values(), dtype="float64", count=k)
    on = set(params.factors)
    if "weights" in on:
        weights = weight_draws(w, draws=d, concentration=params.concentration, seed=params.seed)
    else:
        weights = np.tile(values, (d, 1))
    rng = np.random.default_rng([params.seed, 1])  # the other factors: their own stream
    norms = (
        rng.integers(0, len(STABILITY_NORMALISATIONS), d)
        if "normalisation" in on
        else np.full(d, STABILITY_NORMALISATIONS.index(method))
    )
    if "leave_one_out" in on and k >= 2:
        trigger = rng.integers(0, k + 1, d)  # 0 keeps all, j leaves indicator j out
        out = trigger > 0
        weights[out, trigger[out] - 1] = 0.0
        empty = weights.sum(axis=1) <= 0  # every kept weight drawn as 0 (tiny concentration)
        if empty.any():  # only rows that left one out: fall back to the chosen weights
            weights[empty] = values
            weights[empty, trigger[empty] - 1] = 0.0
        weights /= weights.sum(axis=1, keepdims=True)
    copies = params.data_replicates if "data_error" in on and n_areas else 1
    replicate = rng.integers(0, copies, d)
    return weights, norms, replicate


def _groups(replicate: np.ndarray, norms: np.ndarray) -> dict[tuple[int, int], np.ndarray]:
    """Draws that share a copy of the data and a normalisation, so one matrix."""
    key = replicate.astype(np.int64) * len(STABILITY_NORMALISATIONS) + norms
    out: dict[tuple[int, int], np.ndarray] = {}
    for k in np.unique(key):
        out[(int(k) // len(STABILITY_NORMALISATIONS), int(k) % len(STABILITY_NORMALISATIONS))] = (
            np.flatnonzero(key == k)
        )
    return out


def _matrices(
    base: pd.DataFrame, names: list[str], params: StabilityParams
) -> Callable[[int, str], np.ndarray]:
    """Need matrix of copy ``r`` of the data under a normalisation, sharing the work.

    The copies are drawn in order from one seeded stream (copy r is the same whichever
    draws use it), so ``r`` must not decrease from call to call; only the latest copy is
    kept.  Columns the data error does not touch are normalised once per method.
    """
    rng = np.random.default_rng([params.seed, 2])  # the data errors: their own stream
    erring = "data_error" in params.factors and params.data_margin > 0
    # Columns as float64 arrays (normalised without pandas: :func:`normalise_array`).
    data = {name: base[name].astype("float64").to_numpy() for name in names}
    copies = [data]  # the latest copy of the data
    drawn = [-1]  # its number
    fixed: dict[tuple[str, str], np.ndarray] = {}
    counts = [k for k in perturbed_columns(names) if k in data] if erring else []

    def column(values: np.ndarray, name: str, method: str) -> np.ndarray:
        higher = INDICATORS[name].higher_is_need
        return normalise_array(values, higher_is_need=higher, method=method)

    def perturbed() -> dict[str, np.ndarray]:
        """:func:`perturb_counts` of the data: the same draws from ``rng``, the same numbers."""
        if not counts:
            return data
        factor = rng.uniform(1.0 - params.data_margin, 1.0 + params.data_margin,
                             size=(len(base), len(counts)))  # fmt: skip
        product = np.column_stack([data[k] for k in counts]) * factor
        return {**data, **{k: product[:, j] for j, k in enumerate(counts)}}

    def matrix(r: int, method: str) -> np.ndarray:
        while erring and drawn[0] < r:
            copies[0] = perturbed()
            drawn[0] += 1
        frame = copies[0]
        cols = []
        for name in names:
            if name in counts:
                cols.append(column(frame[name], name, method))
            else:
                if (name, method) not in fixed:
                    fixed[(name, method)] = column(data[name], name, method)
                cols.append(fixed[(name, method)].copy())
        return stack_need(cols, method=method, rows=len(base))

    return matrix


def rank_stability(
    table: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    method: str = "minmax",
    params: StabilityParams | None = None,
) -> pd.DataFrame:
    """Rank range and top-N share of every area over the uncertainty draws.

    Parameters
    ----------
    table
        Indicator table with a unique ``kode`` and the weighted columns.
    weights
        The chosen weights (any non-negative scale).
    method
        The chosen normalisation, see :func:`infra_gap.ranking.scoring.normalise` (the draws use
        it when the ``normalisation`` factor is off).
    params
        Draws, factors, concentration, seed and N; the defaults when None.

    Returns
    -------
    DataFrame with the index of ``table``: ``kode``, ``rank_low`` (5th percentile),
    ``rank_high`` (95th percentile) and ``top_n_share`` in [0, 1].
    """
    params = params or StabilityParams()
    w = normalised_weights(weights)
    if table["kode"].duplicated().any():
        msg = "indicator table has duplicate `kode` values; each area must appear once"
        raise DataError(msg)
    order = np.argsort(table["kode"].to_numpy().astype("str"), kind="stable")
    base = table.iloc[order][["kode", *w]]
    n = len(order)
    if params.draws == 0:
        matrix = need_matrix(base, w, method=method)
        values = np.fromiter(w.values(), dtype="float64", count=len(w))
        keys = np.rint(base_scores(matrix, values) * 10.0**TIE_DECIMALS).astype(np.int64)
        ranked = np.argsort(-keys, kind="stable")
        ranks = np.empty((n, 1), dtype=np.int32)
        ranks[ranked, 0] = np.arange(1, n + 1)
    else:
        draws, norms, replicate = _design(w, method, params, n)
        by_draw = np.empty(
            (len(draws), n), dtype=np.int16 if n < np.iinfo(np.int16).max else np.int32
        )
        matrices = _matrices(base, list(w), params)
        # The matrices in order of r (one seeded stream); each group of draws is ranked in
        # a second thread meanwhile (the sorts run outside the GIL), into its own columns.
        with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
            jobs = [
                pool.submit(
                    draw_ranks,
                    matrices(r, STABILITY_NORMALISATIONS[j]),
                    draws[cols],
                    workers=1,
                    out=by_draw,
                    rows=cols,
                )
                for (r, j), cols in _groups(replicate, norms).items()  # r ascending
            ]
            for job in jobs:
                job.result()
        ranks = np.ascontiguousarray(by_draw.T)  # by area, for the percentiles
    d = ranks.shape[1]
    top = (ranks <= params.top_n).sum(axis=1) / d
    ranks.sort(axis=1)
    low, high = percentile_index(5, d), percentile_index(95, d)
    out = pd.DataFrame(index=table.index[order])
    out["kode"] = table["kode"].to_numpy()[order]
    out["rank_low"] = ranks[:, low].astype("int64")
    out["rank_high"] = ranks[:, high].astype("int64")
    out["top_n_share"] = top
    return out.loc[table.index]


def assign_tiers(ranked: pd.DataFrame, *, top_n: int, rule: TierRule | None = None) -> np.ndarray:
    """Prioritas 1/2/3 per row, by the rule in the module docstring.

    Parameters
    ----------
    ranked
        Rows with ``rank``, ``score``, ``rank_low`` and ``top_n_share``.
    top_n
        N of "top N".
    rule
        Thresholds; the defaults when None.
    """
    rule = rule or TierRule()
    live = ranked["score"].to_numpy() > 0
    in_top = ranked["rank"].to_numpy() <= top_n
    robust = ranked["top_n_share"].to_numpy() >= rule.robust_share
    contender = ranked["rank_low"].to_numpy() <= top_n
    return np.select(
        [live & in_top & robust, live & (in_top | contender)], [1, 2], default=3
    ).astype("int64")
