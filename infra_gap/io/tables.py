"""Tables of points: MSME registers, OpenCelliD towers, Ookla speed tiles.

Registers come from Excel with Indonesian regional settings, so CSVs may use ``;``, a
decimal comma, a BOM, or Latin-1.  Every row is either returned or listed as rejected with
its reason: rows in = rows out + rows rejected.
"""

from __future__ import annotations

import csv
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO, StringIO
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import Transformer

from infra_gap.config import GEO_CRS, WORK_CRS, Limits
from infra_gap.errors import DataError, InputFileError, SchemaError
from infra_gap.hardening import guard_zip
from infra_gap.io import budget
from infra_gap.io.files import require_file, source_name
from infra_gap.io.vector import VECTOR_FORMATS, detect_column, read_vector
from infra_gap.layers import REJECTED_COLUMNS
from infra_gap.text.safe import binary_kind, printable

__all__ = [
    "LAT_COLUMNS",
    "LON_COLUMNS",
    "decode_text",
    "msme_columns",
    "msme_frame",
    "msme_rows",
    "parse_coordinate",
    "read_csv_table",
    "read_msme_table",
    "read_opencellid",
    "read_table",
]

LAT_COLUMNS = ("lat", "latitude", "lintang", "y")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "bujur", "x")
AREA_CODE_COLUMNS = ("kode_desa", "kode_wilayah", "kddesa", "kdepum", "kode")
OPENCELLID_COLUMNS = (
    "radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range", "samples",
    "changeable", "created", "updated", "averageSignal",
)  # fmt: skip
SWAPPED = "latitude and longitude look swapped: swap the columns or pass --lat-col/--lon-col"
TILE_COLUMNS = ("quadkey", "avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices")
#: Plain decimal text (after trimming and a decimal comma made a point): parsed in Arrow.
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?$"
#: Registers with at least twice this many points are made into points on two threads.
_PARALLEL_POINTS = 50_000
_TRUE = {"1", "true", "ya", "y", "yes", "benar", "t"}
_FALSE = {"0", "false", "tidak", "n", "no", "salah", "f", ""}

Source = Path | bytes


def _read_bytes(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    require_file(source)
    return source.read_bytes()


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of a CSV and the encoding used: UTF-8 (with or without BOM), else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "latin-1/cp1252"


def parse_coordinate(values: pd.Series) -> pd.Series:
    """Numbers from text with a decimal point or comma; NaN where the text is not a number.

    ``"3,5912"`` and ``"3.5912"`` both give 3.5912.  Text with both separators (thousands
    grouping), words, ``inf`` or ``nan`` give NaN, so the row is rejected, never guessed.
    """
    text = values.astype("str").str.strip().str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    return numbers.where(np.isfinite(numbers))


def _coordinates(values: pd.Series) -> np.ndarray:
    """:func:`parse_coordinate` as an array, fast for columns of plain decimals.

    Text that is a plain decimal number (the usual case) is parsed in Arrow, which rounds
    exactly as :func:`pandas.to_numeric`; any other text goes through
    :func:`parse_coordinate` itself, so the two paths cannot disagree on what is a number.
    A float64 column (Parquet) is taken as it is: its text (the shortest repr) would parse
    back to the same numbers, and inf or NaN to NaN.
    """
    if values.dtype == np.float64:
        numbers = values.to_numpy(dtype="float64", copy=True)
        numbers[~np.isfinite(numbers)] = np.nan
        return numbers
    raw = pa.array(values.astype("str").array)
    plain = pc.fill_null(pc.match_substring_regex(raw, _PLAIN_NUMBER), False)
    every = bool(pc.all(plain).as_py()) if len(raw) else True
    if every:  # plain numbers have no blank and no comma: trimming would change nothing
        text = raw
    else:
        text = pc.replace_substring(pc.utf8_trim_whitespace(raw), ",", ".")
        plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN_NUMBER), False)
    plain_np = np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool)
    out = np.full(len(values), np.nan)
    try:
        numbers = pc.cast(text if every else pc.filter(text, plain), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. out of float range
        plain_np[:] = False
    else:
        out[plain_np] = numbers.to_numpy(zero_copy_only=False)
    if not plain_np.all():
        rest = ~plain_np
        out[rest] = parse_coordinate(values[rest]).to_numpy(dtype="float64")
    out[~np.isfinite(out)] = np.nan
    return out


def _row_ids(numbers: np.ndarray) -> pd.Series:
    """File line numbers as a text column (built in Arrow, not one Python string each)."""
    return pd.Series(pc.cast(pa.array(numbers, type=pa.int64()), pa.string()), dtype="str")


def read_table(
    source: Source, *, name: str | None = None, limits: Limits | None = None
) -> pd.DataFrame:
    """Any tabular upload as text columns: CSV (sniffed), XLSX or Parquet.

    Rows, columns (and XLSX cells, Parquet row groups) are checked against ``limits``
    (:func:`infra_gap.io.budget.current_limits` when None) before the table is parsed.
    """
    name = source_name(source, name)
    suffix = PurePath(name).suffix.lower()
    limits = limits or budget.current_limits()
    if isinstance(source, Path):
        require_file(source)
    budget.check_file(source, name, limits)
    data = _read_bytes(source)
    if suffix == ".xlsx":
        guard_zip(data, name=name)  # an XLSX is a zip: no decompression bomb reaches openpyxl
        budget.check_xlsx(data, name, limits)
    elif suffix == ".parquet":
        budget.check_parquet(data, name, limits)
    elif suffix in {".csv", ".txt"}:
        budget.check_csv(data, name, limits)
    with budget.reading(name, "a table"):
        return _parse_table(data, suffix, name)


def _parse_table(data: bytes, suffix: str, name: str) -> pd.DataFrame:
    if suffix in {".csv", ".txt"} and (kind := binary_kind(data)) is not None:
        msg = f"{name}: not a text table: the file holds {kind}, not CSV text"
        raise InputFileError(msg)
    try:
        if suffix in {".csv", ".txt"}:
            text, encoding = decode_text(data)
            sample = text[:65536]
            try:
                sep = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                sep = ","
            utf8 = {"utf-8": data, "utf-8-sig": data[3:]}.get(encoding)  # no copy to re-encode
            return pd.read_csv(
                BytesIO(text.encode("utf-8") if utf8 is None else utf8),
                sep=sep,
                dtype="str",
                keep_default_na=False,
                engine="pyarrow",
            )
        if suffix == ".xlsx":
            return pd.read_excel(
                BytesIO(data), dtype="str", keep_default_na=False, engine="openpyxl"
            )
        if suffix == ".parquet":
            return pd.read_parquet(BytesIO(data))
    except (ValueError, OSError, pd.errors.ParserError) as err:
        msg = f"{name}: cannot be read as a table ({printable(str(err), limit=200)})"
        raise InputFileError(msg) from err
    msg = f"{name}: not an allowed table format (.csv, .xlsx, .parquet or a point layer)"
    raise InputFileError(msg)


def read_csv_table(path: Path, *, dtype: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a shipped UTF-8 reference table."""
    require_file(path)
    return pd.read_csv(path, dtype=dtype, keep_default_na=True)


def _flag(values: pd.Series, name: str, column: str, lines: np.ndarray) -> pd.Series:
    text = values.astype("str").str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        msg = f"{name}: row {lines[first]}, column {column!r}: {values.iloc[first]!r} is not yes/no"
        raise SchemaError(msg)
    return text.isin(_TRUE)


def read_msme_table(
    source: Source,
    *,
    name: str | None = None,
    lat_col: str | None = None,
    lon_col: str | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read an MSME register: points with coordinates, or rows with a desa code only.

    Rule for rows without coordinates: a row with a desa code (``kode_desa``, ``kode`` ...)
    and blank coordinates is kept with an empty geometry and placed in that desa by code
    later; its coverage is unknown (counted as not covered).  Rows with missing,
    non-numeric or out-of-range coordinates and no code are rejected with the reason.

    Returns
    -------
    The points in the work CRS (``row`` = file line, ``lat``/``lon``, optional
    ``kode_area``, ``online``, ``sektor``, ``skala``), and the rejected rows.
    """
    name = source_name(source, name)
    if PurePath(name).suffix.lower() in VECTOR_FORMATS and not name.lower().endswith(".parquet"):
        gdf = read_vector(source, name=name)
        geo = gdf.to_crs("EPSG:4326")
        df = pd.DataFrame(gdf.drop(columns="geometry"))
        df["lat"], df["lon"] = geo.geometry.y.astype("str"), geo.geometry.x.astype("str")
        lat_col, lon_col, first_line = "lat", "lon", 1
    else:
        df = read_table(source, name=name)
        first_line = 1 if name.lower().endswith((".parquet",)) else 2
    columns = msme_columns(df.columns, name=name, lat_col=lat_col, lon_col=lon_col)
    lines = np.arange(len(df), dtype="int64") + first_line
    return msme_frame(df, columns, name=name, lines=lines)


def msme_columns(
    columns: pd.Index, *, name: str, lat_col: str | None = None, lon_col: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """The latitude, longitude and desa-code columns of an MSME register (None: absent).

    Raises
    ------
    SchemaError
        With neither coordinates nor a desa code column.
    """
    lat_name = detect_column(columns, LAT_COLUMNS, lat_col)
    lon_name = detect_column(columns, LON_COLUMNS, lon_col)
    code_name = detect_column(columns, AREA_CODE_COLUMNS, None)
    if (lat_name is None or lon_name is None) and code_name is None:
        msg = (
            f"{name}: no latitude/longitude columns (looked for {LAT_COLUMNS} / {LON_COLUMNS}, "
            f"or set --lat-col/--lon-col) and no desa code column; columns are {list(columns)}"
        )
        raise SchemaError(msg)
    return lat_name, lon_name, code_name


def msme_frame(
    df: pd.DataFrame,
    columns: tuple[str | None, str | None, str | None],
    *,
    name: str,
    lines: np.ndarray,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Validate the text rows of an MSME register (the whole table, or one chunk of it).

    Parameters
    ----------
    df
        Text columns, as read.
    columns
        Latitude, longitude and desa-code columns (:func:`msme_columns`).
    name
        File name, for messages.
    lines
        File line number of each row (``row`` of the output and of the rejected rows).

    Returns
    -------
    The kept rows as points in the work CRS and the rejected rows, as
    :func:`read_msme_table`.
    """
    out, rejected = msme_rows(df, columns, name=name, lines=lines)
    out["row"] = _row_ids(out["row"].to_numpy())
    with budget.reading(name, "MSME points"):  # GEOS's bad_alloc on a huge register: E_LIMIT
        points = _work_points(out["lon"].to_numpy(), out["lat"].to_numpy())
    gdf = gpd.GeoDataFrame(out, geometry=points)
    assert len(gdf) + len(rejected) == len(df)
    return gdf, rejected


def msme_rows(
    df: pd.DataFrame,
    columns: tuple[str | None, str | None, str | None],
    *,
    name: str,
    lines: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rules of :func:`msme_frame` without making points: kept rows and rejected rows.

    The kept rows have ``row`` (file line, int), ``lat``/``lon`` (NaN for rows placed by
    code), and the optional columns of :func:`msme_frame`.
    """
    lat_name, lon_name, code_name = columns
    n = len(df)
    nan = np.full(n, np.nan)
    lat = _coordinates(df[lat_name]) if lat_name else nan
    lon = _coordinates(df[lon_name]) if lon_name else nan
    blank, by_code, codes = _blank_rows(
        df, lat_name, lon_name, code_name, np.isnan(lat) | np.isnan(lon)
    )
    non_numeric = ~blank & (np.isnan(lat) | np.isnan(lon))
    with np.errstate(invalid="ignore"):
        in_range = (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
        swapped = (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    out_of_range = ~blank & ~non_numeric & ~in_range
    bad = (blank & ~by_code) | non_numeric | out_of_range
    reasons = np.select(
        [(blank & ~by_code)[bad], non_numeric[bad], (out_of_range & swapped)[bad]],
        ["missing coordinate", "non-numeric coordinate", SWAPPED],
        "coordinate out of range",
    )
    rejected = pd.DataFrame(
        {"source": "msme", "row": lines[bad].astype("str"), "reason": reasons},
        columns=list(REJECTED_COLUMNS),
    )
    keep = ~bad
    every = bool(keep.all())
    out = pd.DataFrame({"row": lines if every else lines[keep]})
    out["lat"] = lat if every else lat[keep]
    out["lon"] = lon if every else lon[keep]
    if code_name:
        out["kode_area"] = codes[keep]
    _attributes(out, df, keep, name, lines)
    assert len(out) + len(rejected) == n
    return out, rejected


def _stripped(values: pd.Series) -> pd.Series:
    """Values as trimmed text; a missing value (null, NaN: a number column) is ``""``."""
    return values.astype("str").fillna("").str.strip()


def _blank_rows(
    df: pd.DataFrame,
    lat_name: str | None,
    lon_name: str | None,
    code_name: str | None,
    unparsed: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows with a blank coordinate, those of them with a desa code, and the codes.

    A blank coordinate never parses, so only the ``unparsed`` rows are looked at.  The
    codes are ``""`` except on the rows placed by code.
    """
    n = len(df)
    blank, by_code = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    codes = np.full(n if code_name else 0, "", dtype=object)
    rows = np.flatnonzero(unparsed)
    if not len(rows):
        return blank, by_code, codes
    sub = df.iloc[rows]
    empty = pd.Series("", index=sub.index)
    raw_lat = _stripped(sub[lat_name]) if lat_name else empty
    raw_lon = _stripped(sub[lon_name]) if lon_name else empty
    blank[rows] = ((raw_lat == "") | (raw_lon == "") | raw_lat.isin(["nan", "None"])).to_numpy(bool)
    if code_name:
        code = _stripped(sub[code_name])
        by_code[rows] = blank[rows] & (code != "").to_numpy(bool)
        codes[rows] = np.where(by_code[rows], code.to_numpy(dtype=object), "")
    return blank, by_code, codes


def _attributes(
    out: pd.DataFrame, df: pd.DataFrame, keep: np.ndarray, name: str, lines: np.ndarray
) -> None:
    """Copy the optional register columns of the kept rows into ``out`` (text stays Arrow)."""
    every = bool(keep.all())
    for col in ("sektor", "skala", "umkm_id"):
        found = detect_column(df.columns, (col,), None)
        if found:
            text = df[found].astype("str").array
            out[col] = pd.Series(text if every else text[keep], dtype="str")
    online = detect_column(df.columns, ("online", "go_digital", "daring"), None)
    if online:
        out["online"] = _flag(df[online], name, online, lines).to_numpy()[keep]


def _work_points(lon: np.ndarray, lat: np.ndarray) -> gpd.GeoSeries:
    """Points in the work CRS from degrees (as ``to_crs`` does; None where a coordinate is NaN).

    Large registers are projected and turned into points in two halves at once (PROJ and
    GEOS release the GIL): the same points, in about half the time on two cores.
    """
    ok = np.isfinite(lon) & np.isfinite(lat)
    every = bool(ok.all())
    lon, lat = (lon, lat) if every else (lon[ok], lat[ok])

    def points(part: slice) -> np.ndarray:
        tr = Transformer.from_crs(GEO_CRS, WORK_CRS, always_xy=True)
        x, y = tr.transform(lon[part], lat[part])
        return np.asarray(shapely.points(np.asarray(x), np.asarray(y)), dtype=object)

    half = len(lon) // 2
    if half < _PARALLEL_POINTS:
        made = points(slice(None))
    else:
        with ThreadPoolExecutor(max_workers=2) as pool:
            made = np.concatenate(list(pool.map(points, [slice(0, half), slice(half, None)])))
    if every:
        return gpd.GeoSeries(made, crs=WORK_CRS)
    geoms = np.full(len(ok), None, dtype=object)
    geoms[ok] = made
    return gpd.GeoSeries(geoms, crs=WORK_CRS)


def read_opencellid(source: Source, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read towers: an OpenCelliD CSV (``lon`` before ``lat``; header optional).

    Any point table with ``lon``/``lat`` and a ``range`` or ``height`` column also works.
    Returns points in the work CRS with ``row``, ``operator`` and ``radio``, and
    ``network`` (``mcc-net``, e.g. ``510-11``) when the table has ``mcc`` and ``net``.
    Without an ``operator`` column, ``operator`` is the network code; names come from the
    dated MCC/MNC table (:func:`infra_gap.analysis.towers.prepare_towers`).
    """
    name = source_name(source, name)
    limits = budget.current_limits()
    if isinstance(source, Path):
        require_file(source)
    budget.check_file(source, name, limits)
    data = _read_bytes(source)
    if data[:2] == b"\x1f\x8b":
        msg = f"{name}: a gzip-compressed file; decompress it (cell_towers.csv.gz -> .csv) first"
        raise InputFileError(msg)
    budget.check_csv(data, name, limits)
    text, _ = decode_text(data)
    has_header = text.lstrip().lower().startswith(("radio", "lon", "lat", "operator", "site"))
    with budget.reading(name, "a tower CSV"):
        if has_header:
            df = pd.read_csv(StringIO(text), dtype={"radio": "str"})
        else:
            df = pd.read_csv(
                StringIO(text), header=None, names=list(OPENCELLID_COLUMNS), dtype={"radio": "str"}
            )
    lat_name = detect_column(df.columns, LAT_COLUMNS, None)
    lon_name = detect_column(df.columns, LON_COLUMNS, None)
    if (
        lat_name is None
        or lon_name is None
        or not ({"range", "height_m", "height"} & set(df.columns))
    ):
        msg = f"{name}: need lon, lat and range or height columns; found {list(df.columns)}"
        raise SchemaError(msg)
    df["row"] = (np.arange(len(df)) + (2 if has_header else 1)).astype("str")
    if {"mcc", "net"} <= set(df.columns):
        mcc = pd.to_numeric(df["mcc"], errors="coerce").astype("Int64").astype("str")
        net = pd.to_numeric(df["net"], errors="coerce").astype("Int64").astype("str")
        df["network"] = mcc + "-" + net
    if "operator" not in df:
        net = df["net"] if "net" in df else pd.Series("?", index=df.index)
        df["operator"] = df["network"] if "network" in df else "MNC " + net.astype("str")
    if "radio" not in df:
        df["radio"] = "LTE"
    _check_degrees(df, lon_name, lat_name, name)
    pts = gpd.points_from_xy(df[lon_name], df[lat_name], crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=pts).to_crs(WORK_CRS)


def _check_degrees(df: pd.DataFrame, lon_name: str, lat_name: str, name: str) -> None:
    """Make lon/lat numbers; stop at the first that is not a finite degree (E_DATA)."""
    for col, bound in ((lon_name, 180.0), (lat_name, 90.0)):
        values = parse_coordinate(df[col]) if df[col].dtype == object else df[col]
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        bad = ~(np.isfinite(numbers.to_numpy()) & (numbers.abs() <= bound).to_numpy())
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            msg = (
                f"{name}: row {df['row'].iloc[i]}, column {col!r}: {df[col].iloc[i]!r} is not a "
                f"number of degrees in [-{bound:g}, {bound:g}]"
            )
            raise DataError(msg)
        df[col] = numbers
