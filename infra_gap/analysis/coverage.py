"""Which points are covered: raster look-up, and towers turned into modelled coverage."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from pyproj import CRS, Transformer
from rasterio import features

from infra_gap import io
from infra_gap.errors import DataError
from infra_gap.layers import Raster, RasterFile
from infra_gap.point_frames import point_xy, points_crs

__all__ = [
    "FillSuspect",
    "PointCoverage",
    "fill_suspects",
    "fill_value_notes",
    "model_coverage",
    "point_coverage",
    "sample_raster",
]

COVERED, NOT_COVERED, NODATA = 1, 0, 255


@dataclass(frozen=True)
class PointCoverage:
    """Coverage status of each point.

    Attributes
    ----------
    covered
        True where the pixel value is at or above the threshold.
    unknown
        True where the pixel is no data, or the point lies outside the raster.  Unknown
        points are also not covered (NTIA rule: no record means unserved).
    """

    covered: np.ndarray
    unknown: np.ndarray


def sample_raster(
    raster: Raster, x: np.ndarray, y: np.ndarray, *, xy_crs: str
) -> tuple[np.ndarray, np.ndarray]:
    """Pixel value under each point, vectorised (no per-point GDAL call).

    Parameters
    ----------
    raster
        The raster.
    x, y
        Point coordinates in ``xy_crs``; reprojected to the raster CRS if they differ.
    xy_crs
        CRS of the points.

    Returns
    -------
    values, inside
        ``float64`` values (NaN outside the raster) and a mask of points inside it.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    if not CRS.from_user_input(xy_crs).equals(CRS.from_user_input(raster.crs)):
        tr = Transformer.from_crs(xy_crs, raster.crs, always_xy=True)
        x, y = tr.transform(x, y)
    inv = ~raster.transform
    finite = np.isfinite(x) & np.isfinite(y)
    # Points that project to inf (far from the CRS's zone) are outside: computed at 0.
    x0, y0 = np.where(finite, x, 0.0), np.where(finite, y, 0.0)
    col = np.floor(np.where(finite, inv.a * x0 + inv.b * y0 + inv.c, -1)).astype("int64")
    row = np.floor(np.where(finite, inv.d * x0 + inv.e * y0 + inv.f, -1)).astype("int64")
    height, width = raster.array.shape
    inside = (col >= 0) & (col < width) & (row >= 0) & (row < height)
    values = np.full(len(x), np.nan)
    values[inside] = raster.array[row[inside], col[inside]]
    return values, inside


def point_coverage(
    raster: Raster | RasterFile,
    x: np.ndarray,
    y: np.ndarray,
    *,
    xy_crs: str,
    covered_min: float,
) -> PointCoverage:
    """Covered and unknown flags for points.

    Parameters
    ----------
    raster
        Binary or signal-strength raster; a :class:`RasterFile` is read in windows.
    x, y
        Point coordinates in ``xy_crs``; NaN coordinates are unknown.
    xy_crs
        CRS of the points.
    covered_min
        A value at or above this is covered (1 for binary; about -110 dBm for LTE RSRP).
    """
    if isinstance(raster, RasterFile):
        values, inside, _ = io.sample_geotiff(raster.source, x, y, xy_crs=xy_crs)
    else:
        values, inside = sample_raster(raster, x, y, xy_crs=xy_crs)
    unknown = ~inside
    if raster.nodata is not None:
        unknown |= values == raster.nodata
    unknown |= np.isnan(values)
    covered = ~unknown & (values >= covered_min)
    return PointCoverage(covered=covered, unknown=unknown)


@dataclass(frozen=True)
class FillSuspect:
    """A typical no-data value found in a raster that declares none.

    Attributes
    ----------
    value
        The value (NaN for NaN).
    why
        Why it is typical (:func:`infra_gap.io.fill_value_candidates`).
    pixels
        Pixels holding it (None for a raster too large to read whole).
    points
        Points on such pixels.
    """

    value: float
    why: str
    pixels: int | None
    points: int


def fill_suspects(
    raster: Raster | RasterFile, x: np.ndarray, y: np.ndarray, *, xy_crs: str
) -> list[FillSuspect]:
    """Typical no-data values in a raster that declares none, with the points on them.

    A raster held in memory is searched whole; a larger one only under the points.
    """
    if raster.nodata is not None:
        return []
    if isinstance(raster, RasterFile):
        dtype = str(io.raster_info(raster.source, name=raster.name)["dtype"])
        values, inside, _ = io.sample_geotiff(raster.source, x, y, xy_crs=xy_crs)
    else:
        dtype = str(raster.array.dtype)
        values, inside = sample_raster(raster, x, y, xy_crs=xy_crs)
    out = []
    for value, why in io.fill_value_candidates(dtype):
        if np.isnan(value):
            points = int((inside & np.isnan(values)).sum())
            pixels = None if isinstance(raster, RasterFile) else int(np.isnan(raster.array).sum())
        else:
            points = int((values == value).sum())
            pixels = None if isinstance(raster, RasterFile) else int((raster.array == value).sum())
        if points or pixels:
            out.append(FillSuspect(float(value), why, pixels, points))
    return out


def fill_value_notes(
    raster: Raster | RasterFile,
    points: gpd.GeoDataFrame,
    *,
    name: str,
    declared: float | None = None,
    option: str | None = "--coverage-nodata",
) -> tuple[str, ...]:
    """Warnings about typical no-data values in a coverage raster that declares none.

    Each names the value, the pixels and the MSMEs on it, how they count now, and the
    ``--coverage-nodata`` option that makes them no data (so not covered, and unknown).

    Parameters
    ----------
    raster
        The coverage raster, with the no-data value in use.
    points
        The MSMEs (point geometries; rows without one are skipped).
    name
        The raster's file name, for messages.
    declared
        The value given with ``--coverage-nodata``, if any (then nothing is suspected).
    option
        The option that sets the no-data value; None when there is none (an operator's
        raster: the fix is then to declare the value in the file).
    """
    if declared is not None:
        return (f"{name}: no-data value {declared:g} (given), replacing the file's",)
    x, y = point_xy(points)  # NaN for missing or empty points
    lines = []
    crs = points_crs(points, default=raster.crs)
    for s in fill_suspects(raster, x, y, xy_crs=crs):
        pixels = "" if s.pixels is None else f"{s.pixels:,} pixels hold it; "
        if np.isnan(s.value):
            lines.append(
                f"warning: {name}: declares no no-data value but holds NaN ({pixels}"
                f"{s.points:,} MSMEs on it); NaN pixels count as no data (not covered, unknown)"
            )
            continue
        fix = f"give {option}" if option else "declare in the file the no-data value"
        now = (
            f"count as covered whenever --covered-min is at most {s.value:g}"
            if s.value > 0
            else "count as not covered, but not as unknown"
        )
        lines.append(
            f"warning: {name}: declares no no-data value but holds {s.value:g} ({s.why}; "
            f"{pixels}{s.points:,} MSMEs on it); those MSMEs {now}; if {s.value:g} means no "
            f"data, {fix} {s.value:g} (they then count as not covered and as unknown)"
        )
    return tuple(lines)


def model_coverage(
    x: np.ndarray,
    y: np.ndarray,
    radius_m: np.ndarray,
    *,
    bounds: tuple[float, float, float, float],
    pixel_m: float,
    crs: str,
    mask: shapely.Geometry | None = None,
) -> Raster:
    """A binary coverage raster from tower points and their modelled reach.

    Parameters
    ----------
    x, y
        Tower coordinates in ``crs`` (metres).
    radius_m
        Reach of each tower, metres.
    bounds
        ``(minx, miny, maxx, maxy)`` of the raster, in ``crs``.
    pixel_m
        Pixel size, metres.
    crs
        A projected CRS.
    mask
        Pixels whose centre lies outside this geometry become no data (255).

    Returns
    -------
    Raster
        ``uint8``: 1 covered, 0 not covered, 255 no data.
    """
    if pixel_m <= 0:
        msg = f"`pixel_m` must be positive, got {pixel_m}"
        raise DataError(msg)
    minx, miny, maxx, maxy = bounds
    width = int(np.ceil((maxx - minx) / pixel_m))
    height = int(np.ceil((maxy - miny) / pixel_m))
    transform = Affine(pixel_m, 0.0, minx, 0.0, -pixel_m, miny + height * pixel_m)
    array = np.zeros((height, width), dtype="uint8")
    if len(x):
        discs = shapely.buffer(shapely.points(x, y), radius_m, quad_segs=8)
        features.rasterize(((g, COVERED) for g in discs), out=array, transform=transform)
    if mask is not None:
        inside = features.geometry_mask(
            [mask], out_shape=array.shape, transform=transform, invert=True
        )
        array[~inside] = NODATA
    return Raster(array=array, transform=transform, crs=crs, nodata=float(NODATA))
