"""The data model passed between stages: plain frozen containers, no behaviour."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from affine import Affine

__all__ = [
    "REJECTED_COLUMNS",
    "Layers",
    "OperatorRaster",
    "Raster",
    "RasterFile",
    "RowAccount",
    "Source",
]

#: Columns of every rejected-rows table.
REJECTED_COLUMNS = ("source", "row", "reason")


@dataclass(frozen=True)
class Raster:
    """A single-band raster held in memory.

    Attributes
    ----------
    array
        2-D array of values.
    transform
        Affine transform from (col, row) to CRS coordinates.
    crs
        CRS of the raster, as a string understood by pyproj.
    nodata
        The value meaning "no data", or None.
    """

    array: np.ndarray
    transform: Affine
    crs: str
    nodata: float | None


@dataclass(frozen=True)
class RasterFile:
    """A raster too large to hold in memory: sampled in windows, never read whole.

    Attributes
    ----------
    source
        Path or uploaded bytes of the GeoTIFF.
    name
        File name, for messages.
    crs
        CRS of the raster.
    nodata
        The no-data value, or None.
    """

    source: Path | bytes
    name: str
    crs: str
    nodata: float | None


@dataclass(frozen=True)
class OperatorRaster:
    """One operator's coverage raster (``--operator-coverage OPERATOR=FILE.tif``).

    Attributes
    ----------
    operator
        The operator's name as the user gave it (free text, not empty).
    raster
        Its coverage raster, read like the main coverage (a :class:`RasterFile` when large).
    name
        File name, for messages and provenance.
    """

    operator: str
    raster: Raster | RasterFile
    name: str


@dataclass(frozen=True)
class Source:
    """Provenance of one layer, carried into every export.

    Attributes
    ----------
    layer
        Short layer name, e.g. ``"msme"``.
    origin
        Where it came from.
    licence
        Licence of the data.
    vintage
        Date or version of the data.
    synthetic
        True when the layer was generated (the "synthetic demo" label applies).
    operator, technology, url
        Operator, technology (e.g. ``4G LTE``) and a link, when the user gave them
        (:mod:`infra_gap.provenance`); empty otherwise.
    """

    layer: str
    origin: str
    licence: str
    vintage: str
    synthetic: bool
    operator: str = ""
    technology: str = ""
    url: str = ""


@dataclass(frozen=True)
class RowAccount:
    """How many rows of one input were read, used and rejected.

    Attributes
    ----------
    source
        Layer or file name.
    read
        Rows read.
    used
        Rows used.
    rejected
        Rows rejected; ``read == used + rejected`` always holds.
    """

    source: str
    read: int
    used: int
    rejected: int

    def __post_init__(self) -> None:
        if self.read != self.used + self.rejected:
            msg = (
                f"row accounting broken for `{self.source}`: read {self.read} != "
                f"used {self.used} + rejected {self.rejected}"
            )
            raise AssertionError(msg)


def _empty_rejected() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in REJECTED_COLUMNS})


@dataclass(frozen=True)
class Layers:
    """Every layer of one analysis, validated and in the work CRS.

    Attributes
    ----------
    areas
        Level name -> areas with string columns ``kode`` and ``nama``, sorted by ``kode``.
    msme
        MSME points with a string ``row`` column (the input row id) and optional
        ``online``, ``sektor``, ``skala`` columns; or, read from a user's files, a lean
        frame without point objects: work-CRS ``x``/``y`` columns, ``row`` as the file
        line (int) and ``sektor``/``skala`` as categories
        (:func:`infra_gap.io.read_msme_points`; coordinates either way from
        :func:`infra_gap.point_frames.point_xy`).
    coverage
        Coverage raster, or None.
    towers
        Tower points, or None.
    speed_tiles
        Ookla-schema tiles, or None.
    backbone
        Backbone lines and points of presence, or None.
    kab_stats
        The kabupaten statistics table (population, area), or None.
    sources
        Provenance of each layer.
    accounts
        Row accounting of each input.
    rejected
        Rejected rows: ``source,row,reason``.
    native_areas
        The finest areas in their file's own CRS (``kode`` and geometry, row-aligned with
        ``areas`` at that level), when that CRS is not the work CRS; the point-in-polygon
        join runs on them when the points share that CRS (:mod:`infra_gap.analysis.join_crs`).
    podes
        A Podes-style desa table of signal classes (``kode``, ``signal``, ``row``;
        :func:`infra_gap.io.read_podes`), or None.
    operator_coverage
        Coverage rasters per operator (:class:`OperatorRaster`); without ``coverage``
        their union is the coverage (:mod:`infra_gap.analysis.operator_coverage`).
    """

    areas: Mapping[str, gpd.GeoDataFrame]
    msme: gpd.GeoDataFrame
    coverage: Raster | RasterFile | None = None
    towers: gpd.GeoDataFrame | None = None
    speed_tiles: gpd.GeoDataFrame | None = None
    backbone: gpd.GeoDataFrame | None = None
    kab_stats: pd.DataFrame | None = None
    sources: tuple[Source, ...] = ()
    accounts: tuple[RowAccount, ...] = ()
    rejected: pd.DataFrame = field(default_factory=_empty_rejected)
    native_areas: gpd.GeoDataFrame | None = None
    podes: pd.DataFrame | None = None
    operator_coverage: tuple[OperatorRaster, ...] = ()

    @property
    def synthetic(self) -> bool:
        """True when any layer is synthetic."""
        return any(s.synthetic for s in self.sources)
