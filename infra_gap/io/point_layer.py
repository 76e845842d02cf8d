"""MSME point layers (GeoPackage, zipped Shapefile, GeoJSON) read in chunks, never whole (issue 22).

GDAL hands the layer out as Arrow record batches of ``chunk_rows`` features
(:mod:`infra_gap.io.layer_batches`, sized first), in one pass over the file: the
attribute columns asked for, and each point's coordinates, projected from the layer's
CRS to degrees, as ``lat``/``lon`` numbers.  Each chunk then goes through the same
validation as a CSV chunk (:mod:`infra_gap.io.msme_lean`), so rows in = kept + rejected,
each row named by its feature number (1 for the first feature).  A declared count is not
trusted for memory: working arrays are sized from it only up to what the file's bytes can
hold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pyproj import Transformer

from infra_gap.config import GEO_CRS, Limits
from infra_gap.errors import SchemaError
from infra_gap.io.layer_batches import open_layer

__all__ = ["PointLayer", "open_point_layer"]

#: Fewest bytes a point feature takes in the file: a GeoPackage blob header (8) and a 2-D
#: WKB point (21); a Shapefile point record is 28.  Bounds the rows a file can hold.
_MIN_FEATURE_BYTES = 28
#: Shapely geometry type ids of a point and a multipoint.
_POINT, _MULTIPOINT = 0, 4
#: A 2-D little-endian WKB point: byte order (1), type (4, 1 = point), x and y (21 bytes).
_WKB_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


@dataclass(frozen=True)
class PointLayer:
    """An opened point layer: its column names, an upper bound of its rows, its chunks.

    ``names`` are the layer's fields and ``lat``/``lon`` (from the geometry).
    ``chunks(columns)`` yields ``(feature number of the first row, frame)``: the fields of
    ``columns`` as read, and ``lat``/``lon`` in degrees (NaN for a missing or empty point).
    """

    names: list[str]
    rows: int
    chunks: Callable[[list[str]], Iterator[tuple[int, pd.DataFrame]]]


def open_point_layer(
    source: Path | bytes, name: str, limits: Limits, *, chunk_rows: int | None = None
) -> PointLayer | None:
    """The point layer of a GeoPackage, zipped Shapefile or GeoJSON, to read in chunks.

    Parameters
    ----------
    source, name
        The file (path or uploaded bytes) and its name (suffix: the format; messages).
    limits
        Budgets; features against ``max_table_rows``.
    chunk_rows
        Features per chunk (default ``limits.chunk_rows``).

    Returns
    -------
    The layer, or None for a format that is not a vector layer (a table).

    Raises
    ------
    InfraGapError
        As :func:`infra_gap.io.layer_batches.open_layer`.
    """
    opened = open_layer(source, name, limits)
    if opened is None:
        return None
    size = chunk_rows or limits.chunk_rows
    crs, fields = opened.crs, opened.fields
    geographic = bool(crs.is_geographic)
    same = crs.equals(GEO_CRS, ignore_axis_order=True)
    to_degrees = None if same else Transformer.from_crs(crs, GEO_CRS, always_xy=True)
    names = [f for f in fields if f not in {"lat", "lon"}] + ["lat", "lon"]

    def chunks(columns: list[str]) -> Iterator[tuple[int, pd.DataFrame]]:
        wanted = [c for c in columns if c in fields and c not in {"lat", "lon"}]
        for line, batch, geometry in opened.batches(wanted, size, limits):
            frame = _frame(batch, wanted)
            lon, lat = _degrees(batch, geometry, line, name, to_degrees, geographic=geographic)
            frame["lat"], frame["lon"] = lat, lon
            yield line, frame

    rows = min(max(opened.declared, 0), opened.nbytes // _MIN_FEATURE_BYTES)
    return PointLayer(names, rows, chunks)


def _frame(batch: pa.RecordBatch, wanted: list[str]) -> pd.DataFrame:
    columns = {c: batch.column(c).to_pandas() for c in wanted}
    return pd.DataFrame(columns, index=pd.RangeIndex(batch.num_rows))


def _degrees(
    batch: pa.RecordBatch,
    geometry: str,
    line: int,
    name: str,
    to_degrees: Transformer | None,
    *,
    geographic: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Longitude and latitude of each feature's point (NaN: missing or empty).

    A multipoint of one point counts as that point.  Any other geometry, a point with an
    infinite coordinate, degrees out of range in a geographic layer (metres labelled
    EPSG:4326) or a point that does not project stop the read (``E_SCHEMA``), naming the
    feature.
    """
    if geometry not in batch.schema.names:  # a table without geometry
        return np.full(batch.num_rows, np.nan), np.full(batch.num_rows, np.nan)
    x, y = _xy(batch.column(geometry), line, name)
    blank = np.isnan(x) & np.isnan(y)
    ok = np.isfinite(x) & np.isfinite(y)
    if (~ok & ~blank).any():
        i = int(np.flatnonzero(~ok & ~blank)[0])
        msg = f"{name}: feature {line + i}: the point ({x[i]}, {y[i]}) is not a finite coordinate"
        raise SchemaError(msg)
    if geographic and ok.any():
        out = ok & ((np.abs(x) > 180) | (np.abs(y) > 90))
        if out.any():
            i = int(np.flatnonzero(out)[0])
            msg = (
                f"{name}: feature {line + i}: ({x[i]:.6g}, {y[i]:.6g}) is not in degrees, yet "
                "the file says it is; save it with its real CRS (metres usually mean a UTM "
                "zone such as EPSG:32748)"
            )
            raise SchemaError(msg)
    if to_degrees is None:  # the layer is in degrees already
        return np.where(ok, x, np.nan), np.where(ok, y, np.nan)
    lon, lat = np.full(len(x), np.nan), np.full(len(x), np.nan)
    if ok.any():
        lon[ok], lat[ok] = to_degrees.transform(x[ok], y[ok])
        lost = ok & ~(np.isfinite(lon) & np.isfinite(lat))
        if lost.any():
            i = int(np.flatnonzero(lost)[0])
            msg = f"{name}: feature {line + i}: the point cannot be projected; is the CRS right?"
            raise SchemaError(msg)
    return lon, lat


def _xy(column: pa.Array, line: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The x and y of each WKB point (NaN: missing or empty), in the layer's CRS.

    A 2-D little-endian WKB point (21 bytes, what GDAL writes for a point layer) is read
    straight from the Arrow buffer; any other geometry goes through Shapely: a multipoint
    of one point counts as that point, anything else stops the read (``E_SCHEMA``).
    """
    n = len(column)
    x, y = np.full(n, np.nan), np.full(n, np.nan)
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    wide = pa.types.is_large_binary(column.type)
    offsets = np.frombuffer(column.buffers()[1], dtype="int64" if wide else "int32")
    offsets = offsets[column.offset : column.offset + n + 1].astype("int64")
    data = column.buffers()[2]
    valid = np.asarray(column.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    fast = valid & (np.diff(offsets) == _WKB_POINT.itemsize)
    if fast.all() and data is not None:  # the usual case: one run of points, no copy
        wkb = np.frombuffer(data, dtype=_WKB_POINT, count=n, offset=int(offsets[0]))
        point = (wkb["order"] == 1) & (wkb["type"] == 1)
        x[point], y[point] = wkb["x"][point], wkb["y"][point]
        fast &= point
    elif fast.any() and data is not None:
        raw = np.frombuffer(data, dtype="uint8")
        at = np.flatnonzero(fast)
        wkb = raw[offsets[:-1][at, None] + np.arange(_WKB_POINT.itemsize)].copy().view(_WKB_POINT)
        wkb = wkb.ravel()
        point = (wkb["order"] == 1) & (wkb["type"] == 1)
        x[at[point]], y[at[point]] = wkb["x"][point], wkb["y"][point]
        fast[at[~point]] = False
    rest = np.flatnonzero(valid & ~fast)
    if len(rest):
        x[rest], y[rest] = _xy_shapely(column.take(pa.array(rest)), rest, line, name)
    return x, y


def _xy_shapely(
    column: pa.Array, rows: np.ndarray, line: int, name: str
) -> tuple[np.ndarray, np.ndarray]:
    geoms = shapely.from_wkb(column.to_numpy(zero_copy_only=False))
    kinds = shapely.get_type_id(geoms)
    multi = kinds == _MULTIPOINT
    if multi.any():
        single = shapely.get_num_geometries(geoms[multi]) <= 1
        kinds[np.flatnonzero(multi)[single]] = _POINT
        geoms[multi] = np.where(single, shapely.get_geometry(geoms[multi], 0), geoms[multi])
    other = ~np.isin(kinds, (_POINT, -1))
    if other.any():
        i = int(np.flatnonzero(other)[0])
        kind = _TYPE_NAMES.get(int(kinds[i]), "non-point")
        msg = (
            f"{name}: feature {line + int(rows[i])}: a {kind} geometry; an MSME layer holds "
            "one point per business"
        )
        raise SchemaError(msg)
    return shapely.get_x(geoms), shapely.get_y(geoms)  # NaN for missing and empty points


_TYPE_NAMES = {
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}
