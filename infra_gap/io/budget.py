"""Budgets checked before work: every reader sizes its input before parsing it.

Each check reads only what is cheap to read (a header, a Parquet footer, a GeoTIFF's
tags, a count of line breaks) and raises :class:`~infra_gap.errors.LimitError`
(``E_LIMIT``) naming the :class:`~infra_gap.config.Limits` field and the value found.
:func:`reading` turns whatever a parser library raises on a hostile file into a coded
:class:`~infra_gap.errors.InputFileError`, so no reader ends in a traceback.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import shapely
from pyproj.exceptions import ProjError
from rasterio.errors import RasterioError

from infra_gap.config import Limits
from infra_gap.errors import InfraGapError, InputFileError, LimitError, SecurityError

__all__ = [
    "DEFAULT_LIMITS",
    "LIMITS_ENV",
    "check",
    "check_csv",
    "check_depth",
    "check_extent",
    "check_file",
    "check_geometries",
    "check_gpkg_layer",
    "check_parquet",
    "check_raster",
    "check_vector_info",
    "check_xlsx",
    "current_limits",
    "reading",
]

#: The defaults (a frozen dataclass: safe to share).
DEFAULT_LIMITS = Limits()

#: Exceptions parser libraries raise on damaged or hostile files.
_PARSER_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    OSError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    UnicodeError,
    RecursionError,
    OverflowError,
    EOFError,
    zipfile.BadZipFile,
    sqlite3.Error,
    pa.ArrowException,
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    shapely.errors.GEOSException,
    RasterioError,
    ProjError,
)


#: What native libraries say when they cannot allocate: GEOS's ``std::bad_alloc``, and Arrow's
#: thread pool when no thread stack fits under the upload worker's address-space cap (seen
#: reading a small CSV with the cap at 290-300 MB; the file itself is fine).
_OUT_OF_MEMORY = ("bad_alloc", "Failed to launch worker thread")


@contextmanager
def reading(name: str, what: str) -> Iterator[None]:
    """Turn a parser library's exception into an :class:`InputFileError` naming the file.

    Errors of the library itself pass through; a ``MemoryError`` becomes ``E_LIMIT``.
    """
    try:
        yield
    except InfraGapError:
        raise
    except MemoryError as err:
        msg = f"{name}: reading it as {what} needs more memory than the server allows"
        raise LimitError(msg, limit="worker_memory_bytes", value=None) from err
    except _PARSER_ERRORS as err:
        if isinstance(err, pa.ArrowMemoryError) or any(m in str(err) for m in _OUT_OF_MEMORY):
            msg = f"{name}: reading it as {what} needs more memory than the server allows"
            raise LimitError(msg, limit="worker_memory_bytes", value=None) from err
        detail = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
        msg = f"{name}: cannot be read as {what} ({detail})"
        raise InputFileError(msg) from err


def check(name: str, what: str, value: float, field: str, limits: Limits) -> None:
    """Raise ``E_LIMIT`` when ``value`` is over ``limits.<field>``."""
    limit = getattr(limits, field)
    if value > limit:
        msg = (
            f"{name}: {what} is {value:,}, over the limit {field} = {limit:,} "
            "(infra_gap.config.Limits; see the README, 'Size limits')"
        )
        raise LimitError(msg, limit=field, value=value)


def check_file(source: Path | bytes, name: str, limits: Limits) -> None:
    """The size of a file or upload, before it is read."""
    size = len(source) if isinstance(source, bytes) else source.stat().st_size
    check(name, "the file size in bytes", size, "max_file_bytes", limits)


def check_depth(text: str, name: str, limits: Limits, *, toml: bool = False) -> None:
    """Nesting depth of JSON or TOML text (brackets outside strings and comments).

    Meant for small documents (scenarios, Parquet metadata): a plain scan.
    """
    depth = deepest = 0
    quote = ""
    escaped = comment = False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch == '"' or (toml and ch == "'"):
            quote = ch
        elif toml and ch == "#":
            comment = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    check(name, "the nesting depth", deepest, "max_depth", limits)


def _count_lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def check_csv(data: bytes, name: str, limits: Limits) -> None:
    """Rows (line breaks) and columns of a CSV, before the separator is even sniffed.

    Columns are counted in the header line as the most frequent of ``, ; TAB |``: never
    fewer than the real count, so a 100,000-column file is refused before any parser.
    """
    check(name, "the number of rows", _count_lines(data) - 1, "max_table_rows", limits)
    end = data.find(b"\n")
    header = data if end < 0 else data[:end]
    columns = max(header.count(sep) for sep in (b",", b";", b"\t", b"|")) + 1
    check(name, "the number of columns", columns, "max_columns", limits)


_XLSX_REF = re.compile(rb'<c r="([A-Z]{3,})[0-9]')


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index


def check_xlsx(data: bytes, name: str, limits: Limits) -> None:
    """Cells, rows and columns of every sheet of an XLSX (zip already guarded).

    The sheet XML is streamed, counting ``<row`` and ``<c`` tags and the widest cell
    reference, before openpyxl parses anything.
    """
    with reading(name, "an XLSX workbook"), zipfile.ZipFile(BytesIO(data)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            rows = cells = widest = 0
            tail = b""
            with archive.open(info) as sheet:
                for block in iter(lambda: sheet.read(1 << 22), b""):
                    chunk = tail + block
                    cut = max(0, len(chunk) - 16)  # a tag split between blocks counts once
                    rows += chunk.count(b"<row", 0, cut)
                    cells += chunk.count(b"<c ", 0, cut) + chunk.count(b"<c>", 0, cut)
                    for m in _XLSX_REF.finditer(chunk, 0, cut):
                        widest = max(widest, _column_index(m.group(1)))
                    tail = chunk[cut:]
                    check(name, "the number of columns", widest, "max_columns", limits)
                    check(name, "the number of cells", cells, "max_cells", limits)
                rows += tail.count(b"<row")
            check(name, "the number of rows", rows, "max_table_rows", limits)


def check_parquet(source: Path | bytes, name: str, limits: Limits) -> pq.ParquetFile:
    """Rows, columns, row-group size and the ``geo`` metadata of a Parquet file.

    Returns the opened file (its footer is read once).
    """
    with reading(name, "Parquet"):
        pf = pq.ParquetFile(BytesIO(source) if isinstance(source, bytes) else source)
        meta = pf.metadata
        check(name, "the number of rows", meta.num_rows, "max_table_rows", limits)
        check(name, "the number of columns", meta.num_columns, "max_columns", limits)
        for i in range(meta.num_row_groups):
            size = meta.row_group(i).total_byte_size
            check(name, f"row group {i} (bytes uncompressed)", size, "max_row_group_bytes", limits)
        geo = (meta.metadata or {}).get(b"geo")
        if geo is not None:
            check_depth(geo.decode("utf-8", errors="replace"), name, limits)
            doc = json.loads(geo)
            for column in (doc.get("columns") or {}).values() if isinstance(doc, dict) else ():
                crs = column.get("crs") if isinstance(column, dict) else None
                if crs is not None and not isinstance(crs, dict):
                    # GeoParquet 1.x: PROJJSON or null.  A string could name a file or URL
                    # (``+init=/etc/passwd``, ``file://``) that PROJ would open.
                    msg = f"{name}: the GeoParquet CRS {str(crs)[:80]!r} is not PROJJSON"
                    raise SecurityError(msg)
                size = len(json.dumps(crs)) if crs is not None else 0
                check(name, "the CRS definition (characters)", size, "max_crs_chars", limits)
    return pf


def check_gpkg_layer(path: Path, layer: str | None, name: str, limits: Limits) -> None:
    """Refuse reading a GeoPackage layer that is an SQL view (``max_views`` is 0).

    A view runs a query when read; a recursive or self-joined view hangs or allocates
    gigabytes.  The file is opened read-only and immutable, so no trigger runs.
    """
    with reading(name, "a GeoPackage"):
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        with closing(sqlite3.connect(uri, uri=True)) as con:
            views = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='view'")]
    if layer is not None and layer in views:
        msg = (
            f"{name}: layer {layer!r} is an SQL view; views are not read (a view runs a query "
            "of unbounded cost). Export it as a table first"
        )
        raise LimitError(msg, limit="views", value=layer)


def check_vector_info(handle: Any, layer: str | None, name: str, limits: Limits) -> None:
    """Feature count, field count and CRS size of a vector layer, from its header."""
    with reading(name, "a vector layer"):
        info = pyogrio.read_info(handle, layer=layer)
    check(name, "the number of features", int(info["features"]), "max_features", limits)
    check(name, "the number of columns", len(info["fields"]), "max_columns", limits)
    crs = info.get("crs") or ""
    check(name, "the CRS definition (characters)", len(crs), "max_crs_chars", limits)


def check_geometries(geoms: np.ndarray, name: str, limits: Limits) -> None:
    """Features and vertices of geometries already read (before any work on them)."""
    check(name, "the number of features", len(geoms), "max_features", limits)
    vertices = int(shapely.get_num_coordinates(geoms).sum()) if len(geoms) else 0
    check(name, "the number of vertices", vertices, "max_vertices", limits)


def check_extent(bounds: np.ndarray, name: str, limits: Limits) -> None:
    """Width and height (metres, work CRS) of a layer's extent.

    A grid or raster sized from an extent is only allocated after this; a stray vertex far
    from the province (at 0 degrees, say) is named here, not met as a 55 GiB array later.
    """
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    span = max(maxx - minx, maxy - miny) / 1000.0
    check(name, "the width or height of its extent (km)", round(span, 1), "max_extent_km", limits)


_DTYPES = frozenset({"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "float64"})


def check_raster(src: Any, name: str, limits: Limits) -> None:
    """Declared size, bands, data type, block size, transform and CRS of an open GeoTIFF.

    Nothing here reads a pixel.
    """
    cells = src.width * src.height * src.count
    check(name, "the declared pixels (width x height x bands)", cells, "max_raster_cells", limits)
    check(name, "the number of bands", src.count, "max_raster_bands", limits)
    for h, w in src.block_shapes[:1]:
        check(name, "the pixels of one block", h * w, "max_block_cells", limits)
    bad = sorted(set(src.dtypes) - _DTYPES)
    if bad:
        msg = f"{name}: pixel type {bad[0]} is not supported (use integers or float32/64)"
        raise InputFileError(msg)
    t = src.transform
    det = t.a * t.e - t.b * t.d
    if not (np.isfinite([t.a, t.b, t.c, t.d, t.e, t.f]).all() and det != 0):
        msg = f"{name}: the geotransform {tuple(t)[:6]} is degenerate (no pixel size)"
        raise InputFileError(msg)
    if src.crs is not None:
        wkt = src.crs.to_wkt()
        check(name, "the CRS definition (characters)", len(wkt), "max_crs_chars", limits)


#: The environment variable through which an office raises (or lowers) a limit.
LIMITS_ENV = "INFRA_GAP_LIMITS"


def current_limits(environ: Any = None) -> Limits:
    """The defaults, with any ``INFRA_GAP_LIMITS="max_table_rows=40000000,..."`` applied.

    Read at each call (never cached in module state), so the CLI, the app and its worker
    processes all see the value set for the service.

    Raises
    ------
    InputFileError
        For an unknown field or a value that is not a number.
    """
    text = (os.environ if environ is None else environ).get(LIMITS_ENV, "").strip()
    if not text:
        return DEFAULT_LIMITS
    values: dict[str, Any] = {}
    for item in text.split(","):
        key, _, raw = item.partition("=")
        key = key.strip()
        default = getattr(DEFAULT_LIMITS, key, None)
        try:
            values[key] = type(default)(float(raw)) if default is not None else None
        except ValueError:
            values[key] = None
        if values[key] is None or key.startswith("_"):
            msg = f"{LIMITS_ENV}: {item.strip()!r} is not a known limit with a number"
            raise InputFileError(msg)
    return Limits(**values)
