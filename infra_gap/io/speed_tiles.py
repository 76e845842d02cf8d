"""Ookla-schema speed tiles: any tile file, and tile tables (CSV, XLSX, Parquet) read in chunks.

:func:`read_speed_tiles` reads every format and checks quadkeys and speeds; a tile *table*
is read in chunks (issues 20 and 22) by :func:`read_tile_table`.

Each chunk's ``tile`` WKT is parsed, checked to be a polygon in degrees (the first bad row
stops the read, named by file line) and projected to the work CRS before the next chunk
is read, so the text, the parsed shapes and their projection exist for one chunk at a
time.  The chunks are the ones of :func:`infra_gap.io.msme_lean.open_table`.
"""

from __future__ import annotations

from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.errors import DataError, SchemaError
from infra_gap.io import budget
from infra_gap.io.files import source_name
from infra_gap.io.msme_lean import open_table
from infra_gap.io.tables import TILE_COLUMNS, Source
from infra_gap.io.vector import read_vector

__all__ = ["read_speed_tiles", "read_tile_table"]


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
    out = gpd.GeoDataFrame(frame, geometry=geom).to_crs(WORK_CRS)
    out["row"] = (np.arange(len(out)) + line).astype("str")
    return out


def read_tile_table(source: Path | bytes, *, name: str) -> gpd.GeoDataFrame:
    """Tiles of a table with a WKT ``tile`` column, in the work CRS, with ``row``.

    Every column is kept; ``row`` is the file line (2 for a CSV's first row, else 1).
    """
    limits = budget.current_limits()
    first = 2 if PurePath(name).suffix.lower() == ".csv" else 1
    register = open_table(source, name, limits, first_line=first)
    if "tile" not in register.names:
        msg = f"{name}: Ookla tiles need a `tile` column (WKT)"
        raise SchemaError(msg)
    parts = [_chunk(frame, line, name) for line, frame in register.chunks(register.names)]
    if not parts:
        empty = pd.DataFrame({c: pd.Series(dtype="str") for c in register.names})
        parts = [_chunk(empty, first, name)]
    if len(parts) == 1:
        return parts[0]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=WORK_CRS)


#: An Ookla quadkey: digits 0-3, zoom 1-23 (Bing Maps tile system).
_QUADKEY = r"[0-3]{1,23}"


def read_speed_tiles(source: Source, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read Ookla-schema tiles (Parquet, CSV, zipped Shapefile, GeoPackage); quadkeys stay text."""
    name = source_name(source, name)
    suffix = PurePath(name).suffix.lower()
    if suffix in {".gpkg", ".zip", ".geojson"}:
        gdf = read_vector(source, name=name)
    else:
        gdf = read_tile_table(source, name=name)
    missing = [c for c in TILE_COLUMNS if c not in gdf.columns]
    if missing:
        msg = f"{name}: not an Ookla tile table, missing column(s) {missing}"
        raise SchemaError(msg)
    gdf["quadkey"] = gdf["quadkey"].astype("str").str.strip()
    rows = gdf["row"] if "row" in gdf else pd.Series(np.arange(len(gdf)) + 1).astype("str")
    wrong_qk = ~gdf["quadkey"].str.fullmatch(_QUADKEY).to_numpy(dtype=bool)
    if wrong_qk.any() or gdf["quadkey"].str.len().nunique() > 1:
        i = int(np.flatnonzero(wrong_qk)[0]) if wrong_qk.any() else 0
        msg = (
            f"{name}: row {rows.iloc[i]}, column `quadkey`: {gdf['quadkey'].iloc[i][:40]!r} is "
            "not an Ookla quadkey (digits 0-3, one zoom level for all tiles)"
        )
        raise DataError(msg)
    for col in TILE_COLUMNS[1:]:
        values = pd.to_numeric(gdf[col], errors="coerce")
        wrong = values.isna().to_numpy() | (values < 0).to_numpy()
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            msg = (
                f"{name}: row {rows.iloc[i]}, column `{col}`: {gdf[col].iloc[i]!r} is not a "
                "number >= 0"
            )
            raise DataError(msg)
        gdf[col] = values
    return gdf
