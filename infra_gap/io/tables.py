"""Tables of points: MSME registers, OpenCelliD towers, Ookla speed tiles.

Registers come from Excel with Indonesian regional settings, so CSVs may use ``;``, a
decimal comma, a BOM, or Latin-1.  Every row is either returned or listed as rejected with
its reason: rows in = rows out + rows rejected.

The parts live in modules named by what they do: :mod:`.table_read` (any table as text
columns), :mod:`.coordinates` (numbers from coordinate text) and :mod:`.opencellid` (towers);
this module reads MSME registers and keeps every public name importable from here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import Transformer

from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.errors import SchemaError
from infra_gap.io import budget
from infra_gap.io.coordinates import LAT_COLUMNS, LON_COLUMNS, coordinate_array, parse_coordinate
from infra_gap.io.files import source_name
from infra_gap.io.opencellid import read_opencellid
from infra_gap.io.table_read import Source, decode_text, read_csv_table, read_table
from infra_gap.io.vector import VECTOR_FORMATS, detect_column, read_vector
from infra_gap.layers import REJECTED_COLUMNS

__all__ = [
    "FLAG_TRUE",
    "FLAG_WORDS",
    "LAT_COLUMNS",
    "LON_COLUMNS",
    "Source",
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

AREA_CODE_COLUMNS = ("kode_desa", "kode_wilayah", "kddesa", "kdepum", "kode")
SWAPPED = "latitude and longitude look swapped: swap the columns or pass --lat-col/--lon-col"
TILE_COLUMNS = ("quadkey", "avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices")
#: Registers with at least twice this many points are made into points on two threads.
_PARALLEL_POINTS = 50_000
_TRUE = {"1", "true", "ya", "y", "yes", "benar", "t"}
_FALSE = {"0", "false", "tidak", "n", "no", "salah", "f", ""}
#: The yes/no words of a flag column (after trimming and lower-casing), and the yes words.
FLAG_TRUE = frozenset(_TRUE)
FLAG_WORDS = frozenset(_TRUE | _FALSE)


def _row_ids(numbers: np.ndarray) -> pd.Series:
    """File line numbers as a text column (built in Arrow, not one Python string each)."""
    return pd.Series(pc.cast(pa.array(numbers, type=pa.int64()), pa.string()), dtype="str")


def _flag(values: pd.Series, name: str, column: str, lines: np.ndarray) -> pd.Series:
    """Yes/no text as booleans; the rule is applied to the column's distinct values."""
    codes, uniques = pd.factorize(values.astype("str"))  # a missing value: code -1
    text = pd.Series(uniques, dtype="str").str.strip().str.lower()
    # The last entry stands for a missing value (code -1): neither yes nor no.
    known = np.append(text.isin(_TRUE | _FALSE).to_numpy(bool), False)
    yes = np.append(text.isin(_TRUE).to_numpy(bool), False)
    bad = ~known[codes]
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        msg = f"{name}: row {lines[first]}, column {column!r}: {values.iloc[first]!r} is not yes/no"
        raise SchemaError(msg)
    return pd.Series(yes[codes], index=values.index)


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
    lat = coordinate_array(df[lat_name]) if lat_name else nan
    lon = coordinate_array(df[lon_name]) if lon_name else nan
    blank, by_code = _blank_rows(df, lat_name, lon_name, code_name, np.isnan(lat) | np.isnan(lon))
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
    if code_name:  # every kept row's code: placed by it, or checked against its point
        out["kode_area"] = _stripped(df[code_name]).to_numpy(dtype=object)[keep]
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
) -> tuple[np.ndarray, np.ndarray]:
    """Rows with a blank coordinate, and those of them with a desa code.

    A blank coordinate never parses, so only the ``unparsed`` rows are looked at.
    """
    n = len(df)
    blank, by_code = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    rows = np.flatnonzero(unparsed)
    if not len(rows):
        return blank, by_code
    sub = df.iloc[rows]
    empty = pd.Series("", index=sub.index)
    raw_lat = _stripped(sub[lat_name]) if lat_name else empty
    raw_lon = _stripped(sub[lon_name]) if lon_name else empty
    blank[rows] = ((raw_lat == "") | (raw_lon == "") | raw_lat.isin(["nan", "None"])).to_numpy(bool)
    if code_name:
        code = _stripped(sub[code_name])
        by_code[rows] = blank[rows] & (code != "").to_numpy(bool)
    return blank, by_code


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
