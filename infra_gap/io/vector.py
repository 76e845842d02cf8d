"""Vector layers in and out: GeoJSON, GeoPackage, zipped Shapefile, GeoParquet.

Readers take a path or the bytes of an upload (with its file name, for the format and for
messages); user text is never handed to GDAL as a path.  Areas come back in the work CRS,
with ``kode`` and ``nama`` detected from the common Indonesian conventions.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path, PurePath

import geopandas as gpd
import pandas as pd
import pyogrio

from infra_gap.config import WORK_CRS
from infra_gap.errors import InfraGapError, InputFileError, SchemaError
from infra_gap.hardening import guard_zip
from infra_gap.io.files import atomic_path, require_file, source_name

__all__ = [
    "ID_COLUMNS",
    "NAME_COLUMNS",
    "VECTOR_FORMATS",
    "detect_column",
    "list_layers",
    "read_areas",
    "read_geoparquet",
    "read_vector",
    "write_geoparquet",
    "write_vector",
]

#: File suffix -> format.  Everything else is refused before GDAL sees it.
VECTOR_FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GPKG",
    ".zip": "ESRI Shapefile",
    ".parquet": "Parquet",
    ".geoparquet": "Parquet",
}
#: Area-code columns, most specific first (Kemendagri, BPS, BIG, HDX COD-AB conventions).
ID_COLUMNS = (
    "kode", "kode_desa", "kode_kec", "kode_kab", "kdepum", "kdcpum", "kddesa", "kdkec",
    "kode_kec", "kdpkab", "kdkab", "kode_wilayah", "idkec", "iddesa", "adm4_pcode",
    "adm3_pcode", "adm2_pcode", "pcode", "id",
)  # fmt: skip
#: Area-name columns.
NAME_COLUMNS = (
    "nama", "nama_desa", "nama_kec", "nama_kab", "namobj", "wadmkd", "wadmkc", "wadmkk",
    "nmdesa", "nmkec", "nmkab", "desa", "kecamatan", "kabupaten", "adm4_en", "adm3_en",
    "adm2_en", "name",
)  # fmt: skip

Source = Path | bytes


def _format(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    fmt = VECTOR_FORMATS.get(suffix)
    if fmt is None:
        msg = f"{name}: not an allowed vector format (allowed: {', '.join(sorted(VECTOR_FORMATS))})"
        raise InputFileError(msg)
    return fmt


@contextmanager
def _handle(source: Source, name: str) -> Iterator[Path | BytesIO]:
    """A path or buffer GDAL can read.

    Uploaded GeoPackages go to a server-chosen temporary name with the right suffix (GDAL
    checks it); the user's file name never becomes a path.
    """
    if isinstance(source, Path):
        require_file(source)
        if _format(name) == "ESRI Shapefile":
            guard_zip(source.read_bytes(), name=name)
        yield source
    elif _format(name) == "GPKG":
        with tempfile.TemporaryDirectory(prefix="infra-gap-") as tmp:
            path = Path(tmp) / "upload.gpkg"
            path.write_bytes(source)
            yield path
    else:
        if _format(name) == "ESRI Shapefile":
            guard_zip(source, name=name)
        yield BytesIO(source)


def list_layers(source: Source, *, name: str | None = None) -> list[str]:
    """Layer names of a GeoPackage (one name for single-layer formats)."""
    name = source_name(source, name)
    if _format(name) == "Parquet":
        return [PurePath(name).stem]
    try:
        with _handle(source, name) as handle:
            return [str(n) for n, _ in pyogrio.list_layers(handle)]
    except pyogrio.errors.DataSourceError as err:
        msg = f"{name}: cannot be read ({err})"
        raise InputFileError(msg) from err


def read_vector(
    source: Source, *, name: str | None = None, layer: str | None = None
) -> gpd.GeoDataFrame:
    """Read a vector layer into the work CRS; ``row`` holds each feature's 1-based number."""
    name = source_name(source, name)
    fmt = _format(name)
    try:
        if fmt == "Parquet":
            gdf = gpd.read_parquet(BytesIO(source) if isinstance(source, bytes) else source)
        else:
            layers = list_layers(source, name=name)
            if layer is None and len(layers) > 1:
                msg = f"{name}: has several layers {layers}; choose one (--areas-layer)"
                raise InputFileError(msg)
            if layer is not None and layer not in layers:
                msg = f"{name}: no layer {layer!r}; layers are {layers}"
                raise InputFileError(msg)
            with _handle(source, name) as handle:
                gdf = gpd.read_file(handle, engine="pyogrio", layer=layer)
    except (pyogrio.errors.DataSourceError, ValueError, OSError) as err:
        if isinstance(err, InfraGapError):
            raise
        msg = f"{name}: cannot be read as {fmt} ({err})"
        raise InputFileError(msg) from err
    if gdf.crs is None:
        msg = f"{name}: has no CRS; save it with one (e.g. EPSG:4326)"
        raise SchemaError(msg)
    gdf = gdf.to_crs(WORK_CRS)
    gdf["row"] = [str(i + 1) for i in range(len(gdf))]
    return gdf


def detect_column(
    columns: pd.Index, candidates: tuple[str, ...], override: str | None
) -> str | None:
    """The first column matching ``candidates`` (case-insensitive), or ``override``."""
    if override is not None:
        return override if override in columns else None
    lower = {str(c).lower(): str(c) for c in columns}
    return next((lower[c] for c in candidates if c in lower), None)


def read_areas(
    source: Source,
    *,
    name: str | None = None,
    layer: str | None = None,
    id_col: str | None = None,
    name_col: str | None = None,
) -> gpd.GeoDataFrame:
    """Read administrative areas into the work CRS, with ``kode``/``nama``, sorted by code.

    Parameters
    ----------
    source
        Path or uploaded bytes.
    name
        File name (its suffix picks the format; it names the file in messages); defaults
        to the path.
    layer
        Layer of a multi-layer GeoPackage.
    id_col, name_col
        Override the detected code and name columns.
    """
    name = source_name(source, name)
    gdf = read_vector(source, name=name, layer=layer)
    id_found = detect_column(gdf.columns, ID_COLUMNS, id_col)
    name_found = detect_column(gdf.columns, NAME_COLUMNS, name_col)
    for what, found, given in (("code", id_found, id_col), ("name", name_found, name_col)):
        if found is None:
            hint = f"column {given!r} not found" if given else "no known column"
            msg = f"{name}: {hint} for the area {what}; columns are {list(gdf.columns)}"
            raise SchemaError(msg)
    gdf = gdf.rename(columns={id_found: "kode", name_found: "nama"})
    gdf["kode"] = gdf["kode"].astype("str").str.strip()
    gdf["nama"] = gdf["nama"].astype("str")
    return gdf.sort_values("kode", kind="stable").reset_index(drop=True)


def read_geoparquet(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoParquet file (the demo cache)."""
    require_file(path)
    return gpd.read_parquet(path)


def write_geoparquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write a GeoParquet file atomically."""
    with atomic_path(path) as tmp:
        gdf.to_parquet(tmp, index=False)


def write_vector(gdf: gpd.GeoDataFrame, path: Path, *, layer: str | None = None) -> None:
    """Write a GeoJSON (always EPSG:4326, RFC 7946) or a GeoPackage layer."""
    fmt = _format(path.name)
    if fmt == "GeoJSON":
        with atomic_path(path) as tmp:
            gdf.to_crs("EPSG:4326").to_file(tmp, driver=fmt, engine="pyogrio")
    elif fmt == "GPKG":
        gdf.to_file(path, driver=fmt, layer=layer, engine="pyogrio")
    else:
        msg = f"{path}: write GeoJSON or GeoPackage"
        raise InputFileError(msg)
