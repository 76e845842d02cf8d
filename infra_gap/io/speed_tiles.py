"""Ookla-schema speed tiles of any format, read in chunks and reduced as they are read.

Every format is read a chunk at a time (issues 20 and 22): a tile *table* (CSV, XLSX,
Parquet, with a WKT ``tile`` column) in the chunks of :func:`infra_gap.io.msme_lean.open_table`,
a GeoPackage, zipped Shapefile or GeoJSON layer in GDAL's Arrow batches
(:mod:`infra_gap.io.layer_batches`; its features count against ``max_table_rows``, as a
table's rows), a 16th of ``chunk_rows`` tiles at a time.  Each chunk's geometries are
parsed and checked to be in degrees (the first bad row stops the read, named by its file
line or feature number), its quadkeys and speeds are checked, and the tiles kept are
projected to the work CRS, before the next chunk is read.

With ``keep`` (:func:`scan_speed_tiles`), each chunk is reduced to the tiles that can
matter (the caller's rule, from the quadkeys: near the areas of the run), and only the
row labels of the others are kept, so memory grows with the tiles kept, not the file: a
world file of Ookla tiles read for one province holds that province's tiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap.config import GEO_CRS, WORK_CRS, Limits
from infra_gap.errors import DataError, SchemaError
from infra_gap.io import budget
from infra_gap.io.files import source_name
from infra_gap.io.layer_batches import open_layer
from infra_gap.io.msme_lean import open_table
from infra_gap.io.tables import TILE_COLUMNS, Source
from infra_gap.io.vector import _check_bounds

__all__ = ["TileRead", "read_speed_tiles", "read_tile_table", "scan_speed_tiles"]

#: An Ookla quadkey: digits 0-3, zoom 1-23 (Bing Maps tile system).
_QUADKEY = r"[0-3]{1,23}"
#: File suffixes read as vector layers; the rest are tables.
_LAYERS = frozenset({".gpkg", ".zip", ".geojson"})
#: Tiles per chunk: a 16th of ``chunk_rows`` (a tile in a chunk takes about 2 KB: its
#: WKT text, its polygon in degrees and projected; 62,500 tiles about 150 MB).
_CHUNK_SHARE = 16

#: Which tiles of a chunk to keep, from their (checked) quadkeys.
Keep = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class TileRead:
    """The tiles kept, in the work CRS with ``row``; the row labels of the others; rows read."""

    tiles: gpd.GeoDataFrame
    left_out: np.ndarray
    rows: int


def _chunk(frame: pd.DataFrame, line: int, name: str) -> gpd.GeoDataFrame:
    wkt = frame["tile"].astype("str").to_numpy()
    shapes = shapely.from_wkt(wkt, on_invalid="ignore")
    with np.errstate(invalid="ignore"):
        box = shapely.bounds(shapes)
        lon_ok = (np.abs(box[:, [0, 2]]) <= 180).all(1)
        degrees = lon_ok & (np.abs(box[:, [1, 3]]) <= 90).all(1)
    bad = np.flatnonzero(shapely.is_missing(shapes) | ~degrees)
    if len(bad):
        shown = repr(wkt[bad[0]])[:60]
        msg = f"{name}: row {bad[0] + line}, column `tile`: not a WKT polygon in degrees ({shown})"
        raise DataError(msg)
    frame = frame.reset_index(drop=True)
    geom = gpd.GeoSeries(shapes, crs=GEO_CRS)
    out = gpd.GeoDataFrame(frame, geometry=geom)
    out["row"] = (np.arange(len(out)) + line).astype("str")
    return out


def _projected(gdf: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """Tiles in the work CRS, every coordinate finite (:func:`read_vector`'s check)."""
    if gdf.crs is not None and gdf.crs.equals(WORK_CRS):
        return gdf
    with budget.reading(name, f"a layer in {gdf.crs.name if gdf.crs else 'no CRS'}"):
        out = gdf.to_crs(WORK_CRS)
    _check_bounds(out, name=name, geographic=False)
    return out


def _table_chunks(source: Source, name: str, limits: Limits) -> Iterator[gpd.GeoDataFrame]:
    """Each chunk of a table with a WKT ``tile`` column, parsed (in degrees)."""
    first = 2 if PurePath(name).suffix.lower() == ".csv" else 1
    register = open_table(source, name, limits, first_line=first)
    if "tile" not in register.names:
        msg = f"{name}: Ookla tiles need a `tile` column (WKT)"
        raise SchemaError(msg)
    empty = True
    for line, frame in register.chunks(register.names):
        empty = False
        yield _chunk(frame, line, name)
    if empty:
        frame = pd.DataFrame({c: pd.Series(dtype="str") for c in register.names})
        yield _chunk(frame, first, name)


def _layer_chunks(source: Source, name: str, limits: Limits) -> Iterator[gpd.GeoDataFrame]:
    """Each batch of a tile layer, its polygons checked (``read_vector``'s rules)."""
    opened = open_layer(source, name, limits)
    assert opened is not None  # a suffix of _LAYERS
    empty = True
    for line, batch, geometry in opened.batches(opened.fields, limits.chunk_rows, limits):
        empty = False
        if geometry in batch.schema.names:
            wkb = batch.column(geometry).to_numpy(zero_copy_only=False)
            frame = batch.drop_columns([geometry]).to_pandas()
        else:
            wkb = np.full(batch.num_rows, None, dtype=object)
            frame = batch.to_pandas()
        with budget.reading(name, opened.fmt):
            geoms = shapely.from_wkb(wkb)
        budget.check_geometries(geoms, name, replace(limits, max_features=limits.max_table_rows))
        gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=opened.crs))
        _check_bounds(gdf, name=name, geographic=True, first=line)
        gdf["row"] = (np.arange(len(gdf)) + line).astype("str")
        yield gdf
    if empty:
        columns = {f: pd.Series(dtype=object) for f in opened.fields}
        geoms = gpd.GeoSeries([], crs=WORK_CRS)
        yield gpd.GeoDataFrame(columns | {"row": pd.Series(dtype="str")}, geometry=geoms)


def read_tile_table(source: Path | bytes, *, name: str) -> gpd.GeoDataFrame:
    """Tiles of a table with a WKT ``tile`` column, in the work CRS, with ``row``.

    Every column is kept; ``row`` is the file line (2 for a CSV's first row, else 1).
    """
    limits = budget.current_limits()
    parts = [_projected(chunk, name) for chunk in _table_chunks(source, name, limits)]
    if len(parts) == 1:
        return parts[0]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=WORK_CRS)


class _Checks:
    """The quadkey and speed checks of each chunk, one zoom level for the whole file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.zoom: int | None = None

    def __call__(self, gdf: gpd.GeoDataFrame) -> None:
        name = self.name
        missing = [c for c in TILE_COLUMNS if c not in gdf.columns]
        if missing:
            msg = f"{name}: not an Ookla tile table, missing column(s) {missing}"
            raise SchemaError(msg)
        gdf["quadkey"] = gdf["quadkey"].astype("str").str.strip()
        rows = gdf["row"]
        wrong_qk = ~gdf["quadkey"].str.fullmatch(_QUADKEY).to_numpy(dtype=bool)
        lengths = gdf["quadkey"].str.len().to_numpy()
        if self.zoom is None and len(gdf):
            self.zoom = int(lengths[0])
        wrong = wrong_qk | (lengths != self.zoom)
        if wrong.any():
            i = int(np.flatnonzero(wrong_qk)[0]) if wrong_qk.any() else int(np.argmax(wrong))
            msg = (
                f"{name}: row {rows.iloc[i]}, column `quadkey`: {gdf['quadkey'].iloc[i][:40]!r} "
                "is not an Ookla quadkey (digits 0-3, one zoom level for all tiles)"
            )
            raise DataError(msg)
        for col in TILE_COLUMNS[1:]:
            values = pd.to_numeric(gdf[col], errors="coerce")
            bad = values.isna().to_numpy() | (values < 0).to_numpy()
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                msg = (
                    f"{name}: row {rows.iloc[i]}, column `{col}`: {gdf[col].iloc[i]!r} is not a "
                    "number >= 0"
                )
                raise DataError(msg)
            gdf[col] = values


def scan_speed_tiles(
    source: Source, *, name: str | None = None, keep: Keep | None = None
) -> TileRead:
    """Read Ookla-schema tiles a chunk at a time, keeping those ``keep`` says.

    Parameters
    ----------
    source, name
        The file (Parquet, CSV, XLSX, GeoPackage, zipped Shapefile, GeoJSON) and its name.
    keep
        Given a chunk's quadkeys (checked, one zoom), which tiles to keep; all when None.

    Returns
    -------
    The tiles kept (work CRS, quadkeys as text, speeds as numbers, ``row``: file line or
    feature number), the ``row`` of each tile left out, in file order, and the rows read.

    Raises
    ------
    InfraGapError
        Naming the file, row and column: a quadkey that is not one (or of another zoom),
        a speed that is not a number >= 0, a geometry not in degrees; ``E_LIMIT`` over a
        budget.
    """
    name = source_name(source, name)
    limits = budget.current_limits()
    limits = replace(limits, chunk_rows=max(limits.chunk_rows // _CHUNK_SHARE, 1))
    layer = PurePath(name).suffix.lower() in _LAYERS
    chunks = _layer_chunks(source, name, limits) if layer else _table_chunks(source, name, limits)
    check = _Checks(name)
    parts: list[gpd.GeoDataFrame] = []
    left_out: list[np.ndarray] = []
    rows = 0
    for chunk in chunks:
        check(chunk)
        rows += len(chunk)
        if keep is not None and len(chunk):  # the others are never projected
            mask = np.asarray(keep(chunk["quadkey"].to_numpy()), dtype=bool)
            left_out.append(chunk["row"].to_numpy()[~mask].astype("str"))
            chunk = chunk[mask]  # noqa: PLW2901
        parts.append(_projected(chunk, name))
    tiles = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    tiles = gpd.GeoDataFrame(tiles.reset_index(drop=True), crs=WORK_CRS)
    out = np.concatenate(left_out) if left_out else np.empty(0, dtype="str")
    return TileRead(tiles, out, rows)


def read_speed_tiles(source: Source, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read Ookla-schema tiles (Parquet, CSV, XLSX, zipped Shapefile, GeoPackage, GeoJSON).

    Every tile, read a chunk at a time (:func:`scan_speed_tiles`); quadkeys stay text.
    """
    return scan_speed_tiles(source, name=name).tiles
