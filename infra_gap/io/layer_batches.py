"""A vector layer (GeoPackage, zipped Shapefile, GeoJSON) opened to read in Arrow batches.

The layer is sized before any feature is read, as :func:`infra_gap.io.vector.read_vector`
does: the file's size, its layers (one), an SQL view refused (a view runs a query of
unbounded cost), the declared features (against ``max_table_rows``, as a table's rows),
fields and CRS definition.  A GeoJSON is guarded one feature at a time
(:mod:`infra_gap.io.geojson_stream`) before GDAL opens it, and GDAL's GeoJSON driver
streams it.  Then :meth:`OpenedLayer.batches` hands out GDAL's Arrow record batches
(:func:`pyogrio.open_arrow`) in one pass, counting the features actually read against
``max_table_rows`` (a declared count can lie).  MSME point layers
(:mod:`infra_gap.io.point_layer`) and speed tiles (:mod:`infra_gap.io.speed_tiles`) are
read this way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePath

import pyarrow as pa
import pyogrio
from pyproj import CRS

from infra_gap.config import Limits
from infra_gap.errors import InputFileError, SchemaError
from infra_gap.io import budget
from infra_gap.io.geojson_stream import scan_feature_collection
from infra_gap.io.vector import VECTOR_FORMATS, layer_handle

__all__ = ["STREAMED_FORMATS", "OpenedLayer", "open_layer"]

#: Formats whose layers are read in batches.
STREAMED_FORMATS = frozenset({"GPKG", "ESRI Shapefile", "GeoJSON"})


@contextmanager
def _handle(source: Path | bytes, name: str, fmt: str) -> Iterator[Path | BytesIO]:
    """What GDAL reads: a GeoJSON as it is (its guard, one feature at a time, ran before)."""
    if fmt != "GeoJSON":
        with layer_handle(source, name) as (handle, _):
            yield handle
    else:
        yield BytesIO(source) if isinstance(source, bytes) else source


def _one_layer(handle: Path | BytesIO, name: str) -> str:
    layers = [str(n) for n, _ in pyogrio.list_layers(handle)]
    if len(layers) != 1:
        found = f"several layers {layers}" if layers else "no layer"
        msg = f"{name}: has {found}; save it as a file with one layer"
        raise InputFileError(msg)
    if isinstance(handle, BytesIO):
        handle.seek(0)
    return layers[0]


def _crs(text: str | None, name: str) -> CRS:
    if not text:
        msg = f"{name}: has no CRS; save it with one (e.g. EPSG:4326)"
        raise SchemaError(msg)
    with budget.reading(name, "a CRS"):
        return CRS.from_user_input(text)


@dataclass(frozen=True)
class OpenedLayer:
    """A sized layer: its format, name, fields, CRS, declared features and file bytes."""

    source: Path | bytes
    name: str
    fmt: str
    layer: str | None
    fields: list[str]
    crs: CRS
    declared: int
    nbytes: int

    def batches(
        self, columns: list[str], size: int, limits: Limits
    ) -> Iterator[tuple[int, pa.RecordBatch, str]]:
        """``(feature number of the first row, batch, geometry column)`` of ``size`` rows.

        ``columns`` are the fields read (the geometry, as WKB, always comes too).
        """
        line, name = 1, self.name
        with (
            _handle(self.source, name, self.fmt) as handle,
            budget.reading(name, self.fmt),
            pyogrio.open_arrow(
                handle, layer=self.layer, columns=columns, batch_size=size, use_pyarrow=True
            ) as (meta, reader),
        ):
            geometry = meta["geometry_name"] or "wkb_geometry"
            for batch in reader:
                read = line - 1 + batch.num_rows  # a declared count can lie: count them
                budget.check(name, "the number of features", read, "max_table_rows", limits)
                yield line, batch, geometry
                line += batch.num_rows


def open_layer(source: Path | bytes, name: str, limits: Limits) -> OpenedLayer | None:
    """The one layer of a GeoPackage, zipped Shapefile or GeoJSON, sized.

    Returns
    -------
    The layer, or None for a format that is not a vector layer (a table, GeoParquet).

    Raises
    ------
    InfraGapError
        ``E_LIMIT`` over a budget or for an SQL view; ``E_INPUT_FILE`` for a file that is
        not readable or has several layers; ``E_SCHEMA`` without a CRS; ``E_SECURITY``
        for a GeoJSON member that could fetch a URL or read a file.
    """
    fmt = VECTOR_FORMATS.get(PurePath(name).suffix.lower())
    if fmt not in STREAMED_FORMATS:
        return None
    budget.check_file(source, name, limits)
    nbytes = len(source) if isinstance(source, bytes) else source.stat().st_size
    if fmt == "GeoJSON":  # guarded one feature at a time before GDAL sees it
        scan_feature_collection(source, name=name, limits=limits)
    with _handle(source, name, fmt) as handle:  # an upload is written out once here
        with budget.reading(name, fmt):
            # A GeoJSON holds one layer; GDAL would parse it once more to list it.
            layer = _one_layer(handle, name) if fmt != "GeoJSON" else None
        if isinstance(handle, Path) and fmt == "GPKG" and layer is not None:
            budget.check_gpkg_layer(handle, layer, name, limits)
        with budget.reading(name, fmt):
            info = pyogrio.read_info(handle, layer=layer)
    declared = int(info["features"])
    budget.check(name, "the number of features", declared, "max_table_rows", limits)
    fields = [str(f) for f in info["fields"]]
    budget.check(name, "the number of columns", len(fields), "max_columns", limits)
    crs_text = info.get("crs") or ""
    budget.check(name, "the CRS definition (characters)", len(crs_text), "max_crs_chars", limits)
    crs = _crs(crs_text, name)
    return OpenedLayer(source, name, fmt, layer, fields, crs, declared, nbytes)
