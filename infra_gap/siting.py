"""Where to build: candidate tower sites, their reach, and the maximal covering location problem.

Demand is every placed MSME that the coverage layer leaves **not covered**, weight 1: existing
towers stay fixed, so what they cover is never counted again.  MSMEs at identical coordinates
are merged into one demand point with a weight (exact; no cell aggregation, so every count
is a count of MSMEs whose own point lies within a site's radius).

Candidates are the centres of a regular grid (default 1 km) over the cells holding uncovered
MSMEs, moved onto the nearest such MSME when the centre lies in no desa; the representative
points of desa with uncovered MSMEs; and, optionally, uploaded points (plots the local
government can grant).  The solvers at the end are generic (a sparse 0/1 reach matrix,
demand weights, site costs): a lazy greedy (CELF) for province scale and an exact ILP (PuLP
with its bundled CBC) for small instances.
"""

from __future__ import annotations

import heapq
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy import sparse
from scipy.spatial import cKDTree

from infra_gap.config import GEO_CRS, LEVEL_CODE_LENGTH, WORK_CRS
from infra_gap.context import mainland
from infra_gap.costs import CostParams, site_costs, summary_line
from infra_gap.errors import DataError, SchemaError
from infra_gap.layers import Layers
from infra_gap.pipeline import PointFacts
from infra_gap.placement import place_points

__all__ = [
    "SITE_COLUMNS",
    "ReachParams",
    "SitePlan",
    "SitingProblem",
    "area_site_needs",
    "check_uploaded_candidates",
    "exact_mclp",
    "greedy_mclp",
    "lazy_greedy",
    "msme_new_per_billion_idr",
    "order_by_gain",
    "reach_discs",
    "reach_table",
    "siting_problem",
    "suggest_sites",
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
)


_YES = frozenset({"true", "1", "ya", "yes", "y"})
_NO = frozenset({"false", "0", "tidak", "no", "n", "", "nan", "none"})


@dataclass(frozen=True)
class ReachParams:
    """How far a new site reaches.

    Attributes
    ----------
    height_bands_km
        ``(minimum height m, flat reach km)``, tallest first.  GSMA's rural guidance via the
        ITU: towers over 30 m reach 8-15 km, 12-30 m reach 4-8 km, 9-19 m reach 2-4 km; the
        low end of each band is used (domain.md, "Cell towers").
    tower_height_m
        Height of generated candidates: 42 m, the lowest BAKTI tower (42-72 m, domain.md), so
        8 km on flat land.
    hilly_factor
        Reach on hilly land as a share of flat reach: 0.6, an **assumption** (domain.md says
        "hills cut this" without a figure).
    radius_km
        When set, the flat reach of every site (the CLI's ``--radius-km``); hilly sites still
        get ``hilly_factor``.
    terrain
        Terrain of generated candidates, ``"flat"`` or ``"hilly"`` (no elevation layer is
        read); uploaded candidates may carry their own ``terrain``.
    """

    height_bands_km: tuple[tuple[float, float], ...] = ((30.0, 8.0), (12.0, 4.0), (9.0, 2.0))
    tower_height_m: float = 42.0
    hilly_factor: float = 0.6
    radius_km: float | None = None
    terrain: str = "flat"

    def radius_m(self, height_m: np.ndarray, hilly: np.ndarray) -> np.ndarray:
        """Reach of each site in metres."""
        h = np.asarray(height_m, dtype="float64")
        if self.radius_km is not None:
            if self.radius_km <= 0:
                msg = f"`radius_km` must be positive, got {self.radius_km}"
                raise DataError(msg)
            flat = np.full(len(h), self.radius_km)
        else:
            lowest = min(b[0] for b in self.height_bands_km)
            if (h < lowest).any() or np.isnan(h).any():
                msg = f"tower heights must be at least {lowest:g} m (GSMA bands), got {h.min()}"
                raise DataError(msg)
            conds = [h >= b[0] for b in self.height_bands_km]
            flat = np.select(conds, [b[1] for b in self.height_bands_km])
        return 1000.0 * flat * np.where(np.asarray(hilly, dtype=bool), self.hilly_factor, 1.0)


def reach_table(params: ReachParams) -> pd.DataFrame:
    """Every reach figure of a run with its unit and source (``parameter,value,unit,source``)."""
    gsma = "GSMA rural guidance via the ITU, low end of the band (domain.md)"
    rows: list[tuple[str, object, str, str]] = [
        (f"flat_reach_km[height >= {h:g} m]", km, "km", gsma) for h, km in params.height_bands_km
    ]
    rows += [
        ("tower_height_m", params.tower_height_m, "m", "lowest BAKTI tower, 42-72 m (domain.md)"),
        ("hilly_factor", params.hilly_factor, "x", "assumption: domain.md says hills cut reach"),
        ("radius_km", params.radius_km, "km", "user override of the flat reach (none: by height)"),
        ("terrain", params.terrain, "", "terrain of generated candidates (no elevation layer)"),
    ]
    return pd.DataFrame(rows, columns=["parameter", "value", "unit", "source"])


@dataclass(frozen=True)
class SitingProblem:
    """Candidates, demand and who reaches whom, ready for the solvers.

    Attributes
    ----------
    candidates
        One row per candidate, work CRS: ``source`` (grid/desa/upload), ``label``,
        ``kode_desa``, ``height_m``, ``terrain``, ``no_road``, ``capex_class``, ``island``,
        ``backbone_km``, ``radius_km`` and the columns of :func:`infra_gap.costs.site_costs`.
    reach
        Sparse 0/1 matrix, candidates x demand points: 1 where the demand point lies within
        the candidate's radius (distance <= radius).
    demand_xy, demand_weight, demand_kode
        Demand points (work CRS), MSMEs at each, and the desa code of each.
    costs, reach_params
        The figures used.
    """

    candidates: gpd.GeoDataFrame
    reach: sparse.csr_array
    demand_xy: np.ndarray
    demand_weight: np.ndarray
    demand_kode: np.ndarray
    costs: CostParams = field(default_factory=CostParams)
    reach_params: ReachParams = field(default_factory=ReachParams)

    @property
    def msme_uncovered(self) -> int:
        """MSMEs not covered by the existing coverage layer (the demand)."""
        return int(self.demand_weight.sum())


def check_uploaded_candidates(points: gpd.GeoDataFrame, *, costs: CostParams) -> pd.DataFrame:
    """Validate uploaded candidate points and return them in the candidate schema.

    Parameters
    ----------
    points
        Points in the work CRS.  Optional columns: ``nama`` (a label), ``height_m`` (at
        least 9 m; the default tower height when missing), ``terrain`` (``flat``/``hilly``),
        ``no_road`` (true/false, ya/tidak or 1/0: true where the plot has no road access;
        there is no road layer, so this flag is the only way to say so) and ``capex_class``.
    costs
        Cost figures (for the known classes).

    Raises
    ------
    SchemaError
        Listing every problem found, not only the first.
    """
    problems = []
    if points.crs is None or not CRS.from_user_input(points.crs).equals(WORK_CRS):
        problems.append(f"CRS must be {WORK_CRS}, got {points.crs}")
    n = len(points)
    if n == 0:
        problems.append("no points")
    bad = np.flatnonzero(~points.geometry.geom_type.eq("Point").to_numpy())
    if bad.size:
        problems.append(f"rows {bad[:10].tolist()} are not points")

    def column(name: str, default: object) -> pd.Series:
        values = points[name] if name in points else pd.Series([default] * n)
        return pd.Series(values.to_numpy(), index=range(n))

    terrain = column("terrain", "flat").astype("str").str.strip().str.lower()
    if odd := sorted(set(terrain) - {"flat", "hilly"}):
        problems.append(f"`terrain` must be flat or hilly, found {odd}")
    klass = column("capex_class", costs.site_class).astype("str").str.strip()
    if unknown := sorted(set(klass) - set(costs.capex_idr)):
        problems.append(f"unknown `capex_class` {unknown}; known {sorted(costs.capex_idr)}")
    road = column("no_road", False).astype("str").str.strip().str.lower()
    if odd := sorted(set(road) - _YES - _NO):
        problems.append(f"`no_road` must be true/false (ya/tidak, 1/0), found {odd}")
    raw = column("height_m", np.nan)
    height = pd.to_numeric(raw, errors="coerce")
    if (bad := np.flatnonzero((raw.notna() & height.isna()) | (height < 9))).size:
        problems.append(f"`height_m` must be a number of at least 9 m, rows {bad[:10].tolist()}")
    if problems:
        msg = "uploaded candidates: " + "; ".join(problems)
        raise SchemaError(msg)
    xy = shapely.get_coordinates(points.geometry.to_numpy())
    label = column("nama", "").astype("str")
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "source": "upload",
            "label": label.where(label != "", pd.Series(range(1, n + 1)).astype("str")),
            "height_m": height.to_numpy(dtype="float64"),
            "terrain": terrain.to_numpy(),
            "no_road": road.isin(_YES).to_numpy(),
            "capex_class": klass.to_numpy(),
            "_desa": -1,
        }
    )


def _generated(
    x: np.ndarray, y: np.ndarray, desa_idx: np.ndarray, desa: gpd.GeoDataFrame, grid_m: float
) -> pd.DataFrame:
    """Grid centres over cells holding demand (snapped onto land), plus desa points."""
    cell = np.floor(np.column_stack([x, y]) / grid_m).astype("int64")
    keys, inv = np.unique(cell, axis=0, return_inverse=True)
    inv = inv.ravel()
    centre = (keys + 0.5) * grid_m
    gx, gy = centre[:, 0].copy(), centre[:, 1].copy()
    gdesa = place_points(gx, gy, desa)
    # A centre in the sea or outside the province moves onto the cell's MSME nearest to it.
    d2 = (x - centre[inv, 0]) ** 2 + (y - centre[inv, 1]) ** 2
    order = np.lexsort((d2, inv))
    first = order[np.r_[True, inv[order][1:] != inv[order][:-1]]]
    out = gdesa < 0
    gx[out], gy[out], gdesa[out] = x[first][out], y[first][out], desa_idx[first][out]
    used = np.unique(desa_idx)
    rp = shapely.get_coordinates(desa.geometry.iloc[used].representative_point().to_numpy())
    label = np.r_[[f"{a}_{b}" for a, b in keys], desa["kode"].to_numpy()[used]]
    return pd.DataFrame(
        {
            "x": np.r_[gx, rp[:, 0]],
            "y": np.r_[gy, rp[:, 1]],
            "source": np.r_[np.full(len(gx), "grid"), np.full(len(used), "desa")],
            "label": label.astype("str"),
            "_desa": np.r_[gdesa, used],
        }
    )


def siting_problem(
    layers: Layers,
    facts: PointFacts,
    *,
    reach: ReachParams | None = None,
    costs: CostParams | None = None,
    grid_m: float = 1000.0,
    uploaded: gpd.GeoDataFrame | None = None,
    generated: bool = True,
    area: str | None = None,
) -> SitingProblem:
    """Build candidates, demand and the candidate-to-demand reach matrix.

    Parameters
    ----------
    layers
        Needs ``areas["desa"]`` and ``areas["kabupaten"]`` (islands are desa off the largest
        land mass); ``backbone`` sets each site's backhaul (VSAT for all without it).
    facts
        From :func:`infra_gap.pipeline.place_and_cover` (desa of each MSME, coverage).
    reach, costs
        Reach and cost figures; the defaults when None.
    grid_m
        Spacing of the candidate grid, metres.
    uploaded
        Candidate points to add (see :func:`check_uploaded_candidates`).
    generated
        False to use only the uploaded candidates.
    area
        A Kemendagri code at any level: only candidates in desa whose code starts with it
        are kept.  Demand stays province-wide, so a site near the edge is credited with
        every MSME it reaches.
    """
    reach, costs = reach or ReachParams(), costs or CostParams()
    if grid_m <= 0:
        msg = f"`grid_m` must be positive, got {grid_m}"
        raise DataError(msg)
    desa = layers.areas["desa"]
    keep = ~facts.coverage.covered & (facts.area_index >= 0)
    pts = np.column_stack(
        [
            layers.msme.geometry.x.to_numpy()[keep],
            layers.msme.geometry.y.to_numpy()[keep],
            facts.area_index[keep].astype("float64"),
        ]
    )
    uniq, weight = np.unique(pts, axis=0, return_counts=True)
    dx, dy, didx = uniq[:, 0], uniq[:, 1], uniq[:, 2].astype("int64")
    parts = []
    if generated and len(uniq):
        parts.append(_generated(dx, dy, didx, desa, grid_m))
        parts[-1]["height_m"] = reach.tower_height_m
        parts[-1]["terrain"] = reach.terrain
        parts[-1]["no_road"] = False
        parts[-1]["capex_class"] = costs.site_class
    if uploaded is not None:
        up = check_uploaded_candidates(uploaded, costs=costs)
        up["height_m"] = up["height_m"].fillna(reach.tower_height_m)
        parts.append(up)
    if not parts:
        msg = "no candidate sites: no uncovered MSMEs and no uploaded candidates"
        raise DataError(msg)
    cand = pd.concat(parts, ignore_index=True)
    placed = place_points(cand["x"].to_numpy(), cand["y"].to_numpy(), desa)
    placed = np.where(placed >= 0, placed, cand["_desa"].to_numpy())
    if (placed < 0).any():  # only uploaded points can be outside: they come last
        first_upload = len(cand) - (0 if uploaded is None else len(uploaded))
        rows = (np.flatnonzero(placed < 0) - first_upload).tolist()[:10]
        msg = f"uploaded candidates outside every desa (rows {rows})"
        raise SchemaError(msg)
    cand["kode_desa"] = desa["kode"].to_numpy()[placed]
    if area is not None:
        if len(area) not in {2, *LEVEL_CODE_LENGTH.values()}:
            msg = f"`area` must be a Kemendagri code such as 12.04 or 12.04.10, got {area!r}"
            raise DataError(msg)
        cand = cand[cand["kode_desa"].str.startswith(area)].reset_index(drop=True)
        if cand.empty:
            msg = f"no candidate site in area {area!r} (no uncovered MSMEs there?)"
            raise DataError(msg)
    land = mainland(layers.areas["kabupaten"])
    shapely.prepare(land)
    cand["island"] = ~shapely.intersects_xy(land, cand["x"].to_numpy(), cand["y"].to_numpy())
    cand["backbone_km"] = _backbone_km(cand, layers.backbone)
    radius = reach.radius_m(cand["height_m"].to_numpy(), cand["terrain"].eq("hilly").to_numpy())
    cand["radius_km"] = radius / 1000.0
    money = site_costs(
        capex_class=cand["capex_class"].to_numpy(),
        island=cand["island"].to_numpy(),
        no_road=cand["no_road"].to_numpy(),
        backbone_km=cand["backbone_km"].to_numpy(),
        params=costs,
    )
    cand = pd.concat([cand.drop(columns="_desa"), money], axis=1)
    geom = gpd.points_from_xy(cand.pop("x"), cand.pop("y"), crs=WORK_CRS)
    return SitingProblem(
        candidates=gpd.GeoDataFrame(cand, geometry=geom),
        reach=_reach_matrix(shapely.get_coordinates(geom), radius, np.column_stack([dx, dy])),
        demand_xy=np.column_stack([dx, dy]),
        demand_weight=weight.astype("int64"),
        demand_kode=desa["kode"].to_numpy()[didx].astype("str"),
        costs=costs,
        reach_params=reach,
    )


def _backbone_km(cand: pd.DataFrame, backbone: gpd.GeoDataFrame | None) -> np.ndarray:
    if backbone is None or backbone.empty:
        return np.full(len(cand), np.nan)
    tree = shapely.STRtree(backbone.geometry.to_numpy())
    pts = shapely.points(cand["x"].to_numpy(), cand["y"].to_numpy())
    _, dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    return np.asarray(dist) / 1000.0


def _reach_matrix(cxy: np.ndarray, radius: np.ndarray, dxy: np.ndarray) -> sparse.csr_array:
    """0/1 candidates x demand within each candidate's radius (k-d trees, in chunks)."""
    chunks = []
    if len(dxy) and len(cxy):
        demand = cKDTree(dxy)
        for lo in range(0, len(cxy), 4096):
            r = radius[lo : lo + 4096]
            pairs = cKDTree(cxy[lo : lo + 4096]).sparse_distance_matrix(
                demand, float(r.max()), output_type="ndarray"
            )
            pairs = pairs[pairs["v"] <= r[pairs["i"]]]
            order = np.argsort(pairs["i"].astype("int16"), kind="stable")  # radix sort
            chunks.append((pairs["i"][order] + lo, pairs["j"][order].astype("int32")))
    rows = np.concatenate([c[0] for c in chunks]) if chunks else np.zeros(0, dtype="int64")
    cols = np.concatenate([c[1] for c in chunks]) if chunks else np.zeros(0, dtype="int32")
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=len(cxy)))]
    data = np.ones(len(cols), dtype="float32")  # float32 x float32 avoids an upcast per product
    return sparse.csr_array((data, cols, indptr), shape=(len(cxy), len(dxy)))


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
        For ``"exact"``, whether CBC proved optimality within its time limit.
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

    def summary(self, lang: str, *, synthetic: bool = False) -> str:
        """``Rp 50 miliar → 19 menara → 48.210 UMKM baru terjangkau``."""
        money = self.budget_idr if self.budget_idr is not None else self.capex_idr
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
        From :func:`siting_problem`.
    count, budget_idr
        Exactly one: the number of sites p, or a budget in rupiah spent on each site's
        ``cost_idr`` (capex, plus opex for ``CostParams.opex_years``).
    method
        ``"greedy"`` (:func:`greedy_mclp`), ``"exact"`` (:func:`exact_mclp`; the greedy answer
        is kept if CBC stops at its time limit with a worse one) or ``"auto"`` (exact when
        there are at most ``exact_max_candidates`` candidates and CBC is available).
    exact_max_candidates, time_limit_s
        Size limit for ``"auto"`` and CBC's time limit.
    """
    if method not in {"auto", "greedy", "exact"}:
        msg = f"`method` must be auto, greedy or exact, got {method!r}"
        raise DataError(msg)
    weight = problem.demand_weight.astype("float64")
    cost = problem.candidates["cost_idr"].to_numpy(dtype="float64")
    kw = {"count": count, "budget": budget_idr, "cost": cost}
    use_exact = method == "exact" or (
        method == "auto" and len(cost) <= exact_max_candidates and _cbc_available()
    )
    optimal = None
    chosen, gains = greedy_mclp(problem.reach, weight, **kw)
    if use_exact:
        picked, optimal = exact_mclp(problem.reach, weight, time_limit_s=time_limit_s, **kw)
        ex_chosen, ex_gains = order_by_gain(problem.reach, weight, picked)
        if ex_gains.sum() >= gains.sum():
            chosen, gains = ex_chosen, ex_gains
    sites = problem.candidates.iloc[chosen].reset_index(drop=True)
    sites["msme_new"] = gains.astype("int64")
    return SitePlan(
        sites=_site_frame(sites),
        msme_uncovered=problem.msme_uncovered,
        budget_idr=budget_idr,
        count=count,
        method="exact" if use_exact else "greedy",
        optimal=optimal,
    )


def _site_frame(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geo = sites.geometry.to_crs(GEO_CRS)
    sites["site_id"] = [f"S{i:04d}" for i in range(1, len(sites) + 1)]
    sites["lon"], sites["lat"] = geo.x.round(6).to_numpy(), geo.y.round(6).to_numpy()
    sites["kode_kec"] = sites["kode_desa"].str.slice(0, 8)
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
    its kecamatan's and kabupaten's).

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
    cost = problem.candidates["cost_idr"].to_numpy(dtype="float64")
    kode = pd.Series(problem.demand_kode)
    rows = []
    prefixes: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for code in codes:
        if len(code) not in prefixes:
            pre = kode.str.slice(0, len(code)).to_numpy().astype("str")
            order = np.argsort(pre, kind="stable")
            prefixes[len(code)] = (order, pre[order])
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
        picked, gains = lazy_greedy(sub_t, w, cost[cols], cost_power=1.0, target=share * w.sum())
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


# ---- Solvers: generic MCLP on a sparse 0/1 reach matrix (candidates x demand) -------------


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

    Returns
    -------
    chosen, gains
        Candidate indices in the order chosen, and the weight each newly covers (each demand
        point counted once, for the first site that reaches it).  Sites that would add
        nothing are never chosen.
    """
    indptr, indices = reach.indptr, reach.indices
    alive = np.asarray(weight, dtype="float64").copy()
    cost = np.asarray(cost, dtype="float64")
    gain0 = _matvec(reach, alive) if gain0 is None else gain0
    ok = (gain0 > 0) & (cost <= budget)
    if cost_power and (cost[ok] <= 0).any():
        msg = "site costs must be positive for the cost-effectiveness greedy"
        raise DataError(msg)
    scale = np.where(ok, cost, 1.0) ** cost_power
    key = gain0 / scale
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
        g = float(alive[row].sum())
        if stamp[j] != len(chosen):
            stamp[j] = len(chosen)
            if g > 0:
                heapq.heappush(heap, (-g / scale[j], j))
            continue
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

    Returns ``(chosen, gains)`` as :func:`lazy_greedy`.
    """
    c = _limit(count, budget, cost, reach.shape[0])
    w = np.asarray(weight, dtype="float64")
    cap = np.inf if budget is None else budget
    gain0 = np.where(c <= cap, _matvec(reach, w), 0.0)
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


def _cbc_available() -> bool:
    try:
        return bool(_cbc_solver(None).available())
    except ImportError:
        return False


def _cbc_solver(time_limit_s: float | None) -> Any:
    """CBC through PuLP: the bundled binary (PuLP 3), else ``COIN_CMD`` (``pulp[cbc]``, PuLP 4)."""
    try:
        import pulp
    except ImportError as err:
        msg = "the exact solver needs PuLP (pip install pulp)"
        raise ImportError(msg) from err
    options: dict[str, Any] = {"msg": False}
    if time_limit_s is not None:
        options["timeLimit"] = time_limit_s
    if hasattr(pulp, "PULP_CBC_CMD"):
        with warnings.catch_warnings():  # PuLP 3.3 warns that 4.0 drops the bundled CBC
            warnings.simplefilter("ignore", DeprecationWarning)
            bundled = pulp.PULP_CBC_CMD(**options)
        if bundled.available():
            return bundled
    return pulp.COIN_CMD(**options)


def exact_mclp(
    reach: sparse.csr_array,
    weight: np.ndarray,
    *,
    count: int | None = None,
    budget: float | None = None,
    cost: np.ndarray | None = None,
    time_limit_s: float = 60.0,
) -> tuple[np.ndarray, bool]:
    """Maximal covering as an integer programme, solved by CBC (bundled with PuLP).

    max sum_k W_k y_k  s.t.  y_k <= sum_{j reaches k} x_j,  sum_j x_j <= p  (or
    sum_j c_j x_j <= B),  x binary, 0 <= y <= 1 (Church and ReVelle 1974).  Demand points
    reached by the same set of candidates are merged first (exact), which keeps the model
    small.

    Returns
    -------
    chosen, optimal
        Chosen candidate indices (unordered; see :func:`order_by_gain`) and whether CBC
        proved the optimum within ``time_limit_s``.
    """
    solver = _cbc_solver(time_limit_s)
    if not solver.available():
        msg = "PuLP's CBC solver is not available on this machine (pip install 'pulp[cbc]')"
        raise DataError(msg)
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
        local, optimal = _solve_ilp(groups, members, len(usable), count, share, rhs, solver)
        picked = usable[local]
        if budget is None or c[picked].sum() <= budget:
            break
        # CBC accepts a budget row broken within its tolerance (1e-7 of the budget): tighten
        rhs -= (c[picked].sum() - budget) / cap + 1e-9
    else:
        msg = "CBC kept returning selections over budget; use the greedy solver"
        raise DataError(msg)
    return picked.astype("int64"), optimal


def _solve_ilp(
    groups: dict[bytes, float],
    members: dict[bytes, np.ndarray],
    n: int,
    count: int | None,
    share: np.ndarray | None,
    rhs: float,
    solver: Any,
) -> tuple[np.ndarray, bool]:
    import pulp

    prob = pulp.LpProblem("mclp", pulp.LpMaximize)
    x = [prob.add_variable(f"x{i}", cat=pulp.LpBinary) for i in range(n)]
    y = {key: prob.add_variable(f"y{k}", 0, 1) for k, key in enumerate(groups)}
    prob += pulp.lpSum(groups[key] * var for key, var in y.items())
    for key, var in y.items():
        prob += var <= pulp.lpSum(x[i] for i in members[key])
    if share is None:
        prob += pulp.lpSum(x) <= count
    else:
        prob += pulp.lpSum(float(f) * v for f, v in zip(share, x, strict=True)) <= rhs
    prob.solve(solver)
    chosen = np.array([i for i, v in enumerate(x) if (v.value() or 0.0) > 0.5], dtype="int64")
    return chosen, prob.sol_status == pulp.LpSolutionOptimal


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
