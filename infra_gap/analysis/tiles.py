"""Web-Mercator tiles and Ookla quadkeys, vectorised with numpy.

Ookla's open data use zoom-16 tiles identified by a quadkey string (domain.md).  Quadkeys
stay strings: leading digits matter.
"""

from __future__ import annotations

import numpy as np

__all__ = ["lonlat_to_tile", "quadkey_to_tile", "tile_bounds", "tile_to_quadkey"]

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
