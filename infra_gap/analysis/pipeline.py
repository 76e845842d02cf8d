"""The one-way chain: place -> cover -> indicators -> scoring.

The CLI, the app and the tests all call these functions, so no front end adds analysis of
its own.  Work that does not depend on the level is done once: :func:`place_and_cover`
assigns each MSME (and each tower and speed tile) to a desa and looks up its coverage,
nearest tower and speed tile; :func:`indicator_table` then serves every level, and
:func:`with_coverage` serves another coverage threshold without placing the points again.

The steps live in modules named by what they do: :mod:`.row_placement` (each row placed or
rejected with its reason), :mod:`.point_lookups` (coverage, reach and speed tile per MSME),
:mod:`.point_facts` (what every level shares) and :mod:`.area_table` (one level's indicator
table).  This module chains them and keeps their public names importable from here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pandas as pd

from infra_gap.analysis.area_table import area_facts, indicator_table
from infra_gap.analysis.join_crs import JoinSpace, degrees_of, join_space, native_join
from infra_gap.analysis.kernels import msme_tower_km
from infra_gap.analysis.placement import LabelGrid, place_points_indexed
from infra_gap.analysis.point_facts import PointFacts, finest_level
from infra_gap.analysis.point_lookups import msme_coverage, msme_reach, msme_tile_facts
from infra_gap.analysis.reach import ReachParams
from infra_gap.analysis.row_placement import (
    OUTSIDE,
    account_rows,
    code_conflicts,
    place_msme,
    place_podes,
)
from infra_gap.config import EvidenceParams
from infra_gap.errors import DataError
from infra_gap.layers import Layers, RowAccount
from infra_gap.point_frames import point_xy

__all__ = [
    "PointFacts",
    "area_facts",
    "finest_level",
    "indicator_table",
    "place_and_cover",
    "with_coverage",
]


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
    x, y = point_xy(layers.msme)
    prior = layers.rejected["source"].value_counts()
    tower_xy = None if layers.towers is None else point_xy(layers.towers)
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
            else pool.submit(msme_reach, x, y, layers.towers, tower_xy, radius_m)
        )
        tile_job = (
            None
            if tiles is None
            else pool.submit(msme_tile_facts, layers.msme, tiles, ok, degrees=native)
        )
        cov, by_operator = msme_coverage(layers, x, y, native=native, covered_min=covered_min)
        if job is not None:
            space = job.result()
        else:
            assert grid is not None
            space = JoinSpace(native=False, grid=grid)
        jx, jy = degrees_of(layers.msme) if space.native else (x, y)
        area_index, reasons = place_msme(layers, finest, space, jx, jy)
        conflicts = code_conflicts(layers.msme, finest, area_index, np.isfinite(jx + jy))
        acc, rej = account_rows("msme", layers.msme, area_index, reasons, int(prior.get("msme", 0)))
        accounts, rejected = [acc], [layers.rejected, rej]
        tower_index = tile_index = tile_down = None
        if layers.towers is not None and tower_xy is not None:
            txy = degrees_of(layers.towers) if space.native else tower_xy
            tower_index = place_points_indexed(*txy, space.grid)
            acc, rej = account_rows(
                "towers", layers.towers, tower_index, OUTSIDE, int(prior.get("towers", 0))
            )
            accounts.append(acc)
            rejected.append(rej)
        if tiles is not None and tile_job is not None:
            tile_down, centres = tile_job.result()
            tile_index = place_points_indexed(*centres, space.grid)
            acc, rej, rejected[0] = _tile_rows(layers, tile_index, int(prior.get("speed_tiles", 0)))
            accounts.append(acc)
            rejected.append(rej)
        tower_km = None if nearest is None else nearest.result()
        reached = None if reach_job is None else reach_job.result()
    podes_index = None
    if layers.podes is not None:
        podes_index = place_podes(layers.podes, finest)
        acc, rej = account_rows(
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
        code_conflicts=conflicts,
    )


def _tile_rows(
    layers: Layers, tile_index: np.ndarray, prior: int
) -> tuple[RowAccount, pd.DataFrame, pd.DataFrame]:
    """The speed tiles' row account and rejected rows, and the earlier rejected rows.

    Tiles left out as they were read (far from every area, :func:`infra_gap.analysis.
    inputs.load_layers`) are among ``layers.rejected``: they move to the tiles' own rows,
    in file order with those placing rejects, as one whole placement would list them.
    """
    assert layers.speed_tiles is not None
    acc, rej = account_rows("speed_tiles", layers.speed_tiles, tile_index, OUTSIDE, prior)
    earlier = layers.rejected
    before = (earlier["source"] == "speed_tiles").to_numpy()
    if not before.any():
        return acc, rej, earlier
    both = pd.concat([earlier[before], rej], ignore_index=True)
    numbers = pd.to_numeric(both["row"], errors="coerce").to_numpy(dtype="float64")
    both = both.iloc[np.argsort(numbers, kind="stable")].reset_index(drop=True)
    return acc, both, earlier[~before]


def with_coverage(layers: Layers, facts: PointFacts, *, covered_min: float) -> PointFacts:
    """The same facts at another coverage threshold: only the coverage look-up is redone.

    Placement, nearest towers and speed tiles do not depend on the threshold, so a front
    end that caches :func:`place_and_cover` once can serve every threshold from it.
    """
    if layers.coverage is None and not layers.operator_coverage:
        msg = "no coverage layer: give a coverage raster (or towers, to model one)"
        raise DataError(msg)
    x, y = point_xy(layers.msme)
    cov, by_operator = msme_coverage(
        layers, x, y, native=native_join(layers), covered_min=covered_min
    )
    return replace(facts, coverage=cov, covered_min=covered_min, operator_covered=by_operator)
