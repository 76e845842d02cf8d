"""The one-way chain: place -> cover -> indicators -> scoring.

The CLI, the app and the tests all call these functions, so no front end adds analysis of
its own.  Work that does not depend on the level is done once: :func:`place_and_cover`
assigns each MSME (and each tower and speed tile) to a desa and looks up its coverage,
nearest tower and speed tile; :func:`indicator_table` then serves every level, and
:func:`with_coverage` serves another coverage threshold without placing the points again.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.analysis.context import area_context, area_uncovered_share
from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.evidence import tile_centres
from infra_gap.analysis.indicators import (
    add_area_context,
    area_indicators,
    desa_counts,
    podes_counts,
    speed_sums,
    tower_counts,
)
from infra_gap.analysis.join_crs import (
    JoinSpace,
    degrees_of,
    join_space,
    native_join,
    shares_degrees,
)
from infra_gap.analysis.kernels import (
    Groups,
    msme_tile_down,
    msme_tower_km,
    operator_class,
    tower_area_facts,
)
from infra_gap.analysis.operator_coverage import (
    msme_no_operator_coverage,
    operator_point_coverage,
    operators_covering,
    union_coverage,
)
from infra_gap.analysis.operators import msme_no_operator, operator_reach
from infra_gap.analysis.placement import PLACEMENT_RULE, LabelGrid, place_points_indexed
from infra_gap.analysis.point_chunks import cover_in_chunks, place_in_chunks
from infra_gap.analysis.reach import ReachParams
from infra_gap.analysis.tiles import quadkey_to_tile, tile_bounds
from infra_gap.config import GEO_CRS, LEVELS, WORK_CRS, EvidenceParams
from infra_gap.errors import DataError
from infra_gap.layers import REJECTED_COLUMNS, Layers, RowAccount
from infra_gap.point_frames import point_xy

__all__ = [
    "PointFacts",
    "area_facts",
    "finest_level",
    "indicator_table",
    "place_and_cover",
    "with_coverage",
]


#: Why a point in no area is left out.
OUTSIDE = "outside every area"


@dataclass(frozen=True)
class PointFacts:
    """Per-point facts that every level shares.

    Attributes
    ----------
    area_index
        Position of each MSME's desa in ``layers.areas["desa"]``, ``-1`` if unplaced.
    coverage
        Covered and unknown flags of each MSME.
    accounts
        Row accounting of each point layer (MSMEs, towers, speed tiles).
    rejected
        Rejected rows (``source,row,reason``).
    tower_km
        Distance from each MSME to the nearest tower, km, or None without towers.
    tile_down_kbps
        Mean download of each MSME's zoom-16 tile (NaN: no tests), or None without tiles.
    tower_index, tile_index
        Desa position of each tower and of each speed tile's centre, or None.
    covered_min
        The coverage threshold used.
    rule
        The placement rule, stated.
    operator_reach
        Whether each operator's sites reach each MSME (MSMEs x operators,
        :func:`~infra_gap.analysis.operators.operator_reach`), or None without towers.
    podes_index
        Finest-area position of each Podes row (its desa code's prefix), ``-1`` when no
        area has it; None without a Podes table.
    operator_covered
        Whether each operator's coverage raster covers each MSME (MSMEs x distinct
        operators, :mod:`infra_gap.analysis.operator_coverage`), or None without such rasters.
    """

    area_index: np.ndarray
    coverage: PointCoverage
    accounts: tuple[RowAccount, ...]
    rejected: pd.DataFrame
    tower_km: np.ndarray | None = None
    tile_down_kbps: np.ndarray | None = None
    tower_index: np.ndarray | None = None
    tile_index: np.ndarray | None = None
    covered_min: float = 1.0
    rule: str = PLACEMENT_RULE
    operator_reach: np.ndarray | None = None
    podes_index: np.ndarray | None = None
    operator_covered: np.ndarray | None = None

    @property
    def account(self) -> RowAccount:
        """Row accounting of the MSME layer."""
        return self.accounts[0]


def finest_level(layers: Layers) -> str:
    """The finest level present in ``layers.areas``: MSMEs are placed there, once."""
    for level in LEVELS:
        if level in layers.areas:
            return level
    msg = f"no areas given; expected one of {list(LEVELS)}"
    raise DataError(msg)


def _xy(points: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Work-CRS coordinates of points (NaN where a row has none), lean frames too."""
    return point_xy(points)


def _account(
    source: str, frame: pd.DataFrame, index: np.ndarray, reasons: np.ndarray | str, prior: int
) -> tuple[RowAccount, pd.DataFrame]:
    """Row accounting of one point layer.

    ``reasons`` says why each unplaced row is out: one text for all, or one per unplaced
    row in row order.  Only the unplaced rows' ids are turned into text.
    """
    out = np.flatnonzero(index < 0)
    if "row" in frame:
        rows = frame["row"].iloc[out].astype("str").to_numpy()
    else:
        rows = (out + 1).astype("str")
    why = np.full(len(out), reasons, dtype=object) if isinstance(reasons, str) else reasons
    rejected = pd.DataFrame(
        {"source": source, "row": rows, "reason": why}, columns=list(REJECTED_COLUMNS)
    )
    account = RowAccount(
        source, read=len(index) + prior, used=len(index) - len(out), rejected=len(out) + prior
    )
    return account, rejected


def _place_msme(
    layers: Layers, finest: gpd.GeoDataFrame, space: JoinSpace, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Desa index of each MSME, and the reason for each one left out (in row order).

    ``x``, ``y`` are in the join's CRS (``space``).  Points go by the placement rule.
    Rows without coordinates but with a desa code (``kode_area``) go to that desa.  A
    point outside every area whose latitude and longitude, swapped, fall in an area is
    reported as swapped, with the fix.
    """
    msme, grid = layers.msme, space.grid
    has_xy = np.isfinite(x) & np.isfinite(y)
    every = bool(has_xy.all())
    index = place_in_chunks(x, y, grid) if every else np.full(len(msme), -1, dtype="int64")
    unknown = np.empty(0, dtype="int64")
    if not every:
        index[has_xy] = place_in_chunks(x[has_xy], y[has_xy], grid)
    if "kode_area" in msme and not every:
        by_code = ~has_xy
        lookup = pd.Series(np.arange(len(finest)), index=finest["kode"].to_numpy())
        found = msme["kode_area"].map(lookup).to_numpy()
        known = by_code & ~pd.isna(found)
        index[known] = found[known].astype("int64")
        unknown = np.flatnonzero(by_code & ~known)
    out = np.flatnonzero(index < 0)
    reasons = np.full(len(out), OUTSIDE, dtype=object)
    reasons[np.searchsorted(out, unknown)] = "unknown area code (no coordinates)"
    lost = np.flatnonzero((index < 0) & has_xy)
    if len(lost) and {"lat", "lon"} <= set(msme.columns):
        lat, lon = msme["lat"].to_numpy()[lost], msme["lon"].to_numpy()[lost]
        sx, sy = space.from_degrees(lat, lon)  # latitude as longitude and back
        ok = np.isfinite(sx) & np.isfinite(sy)
        swapped = np.full(len(lost), -1)
        swapped[ok] = place_in_chunks(sx[ok], sy[ok], grid)
        reasons[np.searchsorted(out, lost[swapped >= 0])] = (
            "latitude and longitude look swapped (the swapped point falls in an area): "
            "swap the columns or pass --lat-col/--lon-col"
        )
    return index, reasons


def _coverage(
    layers: Layers, x: np.ndarray, y: np.ndarray, *, native: bool, covered_min: float
) -> tuple[PointCoverage, np.ndarray | None]:
    """Coverage under each MSME, and per operator when operator rasters are given.

    From the MSMEs' own degrees when the raster is in degrees too (and the join is
    native: one reprojection fewer), else from the work-CRS points.  Without a main
    raster, the union of the operator rasters is the coverage.
    """
    by_operator = None
    if layers.operator_coverage:
        covered, unknown = operator_point_coverage(
            layers, x, y, native=native, covered_min=covered_min
        )
        by_operator = covered
        if layers.coverage is None:
            return union_coverage(covered, unknown), by_operator
    return _main_coverage(layers, x, y, native=native, covered_min=covered_min), by_operator


def _main_coverage(
    layers: Layers, x: np.ndarray, y: np.ndarray, *, native: bool, covered_min: float
) -> PointCoverage:
    """Coverage under each MSME from the main coverage raster."""
    assert layers.coverage is not None
    if native and shares_degrees(layers.coverage.crs):
        lon, lat = degrees_of(layers.msme)
        return cover_in_chunks(layers.coverage, lon, lat, xy_crs=GEO_CRS, covered_min=covered_min)
    return cover_in_chunks(layers.coverage, x, y, xy_crs=WORK_CRS, covered_min=covered_min)


def _reach(
    x: np.ndarray,
    y: np.ndarray,
    towers: pd.DataFrame,
    txy: tuple[np.ndarray, np.ndarray],
    radius_m: float,
) -> np.ndarray:
    """Which operators' sites reach each MSME (see :func:`.operators.operator_reach`)."""
    return operator_reach(x, y, towers, tx=txy[0], ty=txy[1], radius_m=radius_m)[0]


def _tile_facts(
    msme: gpd.GeoDataFrame, tiles: gpd.GeoDataFrame, ok: np.ndarray, *, degrees: bool
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Mean download of each MSME's zoom-16 tile, and the centre of each tile.

    Downloads in kbps (NaN: no tests or no coordinates); centres in degrees with
    ``degrees``, else in the work CRS.  The quadkeys are parsed once for both.
    """
    if {"lon", "lat"} <= set(msme.columns):
        lon, lat = msme["lon"].to_numpy(), msme["lat"].to_numpy()
    else:
        geo = msme.geometry.to_crs(GEO_CRS)
        lon, lat = geo.x.to_numpy(), geo.y.to_numpy()
    quadkeys = tiles["quadkey"].to_numpy()
    parsed = quadkey_to_tile(quadkeys) if len(quadkeys) else None
    out = msme_tile_down(lon, lat, tiles, ok=ok, parsed=parsed)
    if degrees and parsed is not None:
        w, s, e, n = tile_bounds(*parsed)
        return out, ((w + e) / 2.0, (s + n) / 2.0)
    return out, tile_centres(quadkeys, parsed=parsed)


def place_and_cover(
    layers: Layers,
    *,
    covered_min: float,
    grid: LabelGrid | None = None,
    params: EvidenceParams | None = None,
    reach: ReachParams | None = None,
) -> PointFacts:
    """Assign MSMEs, towers and tiles to the finest areas; look up coverage, tower and tile.

    Parameters
    ----------
    layers
        Validated layers; needs areas at one level at least and a coverage raster.
    covered_min
        Coverage threshold, see :class:`infra_gap.config.CoverageParams`.
    grid
        A label grid of the finest areas in the work CRS, to place the points there; when
        None, the join runs in the data's own CRS when points and areas share it
        (:func:`infra_gap.analysis.join_crs.join_space`), with the grid kept per boundary layer
        (:func:`infra_gap.analysis.placement.label_grid`: built on the first call, then shared).
        Every point is placed again on every call; only the grid is reused.
    params
        Evidence thresholds; the defaults when None.
    reach
        Reach of the operators' existing sites (``operators_reaching``); the defaults
        (4 km, hilly) when None.
    """
    params = params or EvidenceParams()
    radius_m = (reach or ReachParams()).existing_site_m
    if layers.coverage is None and not layers.operator_coverage:
        msg = "no coverage layer: give a coverage raster (or towers, to model one)"
        raise DataError(msg)
    finest = layers.areas[finest_level(layers)]
    x, y = _xy(layers.msme)
    prior = layers.rejected["source"].value_counts()
    tower_xy = None if layers.towers is None else _xy(layers.towers)
    tiles = layers.speed_tiles
    ok = np.isfinite(x) & np.isfinite(y)
    native = grid is None and native_join(layers)
    with ThreadPoolExecutor(max_workers=2) as pool:
        # Work that needs no label grid goes to the pool first, while the grid is fetched
        # (built on the first call): the nearest towers (cKDTree), then the speed tiles;
        # the coverage look-up runs here meanwhile (numpy and GEOS release the GIL for most
        # of it).
        job = (
            pool.submit(join_space, layers, finest, cell_m=params.cell_m) if grid is None else None
        )
        nearest = None if tower_xy is None else pool.submit(msme_tower_km, x, y, *tower_xy)
        reach_job = (
            None
            if tower_xy is None or layers.towers is None
            else pool.submit(_reach, x, y, layers.towers, tower_xy, radius_m)
        )
        tile_job = (
            None
            if tiles is None
            else pool.submit(_tile_facts, layers.msme, tiles, ok, degrees=native)
        )
        cov, by_operator = _coverage(layers, x, y, native=native, covered_min=covered_min)
        if job is not None:
            space = job.result()
        else:
            assert grid is not None
            space = JoinSpace(native=False, grid=grid)
        jx, jy = degrees_of(layers.msme) if space.native else (x, y)
        area_index, reasons = _place_msme(layers, finest, space, jx, jy)
        acc, rej = _account("msme", layers.msme, area_index, reasons, int(prior.get("msme", 0)))
        accounts, rejected = [acc], [layers.rejected, rej]
        tower_index = tile_index = tile_down = None
        if layers.towers is not None and tower_xy is not None:
            txy = degrees_of(layers.towers) if space.native else tower_xy
            tower_index = place_points_indexed(*txy, space.grid)
            acc, rej = _account(
                "towers", layers.towers, tower_index, OUTSIDE, int(prior.get("towers", 0))
            )
            accounts.append(acc)
            rejected.append(rej)
        if tiles is not None and tile_job is not None:
            tile_down, centres = tile_job.result()
            tile_index = place_points_indexed(*centres, space.grid)
            acc, rej = _account(
                "speed_tiles", tiles, tile_index, OUTSIDE, int(prior.get("speed_tiles", 0))
            )
            accounts.append(acc)
            rejected.append(rej)
        tower_km = None if nearest is None else nearest.result()
        reached = None if reach_job is None else reach_job.result()
    podes_index = None
    if layers.podes is not None:
        podes_index = _place_podes(layers.podes, finest)
        acc, rej = _account(
            "podes", layers.podes, podes_index, "no area with this desa code (or its prefix)", 0
        )
        accounts.append(acc)
        rejected.append(rej)
    return PointFacts(
        area_index=area_index,
        coverage=cov,
        accounts=tuple(accounts),
        rejected=pd.concat([r for r in rejected if len(r)] or [rejected[-1]], ignore_index=True),
        tower_km=tower_km,
        tile_down_kbps=tile_down,
        tower_index=tower_index,
        tile_index=tile_index,
        covered_min=covered_min,
        operator_reach=reached,
        podes_index=podes_index,
        operator_covered=by_operator,
    )


def _place_podes(podes: pd.DataFrame, finest: gpd.GeoDataFrame) -> np.ndarray:
    """Finest-area position of each Podes desa (by its code's prefix; ``-1``: none)."""
    width = int(finest["kode"].str.len().max()) if len(finest) else 0
    lookup = pd.Series(np.arange(len(finest)), index=finest["kode"].to_numpy())
    found = podes["kode"].astype("str").str.slice(0, width).map(lookup)
    return found.fillna(-1).to_numpy(dtype="int64")


def with_coverage(layers: Layers, facts: PointFacts, *, covered_min: float) -> PointFacts:
    """The same facts at another coverage threshold: only the coverage look-up is redone.

    Placement, nearest towers and speed tiles do not depend on the threshold, so a front
    end that caches :func:`place_and_cover` once can serve every threshold from it.
    """
    if layers.coverage is None and not layers.operator_coverage:
        msg = "no coverage layer: give a coverage raster (or towers, to model one)"
        raise DataError(msg)
    x, y = _xy(layers.msme)
    cov, by_operator = _coverage(layers, x, y, native=native_join(layers), covered_min=covered_min)
    return replace(facts, coverage=cov, covered_min=covered_min, operator_covered=by_operator)


def area_facts(
    layers: Layers, *, level: str, covered_min: float, cache_dir: Path | None = None
) -> pd.DataFrame:
    """Area-level indicators that do not depend on MSME points (cacheable per level).

    Remoteness and context (:func:`infra_gap.analysis.context.area_context`) and the share of each
    area's surface not covered (exactextract zonal statistics, partial pixels counted;
    kept in ``cache_dir`` when given, per boundaries, raster and threshold).
    """
    areas = layers.areas[level]
    out = area_context(
        areas,
        kabupaten=layers.areas.get("kabupaten"),
        kab_stats=layers.kab_stats,
        backbone=layers.backbone,
    )
    if layers.coverage is not None:
        out["area_uncovered_share"] = area_uncovered_share(
            areas, layers.coverage, covered_min=covered_min, cache_dir=cache_dir
        )
    return out


def indicator_table(
    layers: Layers,
    facts: PointFacts,
    *,
    level: str,
    params: EvidenceParams | None = None,
    area_frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every indicator at ``level``: counts rolled up from desa, the rest per area.

    ``area_frame`` is the output of :func:`area_facts` for the same level and threshold,
    when the caller has it cached; it is computed here otherwise.

    Returns
    -------
    DataFrame row-aligned with ``layers.areas[level]``: ``kode``, ``nama``, the registry's
    indicators whose inputs are present, and the flags ``speed_low_evidence``,
    ``operator_class`` (``none``/``single``/``several``) and ``evidence_conflict``.
    """
    params = params or EvidenceParams()
    if level not in LEVELS:
        msg = f"`level` must be one of {list(LEVELS)}, got {level!r}"
        raise DataError(msg)
    if level not in layers.areas:
        msg = f"no {level} areas in this run; levels given: {list(layers.areas)}"
        raise DataError(msg)
    if area_frame is not None:
        table, context = _point_table(layers, facts, level=level, params=params), area_frame
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            # The area facts (GEOS distances, zonal sums) run beside the point roll-up.
            job = pool.submit(area_facts, layers, level=level, covered_min=facts.covered_min)
            table = _point_table(layers, facts, level=level, params=params)
            context = job.result()
    add_area_context(table, context, params=params)
    return table


def _point_table(
    layers: Layers, facts: PointFacts, *, level: str, params: EvidenceParams
) -> pd.DataFrame:
    """The indicators made from the points, rolled up to ``level``.

    Desa sums (MSMEs, coverage, speeds, towers) by code, the operators of the towers and
    the median distance from the MSMEs to a tower.
    """
    desa, areas = layers.areas[finest_level(layers)], layers.areas[level]
    online = layers.msme["online"].to_numpy() if "online" in layers.msme else None
    parts = [
        desa_counts(
            facts.area_index,
            facts.coverage,
            len(desa),
            online=online,
            tile_down_kbps=facts.tile_down_kbps,
            slow_down_kbps=params.slow_down_kbps,
        )
    ]
    if layers.speed_tiles is not None and facts.tile_index is not None:
        parts.append(speed_sums(layers.speed_tiles, facts.tile_index, len(desa)))
    if layers.towers is not None and facts.tower_index is not None:
        parts.append(tower_counts(layers.towers, facts.tower_index, len(desa)))
    if layers.podes is not None and facts.podes_index is not None:
        parts.append(podes_counts(layers.podes, facts.podes_index, len(desa)))
    if facts.operator_reach is not None:
        none = msme_no_operator(facts.operator_reach, facts.area_index, len(desa))
        parts.append(pd.DataFrame({"msme_no_operator": none}))
    if facts.operator_covered is not None:
        none = msme_no_operator_coverage(facts.operator_covered, facts.area_index, len(desa))
        parts.append(pd.DataFrame({"msme_no_operator_coverage": none}))
    table = area_indicators(desa, pd.concat(parts, axis=1), areas, level=level)
    groups = Groups.at(desa["kode"], level)
    if (
        layers.towers is not None
        and facts.tower_index is not None
        and facts.tower_km is not None
        and facts.operator_reach is not None
    ):
        towers = tower_area_facts(
            table["kode"],
            groups,
            area_index=facts.area_index,
            tower_km=facts.tower_km,
            tower_operator=layers.towers["operator"].to_numpy(),
            tower_index=facts.tower_index,
            reached=facts.operator_reach,
        )
        table["operator_count"] = towers["operator_count"].to_numpy()
        table["operator_class"] = operator_class(table["operator_count"])
        table["msme_tower_km"] = towers["msme_tower_km"].to_numpy()
        table["operators_reaching"] = towers["operators_reaching"].to_numpy()
    if facts.operator_covered is not None:
        group = groups.of_points(facts.area_index)
        covering = operators_covering(facts.operator_covered, group, len(groups.names))
        by_code = pd.Series(covering, groups.names)
        table["operators_covering"] = table["kode"].map(by_code).fillna(0).astype("int64")
    return table
