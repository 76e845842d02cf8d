"""The only module that opens files.

Readers return GeoDataFrames in :data:`config.WORK_CRS` (the CRS is settled here, once)
or :class:`layers.Raster`.  Writers take in-memory objects.  GDAL is only asked for
allow-listed drivers.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio

from infra_gap.config import WORK_CRS
from infra_gap.errors import InputFileError, SchemaError
from infra_gap.layers import Raster

__all__ = [
    "atomic_path",
    "file_sha256",
    "memory_raster",
    "read_areas",
    "read_csv_table",
    "read_geoparquet",
    "read_geotiff",
    "read_json",
    "read_msme_csv",
    "read_opencellid",
    "read_speed_tiles",
    "read_vector",
    "write_bytes",
    "write_geoparquet",
    "write_geotiff",
    "write_json",
    "write_vector",
]

VECTOR_DRIVERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".gpkg": "GPKG"}
#: Indonesian mobile network codes (MCC 510) to operator names (domain.md; ITU E.212).
MNC_OPERATOR = {
    1: "Indosat",
    21: "Indosat",
    89: "Indosat",
    10: "Telkomsel",
    11: "XL Axiata",
    8: "XL Axiata",
    9: "Smartfren",
    28: "Smartfren",
}
OPENCELLID_COLUMNS = [
    "radio",
    "mcc",
    "net",
    "area",
    "cell",
    "unit",
    "lon",
    "lat",
    "range",
    "samples",
    "changeable",
    "created",
    "updated",
    "averageSignal",
]


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _require_file(path: Path) -> None:
    if not path.is_file():
        msg = f"{path}: file not found"
        raise InputFileError(msg)


def read_areas(
    path: Path, *, id_col: str = "kode", name_col: str = "nama", layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read administrative areas into the work CRS, sorted by code.

    Parameters
    ----------
    path
        A GeoJSON or GeoPackage file.
    id_col, name_col
        Columns holding the area code and name; renamed to ``kode`` and ``nama``.
    layer
        Layer name for multi-layer files.

    Returns
    -------
    GeoDataFrame with string ``kode`` and ``nama`` and every other attribute column.
    """
    _require_file(path)
    driver = VECTOR_DRIVERS.get(path.suffix.lower())
    if driver is None:
        msg = f"{path}: not an allowed boundary format ({sorted(VECTOR_DRIVERS)})"
        raise InputFileError(msg)
    try:
        gdf = gpd.read_file(path, engine="pyogrio", layer=layer)
    except pyogrio.errors.DataSourceError as err:
        msg = f"{path}: cannot be read as {driver}: {err}"
        raise InputFileError(msg) from err
    missing = [c for c in (id_col, name_col) if c not in gdf.columns]
    if missing:
        msg = f"{path}: missing column(s) {missing}; found {list(gdf.columns)}"
        raise SchemaError(msg)
    if gdf.crs is None:
        msg = f"{path}: has no CRS"
        raise SchemaError(msg)
    gdf = gdf.rename(columns={id_col: "kode", name_col: "nama"})
    gdf["kode"] = gdf["kode"].astype("str")
    gdf["nama"] = gdf["nama"].astype("str")
    gdf = gdf.to_crs(WORK_CRS)
    return gdf.sort_values("kode", kind="stable").reset_index(drop=True)


def read_csv_table(path: Path, *, dtype: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a UTF-8 CSV attribute table (the shipped reference tables)."""
    _require_file(path)
    return pd.read_csv(path, dtype=dtype, keep_default_na=True)


def read_opencellid(path: Path) -> gpd.GeoDataFrame:
    """Read an OpenCelliD CSV (``lon`` before ``lat``) into points in the work CRS.

    The file may have the standard header or none.  Rows keep their 1-based file line
    number in ``row``.
    """
    _require_file(path)
    with open(path, encoding="utf-8") as fh:
        first = fh.readline()
    has_header = first.strip().lower().startswith("radio")
    df = pd.read_csv(
        path,
        header=0 if has_header else None,
        names=None if has_header else OPENCELLID_COLUMNS,
        dtype={"radio": "str"},
    )
    missing = [c for c in ("radio", "net", "lon", "lat", "range") if c not in df.columns]
    if missing:
        msg = f"{path}: not an OpenCelliD CSV, missing column(s) {missing}"
        raise SchemaError(msg)
    df["row"] = (np.arange(len(df)) + (2 if has_header else 1)).astype("str")
    if "operator" not in df:
        mnc = pd.to_numeric(df["net"], errors="coerce")
        df["operator"] = mnc.map(MNC_OPERATOR).fillna("MNC " + df["net"].astype("str"))
    pts = gpd.points_from_xy(df["lon"], df["lat"], crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=pts).to_crs(WORK_CRS)


def read_geoparquet(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoParquet file."""
    _require_file(path)
    return gpd.read_parquet(path)


def write_geoparquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write a GeoParquet file atomically."""
    with atomic_path(path) as tmp:
        gdf.to_parquet(tmp, index=False)


def read_geotiff(path: Path) -> Raster:
    """Read a whole single-band GeoTIFF (demo-sized rasters)."""
    _require_file(path)
    with rasterio.open(path, driver="GTiff") as src:
        return Raster(
            array=src.read(1),
            transform=src.transform,
            crs=src.crs.to_string(),
            nodata=src.nodata,
        )


def write_geotiff(raster: Raster, path: Path) -> None:
    """Write a single-band, tiled, deflate-compressed GeoTIFF atomically."""
    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": raster.array.shape[1],
        "height": raster.array.shape[0],
        "count": 1,
        "dtype": str(raster.array.dtype),
        "crs": raster.crs,
        "transform": raster.transform,
        "nodata": raster.nodata,
        "compress": "deflate",
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    with atomic_path(path) as tmp, rasterio.open(tmp, "w", **profile) as dst:
        dst.write(raster.array, 1)


def write_vector(gdf: gpd.GeoDataFrame, path: Path, *, layer: str | None = None) -> None:
    """Write a GeoJSON (always EPSG:4326, RFC 7946) or a GeoPackage layer."""
    driver = VECTOR_DRIVERS.get(path.suffix.lower())
    if driver is None:
        msg = f"{path}: not an allowed vector output format ({sorted(VECTOR_DRIVERS)})"
        raise InputFileError(msg)
    if driver == "GeoJSON":
        with atomic_path(path) as tmp:
            gdf.to_crs("EPSG:4326").to_file(tmp, driver=driver, engine="pyogrio")
    else:
        gdf.to_file(path, driver=driver, layer=layer, engine="pyogrio")


def write_bytes(data: bytes, path: Path) -> None:
    """Write bytes atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def read_json(path: Path) -> Any:
    """Read a JSON file."""
    _require_file(path)
    return json.loads(path.read_text(encoding="utf-8"))


def write_json(obj: Any, path: Path) -> None:
    """Write a JSON file atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True), encoding="utf-8")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it over ``path`` on success.

    Two processes generating the same cache never see each other's half-written files.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def memory_raster(raster: Raster) -> Iterator[Any]:
    """An open in-memory GTiff dataset of ``raster``, for libraries that want a dataset."""
    profile: dict[str, Any] = {
        "driver": "GTiff",
        "width": raster.array.shape[1],
        "height": raster.array.shape[0],
        "count": 1,
        "dtype": str(raster.array.dtype),
        "crs": raster.crs,
        "transform": raster.transform,
        "nodata": raster.nodata,
    }
    with rasterio.MemoryFile() as mem:
        with mem.open(**profile) as dst:
            dst.write(raster.array, 1)
        with mem.open(driver="GTiff") as src:
            yield src


def read_msme_csv(
    path: Path, *, lat_col: str = "lat", lon_col: str = "lon"
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read an MSME table with latitude/longitude columns (UTF-8 CSV).

    Returns the points in the work CRS (each with its file line number in ``row``) and the
    rejected rows (``source,row,reason``): missing, non-numeric or out-of-range coordinates.
    """
    _require_file(path)
    df = pd.read_csv(path, dtype={lat_col: "str", lon_col: "str"}, keep_default_na=False)
    missing = [c for c in (lat_col, lon_col) if c not in df.columns]
    if missing:
        msg = f"{path}: missing coordinate column(s) {missing}; found {list(df.columns)}"
        raise SchemaError(msg)
    df["row"] = (np.arange(len(df)) + 2).astype("str")
    lat = pd.to_numeric(df[lat_col], errors="coerce")
    lon = pd.to_numeric(df[lon_col], errors="coerce")
    blank = (df[lat_col].str.strip() == "") | (df[lon_col].str.strip() == "")
    bad_number = (lat.isna() | lon.isna()) & ~blank
    out_of_range = ~(lat.between(-90, 90) & lon.between(-180, 180)) & ~blank & ~bad_number
    reason = np.select(
        [blank, bad_number, out_of_range],
        ["missing coordinate", "non-numeric coordinate", "coordinate out of range"],
        "",
    )
    bad = reason != ""
    rejected = pd.DataFrame(
        {"source": "msme", "row": df["row"][bad].to_numpy(), "reason": reason[bad]}
    )
    good = df[~bad].copy()
    good[lat_col], good[lon_col] = lat[~bad], lon[~bad]
    pts = gpd.points_from_xy(good[lon_col], good[lat_col], crs="EPSG:4326")
    gdf = gpd.GeoDataFrame(good, geometry=pts).to_crs(WORK_CRS)
    if lat_col != "lat" or lon_col != "lon":
        gdf = gdf.rename(columns={lat_col: "lat", lon_col: "lon"})
    return gdf.reset_index(drop=True), rejected


def read_speed_tiles(path: Path) -> gpd.GeoDataFrame:
    """Read Ookla-schema speed tiles from Parquet (``tile`` as WKT); quadkeys stay text."""
    _require_file(path)
    df = pd.read_parquet(path)
    needed = ["quadkey", "tile", "avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices"]
    missing = [c for c in needed if c not in df.columns]
    if missing:
        msg = f"{path}: not an Ookla tile table, missing column(s) {missing}"
        raise SchemaError(msg)
    df["quadkey"] = df["quadkey"].astype("str")
    df["row"] = (np.arange(len(df)) + 1).astype("str")
    geom = gpd.GeoSeries.from_wkt(df["tile"], crs="EPSG:4326")
    return gpd.GeoDataFrame(df, geometry=geom).to_crs(WORK_CRS)


def read_vector(path: Path, *, layer: str | None = None) -> gpd.GeoDataFrame:
    """Read any allowed vector file into the work CRS (backbone, points)."""
    _require_file(path)
    if path.suffix.lower() not in VECTOR_DRIVERS:
        msg = f"{path}: not an allowed vector format ({sorted(VECTOR_DRIVERS)})"
        raise InputFileError(msg)
    gdf = gpd.read_file(path, engine="pyogrio", layer=layer)
    if gdf.crs is None:
        msg = f"{path}: has no CRS"
        raise SchemaError(msg)
    return gdf.to_crs(WORK_CRS)
