"""Area-level indicators from geometry: zonal coverage, distances, islands, density.

These depend on the level's own polygons (not on MSME points), so they are computed per
level rather than rolled up.
"""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from exactextract import exact_extract
from exactextract.feature import Feature, FeatureSource
from exactextract.raster import NumPyRasterSource
from pyproj import CRS

from infra_gap import io
from infra_gap.layers import Raster, RasterFile

__all__ = ["area_context", "area_uncovered_share", "distance_km", "mainland"]


def area_uncovered_share(
    areas: gpd.GeoDataFrame, raster: Raster | RasterFile, *, covered_min: float
) -> np.ndarray:
    """Share of each area's surface not covered, with partial pixels (exactextract).

    No-data pixels, and any part of an area outside the raster, count as not covered.  A
    :class:`RasterFile` is read by exactextract feature by feature, never whole.
    """
    if isinstance(raster, RasterFile):
        return _share_from_file(areas, raster, covered_min=covered_min)
    values = raster.array
    not_covered = values < covered_min
    if raster.nodata is not None:
        not_covered |= values == raster.nodata
    vec = areas[["geometry"]].to_crs(raster.crs)
    t = raster.transform
    flags = not_covered.astype("uint8")
    if t.b == 0 and t.d == 0 and t.a > 0 and t.e < 0:  # north up: exactextract reads the array
        h, w = flags.shape
        src = NumPyRasterSource(flags, t.c, t.f + h * t.e, t.c + w * t.a, t.f)
        stats = exact_extract(src, _WkbFeatures(vec), ["sum", "count"], output="pandas")
    else:
        with io.memory_raster(Raster(flags, t, raster.crs, nodata=None)) as ds:
            stats = exact_extract(ds, vec, ["sum", "count"], output="pandas")
    return _with_outside(
        stats["sum"].to_numpy(dtype="float64", copy=True),
        stats["count"].to_numpy(dtype="float64", copy=True),
        vec,
        raster.crs,
        abs(raster.transform.a * raster.transform.e),
    )


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
    return _with_outside(uncovered, seen, vec, raster.crs, cell_area)


def _with_outside(
    uncovered: np.ndarray, seen: np.ndarray, vec: gpd.GeoDataFrame, crs: str, cell_area: float
) -> np.ndarray:
    """Add the part of each polygon outside the raster (projected CRS only) as uncovered."""
    if CRS.from_user_input(crs).is_projected:
        poly_cells = vec.geometry.area.to_numpy() / cell_area
        missing = poly_cells - seen
        missing[missing < 1e-6 * poly_cells] = 0.0  # float noise of the partial pixels
        uncovered = uncovered + missing
        seen = np.maximum(poly_cells, seen)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(seen > 0, uncovered / seen, np.nan)


def distance_km(areas: gpd.GeoDataFrame, targets: np.ndarray) -> np.ndarray:
    """Distance from each area (its polygon; 0 when touching) to the nearest target geometry."""
    if len(targets) == 0:
        return np.full(len(areas), np.nan)
    tree = shapely.STRtree(targets)
    idx, dist = tree.query_nearest(
        areas.geometry.to_numpy(), return_distance=True, all_matches=False
    )
    out = np.full(len(areas), np.nan)
    out[idx[0]] = dist / 1000.0
    return out


def mainland(kabupaten: gpd.GeoDataFrame) -> shapely.Geometry:
    """The largest land mass of the union of kabupaten polygons (the Sumatra mainland)."""
    parts = shapely.get_parts(kabupaten.union_all())
    return parts[np.argmax(shapely.area(parts))]


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
        point = areas.geometry.representative_point().to_numpy()
        jenis = kabupaten["jenis"] if "jenis" in kabupaten else pd.Series("", index=kabupaten.index)
        kota_pts = kabupaten[jenis == "kota"].geometry.representative_point().to_numpy()
        out["kota_km"] = _point_distance_km(point, kota_pts)
        capital = kabupaten[kabupaten["kode"] == capital_code].geometry.representative_point()
        out["capital_km"] = _point_distance_km(point, capital.to_numpy())
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
