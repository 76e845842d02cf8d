"""Web-Mercator tiles and Ookla quadkeys, vectorised with numpy.

Ookla's open data use zoom-16 tiles identified by a quadkey string (domain.md).  Quadkeys
stay strings: leading digits matter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pyproj import CRS, Transformer

from infra_gap.config import GEO_CRS

__all__ = ["lonlat_to_tile", "quadkey_to_tile", "tile_bounds", "tile_to_quadkey", "tiles_near"]

_MAX_LAT = 85.05112878


def lonlat_to_tile(lon: np.ndarray, lat: np.ndarray, zoom: int) -> tuple[np.ndarray, np.ndarray]:
    """Tile column and row at ``zoom`` for each lon/lat (degrees)."""
    n = 1 << zoom
    lat_r = np.radians(np.clip(lat, -_MAX_LAT, _MAX_LAT))
    tx = np.floor((np.asarray(lon) + 180.0) / 360.0 * n)
    ty = np.floor((1.0 - np.log(np.tan(lat_r) + 1.0 / np.cos(lat_r)) / np.pi) / 2.0 * n)
    return np.clip(tx, 0, n - 1).astype("int64"), np.clip(ty, 0, n - 1).astype("int64")


def tile_to_quadkey(tx: np.ndarray, ty: np.ndarray, zoom: int) -> np.ndarray:
    """Quadkey strings for tile columns and rows (Bing Maps tile system)."""
    tx = np.asarray(tx, dtype="int64")
    ty = np.asarray(ty, dtype="int64")
    digits = np.zeros((len(tx), zoom), dtype="uint8")
    for i in range(zoom):
        bit = zoom - 1 - i
        digits[:, i] = ((tx >> bit) & 1) + 2 * ((ty >> bit) & 1)
    chars = (digits + ord("0")).astype("uint8")
    return chars.view(f"S{zoom}").ravel().astype("str") if zoom else np.array([""] * len(tx))


def quadkey_to_tile(quadkeys: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Tile column, row and zoom of quadkey strings that share one zoom."""
    qk = np.asarray(quadkeys)
    qk = qk if qk.dtype.kind in "OUS" else qk.astype("str")
    zoom = len(qk[0]) if len(qk) else 0
    # straight to bytes (no fixed-width unicode copy), one row of digits per quadkey
    raw = qk.astype(f"S{zoom}").view("uint8").reshape(len(qk), zoom) - ord("0")
    if (raw > 3).any():
        msg = "quadkeys must contain only the digits 0-3"
        raise ValueError(msg)
    return _pack_bits(raw & 1), _pack_bits(raw >> 1), zoom


def _pack_bits(bits: np.ndarray) -> np.ndarray:
    """Integers from rows of 0/1 digits, most significant first (``packbits``, not a sum)."""
    n, width = bits.shape
    packed = np.packbits(bits.astype(bool), axis=1)  # left-aligned, padded at the end
    value = np.zeros(n, dtype="int64")
    for k in range(packed.shape[1]):
        value = (value << 8) | packed[:, k]
    return value >> (8 * packed.shape[1] - width)


def tile_bounds(
    tx: np.ndarray, ty: np.ndarray, zoom: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """West, south, east, north of tiles, in degrees."""
    n = float(1 << zoom)
    tx = np.asarray(tx, dtype="float64")
    ty = np.asarray(ty, dtype="float64")

    def lat(row: np.ndarray) -> np.ndarray:
        return np.degrees(np.arctan(np.sinh(np.pi * (1.0 - 2.0 * row / n))))

    return tx / n * 360.0 - 180.0, lat(ty + 1.0), (tx + 1.0) / n * 360.0 - 180.0, lat(ty)


#: Degrees added around the areas' extent, beyond one tile, by :func:`tiles_near` (about
#: 11 km: far more than any difference between the CRS a point is placed in).
NEAR_MARGIN_DEG = 0.1


def tiles_near(
    bounds: tuple[float, float, float, float], crs: CRS | str
) -> Callable[[np.ndarray], np.ndarray]:
    """A rule keeping the tiles that can matter to areas of extent ``bounds`` (in ``crs``).

    A tile is placed in an area by its centre, and an MSME, in an area, reads the tile it
    lies in, whose centre is at most one tile away: a tile whose centre is more than one
    tile and :data:`NEAR_MARGIN_DEG` outside the extent (in degrees) matters to no area
    and no MSME placed in one.  Given quadkeys of one zoom, the rule says which to keep.
    """
    to_deg = Transformer.from_crs(crs, GEO_CRS, always_xy=True)
    west, south, east, north = to_deg.transform_bounds(*bounds, densify_pts=21)

    def keep(quadkeys: np.ndarray) -> np.ndarray:
        if not len(quadkeys):
            return np.zeros(0, dtype=bool)
        w, s, e, n = tile_bounds(*quadkey_to_tile(quadkeys))
        margin = NEAR_MARGIN_DEG + float(np.max(e - w, initial=0.0))
        lon, lat = (w + e) / 2.0, (s + n) / 2.0
        return (
            (lon >= west - margin)
            & (lon <= east + margin)
            & (lat >= south - margin)
            & (lat <= north + margin)
        )

    return keep
