"""A boundary layer as read, kept per file content (issue 20: paid for once per file).

:func:`infra_gap.io.read_areas_explained` guards, parses, reprojects and inspects a
boundary file (its code and name columns); the result depends only on the file's bytes,
its name, the options and the input budgets.  :func:`read_areas_cached` keeps it in the
cache directory under a key of all of them: the attributes as Parquet, each geometry
column as WKB beside them, its CRS as given, and the report lines.  An entry is kept only
when reading it back gives the same frame (columns, dtypes, values, geometries, CRS) and
the same lines; otherwise the layer is read from the file every time.  Entries are checked
against their SHA-256 on read (:func:`infra_gap.io.cache.load_or_build`).

An entry also keeps whether each geometry is valid (``shapely.is_valid``, per geometry
column), so the boundary checks of a later run need not test every polygon again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely
from pyproj import CRS

from infra_gap.errors import DataError, InfraGapError
from infra_gap.io import budget
from infra_gap.io.cache import load_or_build
from infra_gap.io.files import atomic_path, file_sha256, read_json, write_json

__all__ = ["CachedAreas", "read_areas_cached"]

Read = tuple[gpd.GeoDataFrame, tuple[str, ...]]
#: Version of the entries (bump when the reading of areas changes what it returns).
_VERSION = 3  # 3: antimeridian check, UTF-8 DBF text without .cpg (December 2026)
_FILES = ("areas.parquet", "meta.json")
_WKB = "__wkb__"
_VALID = "__valid__"


class CachedAreas(NamedTuple):
    """A boundary layer as read, its report lines, and the validity of its geometries.

    ``valid`` maps a geometry column to ``shapely.is_valid`` of its values (row-aligned
    with ``frame``); empty when the layer was read from the file without an entry.
    """

    frame: gpd.GeoDataFrame
    notes: tuple[str, ...]
    valid: Mapping[str, np.ndarray]


class _Unkept(Exception):
    """The layer does not come back the same from an entry: not kept."""


class _ReadFailed(Exception):
    """Reading the file itself failed with ``err``."""

    def __init__(self, err: BaseException) -> None:
        super().__init__(str(err))
        self.err = err


def read_areas_cached(
    path: Path, *, cache_dir: Path, options: dict[str, object], read: Callable[[], Read]
) -> CachedAreas:
    """``read()`` (the areas and report lines of ``path``), kept in ``cache_dir``.

    ``options`` are the reading options (name, layer, columns, ...), part of the key with
    the file's SHA-256 and the input budgets.  Errors of ``read()`` are raised unchanged;
    an unusable cache folder only costs the reading.
    """
    limits = budget.current_limits()
    try:
        key = hashlib.sha256(file_sha256(path).encode())
    except OSError:
        return CachedAreas(*read(), {})
    key.update(json.dumps([_VERSION, options, repr(limits)], sort_keys=True, default=str).encode())
    directory = cache_dir / f"areas-{key.hexdigest()[:40]}"
    kept: list[Read] = []

    def build(d: Path) -> CachedAreas:
        try:
            value = read()
        except BaseException as err:
            raise _ReadFailed(err) from err
        kept.append(value)
        _store(value, d)
        back = _load(d)
        if not _same(back[:2], value):
            raise _Unkept
        return CachedAreas(*value, back.valid)

    try:
        return load_or_build(directory, _FILES, read=_load, build=build)
    except _ReadFailed as failed:
        raise failed.err from failed.err.__cause__
    except (_Unkept, OSError, ValueError, KeyError, TypeError, pa.ArrowException, InfraGapError):
        return CachedAreas(*(kept[0] if kept else read()), {})


def _geometry_columns(gdf: gpd.GeoDataFrame) -> list[str]:
    return [c for c in gdf.columns if isinstance(gdf[c].dtype, gpd.array.GeometryDtype)]


def _store(value: Read, d: Path) -> None:
    gdf, notes = value
    geoms = _geometry_columns(gdf)
    table = pa.Table.from_pandas(pd.DataFrame(gdf.drop(columns=geoms)), preserve_index=True)
    for c in geoms:
        values = gdf[c].to_numpy()
        table = table.append_column(f"{_WKB}{c}", pa.array(shapely.to_wkb(values)))
        table = table.append_column(f"{_VALID}{c}", pa.array(shapely.is_valid(values)))
    with atomic_path(d / "areas.parquet") as tmp:
        pq.write_table(table, tmp)
    meta = {
        "version": _VERSION,
        "columns": [str(c) for c in gdf.columns],
        "geometry": gdf.geometry.name,
        "crs": {c: (None if gdf[c].crs is None else gdf[c].crs.srs) for c in geoms},
        "notes": list(notes),
    }
    write_json(meta, d / "meta.json")


def _load(d: Path) -> CachedAreas:
    meta = read_json(d / "meta.json")
    if not isinstance(meta, dict) or meta.get("version") != _VERSION:
        msg = f"{d}: not a boundary layer of this version"
        raise DataError(msg)
    # One file: ParquetFile reads it as read_table would, without importing Arrow's
    # dataset layer (0.03-0.05 s of every rank's start-up).
    with (
        budget.reading(str(d), "a kept boundary layer"),
        pq.ParquetFile(d / "areas.parquet") as kept,
    ):
        frame = kept.read().to_pandas()
    valid = {}
    for c, srs in meta["crs"].items():
        wkb = frame.pop(f"{_WKB}{c}").to_numpy(dtype=object)
        valid[c] = frame.pop(f"{_VALID}{c}").to_numpy(dtype=bool)
        crs = None if srs is None else CRS.from_user_input(srs)
        frame[c] = gpd.GeoSeries(shapely.from_wkb(wkb), index=frame.index, crs=crs)
    gdf = gpd.GeoDataFrame(frame[meta["columns"]], geometry=meta["geometry"])
    return CachedAreas(gdf, tuple(str(n) for n in meta["notes"]), valid)


def _same(a: Read, b: Read) -> bool:
    """Whether two reads are the same: frame, dtypes, geometries (WKB), CRS, lines."""
    (fa, na), (fb, nb) = a, b
    if na != nb or list(fa.columns) != list(fb.columns) or not fa.index.equals(fb.index):
        return False
    if not fa.dtypes.equals(fb.dtypes) or fa.geometry.name != fb.geometry.name:
        return False
    geoms = _geometry_columns(fb)
    for c in geoms:
        ca, cb = fa[c].crs, fb[c].crs
        if (ca is None) != (cb is None) or (ca is not None and cb is not None and ca.srs != cb.srs):
            return False
        wa, wb = shapely.to_wkb(fa[c].to_numpy()), shapely.to_wkb(fb[c].to_numpy())
        if not np.array_equal(wa, wb):
            return False
    return pd.DataFrame(fa.drop(columns=geoms)).equals(pd.DataFrame(fb.drop(columns=geoms)))
