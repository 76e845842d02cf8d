"""The one-way chain: place -> cover -> indicators -> scoring.

The CLI, the app and the tests all call these functions, so no front end adds analysis of
its own.

Work that does not depend on the level is done once: :func:`place_and_cover` assigns each
MSME to a desa and a coverage status; :func:`indicator_table` then serves every level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from infra_gap.config import LEVELS, WORK_CRS
from infra_gap.coverage import PointCoverage, point_coverage
from infra_gap.errors import DataError
from infra_gap.indicators import area_indicators, desa_counts
from infra_gap.layers import REJECTED_COLUMNS, Layers, RowAccount
from infra_gap.placement import PLACEMENT_RULE, place_points
from infra_gap.scoring import rank_areas

__all__ = ["PointFacts", "indicator_table", "place_and_cover", "rank_level"]


@dataclass(frozen=True)
class PointFacts:
    """Per-MSME facts that every level shares.

    Attributes
    ----------
    area_index
        Position of each MSME's desa in ``layers.areas["desa"]``, ``-1`` if unplaced.
    coverage
        Covered and unknown flags of each MSME.
    account
        Row accounting of the MSME layer.
    rejected
        Rejected MSME rows (``source,row,reason``).
    rule
        The placement rule, stated.
    """

    area_index: np.ndarray
    coverage: PointCoverage
    account: RowAccount
    rejected: pd.DataFrame
    rule: str = PLACEMENT_RULE


def place_and_cover(layers: Layers, *, covered_min: float) -> PointFacts:
    """Assign MSMEs to desa and look up their coverage.

    Parameters
    ----------
    layers
        Validated layers; needs ``areas["desa"]`` and a coverage raster.
    covered_min
        Coverage threshold, see :class:`infra_gap.config.CoverageParams`.
    """
    if layers.coverage is None:
        msg = "no coverage layer: give a coverage raster (or towers, to model one)"
        raise DataError(msg)
    desa = layers.areas["desa"]
    x = layers.msme.geometry.x.to_numpy()
    y = layers.msme.geometry.y.to_numpy()
    area_index = place_points(x, y, desa)
    cov = point_coverage(layers.coverage, x, y, xy_crs=WORK_CRS, covered_min=covered_min)
    outside = area_index < 0
    rejected = pd.DataFrame(
        {
            "source": "msme",
            "row": layers.msme["row"].to_numpy()[outside],
            "reason": "outside every area",
        },
        columns=list(REJECTED_COLUMNS),
    )
    prior = int((layers.rejected["source"] == "msme").sum())
    account = RowAccount(
        source="msme",
        read=len(layers.msme) + prior,
        used=int((~outside).sum()),
        rejected=int(outside.sum()) + prior,
    )
    return PointFacts(area_index=area_index, coverage=cov, account=account, rejected=rejected)


def indicator_table(layers: Layers, facts: PointFacts, *, level: str) -> pd.DataFrame:
    """Indicator table at ``level``, rolled up from the desa counts."""
    if level not in LEVELS:
        msg = f"`level` must be one of {list(LEVELS)}, got {level!r}"
        raise DataError(msg)
    desa = layers.areas["desa"]
    online = layers.msme["online"].to_numpy() if "online" in layers.msme else None
    counts = desa_counts(facts.area_index, facts.coverage, len(desa), online=online)
    return area_indicators(desa, counts, layers.areas[level], level=level)


def rank_level(
    layers: Layers,
    facts: PointFacts,
    *,
    level: str,
    weights: Mapping[str, float],
    method: str = "minmax",
) -> pd.DataFrame:
    """Indicators and ranking at one level."""
    return rank_areas(indicator_table(layers, facts, level=level), weights, method=method)
