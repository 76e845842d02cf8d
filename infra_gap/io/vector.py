"""Vector layers in and out: GeoJSON, GeoPackage, zipped Shapefile, GeoParquet.

Readers take a path or the bytes of an upload (with its file name, for the format and for
messages); user text is never handed to GDAL as a path.  Areas come back in the work CRS,
with ``kode`` and ``nama`` detected from the common Indonesian conventions.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from infra_gap.config import WORK_CRS, Limits
from infra_gap.errors import InfraGapError, InputFileError, SchemaError
from infra_gap.hardening import guard_zip
from infra_gap.io import budget
from infra_gap.io.columns import ID_COLUMNS, NAME_COLUMNS, detect_area_columns
from infra_gap.io.dbf_text import utf8_read_as_latin1
from infra_gap.io.files import atomic_path, require_file, source_name
from infra_gap.io.geojson_guard import guard_geojson

__all__ = [
    "ID_COLUMNS",
    "NAME_COLUMNS",
    "NATIVE_GEOMETRY",
    "VECTOR_FORMATS",
    "detect_column",
    "guard_geojson",
    "layer_handle",
    "list_layers",
    "read_areas",
    "read_areas_explained",
    "read_geoparquet",
    "read_vector",
    "read_vector_explained",
    "write_geoparquet",
    "write_vector",
]

#: Column of the geometries in the file's own CRS (``keep_native``), when not the work CRS.
NATIVE_GEOMETRY = "geometry_native"

#: File suffix -> format.  Everything else is refused before GDAL sees it.
VECTOR_FORMATS = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GPKG",
    ".zip": "ESRI Shapefile",
    ".parquet": "Parquet",
    ".geoparquet": "Parquet",
}
Source = Path | bytes


def _format(name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    fmt = VECTOR_FORMATS.get(suffix)
    if fmt is None:
        msg = f"{name}: not an allowed vector format (allowed: {', '.join(sorted(VECTOR_FORMATS))})"
        raise InputFileError(msg)
    return fmt


def _shapefile_zip(data: bytes, *, name: str) -> bytes:
    """Check a zipped shapefile (already through :func:`guard_zip`) and put it at the root.

    A ``.shp`` needs its ``.shx`` (GDAL fails without it).  A shapefile zipped inside a
    folder (the usual "compress folder" result) is copied to the root of a new archive in
    memory, so no text from the upload ever becomes part of a GDAL path.
    """
    with zipfile.ZipFile(BytesIO(data)) as archive:
        entries = [
            i
            for i in archive.infolist()
            if not i.is_dir() and not i.filename.startswith("__MACOSX/")
        ]
        lower = {i.filename.lower() for i in entries}
        shps = sorted(i.filename for i in entries if i.filename.lower().endswith(".shp"))
        for shp in shps:
            if f"{shp[:-4].lower()}.shx" not in lower:
                msg = (
                    f"{name}: {shp} has no .shx file next to it; zip the .shp, .shx, .dbf "
                    "and .prj together"
                )
                raise InputFileError(msg)
        folders = {PurePath(shp).parent.as_posix() for shp in shps}
        if not shps or "." in folders:
            return data
        if len(folders) > 1:
            msg = f"{name}: shapefiles in several folders {sorted(folders)}; zip one folder"
            raise InputFileError(msg)
        prefix = f"{folders.pop()}/"
        out = BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as flat:
            for info in entries:
                rest = info.filename[len(prefix) :]
                if info.filename.startswith(prefix) and rest and "/" not in rest:
                    with archive.open(info) as src, flat.open(rest, "w") as dst:
                        shutil.copyfileobj(src, dst, 1 << 20)
        return out.getvalue()


@contextmanager
def layer_handle(
    source: Source, name: str
) -> Iterator[tuple[Path | BytesIO, tuple[int, int] | None]]:
    """A path or buffer GDAL can read, and a GeoJSON's size when the guard found it.

    Uploaded GeoPackages go to a server-chosen temporary name with the right suffix (GDAL
    checks it); the user's file name never becomes a path.
    """
    if isinstance(source, Path):
        require_file(source)
        if _format(name) == "ESRI Shapefile":
            data = source.read_bytes()
            guard_zip(data, name=name)
            flat = _shapefile_zip(data, name=name)
            yield (source if flat is data else BytesIO(flat)), None
            return
        size = None
        if _format(name) == "GeoJSON":
            size = guard_geojson(source.read_bytes(), name=name)
        yield source, size
    elif _format(name) == "GPKG":
        with tempfile.TemporaryDirectory(prefix="infra-gap-") as tmp:
            path = Path(tmp) / "upload.gpkg"
            path.write_bytes(source)
            yield path, None
    else:
        size = None
        if _format(name) == "ESRI Shapefile":
            guard_zip(source, name=name)
            source = _shapefile_zip(source, name=name)
        elif _format(name) == "GeoJSON":
            size = guard_geojson(source, name=name)
        yield BytesIO(source), size


def _check_size(
    handle: Path | BytesIO,
    size: tuple[int, int] | None,
    layer: str | None,
    name: str,
    limits: Limits,
) -> None:
    """Features and columns: a GeoJSON's from the guard (its CRS is a name), else GDAL's."""
    if size is None:
        budget.check_vector_info(handle, layer, name, limits)
    else:
        budget.check(name, "the number of features", size[0], "max_features", limits)
        budget.check(name, "the number of columns", size[1], "max_columns", limits)


def list_layers(source: Source, *, name: str | None = None) -> list[str]:
    """Layer names of a GeoPackage (one name for single-layer formats)."""
    name = source_name(source, name)
    if _format(name) == "Parquet":
        return [PurePath(name).stem]
    try:
        with layer_handle(source, name) as (handle, _):
            return [str(n) for n, _ in pyogrio.list_layers(handle)]
    except pyogrio.errors.DataSourceError as err:
        msg = f"{name}: cannot be read ({err})"
        raise InputFileError(msg) from err


def read_vector(
    source: Source,
    *,
    name: str | None = None,
    layer: str | None = None,
    limits: Limits | None = None,
    keep_native: bool = False,
) -> gpd.GeoDataFrame:
    """Read a vector layer into the work CRS; ``row`` holds each feature's 1-based number.

    Sized before it is parsed (``limits``: :func:`infra_gap.io.budget.current_limits` when
    None): file bytes, features, columns, CRS size, Parquet row groups; vertices right after.
    With ``keep_native``, a file in another CRS keeps its own geometries too, in the
    column :data:`NATIVE_GEOMETRY` (for a join in the data's own CRS).
    """
    return read_vector_explained(
        source, name=name, layer=layer, limits=limits, keep_native=keep_native
    )[0]


def read_vector_explained(
    source: Source,
    *,
    name: str | None = None,
    layer: str | None = None,
    limits: Limits | None = None,
    keep_native: bool = False,
) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """:func:`read_vector`, plus ``warning:`` lines on what reading changed.

    A zipped shapefile's UTF-8 text read as ISO-8859-1 (no ``.cpg``) is decoded again
    (:func:`infra_gap.io.dbf_text.utf8_read_as_latin1`), and said.
    """
    name = source_name(source, name)
    notes: tuple[str, ...] = ()
    fmt = _format(name)
    limits = limits or budget.current_limits()
    if isinstance(source, Path):
        require_file(source)
    budget.check_file(source, name, limits)
    try:
        if fmt == "Parquet":
            budget.check_parquet(source, name, limits)
            with budget.reading(name, "GeoParquet"):
                gdf = gpd.read_parquet(BytesIO(source) if isinstance(source, bytes) else source)
        else:
            # A GeoJSON holds one layer: listing it would parse (and guard) it twice.
            single = fmt == "GeoJSON" and layer is None
            layers = [] if single else list_layers(source, name=name)
            if layer is None and len(layers) > 1:
                msg = f"{name}: has several layers {layers}; choose one (--areas-layer)"
                raise InputFileError(msg)
            if layer is not None and layer not in layers:
                msg = f"{name}: no layer {layer!r}; layers are {layers}"
                raise InputFileError(msg)
            with layer_handle(source, name) as (handle, size), budget.reading(name, fmt):
                if isinstance(handle, Path) and fmt == "GPKG":
                    budget.check_gpkg_layer(handle, layer or layers[0], name, limits)
                _check_size(handle, size, layer, name, limits)
                if isinstance(handle, BytesIO):
                    handle.seek(0)
                gdf = gpd.read_file(
                    handle, engine="pyogrio", layer=layer, max_features=limits.max_features + 1
                )
    except (pyogrio.errors.DataSourceError, ValueError, OSError, IndexError) as err:
        if isinstance(err, InfraGapError):
            raise
        msg = f"{name}: cannot be read as {fmt} ({err})"
        raise InputFileError(msg) from err
    budget.check_geometries(gdf.geometry.to_numpy(), name, limits)
    if fmt == "ESRI Shapefile":
        gdf, recoded = utf8_read_as_latin1(gdf, name=name)
        notes += (recoded,) if recoded else ()
    if gdf.crs is None:
        msg = f"{name}: has no CRS; save it with one (e.g. EPSG:4326)"
        raise SchemaError(msg)
    _check_bounds(gdf, name=name, geographic=True)
    native = gdf.geometry if keep_native and not gdf.crs.equals(WORK_CRS) else None
    with budget.reading(name, f"a layer in {gdf.crs.name}"):
        gdf = gdf.to_crs(WORK_CRS)
    _check_bounds(gdf, name=name, geographic=False)
    if native is not None:
        gdf[NATIVE_GEOMETRY] = native
    gdf["row"] = [str(i + 1) for i in range(len(gdf))]
    return gdf, notes


def _check_bounds(gdf: gpd.GeoDataFrame, *, name: str, geographic: bool, first: int = 1) -> None:
    """Refuse degrees out of range (metres labelled EPSG:4326) and non-finite coordinates.

    With ``geographic``, checks the layer's own CRS when it is in degrees (and that no
    feature jumps across the antimeridian; ``first`` is the number of the layer's first
    feature, for the message); otherwise checks that every coordinate is finite (a point
    that does not project becomes inf).
    """
    if geographic and not (gdf.crs is not None and gdf.crs.is_geographic):
        return
    geoms = gdf.geometry.to_numpy()
    present = np.flatnonzero(~(shapely.is_missing(geoms) | shapely.is_empty(geoms)))
    geoms = geoms[present]
    if len(geoms) == 0:
        return
    bounds = shapely.bounds(geoms)
    if not np.isfinite(bounds).all():
        msg = f"{name}: some coordinates cannot be projected (inf/NaN); is the CRS right?"
        raise SchemaError(msg)
    if geographic:
        west, south = bounds[:, 0].min(), bounds[:, 1].min()
        east, north = bounds[:, 2].max(), bounds[:, 3].max()
        if west < -180 or east > 180 or south < -90 or north > 90:
            msg = (
                f"{name}: coordinates ({west:.6g}, {south:.6g}) to ({east:.6g}, {north:.6g}) are "
                f"not degrees, yet the file says {gdf.crs.to_string()}; save it with its real "
                "CRS (metres usually mean a UTM zone such as EPSG:32748)"
            )
            raise SchemaError(msg)
        _check_antimeridian(bounds, present + first, name=name)


#: Widest span of longitude a feature in degrees may have: half the globe.  Wider means
#: a ring that jumps across the antimeridian (179 -> -179 degrees, reliability.md E7),
#: which no Indonesian boundary (95-141 degrees east) does.
_MAX_LON_SPAN = 180.0


def _check_antimeridian(bounds: np.ndarray, numbers: np.ndarray, *, name: str) -> None:
    """Refuse a feature spanning over half the globe's longitudes, naming it (E7)."""
    wide = np.flatnonzero(bounds[:, 2] - bounds[:, 0] > _MAX_LON_SPAN)
    if len(wide):
        i = int(wide[0])
        msg = (
            f"{name}: feature {int(numbers[i])} spans {bounds[i, 2] - bounds[i, 0]:.1f} "
            f"degrees of longitude ({bounds[i, 0]:.6g} to {bounds[i, 2]:.6g}): its ring jumps "
            f"across the antimeridian (180 degrees), which no Indonesian area does "
            f"({len(wide)} such feature(s)); check the file's coordinates and CRS"
        )
        raise SchemaError(msg)


def _code_text(codes: pd.Series) -> pd.Series:
    """Area codes as text; whole numbers read as floats lose their ``.0``."""
    if pd.api.types.is_float_dtype(codes):
        values = codes.to_numpy(dtype=float, na_value=np.nan)
        known = values[~np.isnan(values)]
        whole = np.isfinite(known).all() and (known == np.round(known)).all()
        if whole and (np.abs(known) < 2**53).all():
            text = codes.astype("Int64").astype("str")
            return text.where(codes.notna(), codes.astype("str"))
    return codes.astype("str")


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
    limits: Limits | None = None,
    keep_native: bool = False,
) -> gpd.GeoDataFrame:
    """Read administrative areas into the work CRS, with ``kode``/``nama``, sorted by code.

    Their extent is checked (``limits.max_extent_km``) before anything sizes a grid from it.

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
        Override the detected code and name columns
        (:func:`infra_gap.io.columns.detect_area_columns`).
    keep_native
        Keep the file's own geometries too (see :func:`read_vector`).
    """
    return read_areas_explained(
        source,
        name=name,
        layer=layer,
        id_col=id_col,
        name_col=name_col,
        limits=limits,
        keep_native=keep_native,
    )[0]


def read_areas_explained(
    source: Source,
    *,
    name: str | None = None,
    layer: str | None = None,
    id_col: str | None = None,
    name_col: str | None = None,
    limits: Limits | None = None,
    keep_native: bool = False,
) -> tuple[gpd.GeoDataFrame, tuple[str, ...]]:
    """:func:`read_areas`, plus report lines: which columns were chosen, why, and doubts.

    Lines about doubts start with ``warning:``.
    """
    name = source_name(source, name)
    limits = limits or budget.current_limits()
    gdf, read_notes = read_vector_explained(
        source, name=name, layer=layer, limits=limits, keep_native=keep_native
    )
    if len(gdf):
        budget.check_extent(gdf.total_bounds, name, limits)
    chosen = detect_area_columns(gdf, id_col=id_col, name_col=name_col)
    id_found, name_found = chosen.code.column, chosen.name.column
    for what, found, given in (("code", id_found, id_col), ("name", name_found, name_col)):
        if found is None:
            hint = f"column {given!r} not found" if given else "no known column"
            msg = f"{name}: {hint} for the area {what}; columns are {list(gdf.columns)}"
            raise SchemaError(msg)
    assert id_found is not None
    assert name_found is not None
    # A chosen column replaces an existing ``kode``/``nama``, kept aside as ``*_asli``.
    picked = {id_found, name_found}
    aside = {c: f"{c}_asli" for c in ("kode", "nama") if c in gdf.columns and c not in picked}
    gdf = gdf.drop(columns=[c for c, new in aside.items() if new in gdf.columns])
    if id_found == name_found:
        gdf = gdf.rename(columns=aside | {id_found: "kode"})
        gdf["nama"] = gdf["kode"]
    else:
        gdf = gdf.rename(columns=aside | {id_found: "kode", name_found: "nama"})
    gdf["kode"] = _code_text(gdf["kode"]).str.strip()
    gdf["nama"] = gdf["nama"].astype("str")
    gdf = gdf.sort_values("kode", kind="stable").reset_index(drop=True)
    return gdf, (*chosen.notes(name), *read_notes)


def read_geoparquet(path: Path) -> gpd.GeoDataFrame:
    """Read a GeoParquet file (the demo cache)."""
    require_file(path)
    with budget.reading(str(path), "GeoParquet"):
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
