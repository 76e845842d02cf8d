"""Tables of points: MSME registers, OpenCelliD towers, Ookla speed tiles.

Registers come from Excel with Indonesian regional settings, so CSVs may use ``;``, a
decimal comma, a BOM, or Latin-1.  Every row is either returned or listed as rejected with
its reason: rows in = rows out + rows rejected.
"""

from __future__ import annotations

import csv
from io import BytesIO, StringIO
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.config import WORK_CRS
from infra_gap.errors import InputFileError, SchemaError
from infra_gap.io.files import require_file, source_name
from infra_gap.io.vector import VECTOR_FORMATS, detect_column, read_vector
from infra_gap.layers import REJECTED_COLUMNS

__all__ = [
    "LAT_COLUMNS",
    "LON_COLUMNS",
    "MNC_OPERATOR",
    "decode_text",
    "parse_coordinate",
    "read_csv_table",
    "read_msme_table",
    "read_opencellid",
    "read_speed_tiles",
    "read_table",
]

LAT_COLUMNS = ("lat", "latitude", "lintang", "y")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "bujur", "x")
AREA_CODE_COLUMNS = ("kode_desa", "kode_wilayah", "kddesa", "kdepum", "kode")
#: Indonesian mobile network codes (MCC 510) to operator names (domain.md; ITU E.212).
MNC_OPERATOR = {1: "Indosat", 21: "Indosat", 89: "Indosat", 10: "Telkomsel", 11: "XL Axiata",
                8: "XL Axiata", 9: "Smartfren", 28: "Smartfren"}  # fmt: skip
OPENCELLID_COLUMNS = (
    "radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range", "samples",
    "changeable", "created", "updated", "averageSignal",
)  # fmt: skip
SWAPPED = "latitude and longitude look swapped: swap the columns or pass --lat-col/--lon-col"
TILE_COLUMNS = ("quadkey", "avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices")
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


def read_table(source: Source, *, name: str | None = None) -> pd.DataFrame:
    """Any tabular upload as text columns: CSV (sniffed), XLSX or Parquet."""
    name = source_name(source, name)
    suffix = PurePath(name).suffix.lower()
    data = _read_bytes(source)
    try:
        if suffix in {".csv", ".txt"}:
            text, _ = decode_text(data)
            sample = text[:65536]
            try:
                sep = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                sep = ","
            return pd.read_csv(
                BytesIO(text.encode("utf-8")),
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
        msg = f"{name}: cannot be read as a table ({err})"
        raise InputFileError(msg) from err
    msg = f"{name}: not an allowed table format (.csv, .xlsx, .parquet or a point layer)"
    raise InputFileError(msg)


def read_csv_table(path: Path, *, dtype: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a shipped UTF-8 reference table."""
    require_file(path)
    return pd.read_csv(path, dtype=dtype, keep_default_na=True)


def _flag(values: pd.Series, name: str, column: str) -> pd.Series:
    text = values.astype("str").str.strip().str.lower()
    bad = ~text.isin(_TRUE | _FALSE)
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        msg = f"{name}: row {first + 2}, column {column!r}: {values.iloc[first]!r} is not yes/no"
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
    lat_name = detect_column(df.columns, LAT_COLUMNS, lat_col)
    lon_name = detect_column(df.columns, LON_COLUMNS, lon_col)
    code_name = detect_column(df.columns, AREA_CODE_COLUMNS, None)
    if (lat_name is None or lon_name is None) and code_name is None:
        msg = (
            f"{name}: no latitude/longitude columns (looked for {LAT_COLUMNS} / {LON_COLUMNS}, "
            f"or set --lat-col/--lon-col) and no desa code column; columns are {list(df.columns)}"
        )
        raise SchemaError(msg)
    rows = pd.Series((np.arange(len(df)) + first_line).astype("str"))
    n = len(df)
    lat = parse_coordinate(df[lat_name]) if lat_name else pd.Series(np.nan, index=df.index)
    lon = parse_coordinate(df[lon_name]) if lon_name else pd.Series(np.nan, index=df.index)
    raw_lat = df[lat_name].astype("str").str.strip() if lat_name else pd.Series("", index=df.index)
    raw_lon = df[lon_name].astype("str").str.strip() if lon_name else pd.Series("", index=df.index)
    blank = (raw_lat == "") | (raw_lon == "") | raw_lat.isin(["nan", "None"])
    code = df[code_name].astype("str").str.strip() if code_name else pd.Series("", index=df.index)
    by_code = blank & (code != "")
    non_numeric = ~blank & (lat.isna() | lon.isna())
    out_of_range = ~blank & ~non_numeric & ~(lat.between(-90, 90) & lon.between(-180, 180))
    swapped = out_of_range & lon.between(-90, 90) & lat.between(-180, 180)
    reasons = np.select(
        [blank & ~by_code, non_numeric, swapped, out_of_range],
        ["missing coordinate", "non-numeric coordinate", SWAPPED, "coordinate out of range"],
        "",
    )
    bad = reasons != ""
    rejected = pd.DataFrame(
        {"source": "msme", "row": rows[bad].to_numpy(), "reason": reasons[bad]},
        columns=list(REJECTED_COLUMNS),
    )
    keep = ~bad
    out = pd.DataFrame({"row": rows[keep].to_numpy()})
    out["lat"] = lat[keep].to_numpy()
    out["lon"] = lon[keep].to_numpy()
    if code_name:
        out["kode_area"] = np.where(by_code[keep], code[keep], "")
    for col in ("sektor", "skala", "umkm_id"):
        found = detect_column(df.columns, (col,), None)
        if found:
            out[col] = df.loc[keep, found].astype("str").to_numpy()
    online = detect_column(df.columns, ("online", "go_digital", "daring"), None)
    if online:
        out["online"] = _flag(df[online], name, online)[keep].to_numpy()
    geom = gpd.points_from_xy(out["lon"], out["lat"], crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(out, geometry=geom).to_crs(WORK_CRS)
    if by_code.any():
        gdf.loc[np.isnan(out["lat"].to_numpy()), "geometry"] = None
    assert len(gdf) + len(rejected) == n
    return gdf, rejected


def read_opencellid(source: Source, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read towers: an OpenCelliD CSV (``lon`` before ``lat``; header optional).

    Any point table with ``lon``/``lat`` and a ``range`` or ``height`` column also works.
    Returns points in the work CRS with ``row``, ``operator`` and ``radio``.
    """
    name = source_name(source, name)
    data = _read_bytes(source)
    text, _ = decode_text(data)
    has_header = text.lstrip().lower().startswith(("radio", "lon", "lat", "operator", "site"))
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
    if "operator" not in df:
        net = df["net"] if "net" in df else pd.Series("?", index=df.index)
        mnc = pd.to_numeric(net, errors="coerce")
        df["operator"] = mnc.map(MNC_OPERATOR).fillna("MNC " + net.astype("str"))
    if "radio" not in df:
        df["radio"] = "LTE"
    pts = gpd.points_from_xy(df[lon_name], df[lat_name], crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=pts).to_crs(WORK_CRS)


def read_speed_tiles(source: Source, *, name: str | None = None) -> gpd.GeoDataFrame:
    """Read Ookla-schema tiles (Parquet, CSV, zipped Shapefile, GeoPackage); quadkeys stay text."""
    name = source_name(source, name)
    suffix = PurePath(name).suffix.lower()
    if suffix in {".gpkg", ".zip", ".geojson"}:
        gdf = read_vector(source, name=name)
    else:
        df = read_table(source, name=name)
        if "tile" not in df:
            msg = f"{name}: Ookla tiles need a `tile` column (WKT)"
            raise SchemaError(msg)
        geom = gpd.GeoSeries.from_wkt(df["tile"].astype("str"), crs="EPSG:4326")
        gdf = gpd.GeoDataFrame(df, geometry=geom).to_crs(WORK_CRS)
        gdf["row"] = (np.arange(len(gdf)) + (2 if suffix == ".csv" else 1)).astype("str")
    missing = [c for c in TILE_COLUMNS if c not in gdf.columns]
    if missing:
        msg = f"{name}: not an Ookla tile table, missing column(s) {missing}"
        raise SchemaError(msg)
    gdf["quadkey"] = gdf["quadkey"].astype("str").str.strip()
    for col in TILE_COLUMNS[1:]:
        gdf[col] = pd.to_numeric(gdf[col], errors="raise")
    return gdf
