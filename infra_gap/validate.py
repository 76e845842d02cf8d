"""Checks at the boundary, before any computation trusts the data.

Boundaries: duplicate codes stop the run (with the list); invalid geometries are repaired
and each repair is reported (feature, what was done, area change); overlaps and gaps
between neighbouring areas are measured and reported, never silently "fixed".
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap.errors import DataError

__all__ = ["BoundaryReport", "check_boundaries"]


@dataclass(frozen=True)
class BoundaryReport:
    """What was found in, and done to, one boundary layer.

    Attributes
    ----------
    name
        Layer or file name.
    features
        Number of areas.
    repairs
        One row per repaired feature: ``row``, ``kode``, ``action``, ``area_before_km2``,
        ``area_after_km2``, ``area_change_pct``.
    dropped_empty
        Rows whose geometry was empty, missing or not a polygon (listed, then left out).
    areas
        The checked areas, for the overlap and gap measures (computed on request: they
        take seconds at desa level and are not needed for the indicators).
    """

    name: str
    features: int
    repairs: pd.DataFrame
    dropped_empty: pd.DataFrame
    areas: gpd.GeoDataFrame

    def overlaps(self) -> pd.DataFrame:
        """One row per overlapping pair: ``kode_a``, ``kode_b``, ``overlap_km2``."""
        return _overlaps(self.areas)

    def gap_km2(self) -> float:
        """Area of holes inside the layer's outline that belong to no area, km².

        Holes are slivers between neighbours, or water such as Danau Toba.
        """
        return _gap_km2(self.areas)


#: Shapely type ids of areas: Polygon, MultiPolygon.
_POLYGONAL = (3, 6)


def check_boundaries(
    areas: gpd.GeoDataFrame, *, name: str
) -> tuple[gpd.GeoDataFrame, BoundaryReport]:
    """Validate and repair one boundary layer (metric CRS, ``kode`` and ``row`` columns).

    Raises
    ------
    DataError
        When codes repeat: the message lists every duplicated code with its rows.
    """
    dup = areas["kode"].duplicated(keep=False)
    if dup.any():
        groups = areas[dup].groupby("kode")["row"].apply(lambda r: ", ".join(map(str, r)))
        listing = "; ".join(f"{k} (rows {v})" for k, v in groups.items())
        msg = f"{name}: {int(groups.size)} duplicated area code(s): {listing}"
        raise DataError(msg)
    geoms = areas.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    # A point or line has no area: it could never hold an MSME, so it is listed, not kept.
    not_polygon = ~empty & ~np.isin(shapely.get_type_id(geoms), _POLYGONAL)
    dropped = pd.DataFrame(
        {
            "source": "areas",
            "row": areas["row"][empty | not_polygon],
            "reason": np.where(empty, "empty geometry", "not a polygon")[empty | not_polygon],
        }
    )
    gdf = areas[~(empty | not_polygon)].copy()
    geoms = gdf.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    repairs = []
    if invalid.any():
        reasons = shapely.is_valid_reason(geoms[invalid])
        before = shapely.area(geoms[invalid])
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        fixed = shapely.force_2d(fixed)
        after = shapely.area(fixed)
        geoms = geoms.copy()
        geoms[invalid] = fixed
        gdf["geometry"] = geoms
        for i, (row, kode) in enumerate(gdf.loc[invalid, ["row", "kode"]].itertuples(index=False)):
            change = 100.0 * (after[i] - before[i]) / before[i] if before[i] else np.nan
            repairs.append(
                (row, kode, f"make_valid: {reasons[i]}", before[i] / 1e6, after[i] / 1e6, change)
            )
    repair_frame = pd.DataFrame(
        repairs,
        columns=["row", "kode", "action", "area_before_km2", "area_after_km2", "area_change_pct"],
    )
    gdf = gdf.reset_index(drop=True)
    return gdf, BoundaryReport(
        name=name, features=len(gdf), repairs=repair_frame, dropped_empty=dropped, areas=gdf
    )


def _overlaps(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    geoms = gdf.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="intersects")
    keep = a < b
    a, b = a[keep], b[keep]
    area = shapely.area(shapely.intersection(geoms[a], geoms[b])) / 1e6
    real = area > 1e-6  # shared edges intersect with zero area
    codes = gdf["kode"].to_numpy()
    return pd.DataFrame(
        {"kode_a": codes[a[real]], "kode_b": codes[b[real]], "overlap_km2": area[real]}
    ).sort_values("overlap_km2", ascending=False, ignore_index=True)


def _gap_km2(gdf: gpd.GeoDataFrame) -> float:
    union = shapely.union_all(gdf.geometry.to_numpy())
    holes = (
        [
            shapely.Polygon(ring)
            for part in shapely.get_parts(union)
            for ring in shapely.get_interior_ring(part, range(shapely.get_num_interior_rings(part)))
        ]
        if not union.is_empty
        else []
    )
    return float(sum(h.area for h in holes) / 1e6)
