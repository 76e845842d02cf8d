"""Where to build: candidate tower sites, their reach, and the siting problem for the solvers.

Demand is every placed MSME that the coverage layer leaves **not covered**, weight 1: existing
towers stay fixed, so what they cover is never counted again.  MSMEs at identical coordinates
are merged into one demand point with a weight (exact; no cell aggregation, so every count
is a count of MSMEs whose own point lies within a site's radius).

Candidates are the centres of a regular grid (default 1 km) over the cells holding uncovered
MSMEs, moved onto the nearest such MSME when the centre lies in no desa; the representative
points of desa with uncovered MSMEs; and, optionally, uploaded points (plots the local
government can grant).  The result, a :class:`SitingProblem`, holds a sparse 0/1 reach
matrix for the generic solvers of :mod:`infra_gap.siting.mclp`; :mod:`infra_gap.siting.plan`
turns their answer into sites with costs.

Sites are placed in the finest areas given (desa on the demo; a user's kecamatan when only
those are given), whose codes every coarser Kemendagri level prefixes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy import sparse
from scipy.spatial import cKDTree

from infra_gap.analysis.context import mainland
from infra_gap.analysis.pipeline import PointFacts, finest_level
from infra_gap.analysis.placement import place_points
from infra_gap.analysis.reach import ReachParams, reach_table
from infra_gap.config import LEVEL_CODE_LENGTH, WORK_CRS
from infra_gap.errors import DataError, SchemaError
from infra_gap.layers import Layers
from infra_gap.point_frames import point_xy
from infra_gap.siting.costs import CostParams, site_costs

__all__ = [
    "NoCandidatesError",
    "ReachParams",
    "SitingProblem",
    "check_uploaded_candidates",
    "reach_table",
    "siting_problem",
]

_YES = frozenset({"true", "1", "ya", "yes", "y"})
_NO = frozenset({"false", "0", "tidak", "no", "n", "", "nan", "none"})


class NoCandidatesError(DataError):
    """An area has no candidate site: none of its MSMEs is without coverage (code E_DATA)."""


@dataclass(frozen=True)
class SitingProblem:
    """Candidates, demand and who reaches whom, ready for the solvers.

    Attributes
    ----------
    candidates
        One row per candidate, work CRS: ``source`` (grid/desa/upload), ``label``,
        ``kode_desa`` (the code of the finest area given, see ``level``), ``height_m``,
        ``terrain``, ``no_road``, ``capex_class``, ``island``, ``backbone_km``,
        ``radius_km`` and the columns of :func:`infra_gap.siting.costs.site_costs`.
    reach
        Sparse 0/1 matrix, candidates x demand points: 1 where the demand point lies within
        the candidate's radius (distance <= radius).
    demand_xy, demand_weight, demand_kode
        Demand points (work CRS), MSMEs at each, and the finest area's code of each.
    costs, reach_params
        The figures used.
    level
        The finest level given (``desa`` on the demo): the level of ``kode_desa`` and
        ``demand_kode``.
    """

    candidates: gpd.GeoDataFrame
    reach: sparse.csr_array
    demand_xy: np.ndarray
    demand_weight: np.ndarray
    demand_kode: np.ndarray
    costs: CostParams = field(default_factory=CostParams)
    reach_params: ReachParams = field(default_factory=ReachParams)
    level: str = "desa"

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
        Sites and demand go to the finest areas given (``desa`` on the demo); islands are
        candidates off the largest land mass of ``areas["kabupaten"]`` (of the finest areas
        when there are no kabupaten); ``backbone`` sets each site's backhaul (VSAT for all
        without it).
    facts
        From :func:`infra_gap.analysis.pipeline.place_and_cover` (desa of each MSME, coverage).
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
    if reach.terrain not in {"flat", "hilly"}:
        msg = f"`terrain` must be flat or hilly, got {reach.terrain!r}"
        raise DataError(msg)
    level = finest_level(layers)
    desa = layers.areas[level]
    keep = ~facts.coverage.covered & (facts.area_index >= 0)
    mx, my = point_xy(layers.msme)
    pts = np.column_stack(
        [
            mx[keep],
            my[keep],
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
        cand = _in_area(cand, area)
    land = mainland(layers.areas.get("kabupaten", desa))
    shapely.prepare(land)
    cand["island"] = ~shapely.intersects_xy(land, cand["x"].to_numpy(), cand["y"].to_numpy())
    cand["backbone_km"], sea_km = _backbone_route(cand, layers.backbone, layers.areas)
    radius = reach.radius_m(cand["height_m"].to_numpy(), cand["terrain"].eq("hilly").to_numpy())
    cand["radius_km"] = radius / 1000.0
    money = site_costs(
        capex_class=cand["capex_class"].to_numpy(),
        island=cand["island"].to_numpy(),
        no_road=cand["no_road"].to_numpy(),
        backbone_km=cand["backbone_km"].to_numpy(),
        sea_km=sea_km,
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
        level=level,
    )


def _in_area(cand: pd.DataFrame, area: str) -> pd.DataFrame:
    """The candidates in desa whose code starts with ``area``."""
    if len(area) not in {2, *LEVEL_CODE_LENGTH.values()}:
        msg = f"`area` must be a Kemendagri code such as 12.04 or 12.04.10, got {area!r}"
        raise DataError(msg)
    cand = cand[cand["kode_desa"].str.startswith(area)].reset_index(drop=True)
    if cand.empty:
        msg = f"no candidate site in area {area!r} (no uncovered MSMEs there?)"
        raise NoCandidatesError(msg)
    return cand


def _backbone_route(
    cand: pd.DataFrame, backbone: gpd.GeoDataFrame | None, areas: Mapping[str, gpd.GeoDataFrame]
) -> tuple[np.ndarray, np.ndarray]:
    """Straight-line km from each candidate to the nearest backbone, and the km of it at sea.

    Sea is whatever the coarsest boundary layer does not cover (a fibre spur from Nias to
    the Sumatra mainland crosses the strait; one along the mainland does not).
    """
    n = len(cand)
    if backbone is None or backbone.empty:
        return np.full(n, np.nan), np.zeros(n)
    geoms = backbone.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    pts = shapely.points(cand["x"].to_numpy(), cand["y"].to_numpy())
    (_, nearest), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    km = np.asarray(dist) / 1000.0
    level = next((lv for lv in ("kabupaten", "kecamatan", "desa") if lv in areas), None)
    if level is None:
        return km, np.zeros(n)
    land = shapely.union_all(areas[level].geometry.to_numpy())
    shapely.prepare(land)
    lines = shapely.shortest_line(pts, geoms[nearest])
    crosses = ~shapely.contains_properly(land, lines)  # most spurs stay on land: skip them
    sea = np.zeros(n)
    if crosses.any():
        wet = shapely.difference(lines[crosses], land)
        sea[crosses] = shapely.length(wet) / 1000.0
    return km, np.minimum(sea, km)


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
