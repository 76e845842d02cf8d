"""National runs on the map: a workload's areas for display, the nation or one province.

A national desa choropleth would be about 76 MB in folium, so desa are shown one province
at a time, simplified as the demo's are
(:func:`infra_gap.maps.folium_maps.display_geometry`: a valid
coverage, shared edges kept matched).  The whole workload's kecamatan or kabupaten are
outlined more coarsely: holes and parts under :data:`MIN_PART_M2` are dropped and each
outline is simplified on its own (Douglas-Peucker, topology kept), because the coverage
simplification keeps every node of the tiled layer (measured at scale 1.0: 6,701
kecamatan, 10.4 MB of GeoJSON with it, 2.7 MB without).  Display only: the analysis keeps
the full geometry.  The ranking of a subset is the ranking of its rows
(:func:`province_subset`), so every export works on it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap import io
from infra_gap.config import GEO_CRS, LEVELS
from infra_gap.errors import DataError, InfraGapError
from infra_gap.io import partitioned
from infra_gap.layers import Layers, RowAccount
from infra_gap.maps.folium_maps import display_geometry
from infra_gap.national.workload import Workload

__all__ = [
    "DISPLAY_TOLERANCE_M",
    "MIN_PART_M2",
    "NATIONAL_PREFIX",
    "WorkloadEntry",
    "built_workloads",
    "coarse_outlines",
    "national_display",
    "national_workloads",
    "province_subset",
    "workload_layers",
    "workload_provinces",
]

#: Simplification per level, metres: a province's desa payload stays under 3 MB, as the
#: demo's (issue #6); the national kecamatan outlines at 1 km were 2.7 MB of GeoJSON at
#: scale 1.0 (coordinates rounded to 1e-4 degree, about 11 m).
DISPLAY_TOLERANCE_M = {"desa": 150.0, "kecamatan": 1_000.0, "kabupaten": 2_000.0}
#: Holes and parts smaller than this (m2) are left out of the national outlines.
MIN_PART_M2 = 2e6
#: Folder names of national workloads in a cache folder: ``national-<scale>``, as
#: :func:`infra_gap.cli.national.national_dir` names them.
NATIONAL_PREFIX = "national-"


@dataclass(frozen=True)
class WorkloadEntry:
    """A national workload found in a cache folder.

    Attributes
    ----------
    name
        The folder's name (``national-0.01``), never a path given by a user.
    scale
        The scale of its manifest.
    digest
        SHA-256 of its manifest: changes when the folder is generated again.
    counts
        Areas per level, ``msme`` and ``towers``, from the manifest.
    built
        True for a workload built from a user's own files (``workload build``), found in
        the configured workloads folder; its ``scale`` is 1.
    """

    name: str
    scale: float
    digest: str
    counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    built: bool = False


def national_workloads(cache_dir: Path) -> tuple[WorkloadEntry, ...]:
    """The national workloads in ``cache_dir`` with a readable manifest, smallest first.

    Only the folder's direct children named ``national-<scale>`` are looked at; a folder
    without a manifest (still being generated) or with an unreadable one is left out.
    """
    if not cache_dir.is_dir():
        return ()
    found = []
    for folder in cache_dir.iterdir():
        manifest = folder / "manifest.json"
        if not folder.name.startswith(NATIONAL_PREFIX) or not manifest.is_file():
            continue
        try:
            m = io.read_json(manifest)
            entry = WorkloadEntry(
                name=folder.name,
                scale=float(m["scale"]),
                digest=io.file_sha256(manifest),
                counts=MappingProxyType({k: int(v) for k, v in m.get("counts", {}).items()}),
            )
        except (OSError, ValueError, TypeError, KeyError, AttributeError, InfraGapError):
            continue
        found.append(entry)
    return tuple(sorted(found, key=lambda e: (e.scale, e.name)))


def built_workloads(folder: Path | None) -> tuple[WorkloadEntry, ...]:
    """The workloads built from own files in ``folder`` (the configured one), by name.

    Only ``folder``'s direct children whose manifest says ``workload build`` made them are
    offered; nothing is read from a path a user typed.  None (no folder configured): none.
    """
    if folder is None or not folder.is_dir():
        return ()
    found = []
    for child in folder.iterdir():
        manifest = child / "manifest.json"
        if not manifest.is_file():
            continue
        try:
            m = io.read_json(manifest)
            if "built_from" not in m:
                continue
            counts = {k: int(v) for k, v in m.get("counts", {}).items()}
            entry = WorkloadEntry(
                name=child.name, scale=1.0, digest=io.file_sha256(manifest),
                counts=MappingProxyType(counts), built=True,
            )  # fmt: skip
        except (OSError, ValueError, TypeError, AttributeError, InfraGapError):
            continue
        found.append(entry)
    return tuple(sorted(found, key=lambda e: e.name))


def coarse_outlines(geometry: np.ndarray, *, tolerance: float, min_part: float) -> np.ndarray:
    """Polygons without small holes and parts, each simplified on its own, for display.

    Parameters
    ----------
    geometry
        Polygons and multipolygons in a projected CRS (metres).
    tolerance
        Douglas-Peucker tolerance (topology of each polygon kept).
    min_part
        Holes and parts with a smaller area are dropped; an area keeps its largest part.
    """
    out = np.empty(len(geometry), dtype=object)
    for i, geom in enumerate(geometry):
        if geom is None or geom.is_empty:
            out[i] = geom
            continue
        parts = [
            shapely.Polygon(
                p.exterior, [h for h in p.interiors if shapely.Polygon(h).area >= min_part]
            )
            for p in shapely.get_parts(geom)
        ]
        kept = [p for p in parts if p.area >= min_part] or [max(parts, key=lambda p: p.area)]
        out[i] = shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]
    return shapely.simplify(out, tolerance, preserve_topology=True)


def workload_provinces(wl: Workload) -> tuple[str, ...]:
    """The province codes (two digits) of a workload's partitions, sorted."""
    return tuple(sorted({part[:2] for part in wl.parts}))


def _check(wl: Workload, level: str, province: str | None, *, display: bool = True) -> None:
    if level not in LEVELS:
        msg = f"`level` must be one of {list(LEVELS)}, got {level!r}"
        raise DataError(msg)
    if province is not None and province not in workload_provinces(wl):
        msg = f"province {province!r} is not in the workload ({len(wl.parts)} partitions)"
        raise DataError(msg)
    if display and level == "desa" and province is None:
        msg = "desa are shown one province at a time: choose a province"
        raise DataError(msg)


def _areas(
    wl: Workload, level: str, province: str | None, *, every_column: bool = False
) -> gpd.GeoDataFrame:
    if province is None:
        areas = partitioned.read_areas(partitioned.join(wl.root, level), crs=wl.crs)
    else:
        parts = [
            partitioned.read_areas(partitioned.part_path(wl.root, level, p), crs=wl.crs)
            for p in wl.parts
            if p[:2] == province
        ]
        areas = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=wl.crs)
    keep = [c for c in ("kode", "nama", "geometry") if c in areas]
    if every_column:  # the exports read parent names (WADMKK, nama_kab ...) of own files
        keep += [c for c in areas.columns if c not in keep]
    return areas[keep].sort_values("kode", kind="stable").reset_index(drop=True)


def workload_layers(
    wl: Workload,
    *,
    level: str,
    province: str | None = None,
    accounts: tuple[RowAccount, ...] = (),
) -> Layers:
    """The workload's areas of one level as :class:`~infra_gap.layers.Layers`, for export.

    The exports (CSV, XLSX, GeoPackage) read the areas, sources and row accounts of the
    layers they describe; a national run keeps no per-point facts, so ``msme`` is empty
    and a PDF dossier, which maps an area's MSMEs, is not made from it.

    Raises
    ------
    DataError
        As :func:`national_display`.
    """
    _check(wl, level, province, display=False)
    areas = _areas(wl, level, province, every_column=True)
    msme = gpd.GeoDataFrame({"row": pd.Series(dtype="str")}, geometry=[], crs=wl.crs)
    return Layers(areas={level: areas}, msme=msme, sources=wl.sources, accounts=accounts)


def national_display(
    wl: Workload, *, level: str, province: str | None = None, tolerance_m: float | None = None
) -> gpd.GeoDataFrame:
    """Display outlines (``kode``, ``nama``) of a workload's areas, in EPSG:4326.

    Parameters
    ----------
    wl
        The workload.
    level
        ``desa`` (needs ``province``), ``kecamatan`` or ``kabupaten``.
    province
        Two-digit province code; None for the whole workload.
    tolerance_m
        Simplification tolerance, metres of the workload's projected CRS; default
        :data:`DISPLAY_TOLERANCE_M` of the level.

    Returns
    -------
    areas
        Sorted by ``kode``; for display only (the analysis keeps the full geometry).

    Raises
    ------
    DataError
        For an unknown level or province, or desa without a province.
    """
    _check(wl, level, province)
    areas = _areas(wl, level, province)
    tol = DISPLAY_TOLERANCE_M[level] if tolerance_m is None else tolerance_m
    shown = pd.DataFrame(areas[["kode", "nama"]])
    if province is None:
        geometry = coarse_outlines(areas.geometry.to_numpy(), tolerance=tol, min_part=MIN_PART_M2)
    else:
        geometry = display_geometry(areas, tolerance_m=tol).to_numpy()
    out = gpd.GeoDataFrame(shown, geometry=geometry, crs=wl.crs).to_crs(GEO_CRS)
    out.geometry = shapely.set_precision(out.geometry.to_numpy(), 1e-4)
    return out


def province_subset(table: pd.DataFrame, province: str | None) -> pd.DataFrame:
    """The rows of an indicator table inside one province (all rows when None).

    Raises
    ------
    DataError
        When no row is in ``province``.
    """
    if province is None:
        return table
    inside = table["kode"].astype(str).str[:2] == province
    if not inside.any():
        msg = f"no area of the table is in province {province!r}"
        raise DataError(msg)
    return table[inside].reset_index(drop=True)
