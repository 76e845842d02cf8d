"""Look-ups per MSME that need no area: coverage under it, operators reaching it, its speed tile.

:func:`infra_gap.analysis.pipeline.place_and_cover` runs them beside the placement (numpy and
GEOS release the GIL for most of the work); :func:`~infra_gap.analysis.pipeline.with_coverage`
runs the coverage look-up again for another threshold.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.evidence import tile_centres
from infra_gap.analysis.join_crs import degrees_of, shares_degrees
from infra_gap.analysis.kernels import msme_tile_down
from infra_gap.analysis.operator_coverage import operator_point_coverage, union_coverage
from infra_gap.analysis.operators import operator_reach
from infra_gap.analysis.point_chunks import cover_in_chunks
from infra_gap.analysis.tiles import quadkey_to_tile, tile_bounds
from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.layers import Layers

__all__ = ["main_coverage", "msme_coverage", "msme_reach", "msme_tile_facts"]


def msme_coverage(
    layers: Layers, x: np.ndarray, y: np.ndarray, *, native: bool, covered_min: float
) -> tuple[PointCoverage, np.ndarray | None]:
    """Coverage under each MSME, and per operator when operator rasters are given.

    From the MSMEs' own degrees when the raster is in degrees too (and the join is
    native: one reprojection fewer), else from the work-CRS points.  Without a main
    raster, the union of the operator rasters is the coverage.
    """
    by_operator = None
    if layers.operator_coverage:
        covered, unknown = operator_point_coverage(
            layers, x, y, native=native, covered_min=covered_min
        )
        by_operator = covered
        if layers.coverage is None:
            return union_coverage(covered, unknown), by_operator
    return main_coverage(layers, x, y, native=native, covered_min=covered_min), by_operator


def main_coverage(
    layers: Layers, x: np.ndarray, y: np.ndarray, *, native: bool, covered_min: float
) -> PointCoverage:
    """Coverage under each MSME from the main coverage raster."""
    assert layers.coverage is not None
    if native and shares_degrees(layers.coverage.crs):
        lon, lat = degrees_of(layers.msme)
        return cover_in_chunks(layers.coverage, lon, lat, xy_crs=GEO_CRS, covered_min=covered_min)
    return cover_in_chunks(layers.coverage, x, y, xy_crs=WORK_CRS, covered_min=covered_min)


def msme_reach(
    x: np.ndarray,
    y: np.ndarray,
    towers: pd.DataFrame,
    txy: tuple[np.ndarray, np.ndarray],
    radius_m: float,
) -> np.ndarray:
    """Which operators' sites reach each MSME (see :func:`.operators.operator_reach`)."""
    return operator_reach(x, y, towers, tx=txy[0], ty=txy[1], radius_m=radius_m)[0]


def msme_tile_facts(
    msme: gpd.GeoDataFrame, tiles: gpd.GeoDataFrame, ok: np.ndarray, *, degrees: bool
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Mean download of each MSME's zoom-16 tile, and the centre of each tile.

    Downloads in kbps (NaN: no tests or no coordinates); centres in degrees with
    ``degrees``, else in the work CRS.  The quadkeys are parsed once for both.
    """
    if {"lon", "lat"} <= set(msme.columns):
        lon, lat = msme["lon"].to_numpy(), msme["lat"].to_numpy()
    else:
        geo = msme.geometry.to_crs(GEO_CRS)
        lon, lat = geo.x.to_numpy(), geo.y.to_numpy()
    quadkeys = tiles["quadkey"].to_numpy()
    parsed = quadkey_to_tile(quadkeys) if len(quadkeys) else None
    out = msme_tile_down(lon, lat, tiles, ok=ok, parsed=parsed)
    if degrees and parsed is not None:
        w, s, e, n = tile_bounds(*parsed)
        return out, ((w + e) / 2.0, (s + n) / 2.0)
    return out, tile_centres(quadkeys, parsed=parsed)
