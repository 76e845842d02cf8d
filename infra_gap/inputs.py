"""Build :class:`~infra_gap.layers.Layers` from a user's files (the CLI's ``--areas`` etc.).

Only :mod:`infra_gap.io` opens the files; this module puts the pieces together and keeps
the row accounting.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from infra_gap import io
from infra_gap.layers import REJECTED_COLUMNS, Layers, Source

__all__ = ["InputPaths", "load_layers"]


@dataclass(frozen=True)
class InputPaths:
    """Paths of a user's input files.

    Attributes
    ----------
    areas
        A GeoPackage with one layer per level (``desa``, ``kecamatan``, ``kabupaten``).
    msme
        MSME CSV with ``lat``/``lon``.
    coverage
        Coverage GeoTIFF, or None.
    towers
        OpenCelliD CSV, or None.
    speed_tiles
        Ookla-schema Parquet, or None.
    backbone
        Backbone GeoJSON/GeoPackage, or None.
    kab_stats
        Kabupaten statistics CSV, or None.
    """

    areas: Path
    msme: Path
    coverage: Path | None = None
    towers: Path | None = None
    speed_tiles: Path | None = None
    backbone: Path | None = None
    kab_stats: Path | None = None


def load_layers(paths: InputPaths) -> Layers:
    """Read every given file into validated layers in the work CRS."""
    areas = {
        level: io.read_areas(paths.areas, layer=level)
        for level in ("desa", "kecamatan", "kabupaten")
    }
    msme, rejected = io.read_msme_csv(paths.msme)
    stats = None
    if paths.kab_stats is not None:
        stats = io.read_csv_table(paths.kab_stats, dtype={"kode": "str", "kode_bps": "str"})
    sources = [
        Source(name, str(p), "as supplied", "as supplied", synthetic=False)
        for name, p in vars(paths).items()
        if p is not None
    ]
    return Layers(
        areas=areas,
        msme=msme,
        coverage=io.read_geotiff(paths.coverage) if paths.coverage else None,
        towers=io.read_opencellid(paths.towers) if paths.towers else None,
        speed_tiles=io.read_speed_tiles(paths.speed_tiles) if paths.speed_tiles else None,
        backbone=io.read_vector(paths.backbone) if paths.backbone else None,
        kab_stats=stats,
        sources=tuple(sources),
        rejected=pd.DataFrame(rejected, columns=list(REJECTED_COLUMNS)),
    )
