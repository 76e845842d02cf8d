"""Which CRS the point-in-polygon join runs in: the data's own when points and areas share it.

Reprojecting before a point-in-polygon test moves points.  A point a few millimetres from
a shared edge in the file's own coordinates can land on the other side of the
reprojected edge (the edge's vertices move, and between them it is a straight line in
either CRS, not the same line).  On a province register of 1.17 million MSMEs that moved
2 points into the neighbouring desa.  So when the boundary file is in latitude/longitude
(EPSG:4326, as MSME registers are), each MSME is placed with its own latitude and
longitude against the file's own polygons, planar in degrees, as a GIS reads that file.
Distances, areas and the coverage look-up still use the work CRS (UTM 47N) or the
raster's own.  Otherwise (boundaries in a metric CRS) the join runs in the work CRS as
before: the points' degrees have to be projected to meet the polygons either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from infra_gap.analysis.placement import LabelGrid, label_grid
from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.layers import Layers

__all__ = [
    "JoinSpace",
    "degrees_of",
    "join_space",
    "native_join",
    "shares_degrees",
    "warm_native_grid",
]

#: Metres per degree of latitude (WGS 84 mean, rounded): the label grid's cell in degrees
#: is the work grid's metres over this.  It changes speed only, never a placement.
_M_PER_DEGREE = 111_320.0


def shares_degrees(crs: object) -> bool:
    """True when ``crs`` is latitude/longitude on WGS 84 (EPSG:4326 or CRS84)."""
    if crs is None:
        return False
    return bool(CRS.from_user_input(crs).equals(GEO_CRS, ignore_axis_order=True))


@dataclass(frozen=True, eq=False)
class JoinSpace:
    """The areas and point coordinates of the join, in one CRS.

    Attributes
    ----------
    native
        True when the join runs in the data's own CRS (degrees), False for the work CRS.
    grid
        Label grid of the finest areas in that CRS (kept per boundary layer).
    """

    native: bool
    grid: LabelGrid

    def from_degrees(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coordinates in the join CRS of points given in degrees (NaN stays NaN)."""
        lon = np.asarray(lon, dtype="float64")
        lat = np.asarray(lat, dtype="float64")
        if self.native:
            return lon, lat
        x, y = Transformer.from_crs(GEO_CRS, WORK_CRS, always_xy=True).transform(lon, lat)
        return np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")


def degrees_of(points: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of points.

    Their own ``lon``/``lat`` columns when numeric, else their geometry projected back.
    """
    if {"lon", "lat"} <= set(points.columns):
        lon, lat = points["lon"], points["lat"]
        if lon.dtype.kind == "f" and lat.dtype.kind == "f":
            return lon.to_numpy(), lat.to_numpy()
    geo = points.geometry.to_crs(GEO_CRS).to_numpy()
    return shapely.get_x(geo), shapely.get_y(geo)


def native_join(layers: Layers) -> bool:
    """The join can run in degrees: native areas in EPSG:4326 and MSMEs with lon/lat."""
    native = layers.native_areas
    return (
        native is not None
        and shares_degrees(native.crs)
        and {"lon", "lat"} <= set(layers.msme.columns)
        and layers.msme["lon"].dtype.kind == "f"
    )


def join_space(layers: Layers, finest: gpd.GeoDataFrame, *, cell_m: float) -> JoinSpace:
    """The CRS, areas and label grid the MSMEs are placed with (see the module docstring).

    Parameters
    ----------
    layers
        The layers; ``layers.native_areas`` holds the finest areas in their file's own CRS.
    finest
        The finest areas in the work CRS (used when the join cannot run natively).
    cell_m
        Label-grid cell in metres (converted to degrees for a native grid).
    """
    if native_join(layers):
        assert layers.native_areas is not None
        grid = label_grid(layers.native_areas, cell_m=cell_m / _M_PER_DEGREE)
        return JoinSpace(native=True, grid=grid)
    return JoinSpace(native=False, grid=label_grid(finest, cell_m=cell_m))


def warm_native_grid(
    native: gpd.GeoDataFrame | None, *, cell_m: float, cache_dir: Path | None = None
) -> None:
    """Build (and keep) the label grid a native join will use; a no-op otherwise.

    ``cache_dir``: keep it on disk too (see :func:`infra_gap.analysis.placement.label_grid`).
    """
    if native is not None and shares_degrees(native.crs):
        label_grid(native, cell_m=cell_m / _M_PER_DEGREE, cache_dir=cache_dir)
