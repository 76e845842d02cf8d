"""Site plans: the chosen sites with their costs, per-area site needs, and cost-efficiency.

:func:`suggest_sites` solves a :class:`~infra_gap.siting.problem.SitingProblem` for a number of
sites or a budget; :func:`area_site_needs` gives, per area, the sites needed to reach a
share of its uncovered MSMEs and the MSMEs newly covered per Rp 1 billion, which
:func:`with_cost_efficiency` joins onto an indicator table as the registry's
``msme_new_per_billion_idr`` (the *Efisiensi biaya* preset).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse

from infra_gap.config import GEO_CRS, LEVEL_CODE_LENGTH
from infra_gap.errors import DataError, SchemaError
from infra_gap.siting.costs import summary_line
from infra_gap.siting.mclp import (
    exact_available,
    exact_mclp,
    greedy_mclp,
    lazy_greedy,
    order_by_gain,
)
from infra_gap.siting.problem import SitingProblem

__all__ = [
    "COST_EFFICIENCY",
    "SITE_COLUMNS",
    "SitePlan",
    "area_site_needs",
    "msme_new_per_billion_idr",
    "reach_discs",
    "suggest_sites",
    "with_cost_efficiency",
]

#: Columns of the per-site output, in order (then ``geometry``).
SITE_COLUMNS = (
    "site_id",
    "lon",
    "lat",
    "kode_desa",
    "kode_kec",
    "msme_new",
    "capex_idr",
    "backhaul",
    "opex_idr_per_year",
    "cost_idr",
    "backhaul_idr",
    "backbone_km",
    "capex_class",
    "island",
    "no_road",
    "terrain",
    "radius_km",
    "source",
    "label",
    "cost_total_idr",
    "base_capex_idr",
    "backhaul_opex_idr_per_year",
    "backhaul_cost_idr",
    "backhaul_fibre_idr",
    "backhaul_microwave_idr",
    "backhaul_vsat_idr",
    "at_capacity",
)


@dataclass(frozen=True)
class SitePlan:
    """Chosen sites and what they achieve.

    Attributes
    ----------
    sites
        One row per site in the order chosen (work CRS), columns :data:`SITE_COLUMNS`.
        ``msme_new`` counts each MSME once, for the first site that reaches it, so the column
        sums to the MSMEs newly covered.
    msme_uncovered
        MSMEs not covered by existing coverage (the demand).
    budget_idr, count
        The limit asked for (one of them is None).
    method
        ``"greedy"`` or ``"exact"``.
    optimal
        For ``"exact"``, whether HiGHS proved optimality within its time limit.
    """

    sites: gpd.GeoDataFrame
    msme_uncovered: int
    budget_idr: float | None
    count: int | None
    method: str
    optimal: bool | None = None

    @property
    def msme_new(self) -> int:
        """MSMEs newly covered by all sites together."""
        return int(self.sites["msme_new"].sum())

    @property
    def capex_idr(self) -> float:
        """Total capex of the sites, rupiah."""
        return float(self.sites["capex_idr"].sum())

    @property
    def opex_idr_per_year(self) -> float:
        """Total opex of the sites a year, rupiah."""
        return float(self.sites["opex_idr_per_year"].sum())

    @property
    def cost_total_idr(self) -> float:
        """Total whole-life cost of the sites (capex + opex years x opex), rupiah."""
        return float(self.sites["cost_total_idr"].sum())

    def summary(self, lang: str, *, synthetic: bool = False) -> str:
        """``Rp 50 miliar → 19 menara → 48.210 UMKM baru terjangkau``."""
        money = self.budget_idr if self.budget_idr is not None else self.cost_total_idr
        return summary_line(
            money_idr=money,
            sites=len(self.sites),
            msme_new=self.msme_new,
            lang=lang,
            synthetic=synthetic,
        )


def suggest_sites(
    problem: SitingProblem,
    *,
    count: int | None = None,
    budget_idr: float | None = None,
    method: str = "auto",
    exact_max_candidates: int = 150,
    time_limit_s: float = 20.0,
) -> SitePlan:
    """Choose sites that reach the most uncovered MSMEs, for ``count`` sites or a budget.

    Parameters
    ----------
    problem
        From :func:`infra_gap.siting.problem.siting_problem`.
    count, budget_idr
        Exactly one: the number of sites p, or a budget in rupiah that must hold each site's
        ``cost_total_idr`` (capex plus ``CostParams.opex_years`` years of opex).
    method
        ``"greedy"`` (:func:`~infra_gap.siting.mclp.greedy_mclp`), ``"exact"``
        (:func:`~infra_gap.siting.mclp.exact_mclp`; the greedy answer
        is kept if HiGHS stops at its time limit with a worse one) or ``"auto"`` (exact when
        there are at most ``exact_max_candidates`` candidates).  When the site capacity
        (``ReachParams.capacity_msme``) binds, the capacitated greedy is used whatever the
        method: the integer programme has no capacity.
    exact_max_candidates, time_limit_s
        Size limit for ``"auto"`` and the exact solver's time limit.
    """
    if method not in {"auto", "greedy", "exact"}:
        msg = f"`method` must be auto, greedy or exact, got {method!r}"
        raise DataError(msg)
    weight = problem.demand_weight.astype("float64")
    cost = problem.candidates["cost_total_idr"].to_numpy(dtype="float64")
    kw = {"count": count, "budget": budget_idr, "cost": cost}
    capacity = problem.reach_params.capacity_msme
    binds = capacity is not None and bool((problem.reach @ weight > capacity).any())
    use_exact = not binds and (
        method == "exact"
        or (method == "auto" and len(cost) <= exact_max_candidates and exact_available())
    )
    optimal = None
    chosen, gains = greedy_mclp(problem.reach, weight, capacity=capacity, **kw)
    if use_exact:
        picked, optimal = exact_mclp(problem.reach, weight, time_limit_s=time_limit_s, **kw)
        ex_chosen, ex_gains = order_by_gain(problem.reach, weight, picked)
        if ex_gains.sum() >= gains.sum():
            chosen, gains = ex_chosen, ex_gains
    sites = problem.candidates.iloc[chosen].reset_index(drop=True)
    sites["msme_new"] = np.round(gains).astype("int64")
    sites["at_capacity"] = binds and capacity is not None and gains >= capacity - 1e-6
    return SitePlan(
        sites=_site_frame(sites, problem.level),
        msme_uncovered=problem.msme_uncovered,
        budget_idr=budget_idr,
        count=count,
        method="exact" if use_exact else "greedy",
        optimal=optimal,
    )


def _site_frame(sites: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """Site ids, lon/lat and the desa and kecamatan codes (blank when not given)."""
    geo = sites.geometry.to_crs(GEO_CRS)
    sites["site_id"] = [f"S{i:04d}" for i in range(1, len(sites) + 1)]
    sites["lon"], sites["lat"] = geo.x.round(6).to_numpy(), geo.y.round(6).to_numpy()
    code = sites["kode_desa"].astype("str")
    if level == "desa":
        sites["kode_kec"] = code.str.slice(0, LEVEL_CODE_LENGTH["kecamatan"])
    else:  # a user's coarser areas: the finest code is the kecamatan's, or neither is known
        sites["kode_kec"] = code if level == "kecamatan" else ""
        sites["kode_desa"] = ""
    return gpd.GeoDataFrame(sites[[*SITE_COLUMNS, "geometry"]], geometry="geometry")


def reach_discs(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each site's reach as a disc (its ``radius_km``), for maps and GeoPackage exports."""
    discs = sites.geometry.buffer(sites["radius_km"].to_numpy() * 1000.0, quad_segs=16)
    return gpd.GeoDataFrame(sites.drop(columns="geometry"), geometry=discs, crs=sites.crs)


def area_site_needs(
    problem: SitingProblem, codes: Sequence[str], *, share: float = 0.8
) -> pd.DataFrame:
    """Sites needed to cover ``share`` of each area's uncovered MSMEs, their cost, and yield.

    Each area is solved on its own: a cost-effectiveness greedy (most of the area's uncovered
    MSMEs per rupiah) from all candidates, until ``share`` of the area's uncovered MSMEs are
    reached.  Areas are given by Kemendagri codes at any level (a desa's code starts with
    its kecamatan's and kabupaten's, up to a dot) or by the finest areas' own codes.

    Returns
    -------
    DataFrame row-aligned with ``codes``: ``kode``, ``msme_uncovered``, ``sites_needed``,
    ``msme_new`` (the area's own MSMEs reached), ``capex_idr``, ``cost_idr`` and
    ``msme_new_per_billion_idr`` (``msme_new`` per Rp 1 billion of ``cost_idr``).  An area
    with no uncovered MSMEs needs 0 sites and its ratio is missing (NaN).
    """
    if not 0 < share <= 1:
        msg = f"`share` must be in (0, 1], got {share}"
        raise DataError(msg)
    by_demand = problem.reach.T.tocsr()
    capex = problem.candidates["capex_idr"].to_numpy(dtype="float64")
    cost = problem.candidates["cost_total_idr"].to_numpy(dtype="float64")
    capacity = problem.reach_params.capacity_msme
    kode = pd.Series(problem.demand_kode, dtype="str")
    rows = []
    prefixes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for code in codes:
        if len(code) not in prefixes:
            n = len(code)
            # a whole code or a prefix ending at a dot: 12.01 holds 12.01.01, not 12.010
            whole = kode.str.len().eq(n) | kode.str.slice(n, n + 1).eq(".")
            pre = kode.str.slice(0, n).where(whole, "").to_numpy().astype("str")
            order = np.argsort(pre, kind="stable")
            prefixes[n] = (order, pre[order])
        order, sorted_pre = prefixes[len(code)]
        lo, hi = (
            np.searchsorted(sorted_pre, code, "left"),
            np.searchsorted(sorted_pre, code, "right"),
        )
        dem = order[lo:hi]
        w = problem.demand_weight[dem].astype("float64")
        sub = by_demand[dem]
        cols, local = np.unique(sub.indices, return_inverse=True)
        sub_t = sparse.csr_array(
            (sub.data, local.ravel(), sub.indptr), shape=(len(dem), len(cols))
        ).T.tocsr()
        picked, gains = lazy_greedy(
            sub_t, w, cost[cols], cost_power=1.0, target=share * w.sum(), capacity=capacity
        )
        rows.append(
            (
                code,
                w.sum(),
                len(picked),
                gains.sum(),
                capex[cols[picked]].sum(),
                cost[cols[picked]].sum(),
            )
        )
    out = pd.DataFrame(
        rows,
        columns=["kode", "msme_uncovered", "sites_needed", "msme_new", "capex_idr", "cost_idr"],
    )
    for col in ("msme_uncovered", "sites_needed", "msme_new"):
        out[col] = out[col].astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = out["msme_new"] / (out["cost_idr"] / 1e9)
    out["msme_new_per_billion_idr"] = ratio.where(out["cost_idr"] > 0)
    return out


def msme_new_per_billion_idr(
    problem: SitingProblem, codes: Sequence[str], *, share: float = 0.8
) -> pd.Series:
    """The cost-efficiency indicator, indexed by ``kode`` (see :func:`area_site_needs`)."""
    table = area_site_needs(problem, codes, share=share)
    return table.set_index("kode")["msme_new_per_billion_idr"].rename("msme_new_per_billion_idr")


#: The registry name of the cost-efficiency indicator.
COST_EFFICIENCY = "msme_new_per_billion_idr"


def with_cost_efficiency(
    table: pd.DataFrame, problem: SitingProblem, *, share: float = 0.8
) -> pd.DataFrame:
    """An indicator table with the cost-efficiency indicator joined on, as a new frame.

    Parameters
    ----------
    table
        Indicator table of one level (``kode`` column), e.g. from
        :func:`infra_gap.analysis.pipeline.indicator_table`.
    problem
        The siting problem of the same data (:func:`infra_gap.siting.problem.siting_problem`).
    share
        Share of each area's uncovered MSMEs its sites must reach.

    Returns
    -------
    A copy of ``table`` with ``msme_new_per_billion_idr``: the area's MSMEs newly covered
    per Rp 1 billion of the sites it needs (:func:`area_site_needs`); missing (NaN) where
    the area has no uncovered MSMEs.

    Examples
    --------
    >>> table = with_cost_efficiency(indicator_table(layers, facts, level="kecamatan"),
    ...                              siting_problem(layers, facts))  # doctest: +SKIP
    """
    if "kode" not in table:
        msg = f"`table` is missing required column(s) ['kode']; found {list(table.columns)}"
        raise SchemaError(msg)
    codes = table["kode"].astype("str").tolist()
    out = table.copy()
    out[COST_EFFICIENCY] = msme_new_per_billion_idr(problem, codes, share=share).to_numpy()
    return out
