"""A partitioned workload on disk: its manifest, reading it, and writing any layers as one.

A workload is a folder laid out by administrative code (:mod:`infra_gap.io.partitioned` has
the layout), run by the local and the Dask engines (:mod:`infra_gap.national.engine`).  It is made
by the national generator (:mod:`infra_gap.national.generate`) or by :func:`split_layers` from any
in-memory layers (the demo, for the engines' equality test).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from pyproj import Transformer

from infra_gap import io
from infra_gap.analysis.evidence import tile_centres, tile_keys
from infra_gap.analysis.placement import build_label_grid, place_points_indexed
from infra_gap.analysis.tiles import lonlat_to_tile, quadkey_to_tile
from infra_gap.config import GEO_CRS, WORK_CRS
from infra_gap.errors import DataError, SchemaError
from infra_gap.io import partitioned
from infra_gap.layers import Layers, Raster, Source
from infra_gap.point_frames import point_xy

__all__ = [
    "MANIFEST_VERSION",
    "OOKLA_COLUMNS",
    "Workload",
    "is_built",
    "read_workload",
    "split_layers",
    "workload_manifest",
]

MANIFEST_VERSION = 1
#: Ookla open-data columns kept in a workload's tile files (the ``tile`` WKT is not).
OOKLA_COLUMNS = ("quadkey", "avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices")
_CODE_LENGTH = {"provinsi": 2, "kabupaten": 5}


@dataclass(frozen=True)
class Workload:
    """A partitioned workload on disk (see :mod:`infra_gap.io.partitioned` for the layout).

    Attributes
    ----------
    root
        The folder: a local path or an fsspec URL (:mod:`infra_gap.io.partitioned`).
    crs
        CRS of every layer.
    parts
        Partition codes (province ``"12"`` or kabupaten ``"12.71"``), sorted.
    partition_level
        ``"provinsi"`` or ``"kabupaten"``.
    layers
        Optional inputs present: ``towers``, ``speed_tiles``, ``backbone``, ``kab_stats``.
    msme_columns
        Attribute columns of the MSME files (``online``; ``lon``/``lat`` when kept).
    capitals
        Province code -> code of its capital kabupaten/kota.
    sources
        Provenance of each layer.
    finest
        The finest level of areas: MSMEs are counted there (``desa`` for the generated
        workloads; the level of the user's boundaries for a built one).
    levels
        Levels of areas the workload holds.
    coverage_nodata
        No-data value of ``coverage.tif`` replacing the file's (``--coverage-nodata``).
    coverage_degrees
        Sample the coverage with the MSMEs' degrees (as ``rank`` does when areas,
        points and raster are all in EPSG:4326), not with the workload CRS.
    prior_rejected
        Rows rejected before the partitions (reading, validation, placement), per source:
        they count as read and rejected in the row accounting.
    """

    root: partitioned.Root
    crs: str
    parts: tuple[str, ...]
    partition_level: str
    layers: tuple[str, ...] = ()
    msme_columns: tuple[str, ...] = ()
    capitals: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    sources: tuple[Source, ...] = ()
    finest: str = "desa"
    levels: tuple[str, ...] = ("desa", "kecamatan", "kabupaten")
    coverage_nodata: float | None = None
    coverage_degrees: bool = False
    prior_rejected: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def synthetic(self) -> bool:
        """True when any layer is synthetic."""
        return any(s.synthetic for s in self.sources)


def workload_manifest(wl: Workload, **extra: Any) -> dict[str, Any]:
    """The JSON manifest of ``wl`` (with ``extra`` facts such as counts and timings)."""
    return {
        "version": MANIFEST_VERSION,
        "crs": wl.crs,
        "parts": list(wl.parts),
        "partition_level": wl.partition_level,
        "layers": list(wl.layers),
        "msme_columns": list(wl.msme_columns),
        "capitals": dict(wl.capitals),
        "sources": [vars(s) for s in wl.sources],
        "finest": wl.finest,
        "levels": list(wl.levels),
        "coverage_nodata": wl.coverage_nodata,
        "coverage_degrees": wl.coverage_degrees,
        "prior_rejected": dict(wl.prior_rejected),
        **extra,
    }


def read_workload(root: partitioned.Root) -> Workload:
    """Read a workload's manifest (a folder, or an fsspec URL such as ``s3://bucket/wl``).

    Raises
    ------
    InputFileError
        When ``root/manifest.json`` is missing.
    SchemaError
        When the manifest is of another version.
    """
    m = partitioned.read_manifest(root)
    if m.get("version") != MANIFEST_VERSION:
        msg = f"{root}: workload manifest version {m.get('version')}, expected {MANIFEST_VERSION}"
        raise SchemaError(msg)
    try:
        return Workload(
            root=root,
            crs=m["crs"],
            parts=tuple(m["parts"]),
            partition_level=m["partition_level"],
            layers=tuple(m["layers"]),
            msme_columns=tuple(m["msme_columns"]),
            capitals=MappingProxyType(dict(m["capitals"])),
            sources=tuple(Source(**s) for s in m["sources"]),
            finest=m.get("finest", "desa"),
            levels=tuple(m.get("levels", ("desa", "kecamatan", "kabupaten"))),
            coverage_nodata=m.get("coverage_nodata"),
            coverage_degrees=bool(m.get("coverage_degrees", False)),
            prior_rejected=MappingProxyType(
                {str(k): int(v) for k, v in m.get("prior_rejected", {}).items()}
            ),
        )
    except (KeyError, TypeError) as err:
        msg = f"{root}: workload manifest lacks or garbles {err}"
        raise SchemaError(msg) from err


def is_built(root: partitioned.Root) -> bool:
    """True when ``root`` holds a workload made by ``workload build`` from a user's files."""
    if not partitioned.exists(partitioned.join(root, "manifest.json")):
        return False
    return "built_from" in partitioned.read_manifest(root)


# ---- Any Layers as a partitioned workload (the demo, for the engines' equality) ----------

PartOf = Callable[[np.ndarray, np.ndarray], np.ndarray]


def _tile_keys_of(
    layers: Layers, x: np.ndarray, y: np.ndarray, crs: str, part_of: PartOf
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray] | None:
    """Tiles, the partition of each tile's centre, and the tile key under each MSME."""
    if layers.speed_tiles is None:
        return None
    tiles = pd.DataFrame(layers.speed_tiles[list(OOKLA_COLUMNS)]).reset_index(drop=True)
    tile_part = part_of(*tile_centres(tiles["quadkey"].to_numpy(), crs=crs))
    msme = layers.msme
    if {"lon", "lat"} <= set(msme.columns):
        lon, lat = msme["lon"].to_numpy(), msme["lat"].to_numpy()
    else:
        lon, lat = Transformer.from_crs(crs, GEO_CRS, always_xy=True).transform(x, y)
    return tiles, tile_part, tile_keys(*lonlat_to_tile(np.asarray(lon), np.asarray(lat), 16))


def _write_shared(
    layers: Layers, coverage: Raster, out: Path, crs: str, part_of: PartOf
) -> list[str]:
    """The layers every partition reads whole or in windows; returns the optional ones."""
    io.write_geotiff(coverage, out / "coverage.tif")
    present = []
    if layers.towers is not None:
        t = layers.towers
        tx, ty = t.geometry.x.to_numpy(), t.geometry.y.to_numpy()
        kept = [c for c in ("operator", "radio", "range", "site_first") if c in t]
        attrs = pd.DataFrame(t[kept]).assign(part=part_of(tx, ty))
        partitioned.write_points(tx, ty, attrs, out / "towers.parquet", crs=crs)
        present.append("towers")
    if layers.speed_tiles is not None:
        present.append("speed_tiles")
    if layers.backbone is not None:
        io.write_geoparquet(layers.backbone, out / "backbone.parquet")
        present.append("backbone")
    if layers.kab_stats is not None:
        partitioned.write_table(layers.kab_stats, out / "kab_stats.parquet")
        present.append("kab_stats")
    return present


def split_layers(
    layers: Layers,
    out: Path,
    *,
    by: str = "kabupaten",
    crs: str = WORK_CRS,
    capital_code: str = "12.71",
    cell_m: float = 100.0,
) -> Workload:
    """Write in-memory layers as a workload partitioned by province or kabupaten code.

    Each MSME (tower, speed tile) goes to the partition of the desa it is placed in by the
    placement rule, so a partition's own placement finds the same desa; rows placed
    nowhere go to the first partition, where they are placed nowhere again (rejected).
    A partition's tile file holds its own tiles (``home``) and every other tile under one
    of its MSMEs, so the per-point tile look-up is the same as on the whole layer.

    Parameters
    ----------
    layers
        Layers with ``desa``, ``kecamatan`` and ``kabupaten`` areas and an in-memory
        coverage raster, in ``crs``.
    out
        The workload folder.
    by
        ``"provinsi"`` (2-character codes) or ``"kabupaten"`` (5 characters).
    crs
        CRS of the layers.
    capital_code
        Code of the provincial capital, as in :func:`infra_gap.analysis.context.area_context`.
    cell_m
        Cell of the label grid used to assign rows to partitions (speed only).
    """
    if by not in _CODE_LENGTH or not isinstance(layers.coverage, Raster):
        msg = f"`by` must be one of {list(_CODE_LENGTH)} and the coverage in memory, got {by!r}"
        raise DataError(msg)
    k = _CODE_LENGTH[by]
    grid = build_label_grid(layers.areas["desa"], cell_m=cell_m)
    prefix = layers.areas["desa"]["kode"].str.slice(0, k).to_numpy()
    parts = sorted(set(prefix))

    def part_of(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        index = place_points_indexed(x, y, grid)
        return np.where(index >= 0, prefix[np.maximum(index, 0)], parts[0])

    msme = layers.msme
    x, y = point_xy(msme)
    msme_part = part_of(x, y)
    columns = tuple(c for c in ("online", "lon", "lat") if c in msme)
    tiles = _tile_keys_of(layers, x, y, crs, part_of)
    for code in parts:
        for level in ("desa", "kecamatan", "kabupaten"):
            a = layers.areas[level]
            keep = [c for c in ("kode", "nama", "jenis", "geometry") if c in a]
            a = a[a["kode"].str.slice(0, k).to_numpy() == code][keep]
            io.write_geoparquet(a, partitioned.part_path(out, level, code))
        mine = msme_part == code
        attrs = pd.DataFrame(msme.loc[mine, list(columns)])
        path = partitioned.part_path(out, "msme", code)
        partitioned.write_points(x[mine], y[mine], attrs, path, crs=crs)
        if tiles is not None:
            frame, tile_part, msme_key = tiles
            home = tile_part == code
            tx, ty, _ = quadkey_to_tile(frame["quadkey"].to_numpy())
            keep = home | np.isin(tile_keys(tx, ty), msme_key[mine])
            path = partitioned.part_path(out, "speed_tiles", code)
            partitioned.write_table(frame[keep].assign(home=home[keep]), path)
    wl = Workload(
        root=out,
        crs=crs,
        parts=tuple(parts),
        partition_level=by,
        layers=tuple(_write_shared(layers, layers.coverage, out, crs, part_of)),
        msme_columns=columns,
        capitals=MappingProxyType({p[:2]: capital_code for p in parts}),
        sources=layers.sources,
    )
    io.write_json(workload_manifest(wl), out / "manifest.json")
    return wl
