"""Checks at the boundary, before any computation trusts the data.

Boundaries: duplicate codes stop the run (with the list); invalid geometries are repaired
and each repair is reported (feature, what was done, area change); overlaps and gaps
between neighbouring areas are measured and reported, never silently "fixed".

The overlap and gap measures take seconds at desa level and depend on the boundaries
alone, so :meth:`BoundaryReport.measures` keeps them in a cache folder, one file per
boundary content (a hash of codes, geometries and CRS).  Each file carries that hash and a
checksum of its own values; a file whose hash or checksum does not match is ignored and
rewritten (atomically), so a stale or damaged cache can never change a report.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap import io
from infra_gap.analysis.placement import BoundaryKey
from infra_gap.errors import DataError, InfraGapError
from infra_gap.io.vector import NATIVE_GEOMETRY

__all__ = ["BoundaryMeasures", "BoundaryReport", "check_boundaries"]

#: Version of the cached measures' layout and method; a change makes old files unused.
_MEASURES_VERSION = 1


@dataclass(frozen=True)
class BoundaryMeasures:
    """Overlaps and gaps of one boundary layer.

    Attributes
    ----------
    overlaps
        One row per overlapping pair: ``kode_a``, ``kode_b``, ``overlap_km2``.
    gap_km2
        Area of holes inside the layer's outline that belong to no area, km².
    cached
        True when read from the cache rather than computed in this call.
    """

    overlaps: pd.DataFrame
    gap_km2: float
    cached: bool = False


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

    @cached_property
    def digest(self) -> str:
        """Hex hash of the checked areas' codes, geometries and CRS (computed once)."""
        return BoundaryKey(self.areas).digest.hex()

    def measures(self, *, cache_dir: Path | None = None) -> BoundaryMeasures:
        """Overlaps and gaps, from ``cache_dir`` when this layer was measured before.

        Parameters
        ----------
        cache_dir
            Folder of the cache; None computes without a cache.  A cache that cannot be
            read or written is ignored (the measures are then computed, never guessed).
        """
        path = None if cache_dir is None else cache_dir / f"boundary-{self.digest}.json"
        if path is not None and path.is_file():
            found = _read_measures(path, self.digest)
            if found is not None:
                return found
        out = BoundaryMeasures(overlaps=self.overlaps(), gap_km2=self.gap_km2())
        if path is not None:
            # A read-only cache folder only costs the next run the same time.
            with contextlib.suppress(OSError):
                io.write_json(_measures_payload(out, self.digest), path)
        return out

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
    areas: gpd.GeoDataFrame, *, name: str, valid: Mapping[str, np.ndarray] | None = None
) -> tuple[gpd.GeoDataFrame, BoundaryReport]:
    """Validate and repair one boundary layer (metric CRS, ``kode`` and ``row`` columns).

    ``valid`` may give ``shapely.is_valid`` of a geometry column (row-aligned with
    ``areas``, e.g. kept with the layer by :func:`infra_gap.io.read_areas_cached`); a
    column not given is tested here.

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
    areas, collected = _collections_to_polygons(areas)
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
    usable = ~(empty | not_polygon)
    gdf = areas[usable].copy()
    geoms = gdf.geometry.to_numpy()
    known = (valid or {}).get(areas.geometry.name)
    invalid = ~shapely.is_valid(geoms) if known is None else ~known[usable]
    if len(collected):  # their parts are new geometries: tested here
        invalid |= gdf["row"].isin(collected["row"]).to_numpy() & ~shapely.is_valid(geoms)
    repairs: list[tuple[Any, ...]] = list(collected.itertuples(index=False, name=None))
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
    if NATIVE_GEOMETRY in gdf:
        # The file's own geometries (for a join in its CRS) get the same repair, there.
        native = gdf[NATIVE_GEOMETRY].to_numpy()
        known = (valid or {}).get(NATIVE_GEOMETRY)
        bad = ~shapely.is_valid(native) if known is None else ~known[usable]
        if len(collected):
            bad |= gdf["row"].isin(collected["row"]).to_numpy() & ~shapely.is_valid(native)
        if bad.any():
            native = native.copy()
            native[bad] = shapely.force_2d(
                shapely.make_valid(native[bad], method="structure", keep_collapsed=False)
            )
            gdf[NATIVE_GEOMETRY] = gpd.GeoSeries(
                native, index=gdf.index, crs=gdf[NATIVE_GEOMETRY].crs
            )
    repair_frame = pd.DataFrame(repairs, columns=_REPAIR_COLUMNS)
    gdf = gdf.reset_index(drop=True)
    measured = gdf.drop(columns=[NATIVE_GEOMETRY]) if NATIVE_GEOMETRY in gdf else gdf
    return gdf, BoundaryReport(
        name=name, features=len(gdf), repairs=repair_frame, dropped_empty=dropped, areas=measured
    )


_REPAIR_COLUMNS = ["row", "kode", "action", "area_before_km2", "area_after_km2", "area_change_pct"]
#: Shapely's type id of a GeometryCollection.
_COLLECTION = 7


def _polygonal(geom: shapely.Geometry) -> tuple[shapely.Geometry | None, list[str]]:
    """A collection's polygon parts as one MultiPolygon (None: none), and the others' types.

    Nested collections are opened; the other parts are dropped.
    """
    parts = shapely.get_parts(np.asarray([geom]))
    while (shapely.get_type_id(parts) == _COLLECTION).any():
        parts = shapely.get_parts(parts)
    parts = parts[~shapely.is_empty(parts)]
    kinds = shapely.get_type_id(parts)
    areal = np.isin(kinds, _POLYGONAL)
    dropped = [p.geom_type for p in parts[~areal]]
    if not areal.any():
        return None, dropped
    whole = shapely.MultiPolygon(list(shapely.get_parts(parts[areal])))
    return whole, dropped


def _collections_to_polygons(areas: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Geometry collections holding polygons become their polygons (reliability.md D3).

    An office's file may carry a desa as a collection of its polygon and a stray line or
    point (an editing leftover): the area is the polygon, the other parts are dropped and
    each such feature is reported as a repair.  A collection with no polygon stays as it
    is (listed as not a polygon).  The file's own geometries (``geometry_native``) get the
    same treatment.
    """
    columns = [areas.geometry.name] + ([NATIVE_GEOMETRY] if NATIVE_GEOMETRY in areas else [])
    geoms = areas.geometry.to_numpy()
    rows = np.flatnonzero(shapely.get_type_id(geoms) == _COLLECTION)
    repairs = []
    out = areas
    for i in rows:
        new, dropped = _polygonal(geoms[i])
        if new is None:
            continue
        if out is areas:
            out = areas.copy()
        for col in columns:
            fixed, _ = _polygonal(areas[col].iloc[i])
            out.iloc[i, out.columns.get_loc(col)] = fixed
        km2 = float(shapely.area(new)) / 1e6
        kinds = ", ".join(sorted(set(dropped))) or "none"
        action = (
            "kept the polygon part(s) of a geometry collection, dropped "
            f"{len(dropped)} other part(s) ({kinds})"
        )
        repairs.append((areas["row"].iloc[i], areas["kode"].iloc[i], action, km2, km2, 0.0))
    return out, pd.DataFrame(repairs, columns=_REPAIR_COLUMNS)


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


def _checksum(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _measures_payload(m: BoundaryMeasures, digest: str) -> dict[str, Any]:
    body = {
        "version": _MEASURES_VERSION,
        "digest": digest,
        "kode_a": m.overlaps["kode_a"].astype("str").tolist(),
        "kode_b": m.overlaps["kode_b"].astype("str").tolist(),
        "overlap_km2": [float(v) for v in m.overlaps["overlap_km2"]],
        "gap_km2": float(m.gap_km2),
    }
    return {"body": body, "sha256": _checksum(body)}


def _read_measures(path: Path, digest: str) -> BoundaryMeasures | None:
    """The cached measures when the file is for ``digest`` and intact, else None."""
    try:
        payload = io.read_json(path)
        body = payload["body"]
        if (
            body["version"] != _MEASURES_VERSION
            or body["digest"] != digest
            or payload["sha256"] != _checksum(body)
        ):
            return None
        overlaps = pd.DataFrame(
            {
                "kode_a": pd.Series(body["kode_a"], dtype="str"),
                "kode_b": pd.Series(body["kode_b"], dtype="str"),
                "overlap_km2": pd.Series(body["overlap_km2"], dtype="float64"),
            }
        )
        return BoundaryMeasures(overlaps=overlaps, gap_km2=float(body["gap_km2"]), cached=True)
    except (InfraGapError, OSError, ValueError, KeyError, TypeError):
        return None
