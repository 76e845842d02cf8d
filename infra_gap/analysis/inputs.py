"""Build :class:`~infra_gap.layers.Layers` from a user's files or uploads.

Only :mod:`infra_gap.io` opens the files; this module chooses readers, validates, models
coverage from towers when no raster is given, and keeps the row accounting.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine

from infra_gap import io
from infra_gap.analysis.coverage import fill_value_notes, model_coverage
from infra_gap.analysis.input_checks import (
    MAX_REACH_M,
    capped_reach_note,
    low_precision_note,
    ranges,
    tile_mismatch_note,
)
from infra_gap.analysis.join_crs import shares_degrees, warm_native_grid
from infra_gap.analysis.operator_coverage import union_note
from infra_gap.analysis.placement import label_grid
from infra_gap.analysis.row_placement import OUTSIDE
from infra_gap.analysis.tiles import tiles_near
from infra_gap.analysis.towers import SiteParams, prepare_towers
from infra_gap.analysis.validate import BoundaryReport, check_boundaries
from infra_gap.codes import infer_level
from infra_gap.config import LEVELS, WORK_CRS, EvidenceParams
from infra_gap.errors import DataError
from infra_gap.io.vector import NATIVE_GEOMETRY
from infra_gap.layers import REJECTED_COLUMNS, Layers, OperatorRaster, Raster, RasterFile, Source
from infra_gap.provenance import UNKNOWN

__all__ = ["InputPaths", "Loaded", "load_layers", "tower_reach_m"]

Data = Path | bytes


@dataclass(frozen=True)
class InputPaths:
    """A user's inputs: paths, or ``(file name, bytes)`` uploads, plus reading options.

    Attributes
    ----------
    areas
        Boundaries at ``level`` (GeoJSON, GeoPackage, zipped Shapefile, GeoParquet).
    level
        The level of ``areas``: ``desa``, ``kecamatan`` or ``kabupaten``; ``auto`` (the
        default) reads it from the codes (:func:`infra_gap.codes.infer_level`).
    msme
        MSME register (CSV, XLSX, Parquet, or a point layer).
    coverage, towers, speed_tiles, backbone, kab_stats, podes
        Optional layers (``podes``: a Podes-style desa table of signal classes).
    areas_layer, id_col, name_col, lat_col, lon_col
        Reading options (layer of a GeoPackage; column overrides).
    coverage_nodata
        The coverage raster's no-data value, replacing the declared one (None: as
        declared).
    sites
        How tower cells become sites, and the date of the operator names.
    names
        File names of uploaded bytes, by field (``{"msme": "umkm.csv"}``).
    operator_coverage
        Coverage rasters per operator: ``(operator, path or bytes)`` pairs (file names of
        bytes in ``names`` under ``operator_coverage:<position>``).
    cache_dir
        Where what depends on the boundaries alone (the label grid) is kept between runs,
        per boundary content; None keeps it in memory only.
    """

    areas: Data
    msme: Data
    level: str = "auto"
    coverage: Data | None = None
    towers: Data | None = None
    speed_tiles: Data | None = None
    backbone: Data | None = None
    kab_stats: Data | None = None
    podes: Data | None = None
    areas_layer: str | None = None
    id_col: str | None = None
    name_col: str | None = None
    lat_col: str | None = None
    lon_col: str | None = None
    coverage_nodata: float | None = None
    sites: SiteParams = field(default_factory=SiteParams)
    names: dict[str, str] = field(default_factory=dict)
    cache_dir: Path | None = None
    operator_coverage: tuple[tuple[str, Data], ...] = ()

    def name(self, key: str) -> str:
        """File name of an input, for format detection and messages."""
        value = getattr(self, key)
        return self.names.get(key) or (str(value) if isinstance(value, Path) else key)


@dataclass(frozen=True)
class Loaded:
    """Layers plus what loading found: the boundary report, and report lines.

    ``notes`` say which code and name columns were chosen and why, which level the areas
    are at and how it was found, and what looked doubtful (lines starting ``warning:``).
    """

    layers: Layers
    boundary: BoundaryReport
    notes: tuple[str, ...] = ()

    @property
    def level(self) -> str:
        """The level of the areas."""
        return next(iter(self.layers.areas))


def tower_reach_m(towers: pd.DataFrame) -> np.ndarray:
    """Modelled reach per tower: its ``range`` (m) when given, else from mast height.

    GSMA rural guidance via the ITU (domain.md): masts over 30 m reach 8-15 km, 12-30 m
    reach 4-8 km, 9-19 m reach 2-4 km; we take the low end of each band (hills cut reach).
    Without either, 2 km.  A ``range`` over :data:`MAX_REACH_M` is capped to it
    (:func:`capped_reach_note` says how many).
    """
    n = len(towers)
    reach = np.full(n, 2000.0)
    height_col = "height_m" if "height_m" in towers else ("height" if "height" in towers else None)
    if height_col:
        h = pd.to_numeric(towers[height_col], errors="coerce").to_numpy()
        reach = np.select([h > 30, h >= 12, h >= 9], [8000.0, 4000.0, 2000.0], 2000.0)
    if "range" in towers:
        r = ranges(towers)
        reach = np.where(np.isfinite(r) & (r > 0), np.minimum(r, MAX_REACH_M), reach)
    return reach


def _read_raster(data: Data, name: str, nodata_override: float | None) -> Raster | RasterFile:
    """A coverage raster: held in memory when small, else sampled in windows."""
    info = io.raster_info(data, name=name)
    nodata = info["nodata"] if nodata_override is None else nodata_override
    if info["width"] * info["height"] > io.MAX_RASTER_CELLS:
        return RasterFile(data, name, info["crs"], nodata)
    raster = io.read_geotiff(data, name=name)
    return raster if nodata_override is None else replace(raster, nodata=nodata)


def _operator_name(paths: InputPaths, i: int) -> str:
    """File name of the ``i``-th operator coverage raster."""
    data = paths.operator_coverage[i][1]
    key = f"operator_coverage:{i}"
    return paths.names.get(key) or (str(data) if isinstance(data, Path) else key)


def _operator_rasters(paths: InputPaths) -> tuple[OperatorRaster, ...]:
    """Each operator's coverage raster, read like ``--coverage`` (its own no-data value)."""
    return tuple(
        OperatorRaster(
            op, _read_raster(data, _operator_name(paths, i), None), _operator_name(paths, i)
        )
        for i, (op, data) in enumerate(paths.operator_coverage)
    )


def _coverage(
    paths: InputPaths, towers: gpd.GeoDataFrame | None, areas: gpd.GeoDataFrame
) -> Raster | RasterFile | None:
    if paths.coverage is not None:
        return _read_raster(paths.coverage, paths.name("coverage"), paths.coverage_nodata)
    if paths.operator_coverage:
        return None  # the union of the operator rasters (infra_gap.analysis.operator_coverage)
    if towers is None:
        return unknown_coverage(areas)
    lte = _lte(towers)
    minx, miny, maxx, maxy = areas.total_bounds
    return model_coverage(
        lte.geometry.x.to_numpy(),
        lte.geometry.y.to_numpy(),
        tower_reach_m(lte),
        bounds=(minx - 500, miny - 500, maxx + 500, maxy + 500),
        pixel_m=250.0,
        crs=WORK_CRS,
        mask=shapely.buffer(areas.union_all(), 2000.0),
    )


def _lte(towers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 4G and 5G towers, which the modelled coverage is drawn from."""
    return towers[towers["radio"].astype("str").str.upper().isin(["LTE", "NR"])]


#: The note when neither a coverage raster nor towers are given.
NO_COVERAGE_NOTE = (
    "warning: no coverage raster and no towers: the coverage of every MSME is unknown, so "
    "every MSME counts as not covered (the no-data rule) and as coverage unknown"
)


def unknown_coverage(areas: gpd.GeoDataFrame) -> Raster:
    """A coverage raster of no data over `areas` (work CRS): coverage is an optional layer.

    Without a coverage raster or towers nothing says where 4G reaches; every MSME then
    falls on no data and counts as not covered and as unknown, the rule for a raster's
    no-data pixels (NTIA), instead of the run stopping.
    """
    if areas.crs is not None and areas.crs != WORK_CRS:
        areas = areas.to_crs(WORK_CRS)
    minx, miny, maxx, maxy = (float(v) for v in areas.total_bounds)
    minx, miny, maxx, maxy = minx - 500, miny - 500, maxx + 500, maxy + 500
    width, height = max(maxx - minx, 1.0) / 2, max(maxy - miny, 1.0) / 2
    transform = Affine(width, 0.0, minx, 0.0, -height, maxy)
    return Raster(np.full((2, 2), 255, dtype="uint8"), transform, WORK_CRS, 255.0)


@dataclass(frozen=True)
class _Others:
    """The optional layers read beside the MSME register."""

    towers: gpd.GeoDataFrame | None = None
    speed_tiles: gpd.GeoDataFrame | None = None
    backbone: gpd.GeoDataFrame | None = None
    kab_stats: pd.DataFrame | None = None
    towers_note: str | None = None
    podes: pd.DataFrame | None = None
    tiles_left_out: pd.DataFrame | None = None


def _read_others(paths: InputPaths, *, near: gpd.GeoDataFrame | None = None) -> _Others:
    """The optional point, tile, line and table layers (not the coverage).

    With ``near`` (the areas of the run), the speed tiles are reduced as they are read to
    those that can matter to these areas (:func:`infra_gap.analysis.tiles.tiles_near`); the
    others are rejected rows (outside every area), as placing them would find.
    """
    towers = note = None
    if paths.towers is not None:
        cells = io.read_opencellid(paths.towers, name=paths.name("towers"))
        towers, note = prepare_towers(cells, name=paths.name("towers"), params=paths.sites)
    tiles = left_out = None
    if paths.speed_tiles is not None:
        keep = None if near is None or not len(near) else tiles_near(near.total_bounds, near.crs)
        read = io.scan_speed_tiles(paths.speed_tiles, name=paths.name("speed_tiles"), keep=keep)
        tiles = read.tiles
        left_out = pd.DataFrame(
            {"source": "speed_tiles", "row": read.left_out, "reason": OUTSIDE},
            columns=list(REJECTED_COLUMNS),
        )
    backbone = (
        io.read_vector(paths.backbone, name=paths.name("backbone")) if paths.backbone else None
    )
    stats = None
    if paths.kab_stats is not None:
        stats = io.read_table(paths.kab_stats, name=paths.name("kab_stats"))
        if "kepadatan_jiwa_per_km2" in stats:
            stats["kepadatan_jiwa_per_km2"] = pd.to_numeric(stats["kepadatan_jiwa_per_km2"])
    podes = io.read_podes(paths.podes, name=paths.name("podes")) if paths.podes else None
    return _Others(towers, tiles, backbone, stats, note, podes, left_out)


def load_layers(paths: InputPaths) -> Loaded:
    """Read, validate and account for every given input.

    The MSME register is read in one thread while this one reads and checks the
    boundaries; then another reads the other layers and builds the label grid of the
    boundaries (:func:`infra_gap.analysis.placement.label_grid`, kept per boundary layer, so placing
    the points later finds it).  Errors are raised in the order of the sequential reading:
    areas, MSMEs, then the other layers.

    Raises
    ------
    InfraGapError
        Naming the file (and row and column where known) for anything unusable.
    """
    if paths.level != "auto" and paths.level not in LEVELS:
        msg = f"level must be auto or one of {', '.join(LEVELS)}, got {paths.level!r}"
        raise DataError(msg)
    with ThreadPoolExecutor(max_workers=2) as pool:
        # The MSME register is read (in chunks, without point objects: memory grows with
        # the rows kept, not the file) while this thread reads and checks the boundaries.
        msme_job = pool.submit(
            io.read_msme_points,
            paths.msme,
            name=paths.name("msme"),
            lat_col=paths.lat_col,
            lon_col=paths.lon_col,
        )
        # An error here is raised once the register's read ends (its own error is dropped).
        areas, native, report, notes, level, level_note = _read_areas(paths)
        others_job = pool.submit(_read_others, paths, near=areas)
        # A cache warm-up (its result is kept per boundary layer, see label_grid): the grid
        # of the file's own polygons when the MSMEs will be placed there, else the work one.
        cell, kept = EvidenceParams().cell_m, paths.cache_dir
        if native is not None and shares_degrees(native.crs):
            pool.submit(warm_native_grid, native, cell_m=cell, cache_dir=kept)
        else:
            pool.submit(label_grid, areas, cell_m=cell, cache_dir=kept)
        msme, rejected = msme_job.result()
        others = others_job.result()
    doubts = (
        low_precision_note(msme, name=paths.name("msme")),
        tile_mismatch_note(others.speed_tiles, name=paths.name("speed_tiles")),
    )
    notes += tuple(d for d in doubts if d)
    towers, tiles, backbone, stats = (
        others.towers,
        others.speed_tiles,
        others.backbone,
        others.kab_stats,
    )
    if others.towers_note is not None:
        notes += (others.towers_note,)
    coverage = _coverage(paths, towers, areas)
    by_operator = _operator_rasters(paths)
    if paths.coverage is None and by_operator:
        notes += (union_note(by_operator),)
    elif paths.coverage is None and towers is None:
        notes += (NO_COVERAGE_NOTE,)
    elif paths.coverage is None and towers is not None:
        capped = capped_reach_note(_lte(towers), name=paths.name("towers"))
        notes += (capped,) if capped else ()
    if paths.coverage is not None and coverage is not None:
        notes += fill_value_notes(
            coverage, msme, name=paths.name("coverage"), declared=paths.coverage_nodata
        )
    for each in by_operator:
        notes += fill_value_notes(each.raster, msme, name=each.name, option=None)
    sources = [
        Source(key, f"file {paths.name(key)}", UNKNOWN, UNKNOWN, synthetic=False)
        for key in (
            "areas",
            "msme",
            "coverage",
            "towers",
            "speed_tiles",
            "backbone",
            "kab_stats",
            "podes",
        )
        if getattr(paths, key) is not None
    ]
    sources += [
        Source("operator_coverage", f"file {r.name}", UNKNOWN, UNKNOWN, False, operator=r.operator)
        for r in by_operator
    ]
    if paths.coverage is None and by_operator:
        names = ", ".join(dict.fromkeys(r.operator for r in by_operator))
        sources.append(
            Source("coverage", f"union of the operator coverage rasters ({names})", "derived",
                   "-", False)
        )  # fmt: skip
    elif paths.coverage is None and towers is not None:
        sources.append(
            Source("coverage", "modelled from towers (reach discs)", "derived", "-", False)
        )
    elif paths.coverage is None:
        sources.append(Source("coverage", "none given: coverage unknown", UNKNOWN, "-", False))
    parts = (report.dropped_empty, rejected, others.tiles_left_out)
    all_rejected = pd.concat(
        [f for f in parts if f is not None and len(f)] or [rejected],
        ignore_index=True,
    )[list(REJECTED_COLUMNS)]
    layers = Layers(
        areas={level: areas},
        msme=msme,
        coverage=coverage,
        towers=towers,
        speed_tiles=tiles,
        backbone=backbone,
        kab_stats=stats,
        sources=tuple(sources),
        rejected=all_rejected,
        native_areas=native,
        podes=others.podes,
        operator_coverage=by_operator,
    )
    return Loaded(layers=layers, boundary=report, notes=(*notes[:1], level_note, *notes[1:]))


def _read_areas(
    paths: InputPaths,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None, BoundaryReport, tuple[str, ...], str, str]:
    """The checked areas (work CRS), their own-CRS twin, the boundary report, notes, level."""
    options: dict[str, object] = {
        "name": paths.name("areas"),
        "layer": paths.areas_layer,
        "id_col": paths.id_col,
        "name_col": paths.name_col,
        "keep_native": True,
    }

    def read() -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
        return io.read_areas_explained(paths.areas, **options)  # type: ignore[arg-type]

    valid: Mapping[str, np.ndarray] = {}
    if paths.cache_dir is not None and isinstance(paths.areas, Path):  # kept per content
        raw, notes, valid = io.read_areas_cached(
            paths.areas, cache_dir=paths.cache_dir, options=options, read=read
        )
    else:
        raw, notes = read()
    checked, report = check_boundaries(raw, name=paths.name("areas"), valid=valid)
    areas, native = _split_native(checked)
    if not len(areas):
        msg = f"{paths.name('areas')}: no usable areas"
        raise DataError(msg)
    given = None if paths.level == "auto" else paths.level
    level, level_note = infer_level(areas["kode"], name=paths.name("areas"), given=given)
    return areas, native, report, tuple(notes), level, level_note


def _split_native(
    checked: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """The areas in the work CRS, and in the file's own CRS when that differs.

    The second holds ``kode`` and the geometry, row-aligned with the first; None when the
    file is in the work CRS.
    """
    if NATIVE_GEOMETRY not in checked:
        return checked, None
    native = gpd.GeoDataFrame(
        {"kode": checked["kode"].to_numpy()},
        geometry=checked[NATIVE_GEOMETRY].to_numpy(),
        crs=checked[NATIVE_GEOMETRY].crs,
    )
    return checked.drop(columns=[NATIVE_GEOMETRY]), native
