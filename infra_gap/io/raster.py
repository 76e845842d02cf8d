"""GeoTIFF in and out.  Only the GTiff driver is ever asked for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from pyproj import CRS, Transformer
from rasterio.errors import RasterioError, RasterioIOError
from rasterio.windows import Window

from infra_gap.config import Limits
from infra_gap.errors import InputFileError, SchemaError
from infra_gap.io import budget
from infra_gap.io.files import atomic_path, require_file
from infra_gap.layers import Raster

__all__ = [
    "COMMON_FILL_VALUES",
    "MAX_DECLARED_CELLS",
    "MAX_RASTER_CELLS",
    "fill_value_candidates",
    "memory_raster",
    "open_geotiff",
    "raster_info",
    "read_geotiff",
    "sample_geotiff",
    "write_geotiff",
]

#: Rasters up to this many cells are read whole; larger ones are sampled in windows.
MAX_RASTER_CELLS = 50_000_000
#: Kept for callers; the budget in force is ``Limits.max_raster_cells`` (checked by
#: :func:`infra_gap.io.budget.check_raster` before any pixel is read).
MAX_DECLARED_CELLS = Limits().max_raster_cells

Source = Path | bytes

#: Values GIS software writes where there is no data, when a file declares none, with why.
#: -9999: "a common value to store NoData" (Esri, ArcMap 10.7 help, "NoData in raster
#: datasets", retrieved 2026-12-02); -32768: the void value of SRTM elevation tiles (NASA
#: SRTM v3 user guide, 2015); -32767 and -99999: gdalraster's defaults for Int16 and floats
#: (gdalraster 1.11 ``DEFAULT_NODATA``, 2025).  Besides these, :func:`fill_value_candidates`
#: adds the data type's maximum (Esri's "Maximum" NoData mapping, ArcGIS Pro 3.1 help,
#: "NoData (Environment setting)"; 255 for 8-bit rasters, gdalraster's Byte default), the
#: signed types' minimum and the floats' negative extreme (R gpkg 0.0.14
#: ``gpkg_default_nodata``), and NaN.
COMMON_FILL_VALUES = (-9999.0, -32768.0, -32767.0, -99999.0)


@contextmanager
def open_geotiff(source: Source, name: str) -> Iterator[Any]:
    """An open GTiff dataset of a path or uploaded bytes (GTiff driver only)."""
    try:
        if isinstance(source, bytes):
            with rasterio.MemoryFile(BytesIO(source)) as mem, mem.open(driver="GTiff") as src:
                yield src
        else:
            require_file(source)
            with rasterio.open(source, driver="GTiff") as src:
                yield src
    except RasterioIOError as err:
        msg = f"{name}: not a readable GeoTIFF ({err})"
        raise InputFileError(msg) from err
    except RasterioError as err:
        msg = f"{name}: not a readable GeoTIFF ({str(err)[:300]})"
        raise InputFileError(msg) from err


def raster_info(
    source: Source, *, name: str = "coverage", limits: Limits | None = None
) -> dict[str, Any]:
    """Size, CRS and no-data value of a GeoTIFF, without reading its pixels.

    Checks the declared size, bands, pixel type, block size and transform against
    ``limits`` (:func:`infra_gap.io.budget.current_limits` when None), and that the CRS is
    geographic or projected (a local/engineering CRS cannot be placed on the map).
    """
    limits = limits or budget.current_limits()
    if isinstance(source, Path):
        require_file(source)
    budget.check_file(source, name, limits)
    with open_geotiff(source, name) as src:
        budget.check_raster(src, name, limits)
        if src.crs is None:
            msg = f"{name}: the raster has no CRS; save it with one (e.g. EPSG:4326)"
            raise SchemaError(msg)
        with budget.reading(name, "a GeoTIFF CRS"):
            crs = CRS.from_wkt(src.crs.to_wkt())
        if not (crs.is_geographic or crs.is_projected):
            msg = (
                f"{name}: the raster's CRS ({crs.name}) is a local one; save it in EPSG:4326 or UTM"
            )
            raise SchemaError(msg)
        return {
            "width": src.width,
            "height": src.height,
            "count": src.count,
            "crs": src.crs.to_string(),
            "nodata": src.nodata,
            "transform": src.transform,
            "dtype": src.dtypes[0],
        }


def fill_value_candidates(dtype: str) -> tuple[tuple[float, str], ...]:
    """Typical undeclared no-data values a raster of ``dtype`` can hold, each with why.

    >>> [v for v, _ in fill_value_candidates("uint8")]
    [255.0]
    """
    kind = np.dtype(dtype)
    found: dict[float, str] = {}
    if np.issubdtype(kind, np.integer):
        info = np.iinfo(kind)
        found[float(info.max)] = f"the largest {kind.name} value"
        if info.min < 0:
            found[float(info.min)] = f"the smallest {kind.name} value"
        lo, hi = float(info.min), float(info.max)
    else:
        finfo = np.finfo(kind)
        found[float(finfo.max)] = f"the largest {kind.name} value"
        found[float(-finfo.max)] = f"the most negative {kind.name} value"
        found[float("nan")] = "NaN"
        lo, hi = float(-finfo.max), float(finfo.max)
    for value in COMMON_FILL_VALUES:
        if lo <= value <= hi:
            found.setdefault(value, "a common no-data value")
    return tuple(found.items())


def read_geotiff(source: Source, *, name: str = "coverage", limits: Limits | None = None) -> Raster:
    """Read band 1 of a GeoTIFF that fits the in-memory budget.

    Raises
    ------
    InputFileError
        For a file that is not a GeoTIFF or is larger than :data:`MAX_RASTER_CELLS`
        (use :func:`sample_geotiff` for those).
    SchemaError
        When the raster has no CRS.
    """
    info = raster_info(source, name=name, limits=limits)
    if info["width"] * info["height"] > MAX_RASTER_CELLS:
        msg = (
            f"{name}: {info['width']} x {info['height']} pixels is over the in-memory budget "
            f"of {MAX_RASTER_CELLS:,} cells"
        )
        raise InputFileError(msg)
    with budget.reading(name, "a GeoTIFF"), open_geotiff(source, name) as src:
        return Raster(
            array=src.read(1), transform=src.transform, crs=info["crs"], nodata=src.nodata
        )


def sample_geotiff(
    source: Source, x: np.ndarray, y: np.ndarray, *, xy_crs: str, rows_per_window: int = 1024
) -> tuple[np.ndarray, np.ndarray, float | None]:
    """Band-1 values under points, reading the raster in row windows, never whole.

    Returns values (NaN outside the raster), an inside mask, and the no-data value.
    """
    with open_geotiff(source, "coverage") as src:
        x = np.asarray(x, dtype="float64")
        y = np.asarray(y, dtype="float64")
        if not CRS.from_user_input(xy_crs).equals(src.crs):
            x, y = Transformer.from_crs(xy_crs, src.crs, always_xy=True).transform(x, y)
        inv = ~src.transform
        finite = np.isfinite(x) & np.isfinite(y)
        # Points that project to inf (far from the CRS's zone) are outside: computed at 0.
        x0, y0 = np.where(finite, x, 0.0), np.where(finite, y, 0.0)
        col = np.floor(np.where(finite, inv.a * x0 + inv.b * y0 + inv.c, -1)).astype("int64")
        row = np.floor(np.where(finite, inv.d * x0 + inv.e * y0 + inv.f, -1)).astype("int64")
        inside = (col >= 0) & (col < src.width) & (row >= 0) & (row < src.height)
        values = np.full(len(x), np.nan)
        # Windows of at most ``max_window_cells`` pixels, read only where points fall: the
        # memory needed never depends on the size the raster declares.
        cols_per_window = max(1, budget.current_limits().max_window_cells // rows_per_window)
        idx = np.flatnonzero(inside)
        key = (row[idx] // rows_per_window) * (src.width // cols_per_window + 1) + (
            col[idx] // cols_per_window
        )
        order = np.argsort(key, kind="stable")
        idx, key = idx[order], key[order]
        bounds = np.flatnonzero(np.diff(key)) + 1
        with budget.reading("coverage", "a GeoTIFF"):
            for part in np.split(idx, bounds) if len(idx) else []:
                r0 = int(row[part[0]] // rows_per_window) * rows_per_window
                c0, c1 = int(col[part].min()), int(col[part].max()) + 1
                h = min(rows_per_window, src.height - r0)
                block = src.read(1, window=Window(c0, r0, c1 - c0, h))
                values[part] = block[row[part] - r0, col[part] - c0]
        return values, inside, src.nodata


def write_geotiff(raster: Raster, path: Path) -> None:
    """Write a single-band, tiled, deflate-compressed GeoTIFF atomically."""
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **_profile(raster, tiled=True)) as dst:
        dst.write(raster.array, 1)


def _profile(raster: Raster, *, tiled: bool) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": raster.array.shape[1],
        "height": raster.array.shape[0],
        "count": 1,
        "dtype": str(raster.array.dtype),
        "crs": raster.crs,
        "transform": raster.transform,
        "nodata": raster.nodata,
    }
    if tiled:
        profile |= {"compress": "deflate", "tiled": True, "blockxsize": 256, "blockysize": 256}
    return profile


@contextmanager
def memory_raster(raster: Raster) -> Iterator[Any]:
    """An open in-memory GTiff dataset of ``raster``, for libraries that want a dataset."""
    with rasterio.MemoryFile() as mem:
        with mem.open(**_profile(raster, tiled=False)) as dst:
            dst.write(raster.array, 1)
        with mem.open(driver="GTiff") as src:
            yield src
