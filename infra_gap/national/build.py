"""``infra-gap workload build``: a user's own files as a partitioned workload, streamed.

The same inputs as ``rank`` (:class:`infra_gap.analysis.inputs.InputPaths`), read by the same
readers; only the MSME register is read in chunks (:func:`infra_gap.io.msme_stream.
iter_msme_chunks`), never whole.  Each chunk is validated as ``rank`` validates the whole
table and placed with ``rank``'s own placement
(:func:`infra_gap.analysis.pipeline.place_and_cover`'s
join space, the lowest-code rule, rows placed by desa code, swapped coordinates named),
and its placed rows are appended to the partition of their area's code, with that area's
code: the engines count each MSME in the area ``rank`` places it in, so the two give the
same table.  Towers and speed tiles are placed the same way (they are small).

Rows in = rows placed + rows rejected, for every point layer; the rejected rows, in
``rank``'s order (areas dropped, register rows refused, rows placed nowhere, towers, tiles),
are written beside the workload, and the counts go into its manifest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap import io
from infra_gap.analysis.evidence import tile_centres as work_tile_centres
from infra_gap.analysis.evidence import tile_keys
from infra_gap.analysis.inputs import (
    NO_COVERAGE_NOTE,
    InputPaths,
    _coverage,
    _read_others,
    _split_native,
)
from infra_gap.analysis.join_crs import JoinSpace, degrees_of, join_space, shares_degrees
from infra_gap.analysis.placement import place_points_indexed
from infra_gap.analysis.row_placement import (
    CONFLICT_COLUMNS,
    OUTSIDE,
    account_rows,
    code_conflicts,
    conflict_warning,
    place_msme,
)
from infra_gap.analysis.tiles import lonlat_to_tile, quadkey_to_tile, tile_bounds
from infra_gap.analysis.validate import BoundaryReport, check_boundaries
from infra_gap.codes import infer_level
from infra_gap.config import WORK_CRS, EvidenceParams
from infra_gap.errors import DataError
from infra_gap.io import partitioned
from infra_gap.io.msme_stream import iter_msme_chunks
from infra_gap.layers import REJECTED_COLUMNS, Layers, Raster, RowAccount, Source
from infra_gap.national.workload import OOKLA_COLUMNS, Workload, workload_manifest
from infra_gap.point_frames import point_xy
from infra_gap.provenance import UNKNOWN, Provenance, apply_provenance

__all__ = ["PARTITION_BYTES", "BuildResult", "build_workload", "choose_partitioning"]

#: ``--by auto`` partitions by kabupaten when a province's share of the register is above
#: this many bytes (about 3 million rows of a typical register), else by province: a
#: partition then stays well under a 4 GB worker (about 300 bytes a placed row in memory).
PARTITION_BYTES = 256 << 20
_CODE_LENGTH = {"provinsi": 2, "kabupaten": 5}
#: Capital passed to the context, as ``rank`` passes it (its default).
_CAPITAL = "12.71"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildResult:
    """What a build made and found.

    Attributes
    ----------
    workload
        The workload written.
    accounts
        Row accounting of each point layer, as ``rank`` prints it.
    rejected
        Every rejected row (``source,row,reason``), in ``rank``'s order.
    notes
        Column choices, level, warnings (as ``rank`` prints them).
    boundary
        The boundary report.
    seconds
        Wall time of the build.
    code_conflicts
        Rows whose point lies in an area other than the code they give, as ``rank``
        lists them (:func:`infra_gap.analysis.row_placement.code_conflicts`); None when
        the register has no area code column.
    """

    workload: Workload
    accounts: tuple[RowAccount, ...]
    rejected: pd.DataFrame
    notes: tuple[str, ...]
    boundary: BoundaryReport
    seconds: float
    code_conflicts: pd.DataFrame | None = None


def choose_partitioning(by: str, *, msme_bytes: int, provinces: int) -> str:
    """``provinsi`` or ``kabupaten`` for ``--by`` (``auto`` looks at the register's size).

    Raises
    ------
    DataError
        For another value.
    """
    if by == "auto":
        return "kabupaten" if msme_bytes / max(provinces, 1) > PARTITION_BYTES else "provinsi"
    if by not in _CODE_LENGTH:
        msg = f"--by must be auto, provinsi or kabupaten, got {by!r}"
        raise DataError(msg)
    return by


@dataclass
class _Points:
    """The register as it streams: counts, rejected rows, tile keys per partition."""

    read: int = 0
    placed: int = 0
    online: bool = False
    refused: list[pd.DataFrame] = field(default_factory=list)
    outside: list[pd.DataFrame] = field(default_factory=list)
    keys: dict[str, np.ndarray] = field(default_factory=dict)
    conflicts: list[pd.DataFrame] | None = None


def _sources(paths: InputPaths, towers_modelled: bool) -> tuple[Source, ...]:
    keys = ("areas", "msme", "coverage", "towers", "speed_tiles", "backbone", "kab_stats")
    out = [
        Source(key, f"file {paths.name(key)}", UNKNOWN, UNKNOWN, synthetic=False)
        for key in keys
        if getattr(paths, key) is not None
    ]
    if towers_modelled:
        out.append(Source("coverage", "modelled from towers (reach discs)", "derived", "-", False))
    elif paths.coverage is None:
        out.append(Source("coverage", "none given: coverage unknown", UNKNOWN, "-", False))
    return tuple(out)


def _stream_msme(
    paths: InputPaths,
    skeleton: Layers,
    level: str,
    writers: partitioned.PointWriters | None,
    out: Path,
    *,
    k: int,
    chunk_bytes: int,
    progress: Progress | None,
) -> tuple[_Points, JoinSpace | None, partitioned.PointWriters | None]:
    """Read, validate, place and write the register chunk by chunk."""
    areas = skeleton.areas[level]
    kode = areas["kode"].to_numpy(dtype=object)
    prefix = areas["kode"].str.slice(0, k).to_numpy(dtype=object)
    state = _Points()
    space = None
    assert isinstance(paths.msme, Path)
    for chunk in iter_msme_chunks(
        paths.msme,
        name=paths.name("msme"),
        lat_col=paths.lat_col,
        lon_col=paths.lon_col,
        chunk_bytes=chunk_bytes,
    ):
        pts = chunk.points
        layers = replace(skeleton, msme=pts)
        if space is None:
            space = join_space(layers, areas, cell_m=EvidenceParams().cell_m)
        x, y = point_xy(pts)
        jx, jy = degrees_of(pts) if space.native else (x, y)
        index, reasons = place_msme(layers, areas, space, jx, jy)
        _, outside = account_rows("msme", pts, index, reasons, 0)
        found = code_conflicts(pts, areas, index, np.isfinite(jx + jy))
        if found is not None:
            state.conflicts = [*(state.conflicts or []), found]
        state.refused.append(chunk.rejected)
        state.outside.append(outside)
        ok = index >= 0
        # The area's code, dictionary-encoded: a worker holds one small integer per MSME.
        area = pd.Categorical.from_codes(index[ok], categories=pd.Index(kode, dtype="str"))
        attrs = pd.DataFrame({"area": area})
        attrs["lon"] = pts["lon"].to_numpy(dtype="float64")[ok]
        attrs["lat"] = pts["lat"].to_numpy(dtype="float64")[ok]
        if "online" in pts:
            attrs["online"] = pts["online"].to_numpy(dtype=bool)[ok]
            state.online = True
        if writers is None:
            writers = partitioned.PointWriters(crs=WORK_CRS, schema=attrs)
        part = prefix[index[ok]].astype("str")
        px, py = x[ok], y[ok]
        for code in np.unique(part):
            mine = part == code
            path = partitioned.part_path(out, "msme", str(code))
            own = attrs[mine].copy()
            own["area"] = own["area"].cat.remove_unused_categories()  # the partition's codes
            writers.write(path, px[mine], py[mine], own)
            if skeleton.speed_tiles is not None:
                lon, lat = attrs["lon"].to_numpy()[mine], attrs["lat"].to_numpy()[mine]
                _add_keys(state.keys, str(code), lon, lat)
        state.read += chunk.rows
        state.placed += int(ok.sum())
        if progress is not None:
            progress(state.read, state.placed)
    return state, space, writers


def _conflicts(state: _Points, out: Path) -> pd.DataFrame | None:
    """Every chunk's code conflicts, in file order, written to ``code_conflicts.parquet``."""
    if state.conflicts is None:
        return None
    found = [f for f in state.conflicts if len(f)]
    table = pd.concat(found, ignore_index=True) if found else pd.DataFrame(
        {c: pd.Series(dtype="str") for c in CONFLICT_COLUMNS}
    )  # fmt: skip
    partitioned.write_table(table, out / "code_conflicts.parquet")
    return table


def _add_keys(keys: dict[str, np.ndarray], code: str, lon: np.ndarray, lat: np.ndarray) -> None:
    ok = np.isfinite(lon) & np.isfinite(lat)
    new = tile_keys(*lonlat_to_tile(lon[ok], lat[ok], 16))
    keys[code] = np.unique(np.concatenate([keys.get(code, np.empty(0, "int64")), new]))


def _place_towers(
    towers: gpd.GeoDataFrame, space: JoinSpace, kode: np.ndarray
) -> tuple[np.ndarray, RowAccount, pd.DataFrame]:
    txy = degrees_of(towers) if space.native else point_xy(towers)
    index = place_points_indexed(*txy, space.grid)
    account, rejected = account_rows("towers", towers, index, OUTSIDE, 0)
    return index, account, rejected


def _tile_index(
    tiles: gpd.GeoDataFrame, space: JoinSpace
) -> tuple[np.ndarray, RowAccount, pd.DataFrame]:
    quadkeys = tiles["quadkey"].to_numpy()
    if not len(quadkeys):
        index = np.empty(0, dtype="int64")
    elif space.native:
        w, s, e, n = tile_bounds(*quadkey_to_tile(quadkeys))
        index = place_points_indexed((w + e) / 2.0, (s + n) / 2.0, space.grid)
    else:
        index = place_points_indexed(*work_tile_centres(quadkeys), space.grid)
    account, rejected = account_rows("speed_tiles", tiles, index, OUTSIDE, 0)
    return index, account, rejected


def _write_tiles(
    tiles: gpd.GeoDataFrame,
    index: np.ndarray,
    keys: Mapping[str, np.ndarray],
    out: Path,
    *,
    parts: list[str],
    kode: np.ndarray,
    prefix: np.ndarray,
) -> None:
    """Each partition's tiles: its own (``home``) and those under one of its MSMEs."""
    frame = pd.DataFrame(tiles[list(OOKLA_COLUMNS)]).reset_index(drop=True)
    placed = index >= 0
    area = np.where(placed, kode[np.maximum(index, 0)], "").astype("str")
    home_part = np.where(placed, prefix[np.maximum(index, 0)], parts[0]).astype("str")
    tx, ty, _ = quadkey_to_tile(frame["quadkey"].to_numpy())
    own_keys = tile_keys(tx, ty)
    for code in parts:
        home = home_part == code
        keep = home | np.isin(own_keys, keys.get(code, np.empty(0, "int64")))
        chosen = frame[keep].assign(home=home[keep], area=area[keep])
        partitioned.write_table(chosen, partitioned.part_path(out, "speed_tiles", code))


@dataclass(frozen=True)
class _Context:
    """Everything but the register, read as ``rank`` reads it."""

    skeleton: Layers
    level: str
    report: BoundaryReport
    notes: tuple[str, ...]
    kode: np.ndarray
    prefix: np.ndarray
    parts: list[str]
    by: str


def _read_context(
    paths: InputPaths, *, by: str, provenance: Mapping[str, Provenance] | None
) -> _Context:
    raw, notes = io.read_areas_explained(
        paths.areas, name=paths.name("areas"), layer=paths.areas_layer,
        id_col=paths.id_col, name_col=paths.name_col, keep_native=True,
    )  # fmt: skip
    checked, report = check_boundaries(raw, name=paths.name("areas"))
    areas, native = _split_native(checked)
    if not len(areas):
        msg = f"{paths.name('areas')}: no usable areas"
        raise DataError(msg)
    given = None if paths.level == "auto" else paths.level
    level, level_note = infer_level(areas["kode"], name=paths.name("areas"), given=given)
    notes = (*notes[:1], level_note, *notes[1:])
    others = _read_others(paths)
    if others.towers_note is not None:
        notes += (others.towers_note,)
    coverage = _coverage(paths, others.towers, areas)
    if paths.coverage is None and others.towers is None:
        notes += (NO_COVERAGE_NOTE,)
    assert isinstance(paths.msme, Path)
    provinces = areas["kode"].str.slice(0, 2).nunique()
    by = choose_partitioning(by, msme_bytes=partitioned.file_size(paths.msme), provinces=provinces)
    prefix = areas["kode"].str.slice(0, _CODE_LENGTH[by]).to_numpy(dtype=object)
    empty = gpd.GeoDataFrame(
        {"row": pd.Series(dtype="str"), "lon": np.empty(0), "lat": np.empty(0)},
        geometry=gpd.GeoSeries([], crs=WORK_CRS),
    )
    skeleton = Layers(
        areas={level: areas}, msme=empty, coverage=coverage, towers=others.towers,
        speed_tiles=others.speed_tiles, backbone=others.backbone, native_areas=native,
        sources=_sources(paths, paths.coverage is None and others.towers is not None),
    )  # fmt: skip
    if provenance:
        skeleton, unused = apply_provenance(skeleton, provenance)
        notes += tuple(f"warning: --sources [{key}] describes no layer given; ignored"
                       for key in unused)  # fmt: skip
    return _Context(
        skeleton, level, report, notes, areas["kode"].to_numpy(dtype=object), prefix,
        sorted({str(p) for p in prefix}), by,
    )  # fmt: skip


def _write_msme(
    paths: InputPaths, ctx: _Context, out: Path, *, chunk_bytes: int, progress: Progress | None
) -> tuple[_Points, JoinSpace]:
    """Stream the register into the partitions (an empty file for a partition without rows)."""
    writers = None
    try:
        state, space, writers = _stream_msme(
            paths, ctx.skeleton, ctx.level, writers, out,
            k=len(ctx.parts[0]), chunk_bytes=chunk_bytes, progress=progress,
        )  # fmt: skip
        if writers is None:
            kinds = pd.Index(ctx.kode, dtype="str")
            empty_attrs = pd.DataFrame({"area": pd.Categorical([], categories=kinds),
                                        "lon": np.empty(0), "lat": np.empty(0)})  # fmt: skip
            writers = partitioned.PointWriters(crs=WORK_CRS, schema=empty_attrs)
        for code in ctx.parts:
            writers.touch(partitioned.part_path(out, "msme", code))
        writers.close()
    except BaseException:
        if writers is not None:
            writers.close(keep=False)
        raise
    if space is None:
        areas = ctx.skeleton.areas[ctx.level]
        space = join_space(ctx.skeleton, areas, cell_m=EvidenceParams().cell_m)
    return state, space


def _write_others(
    ctx: _Context, state: _Points, space: JoinSpace, out: Path
) -> tuple[list[RowAccount], list[pd.DataFrame], list[str]]:
    """Towers (with the partition and area that count them), tiles, backbone."""
    layers, parts, kode, prefix = ctx.skeleton, ctx.parts, ctx.kode, ctx.prefix
    accounts, rejected, present = [], [], []
    if layers.towers is not None:
        t = layers.towers
        t_index, acc, rej = _place_towers(t, space, kode)
        accounts.append(acc)
        rejected.append(rej)
        placed = t_index >= 0
        kept = [c for c in ("operator", "radio", "range", "site_first") if c in t]
        attrs = pd.DataFrame(t[kept]).reset_index(drop=True)
        attrs["part"] = np.where(placed, prefix[np.maximum(t_index, 0)], parts[0]).astype("str")
        attrs["area"] = np.where(placed, kode[np.maximum(t_index, 0)], "").astype("str")
        tx, ty = point_xy(t)
        partitioned.write_points(tx, ty, attrs, out / "towers.parquet", crs=WORK_CRS)
        present.append("towers")
    if layers.speed_tiles is not None:
        s_index, acc, rej = _tile_index(layers.speed_tiles, space)
        accounts.append(acc)
        rejected.append(rej)
        _write_tiles(layers.speed_tiles, s_index, state.keys, out, parts=parts,
                     kode=kode, prefix=prefix)  # fmt: skip
        present.append("speed_tiles")
    if layers.backbone is not None:
        io.write_geoparquet(layers.backbone, out / "backbone.parquet")
        present.append("backbone")
    return accounts, rejected, present


def build_workload(
    paths: InputPaths,
    out: Path,
    *,
    by: str = "auto",
    chunk_bytes: int = 64 << 20,
    provenance: Mapping[str, Provenance] | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Read, validate and place a user's files into a partitioned workload in ``out``.

    Parameters
    ----------
    paths
        The inputs, as ``rank`` takes them (the register must be a file path).
    out
        The workload folder (new or empty); ``manifest.json`` is written last.
    by
        ``auto``, ``provinsi`` or ``kabupaten`` (:func:`choose_partitioning`).
    chunk_bytes
        Bytes of register per chunk.
    provenance
        The ``--sources`` tables (:func:`infra_gap.io.read_sources`).
    progress
        Called after each chunk with the rows read and placed so far.

    Raises
    ------
    InfraGapError
        As ``rank`` for the same files, naming file, row and column.
    """
    t0 = time.perf_counter()
    if not isinstance(paths.msme, Path):
        msg = "a workload is built from a register on disk (a path), not from bytes"
        raise DataError(msg)
    ctx = _read_context(paths, by=by, provenance=provenance)
    state, space = _write_msme(paths, ctx, out, chunk_bytes=chunk_bytes, progress=progress)
    accounts = [RowAccount("msme", state.read, state.placed, state.read - state.placed)]
    rejected = [ctx.report.dropped_empty, *state.refused, *state.outside]
    more, rej, present = _write_others(ctx, state, space, out)
    conflicts, notes = _conflicts(state, out), ctx.notes
    if conflicts is not None and len(conflicts):
        notes += (f"warning: {conflict_warning(conflicts)}",)
    accounts += more
    rejected += rej
    coverage, nodata = ctx.skeleton.coverage, None
    assert coverage is not None
    if isinstance(coverage, Raster):
        io.write_geotiff(coverage, out / "coverage.tif")
    else:  # a large raster: copied as is, read in windows
        assert isinstance(paths.coverage, Path)
        partitioned.copy_file(paths.coverage, out / "coverage.tif")
        nodata = paths.coverage_nodata
    areas = ctx.skeleton.areas[ctx.level]
    for code in ctx.parts:  # every column kept: the exports read parent names (WADMKK ...)
        path = partitioned.part_path(out, ctx.level, code)
        io.write_geoparquet(areas.loc[ctx.prefix == code], path)
    all_rejected = pd.concat([f for f in rejected if len(f)] or [rejected[0]], ignore_index=True)
    all_rejected = all_rejected[list(REJECTED_COLUMNS)].astype("str")
    partitioned.write_table(all_rejected, out / "rejected.parquet")
    wl = Workload(
        root=out,
        crs=WORK_CRS,
        parts=tuple(ctx.parts),
        partition_level=ctx.by,
        layers=tuple(present),
        msme_columns=("area", "lon", "lat", *(("online",) if state.online else ())),
        capitals=MappingProxyType({p[:2]: _CAPITAL for p in ctx.parts}),
        sources=ctx.skeleton.sources,
        finest=ctx.level,
        levels=(ctx.level,),
        coverage_nodata=nodata,
        coverage_degrees=space.native and shares_degrees(coverage.crs),
        prior_rejected=MappingProxyType({"msme": state.read - state.placed}),
    )
    seconds = time.perf_counter() - t0
    counts = {ctx.level: len(areas), "msme": state.placed}
    if ctx.skeleton.towers is not None:
        counts["towers"] = len(ctx.skeleton.towers)
    inputs = ("areas", "msme", "coverage", "towers", "speed_tiles", "backbone")
    io.write_json(
        workload_manifest(
            wl, counts=counts, accounts=[vars(a) for a in accounts], seconds=round(seconds, 2),
            built_from={k: paths.name(k) for k in inputs if getattr(paths, k) is not None},
            msme_refused=sum(len(f) for f in state.refused), notes=list(notes),
            code_conflicts=None if conflicts is None else len(conflicts),
        ),
        out / "manifest.json",
    )  # fmt: skip
    return BuildResult(wl, tuple(accounts), all_rejected, notes, ctx.report, seconds, conflicts)
