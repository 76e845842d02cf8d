"""What the chain knows about each point once it is placed and covered, shared by every level.

:func:`infra_gap.analysis.pipeline.place_and_cover` makes a :class:`PointFacts`; the indicator
table of any level (:func:`infra_gap.analysis.area_table.indicator_table`), the siting problem
and the exports read it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.placement import PLACEMENT_RULE
from infra_gap.config import LEVELS
from infra_gap.errors import DataError
from infra_gap.layers import Layers, RowAccount

__all__ = ["PointFacts", "finest_level"]


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
    code_conflicts
        The MSMEs placed by their coordinates in an area whose code disagrees with the
        area code the row gives (``row``, ``kode_given``, ``kode_area``:
        :func:`infra_gap.analysis.row_placement.code_conflicts`); None when the register
        has no area code column.
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
    code_conflicts: pd.DataFrame | None = None

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
