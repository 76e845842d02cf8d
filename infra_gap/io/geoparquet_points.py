"""Point layers as GeoParquet 1.1 with the native ``point`` encoding, written and read as arrays.

Coordinates are a struct of ``x``/``y`` doubles, so they are read without building shapely
objects; :func:`read_points` reads WKB points too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from pyproj import CRS

from infra_gap.io import atomic_path
from infra_gap.io.workload_paths import Root, filesystem, require

__all__ = ["PointWriters", "read_points", "write_points"]


def _points_table(x: np.ndarray, y: np.ndarray, attrs: pd.DataFrame) -> pa.Table:
    geom = pa.StructArray.from_arrays(
        [pa.array(np.asarray(x, dtype="float64")), pa.array(np.asarray(y, dtype="float64"))],
        fields=[pa.field("x", pa.float64(), nullable=False), pa.field("y", pa.float64(), False)],
    )
    table = pa.Table.from_pandas(attrs.reset_index(drop=True), preserve_index=False)
    return table.append_column("geometry", geom)


def _geo_metadata(table: pa.Table, crs: str, bbox: list[float] | None) -> dict[bytes, bytes]:
    column: dict[str, Any] = {
        "encoding": "point",
        "geometry_types": ["Point"],
        "crs": CRS.from_user_input(crs).to_json_dict(),
    }
    if bbox is not None:
        column["bbox"] = bbox
    geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    return {**(table.schema.metadata or {}), b"geo": json.dumps(geo).encode()}


def write_points(
    x: np.ndarray, y: np.ndarray, attrs: pd.DataFrame, path: Path, *, crs: str
) -> None:
    """Write points as GeoParquet 1.1 with native point encoding, zstd-compressed.

    Parameters
    ----------
    x, y
        Coordinates in ``crs``.
    attrs
        Attribute columns, row-aligned with ``x``.
    path
        Output file (written atomically).
    crs
        CRS of the coordinates (stored as PROJJSON).
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    table = _points_table(x, y, attrs)
    bbox = [float(x.min()), float(y.min()), float(x.max()), float(y.max())] if len(x) else None
    meta = _geo_metadata(table, crs, bbox)
    with atomic_path(path) as tmp:
        pq.write_table(table.replace_schema_metadata(meta), tmp, compression="zstd")


class PointWriters:
    """Point files appended to chunk by chunk (one per partition), renamed into place on close.

    Each file is GeoParquet 1.1 as :func:`write_points` writes it (without a bbox, which is
    optional); a partition with no rows gets an empty file of the same schema.  On an
    error the half-written files are removed.
    """

    def __init__(self, *, crs: str, schema: pd.DataFrame) -> None:
        self._crs = crs
        empty = _points_table(np.empty(0), np.empty(0), schema.iloc[:0])
        self._schema = empty.replace_schema_metadata(_geo_metadata(empty, crs, None)).schema
        self._open: dict[Path, tuple[Path, pq.ParquetWriter]] = {}

    def _writer(self, path: Path) -> pq.ParquetWriter:
        if path not in self._open:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.part")
            self._open[path] = (tmp, pq.ParquetWriter(tmp, self._schema, compression="zstd"))
        return self._open[path][1]

    def write(self, path: Path, x: np.ndarray, y: np.ndarray, attrs: pd.DataFrame) -> None:
        """Append rows to ``path``."""
        table = _points_table(x, y, attrs).cast(self._schema)
        self._writer(path).write_table(table)

    def touch(self, path: Path) -> None:
        """Make sure ``path`` exists when closed (an empty partition)."""
        self._writer(path)

    def close(self, *, keep: bool = True) -> None:
        """Close every file; rename them into place, or remove them when not ``keep``."""
        for path, (tmp, writer) in self._open.items():
            writer.close()
            if keep:
                tmp.replace(path)
            else:
                tmp.unlink(missing_ok=True)
        self._open.clear()


def read_points(
    path: Root, *, columns: Sequence[str] = ()
) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """Coordinates and attributes of a GeoParquet point file.

    Parameters
    ----------
    path
        A file written by :func:`write_points`, or any GeoParquet of points (WKB too).
    columns
        Attribute columns wanted; those absent from the file are skipped.

    Returns
    -------
    x, y, attrs
        ``float64`` coordinates in the file's CRS and the attribute columns found.
    """
    require(path)
    fs, inner = filesystem(path)
    names = pq.read_schema(inner, filesystem=fs).names
    want = [c for c in columns if c in names]
    table = pq.read_table(inner, columns=[*want, "geometry"], filesystem=fs)
    geom = table.column("geometry").combine_chunks()
    if pa.types.is_struct(geom.type):
        x = geom.field("x").to_numpy(zero_copy_only=False)
        y = geom.field("y").to_numpy(zero_copy_only=False)
    else:
        xy = shapely.get_coordinates(shapely.from_wkb(geom.to_numpy(zero_copy_only=False)))
        x, y = xy[:, 0], xy[:, 1]
    attrs = table.select(want).to_pandas()
    return np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"), attrs
