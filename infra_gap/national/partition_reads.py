"""What a partition's kernels read: its areas, the MSMEs' areas by code, a raster window.

Shared by the partition kernels (:mod:`infra_gap.national.partition_kernel`), the province
context (:mod:`infra_gap.national.context_by_province`) and the per-MSME facts of chosen areas
(:mod:`infra_gap.national.area_facts`), so all three read a workload the same way.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.analysis.coverage import PointCoverage, point_coverage
from infra_gap.config import GEO_CRS
from infra_gap.io import partitioned
from infra_gap.layers import Raster
from infra_gap.national.workload import Workload

__all__ = [
    "index_of",
    "msme_coverage",
    "part_areas",
    "partition_meta",
    "raster_window",
    "read_partition",
]


def partition_meta(crs: str) -> gpd.GeoDataFrame:
    """The empty frame :func:`read_partition` returns."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in ("kode", "nama", "part")})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=crs))[
        ["kode", "nama", "geometry", "part"]
    ]


def read_partition(
    code: str, *, root: partitioned.Root, crs: str, level: str = "desa"
) -> gpd.GeoDataFrame:
    """The finest areas of one partition (``kode``, ``nama``, ``geometry``, ``part``), by code."""
    desa = partitioned.read_areas(partitioned.part_path(root, level, code), crs=crs)
    out = desa[["kode", "nama", "geometry"]].sort_values("kode", kind="stable")
    out = out.reset_index(drop=True)
    out["part"] = pd.Series([code] * len(out), dtype="str")
    return out


def part_areas(wl: Workload, level: str, code: str) -> gpd.GeoDataFrame:
    """The areas of ``level`` in partition ``code``, sorted by ``kode``."""
    areas = partitioned.read_areas(partitioned.part_path(wl.root, level, code), crs=wl.crs)
    return areas.sort_values("kode", kind="stable").reset_index(drop=True)


def index_of(codes: Any, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Position of each code in ``areas`` (sorted by ``kode``), ``-1`` for ``""`` or unknown."""
    lookup = pd.Series(np.arange(len(areas)), index=areas["kode"].to_numpy())
    if isinstance(codes.dtype, pd.CategoricalDtype):  # dictionary-encoded: map each code once
        cat = pd.Categorical(codes)
        at = lookup.reindex(cat.categories.astype("str")).to_numpy(dtype="float64")
        at = np.append(at, np.nan)  # code -1 (a missing value) maps to the last slot
        found = at[np.where(cat.codes >= 0, cat.codes, len(at) - 1)]
    else:
        found = pd.Series(codes).map(lookup).to_numpy(dtype="float64")
    return np.where(np.isnan(found), -1, found).astype("int64")


def raster_window(wl: Workload, bounds: tuple[float, float, float, float]) -> Raster:
    """The window of the workload's coverage raster over ``bounds`` (its nodata as declared)."""
    raster = partitioned.read_raster_window(
        partitioned.join(wl.root, "coverage.tif"), bounds, crs=wl.crs
    )
    if wl.coverage_nodata is not None:
        return replace(raster, nodata=wl.coverage_nodata)
    return raster


def msme_coverage(
    wl: Workload,
    raster: Raster,
    x: np.ndarray,
    y: np.ndarray,
    attrs: pd.DataFrame,
    *,
    covered_min: float,
) -> PointCoverage:
    """Coverage under each MSME (from its degrees when the raster is in degrees too)."""
    if wl.coverage_degrees and {"lon", "lat"} <= set(attrs.columns):
        lon, lat = attrs["lon"].to_numpy(), attrs["lat"].to_numpy()
        return point_coverage(raster, lon, lat, xy_crs=GEO_CRS, covered_min=covered_min)
    return point_coverage(raster, x, y, xy_crs=wl.crs, covered_min=covered_min)
