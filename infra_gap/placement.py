"""Put each point in exactly one area.

The rule, stated once: a point is placed in the area that contains it or has it on its
boundary; where areas overlap (the real Sumut boundaries do, see domain.md), the area
with the **lowest code** wins.  Points in no area are left unplaced (index ``-1``) and the
caller lists them as rejected.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from infra_gap.errors import DataError

__all__ = ["PLACEMENT_RULE", "place_points"]

PLACEMENT_RULE = (
    "Each point is placed in the area that contains it or has it on its boundary; "
    "where areas overlap, the area with the lowest code wins."
)


def place_points(x: np.ndarray, y: np.ndarray, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Index of the area each point falls in.

    Parameters
    ----------
    x, y
        Point coordinates in the CRS of ``areas``.
    areas
        Areas sorted by ``kode`` (as :func:`infra_gap.io.read_areas` returns them), so that
        the lowest positional index is the lowest code.

    Returns
    -------
    numpy.ndarray
        ``int64`` positional index into ``areas`` for each point, ``-1`` where no area
        contains the point.
    """
    if len(x) != len(y):
        msg = f"`x` and `y` differ in length: {len(x)} != {len(y)}"
        raise DataError(msg)
    if not areas["kode"].is_monotonic_increasing:
        msg = "`areas` must be sorted by `kode` for the lowest-code rule"
        raise DataError(msg)
    geoms = areas.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    points = shapely.points(np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"))
    pt_idx, area_idx = tree.query(points, predicate="intersects")
    out = np.full(len(x), -1, dtype="int64")
    if len(pt_idx):
        # Lowest area index per point: sort by (point, area) and keep each point's first.
        order = np.lexsort((area_idx, pt_idx))
        pt_sorted, area_sorted = pt_idx[order], area_idx[order]
        first = np.r_[True, pt_sorted[1:] != pt_sorted[:-1]]
        out[pt_sorted[first]] = area_sorted[first]
    return out
