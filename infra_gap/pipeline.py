"""The one-way chain: place -> cover -> indicators -> scoring.

The CLI, the app and the tests all call these functions, so no front end adds analysis of
its own.  Work that does not depend on the level is done once: :func:`place_and_cover`
assigns each MSME (and each tower and speed tile) to a desa and looks up its coverage,
nearest tower and speed tile; :func:`indicator_table` then serves every level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pyproj import Transformer

from infra_gap.config import GEO_CRS, LEVEL_CODE_LENGTH, LEVELS, WORK_CRS, EvidenceParams
from infra_gap.context import area_context, area_uncovered_share
from infra_gap.coverage import PointCoverage, point_coverage
from infra_gap.errors import DataError
from infra_gap.evidence import nearest_distance, tile_centres, tile_values_at
from infra_gap.indicators import area_indicators, desa_counts, speed_sums
from infra_gap.layers import REJECTED_COLUMNS, Layers, RowAccount
from infra_gap.placement import PLACEMENT_RULE, LabelGrid, build_label_grid, place_points_indexed
from infra_gap.scoring import rank_areas

__all__ = [
    "PointFacts",
    "area_facts",
    "finest_level",
    "indicator_table",
    "place_and_cover",
    "rank_level",
]


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


def _rows(frame: pd.DataFrame) -> np.ndarray:
    if "row" in frame:
        return frame["row"].astype("str").to_numpy()
    return (np.arange(len(frame)) + 1).astype("str")


def _account(
    source: str, rows: np.ndarray, index: np.ndarray, reasons: np.ndarray, prior: int
) -> tuple[RowAccount, pd.DataFrame]:
    """Row accounting of one point layer; ``reasons`` says why each unplaced row is out."""
    out = index < 0
    rejected = pd.DataFrame(
        {"source": source, "row": rows[out], "reason": reasons[out]}, columns=list(REJECTED_COLUMNS)
    )
    account = RowAccount(
        source, read=len(index) + prior, used=int((~out).sum()), rejected=int(out.sum()) + prior
    )
    return account, rejected


def _place_msme(layers: Layers, grid: LabelGrid) -> tuple[np.ndarray, np.ndarray]:
    """Desa index of each MSME and the reason for each one left out.

    Points go by the placement rule.  Rows without coordinates but with a desa code
    (``kode_area``) go to that desa.  A point outside every area whose latitude and
    longitude, swapped, fall in an area is reported as swapped, with the fix.
    """
    msme, finest = layers.msme, grid.areas
    x = msme.geometry.x.to_numpy()
    y = msme.geometry.y.to_numpy()
    has_xy = np.isfinite(x) & np.isfinite(y)
    index = np.full(len(msme), -1, dtype="int64")
    index[has_xy] = place_points_indexed(x[has_xy], y[has_xy], grid)
    reasons = np.full(len(msme), "outside every area", dtype=object)
    if "kode_area" in msme:
        by_code = ~has_xy
        lookup = pd.Series(np.arange(len(finest)), index=finest["kode"].to_numpy())
        found = msme["kode_area"].map(lookup).to_numpy()
        known = by_code & ~pd.isna(found)
        index[known] = found[known].astype("int64")
        reasons[by_code & ~known] = "unknown area code (no coordinates)"
    lost = np.flatnonzero((index < 0) & has_xy)
    if len(lost) and {"lat", "lon"} <= set(msme.columns):
        lat, lon = msme["lat"].to_numpy()[lost], msme["lon"].to_numpy()[lost]
        sx, sy = Transformer.from_crs(GEO_CRS, WORK_CRS, always_xy=True).transform(lat, lon)
        ok = np.isfinite(sx) & np.isfinite(sy)
        swapped = np.full(len(lost), -1)
        swapped[ok] = place_points_indexed(np.asarray(sx)[ok], np.asarray(sy)[ok], grid)
        reasons[lost[swapped >= 0]] = (
            "latitude and longitude look swapped (the swapped point falls in an area): "
            "swap the columns or pass --lat-col/--lon-col"
        )
    return index, reasons


def place_and_cover(
    layers: Layers,
    *,
    covered_min: float,
    grid: LabelGrid | None = None,
    params: EvidenceParams | None = None,
) -> PointFacts:
    """Assign MSMEs, towers and tiles to the finest areas; look up coverage, tower and tile.

    Parameters
    ----------
    layers
        Validated layers; needs areas at one level at least and a coverage raster.
    covered_min
        Coverage threshold, see :class:`infra_gap.config.CoverageParams`.
    grid
        A label grid of the finest areas (:func:`infra_gap.placement.build_label_grid`),
        reused across calls; built here when None.
    params
        Evidence thresholds; the defaults when None.
    """
    params = params or EvidenceParams()
    if layers.coverage is None:
        msg = "no coverage layer: give a coverage raster (or towers, to model one)"
        raise DataError(msg)
    grid = grid or build_label_grid(layers.areas[finest_level(layers)], cell_m=params.cell_m)
    x = layers.msme.geometry.x.to_numpy()
    y = layers.msme.geometry.y.to_numpy()
    has_xy = np.isfinite(x) & np.isfinite(y)
    area_index, reasons = _place_msme(layers, grid)
    cov = point_coverage(layers.coverage, x, y, xy_crs=WORK_CRS, covered_min=covered_min)
    prior = layers.rejected["source"].value_counts()
    acc, rej = _account("msme", _rows(layers.msme), area_index, reasons, int(prior.get("msme", 0)))
    accounts, rejected = [acc], [layers.rejected, rej]
    tower_km = tower_index = tile_down = tile_index = None
    if layers.towers is not None:
        tx = layers.towers.geometry.x.to_numpy()
        ty = layers.towers.geometry.y.to_numpy()
        tower_km = np.full(len(x), np.nan)
        tower_km[has_xy] = nearest_distance(x[has_xy], y[has_xy], tx, ty) / 1000.0
        tower_index = place_points_indexed(tx, ty, grid)
        why = np.full(len(tx), "outside every area", dtype=object)
        acc, rej = _account(
            "towers", _rows(layers.towers), tower_index, why, int(prior.get("towers", 0))
        )
        accounts.append(acc)
        rejected.append(rej)
    if layers.speed_tiles is not None:
        tiles = layers.speed_tiles
        if {"lon", "lat"} <= set(layers.msme.columns):
            lon, lat = layers.msme["lon"].to_numpy(), layers.msme["lat"].to_numpy()
        else:
            geo = layers.msme.geometry.to_crs(GEO_CRS)
            lon, lat = geo.x.to_numpy(), geo.y.to_numpy()
        tile_down = np.full(len(x), np.nan)
        tile_down[has_xy] = tile_values_at(lon[has_xy], lat[has_xy], tiles, "avg_d_kbps")
        cx, cy = tile_centres(tiles["quadkey"].to_numpy())
        tile_index = place_points_indexed(cx, cy, grid)
        why = np.full(len(cx), "outside every area", dtype=object)
        acc, rej = _account(
            "speed_tiles", _rows(tiles), tile_index, why, int(prior.get("speed_tiles", 0))
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
    )


def area_facts(layers: Layers, *, level: str, covered_min: float) -> pd.DataFrame:
    """Area-level indicators that do not depend on MSME points (cacheable per level).

    Remoteness and context (:func:`infra_gap.context.area_context`) and the share of each
    area's surface not covered (exactextract zonal statistics, partial pixels counted).
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
            areas, layers.coverage, covered_min=covered_min
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
        placed = facts.tower_index[facts.tower_index >= 0]
        parts.append(pd.DataFrame({"tower_count": np.bincount(placed, minlength=len(desa))}))
    table = area_indicators(desa, pd.concat(parts, axis=1), areas, level=level)
    codes = desa["kode"].to_numpy()
    n = LEVEL_CODE_LENGTH[level]
    if layers.towers is not None and facts.tower_index is not None:
        ok = facts.tower_index >= 0
        owner = pd.Series(codes[facts.tower_index[ok]]).str.slice(0, n)
        ops = (
            pd.Series(layers.towers["operator"].to_numpy()[ok]).groupby(owner.to_numpy()).nunique()
        )
        table["operator_count"] = table["kode"].map(ops).fillna(0).astype("int64").to_numpy()
        table["operator_class"] = np.select(
            [table["operator_count"] == 0, table["operator_count"] == 1],
            ["none", "single"],
            "several",
        )
    if facts.tower_km is not None:
        ok = facts.area_index >= 0
        owner = pd.Series(codes[facts.area_index[ok]]).str.slice(0, n)
        median = pd.Series(facts.tower_km[ok]).groupby(owner.to_numpy()).median()
        table["msme_tower_km"] = table["kode"].map(median).to_numpy()
    context = (
        area_frame
        if area_frame is not None
        else area_facts(layers, level=level, covered_min=facts.covered_min)
    )
    table["msme_density_km2"] = table["msme_total"] / context["area_km2"].to_numpy()
    for col in context.columns:
        table[col] = context[col].to_numpy()
    if "speed_tests" in table:
        table["speed_low_evidence"] = table["speed_tests"] < params.min_tests
    if "msme_evidence_conflict" in table:
        covered = table["msme_covered"].to_numpy(dtype="float64")
        conflict = table["msme_evidence_conflict"].to_numpy(dtype="float64")
        table["evidence_conflict"] = (covered > 0) & (conflict > params.conflict_share * covered)
    return table


def rank_level(
    layers: Layers,
    facts: PointFacts,
    *,
    level: str,
    weights: Mapping[str, float],
    method: str = "minmax",
    area_frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Indicators and ranking at one level."""
    table = indicator_table(layers, facts, level=level, area_frame=area_frame)
    return rank_areas(table, weights, method=method)
