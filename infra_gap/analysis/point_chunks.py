"""Per-point steps run in chunks of ``Limits.chunk_rows`` points (issues 20 and 22).

Placing a point, looking up its coverage pixel, its nearest tower or its speed tile each
depend on that point alone, so running them chunk by chunk gives the same arrays while
their working arrays (cell indices, pixel rows and columns, masks) exist for one chunk at
a time: 20 million MSMEs stay within 4 GB.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from infra_gap.analysis.coverage import PointCoverage, point_coverage
from infra_gap.analysis.placement import LabelGrid, place_points_indexed
from infra_gap.io import budget
from infra_gap.layers import Raster, RasterFile

__all__ = ["cover_in_chunks", "in_chunks", "place_in_chunks"]


def place_in_chunks(x: np.ndarray, y: np.ndarray, grid: LabelGrid) -> np.ndarray:
    """:func:`place_points_indexed` in chunks of ``Limits.chunk_rows`` points.

    Each point is placed on its own, so the chunks give the same index; the working
    arrays of the look-up exist for one chunk at a time (20 M MSMEs stay within 4 GB).
    """
    size = budget.current_limits().chunk_rows
    if len(x) <= size:
        return place_points_indexed(x, y, grid)
    out = np.empty(len(x), dtype="int64")
    for i in range(0, len(x), size):
        out[i : i + size] = place_points_indexed(x[i : i + size], y[i : i + size], grid)
    return out


def cover_in_chunks(
    raster: Raster | RasterFile, x: np.ndarray, y: np.ndarray, *, xy_crs: str, covered_min: float
) -> PointCoverage:
    """:func:`point_coverage` in chunks of ``Limits.chunk_rows`` points."""
    size = budget.current_limits().chunk_rows
    if len(x) <= size:
        return point_coverage(raster, x, y, xy_crs=xy_crs, covered_min=covered_min)
    covered, unknown = np.empty(len(x), dtype=bool), np.empty(len(x), dtype=bool)
    for i in range(0, len(x), size):
        part = point_coverage(
            raster, x[i : i + size], y[i : i + size], xy_crs=xy_crs, covered_min=covered_min
        )
        covered[i : i + size], unknown[i : i + size] = part.covered, part.unknown
    return PointCoverage(covered=covered, unknown=unknown)


def in_chunks(
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray], x: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """``fn(x, y)`` of a per-point function, in chunks of ``Limits.chunk_rows`` points."""
    size = budget.current_limits().chunk_rows
    if len(x) <= size:
        return fn(x, y)
    return np.concatenate([fn(x[i : i + size], y[i : i + size]) for i in range(0, len(x), size)])
