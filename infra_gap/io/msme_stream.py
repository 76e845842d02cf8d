"""An MSME register read in chunks, never whole: for ``infra-gap workload build``.

Each chunk is validated by :func:`infra_gap.io.tables.msme_rows`, the rules ``rank``
applies (:mod:`infra_gap.io.msme_lean`), with the rows' own line numbers, so a chunked read
keeps and rejects exactly the rows a whole read does, with the same reasons.  A chunk is a
lean frame as ``rank`` reads it: ``row``, ``lat``/``lon``, work-CRS ``x``/``y`` and the
optional columns, without point objects.

CSV is read with Arrow's streaming reader (the separator and encoding sniffed from the
first 64 KiB, as :func:`infra_gap.io.tables.read_table` does; every column as text) and
Parquet by row groups, a GeoPackage, zipped Shapefile or GeoJSON point layer by GDAL's
Arrow batches (:mod:`infra_gap.io.point_layer`).  An XLSX cannot be streamed: it is read
whole and handed out in one chunk, under the usual size limits.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from pyproj import Transformer

from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.errors import InputFileError
from infra_gap.io import budget
from infra_gap.io.files import require_file
from infra_gap.io.point_layer import open_point_layer
from infra_gap.io.tables import decode_text, msme_columns, msme_rows, read_msme_table
from infra_gap.point_frames import point_xy

__all__ = ["MsmeChunk", "iter_msme_chunks"]

_SNIFF_BYTES = 65536


@dataclass(frozen=True)
class MsmeChunk:
    """One validated chunk of a register.

    Attributes
    ----------
    points
        Kept rows, a lean frame (:mod:`infra_gap.point_frames`): ``row`` (file line),
        ``lat``/``lon``, ``x``/``y`` in the work CRS (NaN for rows placed by code) and
        the optional columns of :func:`infra_gap.io.tables.msme_rows`.
    rejected
        Rejected rows (``source,row,reason``).
    rows
        Rows read in this chunk (kept + rejected).
    """

    points: gpd.GeoDataFrame
    rejected: pd.DataFrame
    rows: int


def _csv_batches(path: Path, name: str, chunk_bytes: int) -> Iterator[pa.RecordBatch]:
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    text, encoding = decode_text(head)
    try:
        sep = csv.Sniffer().sniff(text, delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    arrow_encoding = {"utf-8": "utf8", "utf-8-sig": "utf8"}.get(encoding, "cp1252")
    header = next(csv.reader([text.splitlines()[0] if text else ""], delimiter=sep), [])
    try:
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=chunk_bytes, encoding=arrow_encoding),
            parse_options=pacsv.ParseOptions(delimiter=sep),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
        yield from reader
    except (pa.ArrowInvalid, OSError) as err:
        msg = f"{name}: cannot be read as a table ({err})"
        raise InputFileError(msg) from err


def iter_msme_chunks(
    path: Path,
    *,
    name: str | None = None,
    lat_col: str | None = None,
    lon_col: str | None = None,
    chunk_bytes: int = 64 << 20,
) -> Iterator[MsmeChunk]:
    """Validated chunks of an MSME register, in file order.

    Parameters
    ----------
    path
        The register (CSV, Parquet, GeoPackage, zipped Shapefile, GeoJSON; an XLSX is
        read whole).
    name
        File name for messages (default: the path's).
    lat_col, lon_col
        Column overrides, as ``--lat-col``/``--lon-col``.
    chunk_bytes
        About this many bytes of CSV per chunk (Arrow's block size); a 64th of it is the
        rows of a Parquet or point-layer chunk.

    Raises
    ------
    InfraGapError
        As :func:`infra_gap.io.tables.read_msme_table`, naming file, row and column.
    """
    require_file(path)
    name = name or path.name
    suffix = PurePath(name).suffix.lower()
    rows = max(chunk_bytes // 64, 1024)
    layer = open_point_layer(path, name, budget.current_limits(), chunk_rows=rows)
    if suffix in {".csv", ".txt"}:
        frames = _frames(_csv_batches(path, name, chunk_bytes), 2)
    elif suffix == ".parquet":
        frames = _frames(pq.ParquetFile(path).iter_batches(batch_size=rows), 1)
    elif layer is not None:  # a point layer's coordinates are its geometry's
        frames = layer.chunks(layer.names)
        lat_col, lon_col = "lat", "lon"
    else:
        whole, rejected = read_msme_table(path, name=name, lat_col=lat_col, lon_col=lon_col)
        x, y = point_xy(whole)
        points = pd.DataFrame(whole.drop(columns="geometry")).assign(x=x, y=y)
        points["row"] = points["row"].astype("int64")
        yield MsmeChunk(gpd.GeoDataFrame(points), rejected, len(points) + len(rejected))
        return
    to_work = Transformer.from_crs(GEO_CRS, WORK_CRS, always_xy=True)
    columns = None
    for line, frame in frames:
        if columns is None:
            columns = msme_columns(frame.columns, name=name, lat_col=lat_col, lon_col=lon_col)
        lines = np.arange(len(frame), dtype="int64") + line
        kept, rejected = msme_rows(frame, columns, name=name, lines=lines)
        lon, lat = kept["lon"].to_numpy(), kept["lat"].to_numpy()
        ok = np.isfinite(lon) & np.isfinite(lat)
        x, y = np.full(len(kept), np.nan), np.full(len(kept), np.nan)
        if ok.any():
            x[ok], y[ok] = to_work.transform(lon[ok], lat[ok])
        points = gpd.GeoDataFrame(kept.assign(x=x, y=y))
        yield MsmeChunk(points, rejected, len(frame))


def _frames(
    batches: Iterator[pa.RecordBatch], first_line: int
) -> Iterator[tuple[int, pd.DataFrame]]:
    """``(file line of the first row, frame)`` of each batch."""
    line = first_line
    for batch in batches:
        yield line, batch.to_pandas()  # Parquet keeps its types, as read_table reads it
        line += batch.num_rows
