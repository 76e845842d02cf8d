"""A workload's coverage raster: read in windows, written sparse from a few blocks."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS
from rasterio.warp import transform_bounds
from rasterio.windows import Window

from infra_gap.errors import InputFileError
from infra_gap.io import atomic_path
from infra_gap.io.workload_paths import Root, filesystem, require
from infra_gap.layers import Raster

__all__ = ["read_raster_window", "write_sparse_geotiff"]


def _other_crs(raster_crs: Any, crs: str | None) -> bool:
    """True when ``crs`` is given and is not the raster's (cheap test first)."""
    if crs is None or raster_crs is None or raster_crs.to_string() == crs:
        return False
    return not CRS.from_user_input(raster_crs.to_wkt()).equals(crs)


def read_raster_window(
    path: Root, bounds: tuple[float, float, float, float], *, crs: str | None = None
) -> Raster:
    """The pixels of band 1 that cover ``bounds``, and only those (a windowed read).

    The window is widened to whole pixels plus one pixel on each side and clipped to the
    raster; its transform is the raster's, shifted by whole pixels, so a point samples the
    same pixel as in the whole raster.  Bounds outside the raster give a 0 x 0 raster,
    under which every point is outside (unknown).

    Parameters
    ----------
    path
        A north-up GeoTIFF.
    bounds
        ``(minx, miny, maxx, maxy)`` in ``crs``.
    crs
        CRS of ``bounds``; None: the raster's.  Other CRSs are transformed (the edges
        densified), so every point inside ``bounds`` falls inside the window.
    """
    require(path)
    fs, inner = filesystem(path)
    opener = {} if fs is None else {"opener": fs.open}  # ranges read through fsspec
    with rasterio.open(inner, driver="GTiff", **opener) as src:
        t = src.transform
        if t.b or t.d:
            msg = f"{path}: rotated rasters are not supported"
            raise InputFileError(msg)
        if _other_crs(src.crs, crs):
            bounds = transform_bounds(crs, src.crs, *bounds, densify_pts=21)
        minx, miny, maxx, maxy = bounds
        c0 = max(math.floor((minx - t.c) / t.a) - 1, 0)
        c1 = min(math.ceil((maxx - t.c) / t.a) + 1, src.width)
        r0 = max(math.floor((maxy - t.f) / t.e) - 1, 0)
        r1 = min(math.ceil((miny - t.f) / t.e) + 1, src.height)
        crs = src.crs.to_string()
        if c1 <= c0 or r1 <= r0:
            empty = np.empty((0, 0), dtype=src.dtypes[0])
            return Raster(array=empty, transform=t, crs=crs, nodata=src.nodata)
        window = Window(c0, r0, c1 - c0, r1 - r0)
        array = src.read(1, window=window)
        shifted = Affine(t.a, 0.0, t.c + c0 * t.a, 0.0, t.e, t.f + r0 * t.e)
        return Raster(array=array, transform=shifted, crs=crs, nodata=src.nodata)


def write_sparse_geotiff(
    path: Path,
    *,
    width: int,
    height: int,
    transform: Affine,
    crs: str,
    nodata: float,
    blocks: Iterable[tuple[int, int, np.ndarray]],
) -> None:
    """Write a large single-band GeoTIFF from a few windows; the rest is no data.

    The file is tiled (256 x 256), deflate-compressed and sparse: tiles never written are
    not stored and read as ``nodata``, so a national grid with a few provinces costs only
    the provinces' bytes.

    Parameters
    ----------
    path
        Output file (written atomically).
    width, height, transform, crs, nodata
        Grid of the whole raster.
    blocks
        ``(row_off, col_off, array)`` windows to write; their dtype is the raster's.
    """
    it = iter(blocks)
    first = next(it, None)
    dtype = str(first[2].dtype) if first is not None else "uint8"
    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": dtype,
        "crs": crs,
        "transform": transform,
        "nodata": nodata,
        "compress": "deflate",
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "sparse_ok": True,
        "bigtiff": "if_safer",
    }
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        for row_off, col_off, array in [first, *it] if first is not None else []:
            h, w = array.shape
            dst.write(array, 1, window=Window(col_off, row_off, w, h))
