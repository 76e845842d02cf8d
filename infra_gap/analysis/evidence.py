"""Per-point evidence beyond the coverage raster: nearest tower and the speed-test tile.

Both are computed once per MSME and then aggregated at any level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
from pyproj import Transformer

from infra_gap.analysis.tiles import lonlat_to_tile, quadkey_to_tile, tile_bounds
from infra_gap.config import GEO_CRS, WORK_CRS

if TYPE_CHECKING:
    from scipy.spatial import cKDTree

__all__ = ["TILE_ZOOM", "nearest_distance", "tile_centres", "tile_keys", "tile_values_at"]

#: Ookla open data use zoom-16 tiles (about 610 m at the equator).
TILE_ZOOM = 16


def nearest_distance(x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest target point, in CRS units.

    Exact, and the same numbers as a k-d tree query for every point: most points take the
    nearest target of their cell's centre, with a certificate (:func:`_certified`); the
    rest are searched in a :class:`scipy.spatial.cKDTree`.  Returns NaN for every point
    when there is no target.
    """
    from scipy.spatial import cKDTree  # here: scipy.spatial takes 0.3 s to import

    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if len(tx) == 0:
        return np.full(len(x), np.nan)
    sites = np.unique(np.column_stack([tx, ty]).astype("float64"), axis=0)  # co-located: one
    tree = cKDTree(sites)
    dist, todo = _certified(x, y, sites, tree)
    todo = todo[np.isfinite(x[todo]) & np.isfinite(y[todo])]  # no coordinates: NaN
    if len(todo):
        dist[todo], _ = tree.query(np.column_stack([x[todo], y[todo]]), k=1, workers=-1)
    return dist


def _certified(
    x: np.ndarray,
    y: np.ndarray,
    sites: np.ndarray,
    tree: cKDTree,
    *,
    max_cells: int = 1 << 22,
    k: int = 6,
) -> tuple[np.ndarray, np.ndarray]:
    """Distances that need no search, and the positions of the points that still do.

    Points are binned in square cells (750 CRS units, larger if the extent needs more than
    ``max_cells``), and the ``k`` sites nearest each cell centre ``c`` are found, at
    distances ``d1 <= ... <= dk``.  Every other site is at least ``dk`` from ``c``, so at
    least ``dk - |p - c|`` from a point ``p`` (triangle inequality).  A point whose
    nearest site ``t_1`` of its centre satisfies ``|p - t_1| < d2 - |p - c|`` has
    ``t_1`` nearest; the others take the least distance to the ``k`` sites when it is under
    ``dk - |p - c|``.  Distances are computed as the tree computes them.  Any size of
    cell gives the same answer; it changes speed.
    """
    dist = np.full(len(x), np.nan)
    finite = np.isfinite(x) & np.isfinite(y)
    if len(sites) < 2 or not finite.any():
        return dist, np.arange(len(x))
    ok = None if finite.all() else np.flatnonzero(finite)  # no copies when all are finite
    px, py = (x, y) if ok is None else (x[ok], y[ok])
    x0, y0 = px.min(), py.min()
    size = max(750.0, float(np.sqrt((px.max() - x0 + 1) * (py.max() - y0 + 1) / max_cells)))
    # Any binning is valid (the certificate measures |p - c| itself), so a product will do.
    col = ((px - x0) * (1.0 / size)).astype("int64")
    width = int(col.max()) + 1
    cell = ((py - y0) * (1.0 / size)).astype("int64")
    cell *= width
    cell += col
    occupied = np.flatnonzero(np.bincount(cell))  # at most about `max_cells` bins
    lookup = np.zeros(int(occupied[-1]) + 1, dtype="int64")
    lookup[occupied] = np.arange(len(occupied))
    row = lookup[cell]
    cx = x0 + (occupied % width + 0.5) * size
    cy = y0 + (occupied // width + 0.5) * size
    k = min(k, len(sites))
    d, i = tree.query(np.column_stack([cx, cy]), k=k)
    sx, sy = sites[:, 0], sites[:, 1]

    def to_site(j: np.ndarray, qx: np.ndarray, qy: np.ndarray) -> np.ndarray:
        dx, dy = sx[j] - qx, sy[j] - qy
        return np.sqrt(dx * dx + dy * dy)

    near = to_site(i[:, 0][row], px, py)
    ex = px - cx[row]
    ey = py - cy[row]
    ex *= ex
    ey *= ey
    ex += ey
    off = np.sqrt(ex, out=ex)  # |p - c|
    sure = d[:, 1][row] - off > near + 1e-6 * (1.0 + near)
    rest = np.flatnonzero(~sure)
    if len(rest):  # the k sites nearest the centre, against the k-th distance
        r, qx, qy = row[rest], px[rest], py[rest]
        least = near[rest]
        for j in range(1, k):
            np.minimum(least, to_site(i[r, j], qx, qy), out=least)
        bound = d[r, k - 1] if k < len(sites) else np.inf  # k = every site: no other
        second = bound - off[rest] > least + 1e-6 * (1.0 + least)
        near[rest[second]] = least[second]
        sure[rest[second]] = True
    if ok is None:
        dist[sure] = near[sure]
    else:
        dist[ok[sure]] = near[sure]
    return dist, np.flatnonzero(np.isnan(dist))


def tile_keys(tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
    """One ``int64`` key per zoom-16 tile column and row."""
    return np.asarray(tx, dtype="int64") * (1 << TILE_ZOOM) + np.asarray(ty, dtype="int64")


def tile_values_at(
    lon: np.ndarray,
    lat: np.ndarray,
    tiles: gpd.GeoDataFrame,
    column: str,
    *,
    parsed: tuple[np.ndarray, np.ndarray, int] | None = None,
) -> np.ndarray:
    """Value of ``column`` in the zoom-16 tile under each point; NaN where no tile has tests.

    Parameters
    ----------
    lon, lat
        Point coordinates in degrees.
    tiles
        Ookla-schema tiles with a string ``quadkey`` of 16 digits.
    column
        The tile column to look up.
    parsed
        The tiles' quadkeys already parsed (:func:`infra_gap.analysis.tiles.quadkey_to_tile`), or
        None to parse them here.
    """
    out = np.full(len(lon), np.nan)
    if len(tiles) == 0:
        return out
    px, py = lonlat_to_tile(lon, lat, TILE_ZOOM)
    qx, qy, _ = parsed if parsed is not None else quadkey_to_tile(tiles["quadkey"].to_numpy())
    _, first = np.unique(tile_keys(qx, qy), return_index=True)  # a repeated tile: first row
    qx, qy = qx[first], qy[first]
    values = tiles[column].to_numpy(dtype="float64")[first]
    x0, y0 = qx.min(), qy.min()
    width, height = int(qx.max() - x0) + 1, int(qy.max() - y0) + 1
    if width * height <= max(16 * len(qx), 1 << 22):  # a dense table of the tiles' extent
        table = np.full((height, width), -1, dtype="int64")
        table[qy - y0, qx - x0] = np.arange(len(qx))
        inside = (px >= x0) & (px < x0 + width) & (py >= y0) & (py < y0 + height)
        pos = np.full(len(lon), -1, dtype="int64")
        pos[inside] = table[py[inside] - y0, px[inside] - x0]
    else:  # scattered tiles: binary search in the sorted keys
        keys = tile_keys(qx, qy)  # sorted, from np.unique
        point_keys = tile_keys(px, py)
        pos = np.clip(np.searchsorted(keys, point_keys), 0, len(keys) - 1)
        pos[keys[pos] != point_keys] = -1
    hit = pos >= 0
    out[hit] = values[pos[hit]]
    return out


def tile_centres(
    quadkeys: np.ndarray,
    *,
    crs: str = WORK_CRS,
    parsed: tuple[np.ndarray, np.ndarray, int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Centres of quadkey tiles in ``crs`` (the work CRS by default), from the tile grid.

    ``parsed``: the quadkeys already parsed (:func:`infra_gap.analysis.tiles.quadkey_to_tile`).
    """
    if len(quadkeys) == 0:
        return np.empty(0), np.empty(0)
    tx, ty, zoom = parsed if parsed is not None else quadkey_to_tile(quadkeys)
    w, s, e, n = tile_bounds(tx, ty, zoom)
    tr = Transformer.from_crs(GEO_CRS, crs, always_xy=True)
    x, y = tr.transform((w + e) / 2.0, (s + n) / 2.0)
    return np.asarray(x), np.asarray(y)
