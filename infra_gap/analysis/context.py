"""Area-level indicators from geometry: zonal coverage, distances, islands, density.

These depend on the level's own polygons (not on MSME points), so they are computed per
level rather than rolled up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from exactextract import exact_extract
from exactextract.feature import Feature, FeatureSource
from exactextract.raster import NumPyRasterSource
from pyproj import CRS

from infra_gap import io
from infra_gap.analysis.placement import BoundaryKey
from infra_gap.errors import DataError, InfraGapError
from infra_gap.io.cache import load_or_build
from infra_gap.io.files import read_npy, write_npy
from infra_gap.layers import Raster, RasterFile

__all__ = ["KEEP_MAX_CELLS", "area_context", "area_uncovered_share", "distance_km", "mainland"]

#: Largest raster (cells) whose pixel fractions are kept between calls: about 16 bytes per
#: pixel, so at most about 160 MB an entry (the demo's raster has 3.3 million cells).
KEEP_MAX_CELLS = 10_000_000


def area_uncovered_share(
    areas: gpd.GeoDataFrame,
    raster: Raster | RasterFile,
    *,
    covered_min: float,
    keep: bool = True,
    cache_dir: Path | None = None,
) -> np.ndarray:
    """Share of each area's surface not covered, with partial pixels (exactextract).

    No-data pixels, and any part of an area outside the raster, count as not covered.  A
    :class:`RasterFile` is read by exactextract feature by feature, never whole.

    Parameters
    ----------
    areas
        The areas.
    raster
        The coverage raster.
    covered_min
        A pixel value at or above this is covered.
    keep
        For a north-up raster in memory: keep the fraction of each pixel inside each area
        (exactextract's ``cell_id`` and ``coverage``, :func:`_pixel_fractions`) for later
        calls.  It depends on the boundaries and the raster's grid only, so another
        threshold or new pixel values on the same grid reuse it; the values and the
        threshold are applied on every call.  The shares are the same, to the last bit,
        as exactextract's own ``sum`` and ``count``, which a one-off call (False) uses.
        Rasters of more than :data:`KEEP_MAX_CELLS` cells are never kept (an entry costs
        about 16 bytes per pixel, and a process keeps up to four).
    cache_dir
        With ``keep``: also keep the shares on disk there, per boundaries, grid and pixels
        not covered (the raster's values and the threshold), for the next run.
    """
    if isinstance(raster, RasterFile):
        return _share_from_file(areas, raster, covered_min=covered_min)
    values = raster.array
    not_covered = values < covered_min
    if raster.nodata is not None:
        not_covered |= values == raster.nodata
    t = raster.transform
    flags = not_covered.astype("uint8")
    north_up = t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0  # exactextract reads the array
    if north_up and keep and values.size <= KEEP_MAX_CELLS:
        grid = (tuple(t)[:6], (int(values.shape[0]), int(values.shape[1])))
        boundary = BoundaryKey(areas[["geometry"]].copy())

        def shares() -> np.ndarray:
            fr = _pixel_fractions(boundary, raster.crs, grid)
            n = len(fr.seen)
            weights = fr.frac * flags.reshape(-1)[fr.cell]
            uncovered = np.bincount(fr.area, weights=weights, minlength=n)[:n]
            return _with_outside(uncovered, fr.seen, fr.poly_cells)

        if cache_dir is None:
            return shares()
        key = hashlib.blake2b(boundary.digest, digest_size=20)
        key.update(repr((_SHARE_VERSION, str(raster.crs), grid)).encode())
        key.update(flags.tobytes())
        return _stored_share(cache_dir / f"zonal-share-{key.hexdigest()}", len(areas), shares)
    vec = areas[["geometry"]].to_crs(raster.crs)
    if north_up:
        h, w = flags.shape
        src = NumPyRasterSource(flags, t.c, t.f + h * t.e, t.c + w * t.a, t.f)
        stats = exact_extract(src, _WkbFeatures(vec), ["sum", "count"], output="pandas")
    else:
        with io.memory_raster(Raster(flags, t, raster.crs, nodata=None)) as ds:
            stats = exact_extract(ds, vec, ["sum", "count"], output="pandas")
    return _with_outside(
        stats["sum"].to_numpy(dtype="float64", copy=True),
        stats["count"].to_numpy(dtype="float64", copy=True),
        _poly_cells(vec, raster.crs, abs(t.a * t.e)),
    )


#: Version of the kept zonal shares (bump when their computation changes).
_SHARE_VERSION = 1


def _stored_share(directory: Path, n: int, shares: Callable[[], np.ndarray]) -> np.ndarray:
    """The shares kept in ``directory`` (checked against their SHA-256), else computed there.

    The directory's name is the key: boundaries, CRS, grid and every pixel's not-covered
    flag.  An unusable cache is passed over: the shares are computed, kept in memory only.
    """

    def build(d: Path) -> np.ndarray:
        out = shares()
        write_npy(out, d / "share.npy")
        return out

    def read(d: Path) -> np.ndarray:
        out = read_npy(d / "share.npy")
        if out.shape != (n,) or out.dtype != np.float64:
            msg = f"{d}: not the zonal shares of {n:,} areas"
            raise DataError(msg)
        return out

    try:
        return load_or_build(directory, ("share.npy",), read=read, build=build)
    except (OSError, ValueError, KeyError, TypeError, InfraGapError):
        return shares()


@dataclass(frozen=True, eq=False)
class _PixelFractions:
    """Which pixels of a grid each area covers, and by how much (read-only arrays).

    Attributes
    ----------
    area, cell, frac
        One entry per (area, pixel) pair: the area's position, the pixel's flat index
        (``row * width + col``) and the fraction of the pixel inside the area.
    seen
        Sum of ``frac`` per area (exactextract's ``count``: the pixels inside the raster).
    poly_cells
        Each area's surface in pixels (projected CRS), or None (geographic CRS).
    """

    area: np.ndarray
    cell: np.ndarray
    frac: np.ndarray
    seen: np.ndarray
    poly_cells: np.ndarray | None


@lru_cache(maxsize=4)
def _pixel_fractions(
    key: BoundaryKey, crs: str, grid: tuple[tuple[float, ...], tuple[int, int]]
) -> _PixelFractions:
    """The pixel fractions of a boundary layer on a north-up grid (kept per layer and grid).

    Nothing here depends on the raster's values or on a threshold: only on the polygons
    and on the grid (transform and shape).
    """
    (a, _, c, _, e, f), (height, width) = grid
    vec = key.areas.to_crs(crs)
    ones = np.ones((height, width), dtype="uint8")  # the values are not looked at
    src = NumPyRasterSource(ones, c, f + height * e, c + width * a, f)
    if len(vec):
        stats = exact_extract(src, _WkbFeatures(vec), ["cell_id", "coverage"], output="pandas")
        sizes = np.array([len(v) for v in stats["cell_id"]], dtype="int64")
        # in-memory rasters have fewer than 2**31 cells (io.MAX_RASTER_CELLS): int32 will do
        cell = np.concatenate([np.asarray(v, dtype="int32") for v in stats["cell_id"]])
        frac = np.concatenate([np.asarray(v, dtype="float64") for v in stats["coverage"]])
    else:
        sizes, cell, frac = np.zeros(0, dtype="int64"), np.zeros(0, "int32"), np.zeros(0)
    area = np.repeat(np.arange(len(vec), dtype="int32"), sizes)
    seen = np.bincount(area, weights=frac, minlength=len(vec))[: len(vec)]
    out = _PixelFractions(area, cell, frac, seen, _poly_cells(vec, crs, abs(a * e)))
    for arr in (out.area, out.cell, out.frac, out.seen, out.poly_cells):
        if arr is not None:
            arr.flags.writeable = False
    return out


class _WkbFeature(Feature):  # type: ignore[misc]
    """One polygon handed to exactextract as WKB (no GeoJSON text per feature)."""

    def __init__(self, wkb: bytes) -> None:
        super().__init__()
        self.wkb = wkb
        self.values: dict[str, object] = {}

    def geometry(self) -> bytes:
        return self.wkb

    def set_geometry_format(self) -> str:
        return "wkb"

    def set(self, name: str, value: object) -> None:
        self.values[name] = value

    def get(self, name: str) -> object:
        return self.values[name]

    def fields(self) -> list[str]:
        return list(self.values)


class _WkbFeatures(FeatureSource):  # type: ignore[misc]
    """Polygons of a GeoDataFrame as WKB features, in order (CRS checked by the caller)."""

    def __init__(self, frame: gpd.GeoDataFrame) -> None:
        super().__init__()
        self.wkb = shapely.to_wkb(frame.geometry.to_numpy()).tolist()

    def count(self) -> int:
        return len(self.wkb)

    def __iter__(self) -> Iterator[_WkbFeature]:
        return (_WkbFeature(w) for w in self.wkb)

    def srs_wkt(self) -> None:
        return None


def _share_from_file(
    areas: gpd.GeoDataFrame, raster: RasterFile, *, covered_min: float
) -> np.ndarray:
    vec = areas[["geometry"]].to_crs(raster.crs)
    with io.open_geotiff(raster.source, raster.name) as ds:
        stats = exact_extract(ds, vec, ["values", "coverage"], output="pandas")
        cell_area = abs(ds.transform.a * ds.transform.e)
    uncovered = np.zeros(len(vec))
    seen = np.zeros(len(vec))
    for i, (vals, frac) in enumerate(zip(stats["values"], stats["coverage"], strict=True)):
        v, f = np.asarray(vals, dtype="float64"), np.asarray(frac, dtype="float64")
        bad = v < covered_min
        if raster.nodata is not None:
            bad |= v == raster.nodata
        uncovered[i], seen[i] = (f * bad).sum(), f.sum()
    return _with_outside(uncovered, seen, _poly_cells(vec, raster.crs, cell_area))


def _poly_cells(vec: gpd.GeoDataFrame, crs: str, cell_area: float) -> np.ndarray | None:
    """Each polygon's surface in pixels, in a projected CRS; None in a geographic one."""
    if not CRS.from_user_input(crs).is_projected:
        return None
    return np.asarray(vec.geometry.area.to_numpy() / cell_area, dtype="float64")


def _with_outside(
    uncovered: np.ndarray, seen: np.ndarray, poly_cells: np.ndarray | None
) -> np.ndarray:
    """Add the part of each polygon outside the raster (projected CRS only) as uncovered."""
    if poly_cells is not None:
        missing = poly_cells - seen
        missing[missing < 1e-6 * poly_cells] = 0.0  # float noise of the partial pixels
        uncovered = uncovered + missing
        seen = np.maximum(poly_cells, seen)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(seen > 0, uncovered / seen, np.nan)


def distance_km(areas: gpd.GeoDataFrame, targets: np.ndarray) -> np.ndarray:
    """Distance from each area (its polygon; 0 when touching) to the nearest target geometry.

    The targets are taken as one collection: GEOS gives the least distance over its parts,
    the same numbers as a nearest-neighbour search per area, in one pass per area.
    """
    targets = np.asarray(targets, dtype=object)
    targets = targets[~(shapely.is_missing(targets) | shapely.is_empty(targets))]
    if len(targets) == 0:
        return np.full(len(areas), np.nan)
    every = shapely.geometrycollections(targets)
    return np.asarray(shapely.distance(areas.geometry.to_numpy(), every), dtype="float64") / 1000.0


def mainland(kabupaten: gpd.GeoDataFrame) -> shapely.Geometry:
    """The largest land mass of the union of kabupaten polygons (the Sumatra mainland).

    Kept per boundary layer (it depends on the polygons alone; the union is the slow part).
    """
    return _mainland(BoundaryKey(kabupaten[["geometry"]].copy()))


@lru_cache(maxsize=4)
def _mainland(key: BoundaryKey) -> shapely.Geometry:
    parts = shapely.get_parts(key.areas.union_all())
    land = parts[np.argmax(shapely.area(parts))]
    shapely.prepare(land)
    shapely.intersects(land, shapely.point_on_surface(land))  # built now, not in a thread
    return land


@lru_cache(maxsize=8)
def _representative_points(key: BoundaryKey) -> np.ndarray:
    """A point inside each area (shapely's representative point), kept per boundary layer."""
    points = key.areas.geometry.representative_point().to_numpy()
    points.flags.writeable = False
    return points


def area_context(
    areas: gpd.GeoDataFrame,
    *,
    kabupaten: gpd.GeoDataFrame | None,
    kab_stats: pd.DataFrame | None,
    backbone: gpd.GeoDataFrame | None,
    capital_code: str = "12.71",
) -> pd.DataFrame:
    """Remoteness and context indicators for one level.

    Parameters
    ----------
    areas
        The level's areas (``kode``), in the work CRS.
    kabupaten
        Kabupaten/kota areas with ``jenis`` (``"kota"`` marks a city), or None: then the
        distances to a city and to the capital, and the island flag, are left out.
    kab_stats
        Real kabupaten statistics (``kode``, ``kepadatan_jiwa_per_km2``), or None.
    backbone
        Backbone lines and points of presence, or None.
    capital_code
        Code of the provincial capital (Kota Medan, 12.71).

    Returns
    -------
    DataFrame row-aligned with ``areas``: ``area_km2``, ``kota_km``, ``capital_km``,
    ``island`` and, when their inputs are given, ``backbone_km`` and ``pop_density_km2``.
    """
    out = pd.DataFrame(index=areas.index)
    out["area_km2"] = areas.geometry.area.to_numpy() / 1e6
    if kabupaten is not None:
        point = _representative_points(BoundaryKey(areas[["geometry"]].copy()))
        kab_point = _representative_points(BoundaryKey(kabupaten[["geometry"]].copy()))
        jenis = kabupaten["jenis"] if "jenis" in kabupaten else pd.Series("", index=kabupaten.index)
        kota_pts = kab_point[(jenis == "kota").to_numpy()]
        out["kota_km"] = _point_distance_km(point, kota_pts)
        capital = kab_point[(kabupaten["kode"] == capital_code).to_numpy()]
        out["capital_km"] = _point_distance_km(point, capital)
        out["island"] = (~shapely.intersects(mainland(kabupaten), point)).astype("int64")
    if backbone is not None:
        out["backbone_km"] = distance_km(areas, backbone.geometry.to_numpy())
    if kab_stats is not None and "kepadatan_jiwa_per_km2" in kab_stats:
        density = kab_stats.set_index("kode")["kepadatan_jiwa_per_km2"]
        out["pop_density_km2"] = areas["kode"].str.slice(0, 5).map(density).to_numpy()
    return out


def _point_distance_km(points: np.ndarray, targets: np.ndarray) -> np.ndarray:
    if len(targets) == 0:
        return np.full(len(points), np.nan)
    xy = shapely.get_coordinates(points)
    txy = shapely.get_coordinates(targets)
    d = np.sqrt(((xy[:, None, :] - txy[None, :, :]) ** 2).sum(-1)).min(axis=1)
    return d / 1000.0
