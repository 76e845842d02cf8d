"""Maximal covering location problem (MCLP) solvers on a sparse 0/1 reach matrix.

Generic: a reach matrix (candidates x demand points, 1 where a candidate reaches a point),
demand weights and site costs; nothing here knows about maps.  A lazy greedy (CELF) with
partial enumeration and substitution for province scale, and an exact integer programme
(SciPy's HiGHS, :func:`scipy.optimize.milp`) for small instances.
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np
from scipy import sparse

from infra_gap.errors import DataError

__all__ = ["exact_available", "exact_mclp", "greedy_mclp", "lazy_greedy", "order_by_gain"]


def lazy_greedy(
    reach: sparse.csr_array,
    weight: np.ndarray,
    cost: np.ndarray,
    *,
    budget: float = np.inf,
    count: int | None = None,
    cost_power: float = 0.0,
    target: float = np.inf,
    gain0: np.ndarray | None = None,
    reserve: float = 0.0,
    capacity: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Lazy greedy (CELF): repeatedly add the site with the largest marginal gain.

    Marginal gains only shrink as sites are added (coverage is submodular), so a stale gain
    is an upper bound and only the top of the heap is re-evaluated (Minoux 1978; Leskovec et
    al. 2007).  Ties go to the lower candidate index.

    Parameters
    ----------
    reach
        0/1 candidates x demand.
    weight
        Weight of each demand point.
    cost
        Cost of each candidate (positive unless ``cost_power`` is 0).
    budget
        Sites whose cost no longer fits are skipped; the total never exceeds it.
    count
        At most this many sites.
    cost_power
        Rank by gain / cost ** cost_power: 0 is the plain greedy, 1 the cost-effectiveness
        (gain per rupiah) greedy; larger values favour cheaper sites more.
    target
        Stop once the covered weight reaches this.
    gain0
        ``reach @ weight`` when the caller has it already.
    reserve
        With ``count`` and ``budget``: money kept back for each site still to choose, so that
        the budget stretches to ``count`` sites (the cheapest site's cost).
    capacity
        Most weight one site serves.  A site whose reach holds more is credited with
        ``capacity`` and serves that share of each point it reaches (the rest stays
        uncovered); it may then be chosen again, as a second site on the same spot.  Gains
        still only shrink, so the lazy evaluation stays exact.  None: no limit.

    Returns
    -------
    chosen, gains
        Candidate indices in the order chosen (with ``capacity``, a candidate may appear
        more than once), and the weight each newly covers (each demand point counted once,
        for the first site that reaches it).  Sites that would add nothing are never chosen.
    """
    indptr, indices = reach.indptr, reach.indices
    alive = np.asarray(weight, dtype="float64").copy()
    cost = np.asarray(cost, dtype="float64")
    gain0 = _matvec(reach, alive) if gain0 is None else gain0
    ok = (gain0 > 0) & (cost <= budget)
    if cost_power and (cost[ok] <= 0).any():
        msg = "site costs must be positive for the cost-effectiveness greedy"
        raise DataError(msg)
    cap = np.inf if capacity is None else float(capacity)
    if cap <= 0:
        msg = f"`capacity` must be positive, got {capacity}"
        raise DataError(msg)
    scale = np.where(ok, cost, 1.0) ** cost_power
    key = np.minimum(gain0, cap) / scale
    heap = list(zip((-key[ok]).tolist(), np.flatnonzero(ok).tolist(), strict=True))
    heapq.heapify(heap)
    stamp = np.zeros(len(cost), dtype="int64")
    chosen: list[int] = []
    gains: list[float] = []
    spent = got = 0.0
    limit = len(cost) if count is None else count
    cheapest = float(cost[ok].min()) if ok.any() else np.inf
    while heap and len(chosen) < limit and got < target and spent + cheapest <= budget:
        _, j = heapq.heappop(heap)
        if spent + cost[j] + reserve * (limit - len(chosen) - 1) > budget:
            continue  # the budget left only shrinks: this site never fits again
        row = indices[indptr[j] : indptr[j + 1]]
        reached = float(alive[row].sum())
        g = min(reached, cap)
        if stamp[j] != len(chosen):
            stamp[j] = len(chosen)
            if g > 0:
                heapq.heappush(heap, (-g / scale[j], j))
            continue
        if reached > cap:  # serves `cap` of the weight it reaches; the rest waits
            alive[row] *= 1.0 - cap / reached
            heapq.heappush(heap, (-min(reached - cap, cap) / scale[j], j))
        else:
            alive[row] = 0.0
        chosen.append(j)
        gains.append(g)
        spent += cost[j]
        got += g
    return np.array(chosen, dtype="int64"), np.array(gains, dtype="float64")


def _limit(count: int | None, budget: float | None, cost: np.ndarray | None, n: int) -> np.ndarray:
    if (count is None) == (budget is None):
        msg = "give exactly one of `count` and `budget`"
        raise DataError(msg)
    if count is not None:
        if count < 1:
            msg = f"`count` must be at least 1, got {count}"
            raise DataError(msg)
        return np.ones(n)
    if budget is None or budget <= 0 or cost is None or len(cost) != n:
        msg = "a positive `budget` and one `cost` per candidate are needed"
        raise DataError(msg)
    return np.asarray(cost, dtype="float64")


def greedy_mclp(
    reach: sparse.csr_array,
    weight: np.ndarray,
    *,
    count: int | None = None,
    budget: float | None = None,
    cost: np.ndarray | None = None,
    enumerate_max: int = 400,
    max_passes: int = 20,
    cost_powers: tuple[float, ...] = (1.0, 0.0, 2.0, 4.0),
    capacity: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy maximal covering for ``count`` sites, or for sites within ``budget``.

    1. Greedy adding, lazily (:func:`lazy_greedy`).  With a count, the plain greedy (within
       1 - 1/e of the optimum: Nemhauser, Wolsey and Fisher 1978).  With a budget, one run
       per entry of ``cost_powers`` (1: the cost-effectiveness greedy; 0: the plain greedy
       that skips sites it cannot afford; 2 and 4 lean towards cheaper sites, which leaves
       less budget unspent), and the single best affordable site: the safeguard of Khuller,
       Moss and Naor (1999), without which the ratio greedy can be arbitrarily bad.
    2. Partial enumeration, on small instances (at most ``enumerate_max`` candidates that
       reach anyone): the runs for powers 1 and 0 are repeated with every candidate forced in
       first.  The run reaching most MSMEs is kept.
    3. Substitution (Church and ReVelle 1974, "greedy adding and substitution"): a chosen
       site is swapped for another whenever that reaches more MSMEs within the limit, until
       no swap helps (at most ``max_passes`` passes); any budget left is then spent greedily.

    With a ``capacity`` that binds (some site reaches more weight than it), only the
    greedy runs of step 1 are made, with the capacity (:func:`lazy_greedy`), and the run
    serving most is kept: partial enumeration and substitution assume uncapacitated sites.

    Returns ``(chosen, gains)`` as :func:`lazy_greedy`.
    """
    c = _limit(count, budget, cost, reach.shape[0])
    w = np.asarray(weight, dtype="float64")
    cap = np.inf if budget is None else budget
    gain0 = np.where(c <= cap, _matvec(reach, w), 0.0)
    if capacity is not None and (gain0 > capacity).any():
        return _capacitated(reach, w, c, count=count, budget=cap, powers=cost_powers, cap=capacity)
    ranked = np.argsort(-gain0, kind="stable")
    ranked = ranked[gain0[ranked] > 0]
    single = [np.array([j]) for j in ranked[:1]]  # the best single site
    if count is not None:
        plain = [lazy_greedy(reach, w, c, count=count)[0]]
    else:
        plain = [lazy_greedy(reach, w, c, budget=cap, cost_power=p)[0] for p in cost_powers]
        cheapest = c[gain0 > 0].min() if (gain0 > 0).any() else cap
        most = int(cap // cheapest)
        if most >= 2:  # as many sites as the budget allows: no money stranded
            plain += [
                lazy_greedy(reach, w, c, budget=cap, count=most, reserve=cheapest, cost_power=p)[0]
                for p in cost_powers[:2]
            ]
    seeded = []
    for seed in ranked.tolist() if len(ranked) <= enumerate_max else []:
        alive = w.copy()
        alive[reach.indices[reach.indptr[seed] : reach.indptr[seed + 1]]] = 0.0
        if count is not None:
            seeded.append(np.r_[seed, lazy_greedy(reach, alive, c, count=count - 1)[0]])
            continue
        for p in cost_powers[:2]:
            more = lazy_greedy(reach, alive, c, budget=cap - c[seed], cost_power=p)[0]
            seeded.append(np.r_[seed, more])
    runs = single + plain + seeded
    starts = [max(runs, key=lambda run: _covered(reach, w, run))]
    if budget is not None:  # each plain run leaves different money unspent: improve each
        starts += plain
    finished = []
    by_demand = reach.T.tocsr()
    for start in {tuple(sorted(r.tolist())): r for r in starts}.values():
        chosen = _substitute(reach, by_demand, w, c, start, cap, max_passes)
        if budget is not None:
            free = w * (_reached(reach, chosen, len(w)) == 0)
            more = lazy_greedy(reach, free, c, budget=cap - c[chosen].sum(), cost_power=1.0)[0]
            chosen = np.r_[chosen, more]
        finished.append(chosen)
    return order_by_gain(reach, w, max(finished, key=lambda run: _covered(reach, w, run)))


def _capacitated(
    reach: sparse.csr_array,
    w: np.ndarray,
    c: np.ndarray,
    *,
    count: int | None,
    budget: float,
    powers: tuple[float, ...],
    cap: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The capacitated greedy runs (one per cost power with a budget); the best is kept."""
    if count is not None:
        return lazy_greedy(reach, w, c, count=count, capacity=cap)
    runs = [lazy_greedy(reach, w, c, budget=budget, cost_power=p, capacity=cap) for p in powers]
    return max(runs, key=lambda run: (float(run[1].sum()), -float(c[run[0]].sum())))


def _reached(reach: sparse.csr_array, chosen: np.ndarray, n: int) -> np.ndarray:
    """How many chosen sites reach each demand point."""
    if not len(chosen):
        return np.zeros(n, dtype="int64")
    parts = [reach.indices[reach.indptr[j] : reach.indptr[j + 1]] for j in chosen]
    return np.bincount(np.concatenate(parts), minlength=n)


def _covered(reach: sparse.csr_array, w: np.ndarray, chosen: np.ndarray) -> float:
    return float(w[_reached(reach, chosen, len(w)) > 0].sum())


def _substitute(
    reach: sparse.csr_array,
    by_demand: sparse.csr_array,
    w: np.ndarray,
    cost: np.ndarray,
    chosen: np.ndarray,
    budget: float,
    max_passes: int,
) -> np.ndarray:
    """Local search: replace a chosen site while that reaches more MSMEs within the limit.

    A site is swapped for the best other single site; failing that, with a budget, it is
    dropped and the freed money (with any left over) refilled by the cost-effectiveness
    greedy, which lets a dearer site give way to two cheaper ones.  Both moves are taken
    only when they reach more MSMEs, so the search ends.
    """
    chosen_list = [int(j) for j in chosen]
    if not chosen_list:
        return np.zeros(0, dtype="int64")
    indptr, indices = reach.indptr, reach.indices
    cheapest = float(cost.min())

    def weight_by_candidate(points: np.ndarray) -> np.ndarray:
        if not points.size:
            return np.zeros(reach.shape[0])
        return _matvec(by_demand[points].T, w[points])

    cnt = _reached(reach, np.array(chosen_list), len(w))
    in_set = np.zeros(reach.shape[0], dtype=bool)
    in_set[chosen_list] = True
    spent = float(cost[chosen_list].sum())
    gain_free = _matvec(reach, w * (cnt == 0))  # what each site would add now
    for _ in range(max_passes):
        improved, pos = False, 0
        while pos < len(chosen_list):
            j = chosen_list[pos]
            row = indices[indptr[j] : indptr[j + 1]]
            only = row[cnt[row] == 1]  # reached by j alone: lost if j goes
            loss = float(w[only].sum())
            gain = gain_free + weight_by_candidate(only)
            left = budget - spent + cost[j]
            ok = ~in_set & (cost <= left)
            k = int(np.argmax(np.where(ok, gain, -1.0)))
            new: list[int] = [k] if ok[k] and gain[k] > loss else []
            if not new and np.isfinite(budget) and left >= 2 * cheapest:
                alive = w * (cnt == 0)
                alive[only] = w[only]
                more, got = lazy_greedy(
                    reach, alive, cost, budget=left, cost_power=1.0, gain0=np.where(in_set, 0, gain)
                )
                new = more.tolist() if got.sum() > loss else []
            if not new:
                pos += 1
                continue
            cnt[row] -= 1
            in_set[j] = False
            for m in new:
                cnt[indices[indptr[m] : indptr[m + 1]]] += 1
                in_set[m] = True
            spent += float(cost[new].sum()) - cost[j]
            chosen_list[pos : pos + 1] = new
            gain_free = _matvec(reach, w * (cnt == 0))
            improved = True
            pos += len(new)
        if not improved:
            break
    return np.array(chosen_list, dtype="int64")


def _matvec(matrix: Any, vector: np.ndarray) -> np.ndarray:
    """``matrix @ vector`` as float64, without upcasting a float32 matrix on every call."""
    if matrix.dtype == np.float32:
        vector = vector.astype("float32")  # integer weights are exact below 2**24
    return np.asarray(matrix @ vector, dtype="float64")


def exact_available() -> bool:
    """True: the exact solver is SciPy's HiGHS (:func:`scipy.optimize.milp`), always installed."""
    return True


def exact_mclp(
    reach: sparse.csr_array,
    weight: np.ndarray,
    *,
    count: int | None = None,
    budget: float | None = None,
    cost: np.ndarray | None = None,
    time_limit_s: float = 60.0,
) -> tuple[np.ndarray, bool]:
    """Maximal covering as an integer programme, solved by HiGHS (:func:`scipy.optimize.milp`).

    max sum_k W_k y_k  s.t.  y_k <= sum_{j reaches k} x_j,  sum_j x_j <= p  (or
    sum_j c_j x_j <= B),  x binary, 0 <= y <= 1 (Church and ReVelle 1974).  Demand points
    reached by the same set of candidates are merged first (exact), which keeps the model
    small.  HiGHS runs with a relative gap of 0, so "optimal" means proven optimal.

    Returns
    -------
    chosen, optimal
        Chosen candidate indices (unordered; see :func:`order_by_gain`) and whether HiGHS
        proved the optimum within ``time_limit_s``.
    """
    c = _limit(count, budget, cost, reach.shape[0])
    w = np.asarray(weight, dtype="float64")
    cap = np.inf if budget is None else budget
    usable = np.flatnonzero((_matvec(reach, w) > 0) & (c <= cap))
    sub = sparse.csc_array(reach[usable])
    sub.sort_indices()
    groups: dict[bytes, float] = {}
    members: dict[bytes, np.ndarray] = {}
    for k in np.flatnonzero(np.diff(sub.indptr) > 0):
        rows = sub.indices[sub.indptr[k] : sub.indptr[k + 1]]
        key = rows.tobytes()
        groups[key] = groups.get(key, 0.0) + w[k]
        members.setdefault(key, rows)
    share = c[usable] / cap if budget is not None else None  # costs as shares of the budget
    rhs, optimal = 1.0, True
    picked = usable[:0]
    for _ in range(5):
        if not usable.size:
            break
        local, optimal = _solve_milp(groups, members, len(usable), count, share, rhs, time_limit_s)
        picked = usable[local]
        if budget is None or c[picked].sum() <= budget:
            break
        # A solver accepts a row broken within its feasibility tolerance: tighten and re-solve
        rhs -= (c[picked].sum() - budget) / cap + 1e-9
    else:
        msg = "HiGHS kept returning selections over budget; use the greedy solver"
        raise DataError(msg)
    return picked.astype("int64"), optimal


def _solve_milp(
    groups: dict[bytes, float],
    members: dict[bytes, np.ndarray],
    n: int,
    count: int | None,
    share: np.ndarray | None,
    rhs: float,
    time_limit_s: float,
) -> tuple[np.ndarray, bool]:
    """One HiGHS solve; variables are ``x`` (n candidates, binary) then ``y`` (groups)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    m = len(groups)
    keys = list(groups)
    objective = np.r_[np.zeros(n), -np.array([groups[k] for k in keys], dtype="float64")]
    # y_k - sum_{i in members_k} x_i <= 0: one row per group
    cols = [np.r_[n + k, members[key]] for k, key in enumerate(keys)]
    vals = [np.r_[1.0, -np.ones(len(members[key]))] for key in keys]
    rows = [np.full(len(c), k) for k, c in enumerate(cols)]
    cover = sparse.csr_array(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(m, n + m)
    )
    limit_row = np.r_[np.ones(n) if share is None else share, np.zeros(m)]
    limit = float(count or 0) if share is None else rhs
    constraints = [
        LinearConstraint(cover, -np.inf, 0.0),
        LinearConstraint(limit_row.reshape(1, -1), -np.inf, limit),
    ]
    res = milp(
        objective,
        constraints=constraints,
        integrality=np.r_[np.ones(n), np.zeros(m)],
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": float(time_limit_s), "mip_rel_gap": 0.0, "disp": False},
    )
    if res.x is None:
        return np.zeros(0, dtype="int64"), False
    chosen = np.flatnonzero(res.x[:n] > 0.5).astype("int64")
    return chosen, bool(res.status == 0)


def order_by_gain(
    reach: sparse.csr_array, weight: np.ndarray, picked: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Order chosen sites greedily by marginal gain; drop any that add nothing.

    Returns ``(chosen, gains)`` as :func:`lazy_greedy`, so ``gains`` counts each demand point
    once, for the first site in this order that reaches it.
    """
    picked = np.asarray(picked, dtype="int64")
    if not picked.size:
        return picked, np.zeros(0)
    order, gains = lazy_greedy(reach[picked], weight, np.ones(len(picked)), count=len(picked))
    return picked[order], gains
