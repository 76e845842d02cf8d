"""Partitioned workloads on disk, for the national engine.

Part of the io package, the only code that opens files: nothing in :mod:`infra_gap.national`
or :mod:`infra_gap.engine` opens a file.

A *partitioned workload* is a folder laid out by administrative code (province or
kabupaten), so that each partition can be read on its own, by any Dask worker that sees
the folder::

    manifest.json               what is in the folder (CRS, partitions, sources, counts)
    coverage.tif                one tiled GeoTIFF, read in windows (sparse: empty blocks
                                are not stored and read as no data)
    towers.parquet              GeoParquet points; ``part`` = the partition that counts it
    backbone.parquet            GeoParquet lines and points (optional)
    kab_stats.parquet           kabupaten statistics (optional)
    <layer>/part=<code>/data.parquet   per partition: ``desa``, ``kecamatan``, ``kabupaten``
                                (GeoParquet areas), ``msme`` (GeoParquet points) and
                                ``speed_tiles`` (Ookla columns, without the WKT)

Point layers use GeoParquet 1.1's native ``point`` encoding (a struct of ``x``/``y``
doubles), so coordinates are read as arrays without building shapely objects.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import rasterio
import shapely
from affine import Affine
from pyproj import CRS
from rasterio.windows import Window

from infra_gap.errors import InputFileError
from infra_gap.io import atomic_path
from infra_gap.layers import Raster

__all__ = [
    "count_rows",
    "part_path",
    "read_areas",
    "read_columns",
    "read_points",
    "read_raster_window",
    "write_points",
    "write_sparse_geotiff",
    "write_table",
]


def part_path(root: Path, layer: str, code: str) -> Path:
    """Path of one partition's file of ``layer`` (hive style: ``layer/part=code/``)."""
    return root / layer / f"part={code}" / "data.parquet"


def _require(path: Path) -> None:
    if not path.exists():
        msg = f"{path}: file not found (is the workload folder visible to every worker?)"
        raise InputFileError(msg)


def write_points(
    x: np.ndarray, y: np.ndarray, attrs: pd.DataFrame, path: Path, *, crs: str
) -> None:
    """Write points as GeoParquet 1.1 with native point encoding, zstd-compressed.

    Parameters
    ----------
    x, y
        Coordinates in ``crs``.
    attrs
        Attribute columns, row-aligned with ``x``.
    path
        Output file (written atomically).
    crs
        CRS of the coordinates (stored as PROJJSON).
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    geom = pa.StructArray.from_arrays(
        [pa.array(x), pa.array(y)],
        fields=[pa.field("x", pa.float64(), nullable=False), pa.field("y", pa.float64(), False)],
    )
    table = pa.Table.from_pandas(attrs.reset_index(drop=True), preserve_index=False)
    table = table.append_column("geometry", geom)
    column: dict[str, Any] = {
        "encoding": "point",
        "geometry_types": ["Point"],
        "crs": CRS.from_user_input(crs).to_json_dict(),
    }
    if len(x):
        column["bbox"] = [float(x.min()), float(y.min()), float(x.max()), float(y.max())]
    geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    meta = {**(table.schema.metadata or {}), b"geo": json.dumps(geo).encode()}
    with atomic_path(path) as tmp:
        pq.write_table(table.replace_schema_metadata(meta), tmp, compression="zstd")


def read_points(
    path: Path, *, columns: Sequence[str] = ()
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Coordinates and attributes of a GeoParquet point file.

    Parameters
    ----------
    path
        A file written by :func:`write_points`, or any GeoParquet of points (WKB too).
    columns
        Attribute columns wanted; those absent from the file are skipped.

    Returns
    -------
    x, y, attrs
        ``float64`` coordinates in the file's CRS and the attribute columns found.
    """
    _require(path)
    names = pq.read_schema(path).names
    want = [c for c in columns if c in names]
    table = pq.read_table(path, columns=[*want, "geometry"])
    geom = table.column("geometry").combine_chunks()
    if pa.types.is_struct(geom.type):
        x = geom.field("x").to_numpy(zero_copy_only=False)
        y = geom.field("y").to_numpy(zero_copy_only=False)
    else:
        xy = shapely.get_coordinates(shapely.from_wkb(geom.to_numpy(zero_copy_only=False)))
        x, y = xy[:, 0], xy[:, 1]
    attrs = table.select(want).to_pandas()
    return np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"), attrs


def read_columns(path: Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Plain columns of a Parquet file or folder (no geometry decoding); all when None."""
    _require(path)
    table = pq.read_table(path, columns=None if columns is None else list(columns))
    return table.to_pandas()


def read_areas(path: Path, *, crs: str) -> gpd.GeoDataFrame:
    """Areas from a GeoParquet file, or from a folder of them, in ``crs``.

    ``crs`` is the workload's (its manifest's): parsing each file's PROJJSON costs about
    30 ms, more than reading a partition's areas.  Rows come in file order.
    """
    _require(path)
    table = pq.read_table(path, partitioning=None)
    geom = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    frame = table.drop_columns(["geometry"]).to_pandas()
    return gpd.GeoDataFrame(frame, geometry=geom, crs=crs)


def count_rows(path: Path) -> int:
    """Row count of a Parquet file, from its footer only."""
    _require(path)
    return int(pq.ParquetFile(path).metadata.num_rows)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a plain Parquet table atomically (zstd)."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, compression="zstd")


def read_raster_window(path: Path, bounds: tuple[float, float, float, float]) -> Raster:
    """The pixels of band 1 that cover ``bounds``, and only those (a windowed read).

    The window is widened to whole pixels plus one pixel on each side and clipped to the
    raster; its transform is the raster's, shifted by whole pixels, so a point samples the
    same pixel as in the whole raster.  Bounds outside the raster give a 0 x 0 raster,
    under which every point is outside (unknown).

    Parameters
    ----------
    path
        A north-up GeoTIFF.
    bounds
        ``(minx, miny, maxx, maxy)`` in the raster's CRS.
    """
    _require(path)
    with rasterio.open(path, driver="GTiff") as src:
        t = src.transform
        if t.b or t.d:
            msg = f"{path}: rotated rasters are not supported"
            raise InputFileError(msg)
        minx, miny, maxx, maxy = bounds
        c0 = max(math.floor((minx - t.c) / t.a) - 1, 0)
        c1 = min(math.ceil((maxx - t.c) / t.a) + 1, src.width)
        r0 = max(math.floor((maxy - t.f) / t.e) - 1, 0)
        r1 = min(math.ceil((miny - t.f) / t.e) + 1, src.height)
        crs = src.crs.to_string()
        if c1 <= c0 or r1 <= r0:
            empty = np.empty((0, 0), dtype=src.dtypes[0])
            return Raster(array=empty, transform=t, crs=crs, nodata=src.nodata)
        window = Window(c0, r0, c1 - c0, r1 - r0)
        array = src.read(1, window=window)
        shifted = Affine(t.a, 0.0, t.c + c0 * t.a, 0.0, t.e, t.f + r0 * t.e)
        return Raster(array=array, transform=shifted, crs=crs, nodata=src.nodata)


def write_sparse_geotiff(
    path: Path,
    *,
    width: int,
    height: int,
    transform: Affine,
    crs: str,
    nodata: float,
    blocks: Iterable[tuple[int, int, np.ndarray]],
) -> None:
    """Write a large single-band GeoTIFF from a few windows; the rest is no data.

    The file is tiled (256 x 256), deflate-compressed and sparse: tiles never written are
    not stored and read as ``nodata``, so a national grid with a few provinces costs only
    the provinces' bytes.

    Parameters
    ----------
    path
        Output file (written atomically).
    width, height, transform, crs, nodata
        Grid of the whole raster.
    blocks
        ``(row_off, col_off, array)`` windows to write; their dtype is the raster's.
    """
    it = iter(blocks)
    first = next(it, None)
    dtype = str(first[2].dtype) if first is not None else "uint8"
    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": dtype,
        "crs": crs,
        "transform": transform,
        "nodata": nodata,
        "compress": "deflate",
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
        "sparse_ok": True,
        "bigtiff": "if_safer",
    }
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        for row_off, col_off, array in [first, *it] if first is not None else []:
            h, w = array.shape
            dst.write(array, 1, window=Window(col_off, row_off, w, h))
