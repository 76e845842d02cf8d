"""MSME registers read in chunks, in memory bounded by the chunk (issues 20 and 22).

A register is read ``Limits.chunk_rows`` rows at a time: a large CSV with pyarrow's
streaming reader, a Parquet file by record batches of the columns used, a GeoPackage or
zipped Shapefile or GeoJSON point layer by GDAL's Arrow batches
(:mod:`infra_gap.io.point_layer`), an XLSX whole (capped well below: ``max_cells``) and
then cut.  Each chunk is validated by :func:`infra_gap.io.tables.msme_rows` (the rules of
``read_msme_table``, with the rows' own file lines), its points are projected to the
work CRS, and only what the analysis uses is kept: the file line,
longitude and latitude, work-CRS ``x``/``y``, the desa code of rows placed by code,
``online``, and ``sektor``/``skala`` as categories.  No point object is built, and columns
nothing uses (names, addresses) are not read.  Rows in = kept + rejected, chunk by chunk,
each rejected row with its file line and reason.  A CSV chunk in which every row is kept
as written (no area codes, plain decimal coordinates in range, plain yes/no words) is taken
straight from Arrow without a pandas frame (:func:`_plain_chunk`: the same values; 1.17 M
rows read in 1.12 s of CPU instead of 1.16-1.39 s, on a busy machine).

(:mod:`infra_gap.io.msme_stream` streams a register into point chunks for
``workload build``; this module feeds ``rank`` and the app without point objects.)
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from pyproj import Transformer

from infra_gap.config import GEO_CRS, WORK_CRS, Limits
from infra_gap.io import budget
from infra_gap.io.files import require_file, source_name
from infra_gap.io.point_layer import open_point_layer
from infra_gap.io.tables import FLAG_TRUE as _TRUE
from infra_gap.io.tables import FLAG_WORDS as _YES_NO
from infra_gap.io.tables import msme_columns, msme_rows, read_table
from infra_gap.io.vector import VECTOR_FORMATS, detect_column
from infra_gap.layers import REJECTED_COLUMNS
from infra_gap.point_frames import CATEGORY_COLUMNS

__all__ = ["open_table", "read_msme_points"]

Source = Path | bytes
#: Bytes read at once when scanning or streaming a CSV.
_BLOCK = 1 << 24
_BOM = b"\xef\xbb\xbf"
#: Bytes of one block of Arrow's streaming CSV reader.
_CSV_BLOCK = 1 << 20
#: Text columns kept as categories (few distinct values); ``umkm_id`` only when asked.
_CATEGORIES = CATEGORY_COLUMNS


@dataclass(frozen=True)
class _Columns:
    """The register's columns that are used, by role (None: absent)."""

    lat: str | None
    lon: str | None
    code: str | None
    online: str | None
    text: tuple[tuple[str, str], ...]

    @property
    def used(self) -> list[str]:
        found = [self.lat, self.lon, self.code, self.online, *(c for _, c in self.text)]
        return list(dict.fromkeys(c for c in found if c is not None))


def _columns(
    names: list[str], name: str, lat_col: str | None, lon_col: str | None, *, ids: bool
) -> _Columns:
    index = pd.Index(names)
    lat, lon, code = msme_columns(index, name=name, lat_col=lat_col, lon_col=lon_col)
    wanted = (*_CATEGORIES, "umkm_id") if ids else _CATEGORIES
    text = tuple((col, found) for col in wanted if (found := detect_column(index, (col,), None)))
    online = detect_column(index, ("online", "go_digital", "daring"), None)
    return _Columns(lat, lon, code, online, text)


@dataclass(frozen=True)
class _Register:
    """An opened register: its column names, an upper bound of its rows, and its chunks.

    ``chunks(columns)`` yields ``(file line of the first row, frame of those columns)``;
    ``tables(columns)``, when not None, the same chunks as Arrow tables of text columns (a
    streamed CSV: :func:`read_msme_points` takes most chunks from them without pandas).
    """

    names: list[str]
    rows: int
    chunks: Callable[[list[str]], Iterator[tuple[int, pd.DataFrame]]]
    tables: Callable[[list[str]], Iterator[tuple[int, pa.Table]]] | None = None


def _sliced(frame: pd.DataFrame, first_line: int, size: int) -> _Register:
    def chunks(columns: list[str]) -> Iterator[tuple[int, pd.DataFrame]]:
        for start in range(0, max(len(frame), 1), size):
            yield first_line + start, frame.iloc[start : start + size][columns]

    return _Register([str(c) for c in frame.columns], len(frame), chunks)


def _newlines(block: bytes) -> int:
    """Line feeds in ``block``, counted by NumPy (about half the CPU of ``bytes.count``)."""
    return int(np.count_nonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n")))


def _scan_csv(path: Path, name: str, limits: Limits) -> tuple[int, str, str, list[str]]:
    """Rows, encoding, separator and header of a CSV file, reading it once in blocks.

    The same checks and choices as :func:`infra_gap.io.tables.read_table`, without holding
    the file: rows and header columns against ``limits``, UTF-8 (BOM or not) else
    cp1252, the separator sniffed in the first 65,536 characters.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        first = fh.read(_BLOCK)
        lines, last, utf8 = _newlines(first), first[-1:], True
        bom = first.startswith(_BOM)
        block = first[3:] if bom else first
        while block:
            # An ASCII block after a whole character is valid UTF-8: checked without
            # decoding it (5x faster; most registers are ASCII but for a few names).
            if utf8 and not (block.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            block = fh.read(_BLOCK)
            lines += _newlines(block)
            last = block[-1:] or last
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    rows = lines + (0 if last == b"\n" or not first else 1) - 1
    budget.check(name, "the number of rows", rows, "max_table_rows", limits)
    end = first.find(b"\n")
    header = first if end < 0 else first[:end]
    columns = max(header.count(sep) for sep in (b",", b";", b"\t", b"|")) + 1
    budget.check(name, "the number of columns", columns, "max_columns", limits)
    encoding = "utf8" if utf8 or bom else "cp1252"  # "utf8": Arrow reads it without transcoding
    text = (first[3:] if bom else first).decode(encoding, errors="ignore")
    try:
        sep = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    head = text.split("\n", 1)[0].rstrip("\r")
    names = next(csv.reader([head], delimiter=sep), [])
    return rows, encoding, sep, names


def _csv_register(path: Path, name: str, limits: Limits) -> _Register | None:
    """A CSV longer than one chunk, streamed; None for a shorter one (read whole)."""
    rows, encoding, sep, names = _scan_csv(path, name, limits)
    if rows <= limits.chunk_rows:
        return None
    size = limits.chunk_rows

    def tables(columns: list[str]) -> Iterator[tuple[int, pa.Table]]:
        options = {
            # Arrow reads about 32 blocks ahead of the consumer: 1 MiB blocks keep that
            # near 32 MiB (16 MiB blocks held 340 MiB of a 5 M-row file at once).
            "read_options": pacsv.ReadOptions(
                column_names=names, skip_rows=1, encoding=encoding, block_size=_CSV_BLOCK
            ),
            "parse_options": pacsv.ParseOptions(delimiter=sep),
            "convert_options": pacsv.ConvertOptions(
                column_types=dict.fromkeys(columns, pa.string()),
                include_columns=columns,
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        }
        line = 2
        with budget.reading(name, "a table"):
            pending: list[pa.RecordBatch] = []
            held = 0
            for batch in pacsv.open_csv(path, **options):
                pending.append(batch)
                held += batch.num_rows
                while held >= size:  # whole chunks of ``size`` rows from the small batches
                    table = pa.Table.from_batches(pending)
                    yield line, table.slice(0, size)
                    line, held = line + size, held - size
                    pending = table.slice(size).to_batches()
            if held:
                yield line, pa.Table.from_batches(pending)

    def chunks(columns: list[str]) -> Iterator[tuple[int, pd.DataFrame]]:
        for line, table in tables(columns):
            yield line, table.to_pandas()

    return _Register(names, rows, chunks, tables)


def _parquet_register(source: Source, name: str, limits: Limits) -> _Register:
    pf = budget.check_parquet(source, name, limits)
    names = list(pf.schema_arrow.names)
    size = limits.chunk_rows

    def chunks(columns: list[str]) -> Iterator[tuple[int, pd.DataFrame]]:
        line = 1
        with budget.reading(name, "Parquet"):
            for batch in pf.iter_batches(batch_size=size, columns=columns):
                yield line, batch.to_pandas()
                line += batch.num_rows

    return _Register(names, pf.metadata.num_rows, chunks)


def _is_layer(name: str) -> bool:
    suffix = PurePath(name).suffix.lower()
    return suffix in VECTOR_FORMATS and suffix != ".parquet"


def _open(source: Source, name: str, limits: Limits) -> _Register:
    """The register, streamed unless it is a short CSV or an XLSX.

    Parquet, a CSV file of several chunks and a point layer (GeoPackage, zipped Shapefile,
    GeoJSON: :mod:`infra_gap.io.point_layer`) are streamed.
    """
    layer = open_point_layer(source, name, limits) if _is_layer(name) else None
    if layer is not None:
        return _Register(layer.names, layer.rows, layer.chunks)
    return open_table(source, name, limits)


def open_table(source: Source, name: str, limits: Limits, *, first_line: int = 2) -> _Register:
    """A table (CSV, XLSX, Parquet) to read in chunks of ``limits.chunk_rows`` rows.

    Parquet is read by record batches; a CSV file of more than one chunk is streamed; the
    rest is read whole by :func:`infra_gap.io.tables.read_table` (sized first) and cut.
    ``first_line`` numbers the first row of a table read whole (a streamed CSV's is 2, a
    Parquet file's 1).
    """
    suffix = PurePath(name).suffix.lower()
    if isinstance(source, Path):
        require_file(source)
    if suffix == ".parquet":
        budget.check_file(source, name, limits)
        return _parquet_register(source, name, limits)
    if suffix in {".csv", ".txt"} and isinstance(source, Path):
        budget.check_file(source, name, limits)
        streamed = _csv_register(source, name, limits)
        if streamed is not None:
            return streamed
    df = read_table(source, name=name, limits=limits)
    return _sliced(df, first_line, limits.chunk_rows)


@dataclass(frozen=True)
class _Chunk:
    """The kept rows of one chunk (arrays by output column) and its rejected rows."""

    kept: dict[str, np.ndarray]
    text: dict[str, pa.Array]
    rejected: pd.DataFrame


def _parse_chunk(df: pd.DataFrame, first_line: int, cols: _Columns, name: str) -> _Chunk:
    """Validate one chunk by :func:`infra_gap.io.tables.msme_rows` (rank's own rules)."""
    lines = np.arange(len(df), dtype="int64") + first_line
    out, rejected = msme_rows(df, (cols.lat, cols.lon, cols.code), name=name, lines=lines)
    kept = {"row": out["row"].to_numpy(dtype="int64")}
    kept |= {c: out[c].to_numpy(dtype="float64") for c in ("lat", "lon")}
    if "kode_area" in out:
        kept["kode_area"] = out["kode_area"].to_numpy(dtype=object)
    if "online" in out:
        kept["online"] = out["online"].to_numpy(dtype=bool)
    text = {c: _arrow_text(out[c]) for c, _ in cols.text if c in out}
    return _Chunk(kept, text, rejected)


def _plain_chunk(table: pa.Table, first_line: int, cols: _Columns) -> _Chunk | None:
    """The chunk of a text table when every row is kept as it is, else None.

    Taken straight from Arrow (no pandas frame) when the register has no area-code column,
    every latitude and longitude casts whole to a finite number in range (the first try of
    :func:`infra_gap.io.coordinates.coordinate_array`: the same numbers), and every
    ``online`` value is a yes/no word the rule of :func:`infra_gap.io.tables.msme_rows`
    knows as it is written or lower-cased (plain ASCII letters and digits, or blank).  Any
    other chunk (a row to reject, a code to strip, other spellings) goes through
    :func:`_parse_chunk`, the rules themselves.
    """
    if cols.code is not None or cols.lat is None or cols.lon is None:
        return None
    try:
        lat = pc.cast(table.column(cols.lat), pa.float64()).to_numpy()
        lon = pc.cast(table.column(cols.lon), pa.float64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a blank, a comma, a word
        return None
    with np.errstate(invalid="ignore"):
        if not bool(((np.abs(lat) <= 90) & (np.abs(lon) <= 180)).all()):  # NaN too
            return None
    n = len(lat)
    kept: dict[str, np.ndarray] = {"row": np.arange(n, dtype="int64") + first_line}
    kept |= {"lat": lat, "lon": lon}
    if cols.online is not None:
        flags = _plain_flags(table.column(cols.online))
        if flags is None:
            return None
        kept["online"] = flags
    text = {c: table.column(found).combine_chunks() for c, found in cols.text}
    return _Chunk(kept, text, _no_rows())


def _plain_flags(values: pa.ChunkedArray) -> np.ndarray | None:
    """Yes/no text as booleans when every distinct value is a plain known word, else None."""
    enc = values.combine_chunks().dictionary_encode()
    yes = []
    for word in enc.dictionary.to_pylist():
        plain = word.isascii() and (word == "" or word.isalnum())
        if not plain or word.lower() not in _YES_NO:
            return None
        yes.append(word.lower() in _TRUE)
    return np.array(yes, dtype=bool)[enc.indices.to_numpy(zero_copy_only=False)]


def _arrow_text(values: pd.Series) -> pa.Array:
    """A text column as one Arrow string array (Arrow-backed text can come in chunks)."""
    array = pa.array(values, type=pa.string())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


class _Codes:
    """A text column as category codes, filled chunk by chunk.

    Categories in order of first appearance (as Arrow's ``unify_dictionaries``); a missing
    value is code -1.  Memory: 4 bytes a row and the distinct values.
    """

    def __init__(self, size: int) -> None:
        self.codes = np.empty(size, dtype="int32")
        self.names: dict[str, int] = {}

    def grow(self, more: int) -> None:
        self.codes = np.concatenate([self.codes, np.empty(max(more, len(self.codes)), "int32")])

    def put(self, at: int, values: pa.Array) -> None:
        enc = values.dictionary_encode()
        names = [self.names.setdefault(v, len(self.names)) for v in enc.dictionary.to_pylist()]
        lookup = np.array([*names, -1], dtype="int32")  # the last: missing values
        index = enc.indices.fill_null(len(names)).to_numpy(zero_copy_only=False)
        self.codes[at : at + len(values)] = lookup[index]

    def categorical(self, n: int) -> pd.Categorical:
        return pd.Categorical.from_codes(
            self.codes[:n], categories=pd.Index(list(self.names), dtype="str")
        )


def _project_into(
    lon: np.ndarray, lat: np.ndarray, tr: Transformer, x: np.ndarray, y: np.ndarray
) -> None:
    """Work-CRS x/y of degrees, written into ``x`` and ``y``, as ``to_crs`` does.

    NaN where a coordinate is NaN; a chunk whose every point has both is projected in place
    (no masked copies).
    """
    ok = np.isfinite(lon) & np.isfinite(lat)
    if ok.all():
        x[:], y[:] = lon, lat
        tr.transform(x, y, inplace=True)
        return
    x[:], y[:] = np.nan, np.nan
    if ok.any():
        x[ok], y[ok] = tr.transform(lon[ok], lat[ok])


class _Lean:
    """The kept rows' columns, filled chunk by chunk into arrays sized from the row count."""

    def __init__(self, cols: _Columns, size: int) -> None:
        self.arrays: dict[str, np.ndarray] = {
            "row": np.empty(size, dtype="int64"),
            **{c: np.empty(size) for c in ("lat", "lon", "x", "y")},
        }
        if cols.code:
            self.arrays["kode_area"] = np.empty(size, dtype=object)
        if cols.online:
            self.arrays["online"] = np.empty(size, dtype=bool)
        self.text: dict[str, list[pa.Array]] = {o: [] for o, _ in cols.text if o not in _CATEGORIES}
        self.categories = {o: _Codes(size) for o, _ in cols.text if o in _CATEGORIES}
        self.tr = Transformer.from_crs(GEO_CRS, WORK_CRS, always_xy=True)
        self.kept = 0

    def add(self, chunk: _Chunk) -> None:
        at, k, arrays = self.kept, len(chunk.kept["row"]), self.arrays
        if at + k > len(arrays["row"]):  # more rows than counted (a line break in a value)
            for key, values in arrays.items():
                arrays[key] = np.concatenate([values, np.empty(max(k, len(values)), values.dtype)])
            for codes in self.categories.values():
                codes.grow(k)
        for key, values in chunk.kept.items():
            arrays[key][at : at + k] = values
        _project_into(
            chunk.kept["lon"], chunk.kept["lat"], self.tr,
            arrays["x"][at : at + k], arrays["y"][at : at + k],
        )  # fmt: skip
        for key, values in chunk.text.items():
            if key in self.categories:
                self.categories[key].put(at, values)
            else:
                self.text[key].append(values)
        self.kept += k

    def columns(self) -> dict[str, Any]:
        """The columns (views of the arrays: no copy)."""
        out: dict[str, Any] = {key: values[: self.kept] for key, values in self.arrays.items()}
        for key, codes in self.categories.items():
            out[key] = codes.categorical(self.kept)
        for key, parts in self.text.items():
            out[key] = pd.Series(pa.chunked_array(parts, pa.string()).to_pandas(), dtype="str")
        return out


def _parsed(register: _Register, cols: _Columns, name: str) -> Iterator[tuple[_Chunk, int]]:
    """``(parsed chunk, rows read)`` of each chunk of the register."""
    if register.tables is None:
        for line, frame in register.chunks(cols.used):
            yield _parse_chunk(frame, line, cols, name), len(frame)
        return
    for line, table in register.tables(cols.used):
        plain = _plain_chunk(table, line, cols)
        yield plain or _parse_chunk(table.to_pandas(), line, cols, name), table.num_rows


def read_msme_points(
    source: Source,
    *,
    name: str | None = None,
    lat_col: str | None = None,
    lon_col: str | None = None,
    limits: Limits | None = None,
    ids: bool = False,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read an MSME register in chunks into a lean frame (no point objects).

    Rule for rows without coordinates: a row with a desa code (``kode_desa``, ``kode`` ...)
    and blank coordinates is kept without coordinates and placed in that desa by code
    later; its coverage is unknown (counted as not covered).  Rows with missing,
    non-numeric or out-of-range coordinates and no code are rejected with the reason.

    Parameters
    ----------
    source, name
        The register (CSV, XLSX, Parquet or a point layer) and its file name.
    lat_col, lon_col
        Column overrides.
    limits
        Budgets and ``chunk_rows``; :func:`infra_gap.io.budget.current_limits` when None.
    ids
        Also keep ``umkm_id`` (as text).

    Returns
    -------
    A frame without geometry: ``row`` (file line, int), ``lat``/``lon`` (degrees),
    ``x``/``y`` (work CRS, NaN without coordinates), optional ``kode_area``, ``online``,
    ``sektor``, ``skala`` (categories); and the rejected rows (``source,row,reason``).
    """
    name = source_name(source, name)
    limits = limits or budget.current_limits()
    register = _open(source, name, limits)
    if _is_layer(name):  # a point layer's coordinates are its geometry's
        lat_col, lon_col = "lat", "lon"
    cols = _columns(register.names, name, lat_col, lon_col, ids=ids)
    lean = _Lean(cols, max(register.rows, 0))
    rejected: list[pd.DataFrame] = []
    read = 0
    for chunk, rows in _parsed(register, cols, name):
        read += rows
        lean.add(chunk)
        if len(chunk.rejected):
            rejected.append(chunk.rejected)
    columns = lean.columns()
    order = ["row", "lat", "lon", "kode_area", *(o for o, _ in cols.text), "online", "x", "y"]
    # Built without a copy: the arrays filled above are the frame's columns.
    out = pd.DataFrame({c: columns[c] for c in order if c in columns}, copy=False)
    bad = pd.concat(rejected, ignore_index=True) if rejected else _no_rows()
    assert len(out) + len(bad) == read
    return gpd.GeoDataFrame(out, copy=False), bad


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in REJECTED_COLUMNS})
