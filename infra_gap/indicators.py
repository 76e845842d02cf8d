"""Indicators per area, and the one registry that the UI, exports and ranking read.

Counts are made once per desa (the finest level) and rolled up the Kemendagri code
hierarchy (desa -> kecamatan -> kabupaten), so the levels always agree even though their
source polygons do not nest exactly.  Empty areas: counts are 0, ratios are missing (NaN).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.config import LEVEL_CODE_LENGTH
from infra_gap.coverage import PointCoverage
from infra_gap.errors import DataError
from infra_gap.registry import INDICATORS, Indicator

__all__ = ["INDICATORS", "Indicator", "area_indicators", "desa_counts"]


def desa_counts(
    area_index: np.ndarray,
    coverage: PointCoverage,
    n_areas: int,
    *,
    online: np.ndarray | None = None,
) -> pd.DataFrame:
    """Counts per finest-level area from per-point facts.

    Parameters
    ----------
    area_index
        Positional area index of each point (``-1`` for unplaced points, which are skipped).
    coverage
        Covered and unknown flags of each point.
    n_areas
        Number of areas.
    online
        Optional boolean ``online`` flag of each point.

    Returns
    -------
    DataFrame with one row per area position: ``msme_total``, ``msme_uncovered``,
    ``msme_coverage_unknown`` and, with ``online``, ``msme_online``.
    """
    placed = area_index >= 0
    idx = area_index[placed]

    def count(mask: np.ndarray | None) -> np.ndarray:
        if mask is None:
            return np.bincount(idx, minlength=n_areas)
        return np.bincount(idx[mask[placed]], minlength=n_areas)

    out = pd.DataFrame(
        {
            "msme_total": count(None),
            "msme_uncovered": count(~coverage.covered),
            "msme_coverage_unknown": count(coverage.unknown),
        }
    )
    if online is not None:
        out["msme_online"] = count(np.asarray(online, dtype="bool"))
    return out


def area_indicators(
    finest: gpd.GeoDataFrame, counts: pd.DataFrame, areas: gpd.GeoDataFrame, *, level: str
) -> pd.DataFrame:
    """Indicator table for one level, rolled up from the finest-level counts.

    Parameters
    ----------
    finest
        The finest-level areas (``kode`` column), row-aligned with ``counts``.
    counts
        Output of :func:`desa_counts`.
    areas
        The areas of ``level`` (``kode``, ``nama``).
    level
        ``"desa"``, ``"kecamatan"`` or ``"kabupaten"``.

    Returns
    -------
    DataFrame indexed like ``areas``, with ``kode``, ``nama`` and every indicator.

    Raises
    ------
    DataError
        If some finest-level area has no parent in ``areas`` (its MSMEs would vanish).
    """
    if level not in LEVEL_CODE_LENGTH:
        msg = f"`level` must be one of {list(LEVEL_CODE_LENGTH)}, got {level!r}"
        raise DataError(msg)
    parent = finest["kode"].str.slice(0, LEVEL_CODE_LENGTH[level]).to_numpy()
    rolled = counts.groupby(parent, sort=False).sum()
    orphans = sorted(set(rolled.index[rolled["msme_total"] > 0]) - set(areas["kode"]))
    if orphans:
        msg = f"MSMEs placed in areas with no {level} parent: {orphans[:10]}"
        raise DataError(msg)
    table = areas[["kode", "nama"]].copy()
    joined = rolled.reindex(table["kode"].to_numpy()).fillna(0).astype("int64")
    for col in rolled.columns:
        table[col] = joined[col].to_numpy()
    total = table["msme_total"].to_numpy().astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        table["msme_uncovered_share"] = np.where(total > 0, table["msme_uncovered"] / total, np.nan)
        if "msme_online" in table:
            table["msme_online_share"] = np.where(total > 0, table["msme_online"] / total, np.nan)
    return table
