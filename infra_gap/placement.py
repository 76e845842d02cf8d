"""Put each point in exactly one area.

The rule, stated once: a point is placed in the area that contains it or has it on its
boundary; where areas overlap (the real Sumut boundaries do, see domain.md), the area
with the **lowest code** wins.  Points in no area are left unplaced (index ``-1``) and the
caller lists them as rejected.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from rasterio import features

from infra_gap.errors import DataError

__all__ = [
    "PLACEMENT_RULE",
    "LabelGrid",
    "build_label_grid",
    "place_points",
    "place_points_indexed",
]

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
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    geoms = areas.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    pt_idx, area_idx = tree.query(shapely.points(x, y))  # bounding-box candidates
    shapely.prepare(geoms)  # then an exact test against prepared polygons
    hit = shapely.intersects_xy(geoms[area_idx], x[pt_idx], y[pt_idx])
    pt_idx, area_idx = pt_idx[hit], area_idx[hit]
    out = np.full(len(x), -1, dtype="int64")
    if len(pt_idx):
        # Lowest area index per point: sort by (point, area) and keep each point's first.
        order = np.lexsort((area_idx, pt_idx))
        pt_sorted, area_sorted = pt_idx[order], area_idx[order]
        first = np.r_[True, pt_sorted[1:] != pt_sorted[:-1]]
        out[pt_sorted[first]] = area_sorted[first]
    return out


@dataclass(frozen=True)
class LabelGrid:
    """A raster index of areas that answers most point look-ups without geometry tests.

    Attributes
    ----------
    labels
        ``int32`` lowest-code area index of each cell's centre, ``-1`` for none.
    exact
        True for cells within one cell of any area boundary: their points get the exact
        geometric test.  Everywhere else a cell lies wholly inside the same set of areas, so
        its label is the exact answer for every point in it.
    transform
        Affine transform of the grid.
    areas
        The areas the grid was built from (sorted by ``kode``).
    """

    labels: np.ndarray
    exact: np.ndarray
    transform: Affine
    areas: gpd.GeoDataFrame


def build_label_grid(areas: gpd.GeoDataFrame, *, cell_m: float = 100.0) -> LabelGrid:
    """Rasterise areas (lowest code on top) and mark the cells that touch a boundary.

    Parameters
    ----------
    areas
        Areas sorted by ``kode``, in a metric CRS.
    cell_m
        Cell size in CRS units (metres).
    """
    if not areas["kode"].is_monotonic_increasing:
        msg = "`areas` must be sorted by `kode` for the lowest-code rule"
        raise DataError(msg)
    minx, miny, maxx, maxy = areas.total_bounds
    width = int(np.ceil((maxx - minx) / cell_m)) + 2
    height = int(np.ceil((maxy - miny) / cell_m)) + 2
    transform = Affine(cell_m, 0.0, minx - cell_m, 0.0, -cell_m, maxy + cell_m)
    geoms = areas.geometry.to_numpy()
    order = np.arange(len(geoms))[::-1]  # highest code first, so the lowest paints last
    labels = features.rasterize(
        ((geoms[i], int(i)) for i in order),
        out_shape=(height, width),
        transform=transform,
        fill=-1,
        dtype="int32",
    )
    edges = features.rasterize(
        ((b, 1) for b in shapely.boundary(geoms)),
        out_shape=(height, width),
        transform=transform,
        fill=0,
        all_touched=True,
        dtype="uint8",
    ).astype(bool)
    exact = edges.copy()  # grow by one cell in all 8 directions, to be safe at cell corners
    exact[1:, :] |= edges[:-1, :]
    exact[:-1, :] |= edges[1:, :]
    grown = exact.copy()
    grown[:, 1:] |= exact[:, :-1]
    grown[:, :-1] |= exact[:, 1:]
    return LabelGrid(labels=labels, exact=grown, transform=transform, areas=areas)


def place_points_indexed(x: np.ndarray, y: np.ndarray, grid: LabelGrid) -> np.ndarray:
    """Same result as :func:`place_points`, using a :class:`LabelGrid` first.

    Points in cells away from every boundary take the cell's label; the rest (and any point
    outside the grid) get the exact test.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    inv = ~grid.transform
    col = np.floor(inv.a * x + inv.c).astype("int64")
    row = np.floor(inv.e * y + inv.f).astype("int64")
    height, width = grid.labels.shape
    inside = (col >= 0) & (col < width) & (row >= 0) & (row < height)
    out = np.full(len(x), -1, dtype="int64")
    r, c = row[inside], col[inside]
    out[inside] = grid.labels[r, c]
    needs_test = ~inside
    needs_test[inside] = grid.exact[r, c]
    idx = np.flatnonzero(needs_test)
    if len(idx):
        out[idx] = place_points(x[idx], y[idx], grid.areas)
    return out
