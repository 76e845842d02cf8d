"""Towers from an OpenCelliD CSV (``lon`` before ``lat``, header optional).

Any point table with ``lon``/``lat`` and a ``range`` or ``height`` column works too.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError, InputFileError, SchemaError
from infra_gap.io import budget
from infra_gap.io.coordinates import LAT_COLUMNS, LON_COLUMNS, parse_coordinate
from infra_gap.io.files import require_file, source_name
from infra_gap.io.table_read import Source, decode_text, read_bytes
from infra_gap.io.vector import detect_column

__all__ = ["OPENCELLID_COLUMNS", "read_opencellid"]

OPENCELLID_COLUMNS = (
    "radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range", "samples",
    "changeable", "created", "updated", "averageSignal",
)  # fmt: skip


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
    data = read_bytes(source)
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
