"""Partitioned workloads on disk, for the national engine.

Part of the io package, the only code that opens files: nothing in
:mod:`infra_gap.national.generate` or :mod:`infra_gap.national.engine` opens a file.

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

The folder may be an fsspec URL (``s3://bucket/wl``, ``gs://``, ``abfs://``, ``file://``,
``memory://`` in tests): every reader here takes a :data:`Root` (a local path, or a URL kept
as text) and reads only the file asked for, through the URL's filesystem; credentials come
from that filesystem's standard environment (``AWS_ACCESS_KEY_ID``/``AWS_PROFILE``,
``GOOGLE_APPLICATION_CREDENTIALS``, ``AZURE_STORAGE_*``), never from the command line.  A
workload is always written on local disk and then uploaded (:func:`upload`), manifest last.

The parts live in modules named by what they do: :mod:`.workload_paths` (paths, URLs,
manifest, upload), :mod:`.geoparquet_points` (point files) and :mod:`.workload_rasters`
(the coverage raster); this module reads and writes the plain tables and keeps every public
name importable from here.

Point layers use GeoParquet 1.1's native ``point`` encoding (a struct of ``x``/``y``
doubles), so coordinates are read as arrays without building shapely objects.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import shapely

from infra_gap.io import atomic_path
from infra_gap.io.geoparquet_points import PointWriters, read_points, write_points
from infra_gap.io.workload_paths import (
    Root,
    as_root,
    exists,
    filesystem,
    is_empty_folder,
    is_url,
    join,
    part_path,
    read_manifest,
    require,
    upload,
)
from infra_gap.io.workload_rasters import read_raster_window, write_sparse_geotiff

__all__ = [
    "PointWriters",
    "Root",
    "as_root",
    "copy_file",
    "count_rows",
    "exists",
    "file_size",
    "is_empty_folder",
    "is_url",
    "join",
    "part_path",
    "read_areas",
    "read_columns",
    "read_manifest",
    "read_points",
    "read_raster_window",
    "read_rejected",
    "scratch_folder",
    "upload",
    "write_points",
    "write_sparse_geotiff",
    "write_table",
]


def read_columns(path: Root, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Plain columns of a Parquet file or folder (no geometry decoding); all when None."""
    require(path)
    fs, inner = filesystem(path)
    wanted = None if columns is None else list(columns)
    table = pq.read_table(inner, columns=wanted, filesystem=fs)
    return table.to_pandas()


def read_areas(path: Root, *, crs: str) -> gpd.GeoDataFrame:
    """Areas from a GeoParquet file, or from a folder of them, in ``crs``.

    ``crs`` is the workload's (its manifest's): parsing each file's PROJJSON costs about
    30 ms, more than reading a partition's areas.  Rows come in file order.
    """
    require(path)
    fs, inner = filesystem(path)
    table = pq.read_table(inner, partitioning=None, filesystem=fs)
    geom = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    frame = table.drop_columns(["geometry"]).to_pandas()
    return gpd.GeoDataFrame(frame, geometry=geom, crs=crs)


def count_rows(path: Root) -> int:
    """Row count of a Parquet file, from its footer only."""
    require(path)
    fs, inner = filesystem(path)
    return int(pq.read_metadata(inner, filesystem=fs).num_rows)


@contextmanager
def scratch_folder(prefix: str) -> Iterator[Path]:
    """A new empty temporary folder, removed with its contents on exit."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        yield Path(folder)


def read_rejected(root: Root) -> pd.DataFrame | None:
    """The rejected rows a workload build wrote (``source,row,reason``), or None."""
    path = join(root, "rejected.parquet")
    return read_columns(path) if exists(path) else None


def file_size(path: Path) -> int:
    """Size of a file in bytes."""
    require(path)
    return path.stat().st_size


def copy_file(source: Path, path: Path) -> None:
    """Copy a file's bytes to ``path`` atomically."""
    require(source)
    with atomic_path(path) as tmp:
        shutil.copyfile(source, tmp)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a plain Parquet table atomically (zstd)."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, compression="zstd")
