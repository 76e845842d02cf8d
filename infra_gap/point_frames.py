"""MSME frames with or without point objects: the coordinates either way.

A register read from a user's files is lean (:func:`infra_gap.io.read_msme_points`):
work-CRS ``x``/``y`` columns and no geometry, so 20 million MSMEs fit in a few hundred MB.
The demo and :func:`infra_gap.io.read_msme_table` carry point geometries.  Stages that
need coordinates ask :func:`point_xy`; the few that write points (GeoPackage export) make
them for the rows they write with :func:`as_points`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap.config import WORK_CRS

__all__ = ["CATEGORY_COLUMNS", "as_points", "is_lean", "point_xy", "points_crs"]

#: Text columns a lean frame keeps as categories.
CATEGORY_COLUMNS = ("sektor", "skala")


def is_lean(points: pd.DataFrame) -> bool:
    """True for a frame with ``x``/``y`` columns and no active geometry."""
    active = getattr(points, "_geometry_column_name", None)
    return {"x", "y"} <= set(points.columns) and (active is None or active not in points)


def point_xy(points: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Work-CRS coordinates of points (NaN where a row has none)."""
    if is_lean(points):
        return points["x"].to_numpy(dtype="float64"), points["y"].to_numpy(dtype="float64")
    geoms = points.geometry.to_numpy()
    return shapely.get_x(geoms), shapely.get_y(geoms)


def points_crs(points: pd.DataFrame, *, default: str = WORK_CRS) -> str:
    """The CRS of :func:`point_xy`: the work CRS for a lean frame, else the geometry's.

    ``default`` when the geometry has no CRS.
    """
    if is_lean(points):
        return WORK_CRS
    crs = getattr(points, "crs", None)
    return default if crs is None else str(crs.to_string())


def as_points(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """``frame`` with point geometries in the work CRS (a lean frame's are made here).

    A lean frame's ``row`` becomes text and its categories plain text, as
    :func:`infra_gap.io.read_msme_table` returns them; ``x``/``y`` are dropped.
    """
    if not is_lean(frame):
        return gpd.GeoDataFrame(frame)
    x, y = point_xy(frame)
    ok = np.isfinite(x) & np.isfinite(y)
    geoms = np.full(len(frame), None, dtype=object)
    geoms[ok] = shapely.points(x[ok], y[ok])
    out = pd.DataFrame(frame.drop(columns=["x", "y"]))
    if "row" in out:
        out["row"] = pd.Series(out["row"].to_numpy().astype("str"), index=out.index, dtype="str")
    for col in CATEGORY_COLUMNS:
        if col in out:
            out[col] = out[col].astype("str")
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=out.index, crs=WORK_CRS))
