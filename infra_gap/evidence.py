"""Per-point evidence beyond the coverage raster: nearest tower and the speed-test tile.

Both are computed once per MSME and then aggregated at any level.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from pyproj import Transformer
from scipy.spatial import cKDTree

from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.tiles import lonlat_to_tile, quadkey_to_tile, tile_bounds

__all__ = ["TILE_ZOOM", "nearest_distance", "tile_centres", "tile_keys", "tile_values_at"]

#: Ookla open data use zoom-16 tiles (about 610 m at the equator).
TILE_ZOOM = 16


def nearest_distance(x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest target point, in CRS units.

    Returns NaN for every point when there is no target.
    """
    if len(tx) == 0:
        return np.full(len(x), np.nan)
    tree = cKDTree(np.column_stack([tx, ty]))
    dist, _ = tree.query(np.column_stack([x, y]), k=1, workers=-1)
    return np.asarray(dist, dtype="float64")


def tile_keys(tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
    """One ``int64`` key per zoom-16 tile column and row."""
    return np.asarray(tx, dtype="int64") * (1 << TILE_ZOOM) + np.asarray(ty, dtype="int64")


def tile_values_at(
    lon: np.ndarray, lat: np.ndarray, tiles: gpd.GeoDataFrame, column: str
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
    """
    px, py = lonlat_to_tile(lon, lat, TILE_ZOOM)
    out = np.full(len(lon), np.nan)
    if len(tiles) == 0:
        return out
    qx, qy, _ = quadkey_to_tile(tiles["quadkey"].to_numpy())
    keys = tile_keys(qx, qy)
    order = np.argsort(keys)
    sorted_keys = keys[order]
    point_keys = tile_keys(px, py)
    pos = np.clip(np.searchsorted(sorted_keys, point_keys), 0, len(keys) - 1)
    hit = sorted_keys[pos] == point_keys
    values = tiles[column].to_numpy(dtype="float64")[order]
    out[hit] = values[pos[hit]]
    return out


def tile_centres(quadkeys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centres of quadkey tiles in the work CRS (from the tile grid, not the WKT)."""
    if len(quadkeys) == 0:
        return np.empty(0), np.empty(0)
    tx, ty, zoom = quadkey_to_tile(quadkeys)
    w, s, e, n = tile_bounds(tx, ty, zoom)
    tr = Transformer.from_crs(GEO_CRS, WORK_CRS, always_xy=True)
    x, y = tr.transform((w + e) / 2.0, (s + n) / 2.0)
    return np.asarray(x), np.asarray(y)
