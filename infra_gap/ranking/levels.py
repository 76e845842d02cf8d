"""One level's indicators, ranked: the last step of the local chain (analysis, then scoring)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from infra_gap.analysis.pipeline import PointFacts, indicator_table
from infra_gap.layers import Layers
from infra_gap.ranking.scoring import rank_areas


def rank_level(
    layers: Layers,
    facts: PointFacts,
    *,
    level: str,
    weights: Mapping[str, float],
    method: str = "minmax",
    area_frame: pd.DataFrame | None = None,
    unknown_as_need: bool = True,
) -> pd.DataFrame:
    """Indicators and ranking at one level.

    ``unknown_as_need``: see :mod:`infra_gap.analysis.unknown`.
    """
    table = indicator_table(layers, facts, level=level, area_frame=area_frame)
    return rank_areas(table, weights, method=method, unknown_as_need=unknown_as_need)
