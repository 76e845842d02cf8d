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

Point layers use GeoParquet 1.1's native ``point`` encoding (a struct of ``x``/``y``
doubles), so coordinates are read as arrays without building shapely objects.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, overload

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import rasterio
import shapely
from affine import Affine
from pyproj import CRS
from rasterio.warp import transform_bounds
from rasterio.windows import Window

from infra_gap.errors import InputFileError, OutputFileError
from infra_gap.io import atomic_path
from infra_gap.layers import Raster

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


#: A workload folder or file: a local path, or an fsspec URL kept as text.
Root = Path | str


def is_url(root: Root) -> bool:
    """True for an fsspec URL (``scheme://...``), kept as text; False for a local path."""
    return isinstance(root, str) and "://" in root


def as_root(text: str) -> Root:
    """A ``--workload``/``--out`` value: a URL stays text, anything else is a local path."""
    return text if is_url(text) else Path(text)


@overload
def join(root: Path, *parts: str) -> Path: ...
@overload
def join(root: str, *parts: str) -> Root: ...
def join(root: Root, *parts: str) -> Root:
    """``root / part / ...`` for a path or a URL (a local path stays a :class:`Path`)."""
    if isinstance(root, str) and is_url(root):
        return "/".join([root.rstrip("/"), *parts])
    return Path(root).joinpath(*parts)


def _fs(path: Root) -> tuple[Any, str]:
    """The filesystem (None: local) and the path on it."""
    if not is_url(path):
        return None, str(path)
    try:
        import fsspec
    except ImportError as err:  # an optional dependency (the dask extra)
        msg = f"{path}: a workload URL needs fsspec (pip install 'infra-gap[dask]')"
        raise InputFileError(msg) from err
    try:
        fs, inner = fsspec.core.url_to_fs(str(path))
    except (ImportError, ValueError) as err:
        msg = f"{path}: cannot open this URL ({err})"
        raise InputFileError(msg) from err
    return fs, inner


@overload
def part_path(root: Path, layer: str, code: str) -> Path: ...
@overload
def part_path(root: str, layer: str, code: str) -> Root: ...
def part_path(root: Root, layer: str, code: str) -> Root:
    """Path of one partition's file of ``layer`` (hive style: ``layer/part=code/``)."""
    return join(root, layer, f"part={code}", "data.parquet")


def exists(path: Root) -> bool:
    """True when the file or folder exists (on its filesystem)."""
    fs, inner = _fs(path)
    return Path(inner).exists() if fs is None else bool(fs.exists(inner))


def _require(path: Root) -> None:
    if not exists(path):
        msg = f"{path}: file not found (is the workload folder visible to every worker?)"
        raise InputFileError(msg)


def read_manifest(root: Root) -> dict[str, Any]:
    """The ``manifest.json`` of a workload folder.

    Raises
    ------
    InputFileError
        When it is missing or is not JSON.
    """
    path = join(root, "manifest.json")
    _require(path)
    fs, inner = _fs(path)
    try:
        if fs is None:
            text = Path(inner).read_text(encoding="utf-8")
        else:
            with fs.open(inner, "rb") as fh:
                text = fh.read().decode("utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as err:
        msg = f"{path}: not a readable workload manifest ({err})"
        raise InputFileError(msg) from err
    if not isinstance(data, dict):
        msg = f"{path}: not a workload manifest"
        raise InputFileError(msg)
    return data


def is_empty_folder(root: Root) -> bool:
    """True when ``root`` does not exist or is an empty folder."""
    fs, inner = _fs(root)
    if fs is None:
        p = Path(inner)
        return not p.exists() or (p.is_dir() and not any(p.iterdir()))
    return not fs.exists(inner) or (fs.isdir(inner) and not fs.ls(inner))


def upload(local: Path, url: str) -> None:
    """Copy a workload folder to a URL: every file, then ``manifest.json`` last.

    Until the manifest arrives the copy is not a workload, so a reader never sees half of one.
    """
    fs, inner = _fs(url)
    files = sorted(p for p in local.rglob("*") if p.is_file() and p.name != "manifest.json")
    try:
        for path in [*files, local / "manifest.json"]:
            target = "/".join([inner.rstrip("/"), *path.relative_to(local).parts])
            fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            fs.put_file(str(path), target)
    except OSError as err:
        msg = f"{url}: cannot write the workload there ({err})"
        raise OutputFileError(msg) from err


def _points_table(x: np.ndarray, y: np.ndarray, attrs: pd.DataFrame) -> pa.Table:
    geom = pa.StructArray.from_arrays(
        [pa.array(np.asarray(x, dtype="float64")), pa.array(np.asarray(y, dtype="float64"))],
        fields=[pa.field("x", pa.float64(), nullable=False), pa.field("y", pa.float64(), False)],
    )
    table = pa.Table.from_pandas(attrs.reset_index(drop=True), preserve_index=False)
    return table.append_column("geometry", geom)


def _geo_metadata(table: pa.Table, crs: str, bbox: list[float] | None) -> dict[bytes, bytes]:
    column: dict[str, Any] = {
        "encoding": "point",
        "geometry_types": ["Point"],
        "crs": CRS.from_user_input(crs).to_json_dict(),
    }
    if bbox is not None:
        column["bbox"] = bbox
    geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    return {**(table.schema.metadata or {}), b"geo": json.dumps(geo).encode()}


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
    table = _points_table(x, y, attrs)
    bbox = [float(x.min()), float(y.min()), float(x.max()), float(y.max())] if len(x) else None
    meta = _geo_metadata(table, crs, bbox)
    with atomic_path(path) as tmp:
        pq.write_table(table.replace_schema_metadata(meta), tmp, compression="zstd")


class PointWriters:
    """Point files appended to chunk by chunk (one per partition), renamed into place on close.

    Each file is GeoParquet 1.1 as :func:`write_points` writes it (without a bbox, which is
    optional); a partition with no rows gets an empty file of the same schema.  On an
    error the half-written files are removed.
    """

    def __init__(self, *, crs: str, schema: pd.DataFrame) -> None:
        self._crs = crs
        empty = _points_table(np.empty(0), np.empty(0), schema.iloc[:0])
        self._schema = empty.replace_schema_metadata(_geo_metadata(empty, crs, None)).schema
        self._open: dict[Path, tuple[Path, pq.ParquetWriter]] = {}

    def _writer(self, path: Path) -> pq.ParquetWriter:
        if path not in self._open:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.part")
            self._open[path] = (tmp, pq.ParquetWriter(tmp, self._schema, compression="zstd"))
        return self._open[path][1]

    def write(self, path: Path, x: np.ndarray, y: np.ndarray, attrs: pd.DataFrame) -> None:
        """Append rows to ``path``."""
        table = _points_table(x, y, attrs).cast(self._schema)
        self._writer(path).write_table(table)

    def touch(self, path: Path) -> None:
        """Make sure ``path`` exists when closed (an empty partition)."""
        self._writer(path)

    def close(self, *, keep: bool = True) -> None:
        """Close every file; rename them into place, or remove them when not ``keep``."""
        for path, (tmp, writer) in self._open.items():
            writer.close()
            if keep:
                tmp.replace(path)
            else:
                tmp.unlink(missing_ok=True)
        self._open.clear()


def read_points(
    path: Root, *, columns: Sequence[str] = ()
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
    fs, inner = _fs(path)
    names = pq.read_schema(inner, filesystem=fs).names
    want = [c for c in columns if c in names]
    table = pq.read_table(inner, columns=[*want, "geometry"], filesystem=fs)
    geom = table.column("geometry").combine_chunks()
    if pa.types.is_struct(geom.type):
        x = geom.field("x").to_numpy(zero_copy_only=False)
        y = geom.field("y").to_numpy(zero_copy_only=False)
    else:
        xy = shapely.get_coordinates(shapely.from_wkb(geom.to_numpy(zero_copy_only=False)))
        x, y = xy[:, 0], xy[:, 1]
    attrs = table.select(want).to_pandas()
    return np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"), attrs


def read_columns(path: Root, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Plain columns of a Parquet file or folder (no geometry decoding); all when None."""
    _require(path)
    fs, inner = _fs(path)
    wanted = None if columns is None else list(columns)
    table = pq.read_table(inner, columns=wanted, filesystem=fs)
    return table.to_pandas()


def read_areas(path: Root, *, crs: str) -> gpd.GeoDataFrame:
    """Areas from a GeoParquet file, or from a folder of them, in ``crs``.

    ``crs`` is the workload's (its manifest's): parsing each file's PROJJSON costs about
    30 ms, more than reading a partition's areas.  Rows come in file order.
    """
    _require(path)
    fs, inner = _fs(path)
    table = pq.read_table(inner, partitioning=None, filesystem=fs)
    geom = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    frame = table.drop_columns(["geometry"]).to_pandas()
    return gpd.GeoDataFrame(frame, geometry=geom, crs=crs)


def count_rows(path: Root) -> int:
    """Row count of a Parquet file, from its footer only."""
    _require(path)
    fs, inner = _fs(path)
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
    _require(path)
    return path.stat().st_size


def copy_file(source: Path, path: Path) -> None:
    """Copy a file's bytes to ``path`` atomically."""
    _require(source)
    with atomic_path(path) as tmp:
        shutil.copyfile(source, tmp)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a plain Parquet table atomically (zstd)."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, compression="zstd")


def _other_crs(raster_crs: Any, crs: str | None) -> bool:
    """True when ``crs`` is given and is not the raster's (cheap test first)."""
    if crs is None or raster_crs is None or raster_crs.to_string() == crs:
        return False
    return not CRS.from_user_input(raster_crs.to_wkt()).equals(crs)


def read_raster_window(
    path: Root, bounds: tuple[float, float, float, float], *, crs: str | None = None
) -> Raster:
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
        ``(minx, miny, maxx, maxy)`` in ``crs``.
    crs
        CRS of ``bounds``; None: the raster's.  Other CRSs are transformed (the edges
        densified), so every point inside ``bounds`` falls inside the window.
    """
    _require(path)
    fs, inner = _fs(path)
    opener = {} if fs is None else {"opener": fs.open}  # ranges read through fsspec
    with rasterio.open(inner, driver="GTiff", **opener) as src:
        t = src.transform
        if t.b or t.d:
            msg = f"{path}: rotated rasters are not supported"
            raise InputFileError(msg)
        if _other_crs(src.crs, crs):
            bounds = transform_bounds(crs, src.crs, *bounds, densify_pts=21)
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
