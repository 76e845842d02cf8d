"""The embedded North Sumatra demo: real boundaries, synthetic layers, cached on disk.

The cache is keyed by the generator version, the parameters and the SHA-256 of every
input file, so a change to any of them regenerates it.  Files are written atomically, so
two processes starting at once do not corrupt each other.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap import io
from infra_gap.config import GEO_CRS, DemoParams
from infra_gap.layers import Layers, Raster, Source
from infra_gap.synthetic.province import DemoLayers, generate_demo

__all__ = [
    "BOUNDARY_FILES",
    "DEMO_REGION",
    "DEMO_SOURCES",
    "demo_sources",
    "export_demo",
    "load_demo",
]

#: Region printed on the demo's dossier cover (the CLI and the app).
DEMO_REGION = "Provinsi Sumatera Utara"

GENERATOR_VERSION = "2"
BOUNDARY_FILES = {
    "provinsi": "sumut_provinsi.geojson",
    "kabupaten": "sumut_kabkota.geojson",
    "kecamatan": "sumut_kecamatan.geojson",
    "desa": "sumut_desa.geojson",
}
STATS_FILE = "sumut_kabkota_stats.csv"
_BOUNDARY_ORIGIN = "cahyadsn/wilayah_boundaries @3c5a796 (Kepmendagri 100.1.1-6117/2022)"
_SYN = "synthetic demo (infra_gap.synthetic, seed {seed})"
DEMO_SOURCES = (
    Source(
        "boundaries",
        _BOUNDARY_ORIGIN,
        "MIT",
        "2022 (codes 2025)",
        synthetic=False,
        url="https://github.com/cahyadsn/wilayah_boundaries",
    ),
    Source(
        "kab_stats", "cahyadsn/wilayah @b7ad440 (BIG 2024, Dukcapil 2025)", "MIT", "2025", False
    ),
    Source("msme", _SYN, "CC0 (generated)", "generated", synthetic=True),
    Source("towers", _SYN, "CC0 (generated)", "generated", synthetic=True),
    Source("coverage", _SYN, "CC0 (generated)", "generated", synthetic=True),
    Source("speed_tiles", _SYN + " in the Ookla schema", "CC0 (generated)", "generated", True),
    Source("backbone", _SYN, "CC0 (generated)", "generated", synthetic=True),
)
_OPERATOR_MNC = {"Telkomsel": 10, "XL Axiata": 11, "Indosat": 1, "Smartfren": 9}


def _cache_key(data_dir: Path, params: DemoParams) -> str:
    h = hashlib.sha256(f"{GENERATOR_VERSION}|{sorted(asdict(params).items())}".encode())
    for name in sorted([*BOUNDARY_FILES.values(), STATS_FILE]):
        h.update(io.file_sha256(data_dir / name).encode())
    return h.hexdigest()[:16]


def _generate_or_read(
    data_dir: Path,
    cache: Path,
    areas: dict[str, gpd.GeoDataFrame],
    stats: pd.DataFrame,
    params: DemoParams,
) -> DemoLayers:
    names = ("msme", "towers", "speed_tiles", "backbone")
    files = (*(f"{n}.parquet" for n in names), "coverage.tif")

    def read(cache: Path) -> DemoLayers:
        frames = {n: io.read_geoparquet(cache / f"{n}.parquet") for n in names}
        return DemoLayers(coverage=io.read_geotiff(cache / "coverage.tif"), **frames)

    def build(cache: Path) -> DemoLayers:
        demo = generate_demo(
            areas["desa"], areas["kabupaten"], areas["provinsi"].union_all(), stats, params=params
        )
        for n in names:
            io.write_geoparquet(getattr(demo, n), cache / f"{n}.parquet")
        io.write_geotiff(demo.coverage, cache / "coverage.tif")
        return demo

    # Hash-checked on read, rebuilt (with one warning) when damaged, built under a lock.
    return io.load_or_build(cache, files, read=read, build=build)


def demo_sources(params: DemoParams | None = None) -> tuple[Source, ...]:
    """The demo's sources, without loading the demo.

    Each synthetic layer names the seed it was drawn with.
    """
    seed = (params or DemoParams()).seed
    return tuple(replace(s, origin=s.origin.format(seed=seed)) for s in DEMO_SOURCES)


def load_demo(data_dir: Path, cache_dir: Path, *, params: DemoParams | None = None) -> Layers:
    """Load the real boundaries and the (cached) synthetic layers.

    Parameters
    ----------
    data_dir
        The project's ``data/`` folder.
    cache_dir
        Where generated layers are kept; created if missing.
    params
        Demo parameters; the defaults when None.
    """
    params = params or DemoParams()
    areas = {level: io.read_areas(data_dir / f) for level, f in BOUNDARY_FILES.items()}
    stats = io.read_csv_table(data_dir / STATS_FILE, dtype={"kode": "str", "kode_bps": "str"})
    cache = cache_dir / f"demo-{_cache_key(data_dir, params)}"
    demo = _generate_or_read(data_dir, cache, areas, stats, params)
    msme = demo.msme.copy()
    msme["row"] = (np.arange(len(msme)) + 2).astype("str")  # CSV line numbers of the export
    sources = demo_sources(params)
    return Layers(
        areas={k: v for k, v in areas.items() if k != "provinsi"},
        msme=msme,
        coverage=demo.coverage,
        towers=demo.towers,
        speed_tiles=demo.speed_tiles,
        backbone=demo.backbone,
        kab_stats=stats,
        sources=sources,
    )


def export_demo(layers: Layers, out_dir: Path) -> list[Path]:
    """Write every demo layer in the real format a user would bring.

    Returns the paths written: ``areas.gpkg`` (one layer per level), ``msme.csv``
    (``lat``/``lon``), ``towers_opencellid.csv``, ``speed_tiles.parquet`` (Ookla columns,
    ``tile`` as WKT), ``coverage.tif`` and ``backbone.geojson``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    gpkg = out_dir / "areas.gpkg"
    gpkg.unlink(missing_ok=True)
    for level, gdf in layers.areas.items():
        io.write_vector(gdf, gpkg, layer=level)
    written.append(gpkg)
    msme = pd.DataFrame(layers.msme.drop(columns=["geometry", "row"]))
    written.append(out_dir / "msme.csv")
    io.write_bytes(msme.to_csv(index=False).encode("utf-8"), written[-1])
    if layers.towers is not None:
        t = layers.towers.to_crs(GEO_CRS)
        n = len(t)
        cells = pd.DataFrame(
            {
                "radio": t["radio"],
                "mcc": 510,
                "net": t["operator"].map(_OPERATOR_MNC).fillna(0).astype("int64"),
                "area": 0,
                "cell": np.arange(1, n + 1),
                "unit": -1,
                "lon": t.geometry.x.round(6),
                "lat": t.geometry.y.round(6),
                "range": t["range"].astype("int64"),
                "samples": 0,
                "changeable": 1,
                "created": 0,
                "updated": 0,
                "averageSignal": 0,
            }
        )
        written.append(out_dir / "towers_opencellid.csv")
        io.write_bytes(cells.to_csv(index=False).encode("utf-8"), written[-1])
    if layers.speed_tiles is not None:
        tiles = pd.DataFrame(layers.speed_tiles.drop(columns="geometry"))
        written.append(out_dir / "speed_tiles.parquet")
        io.write_bytes(tiles.to_parquet(index=False), written[-1])
    if isinstance(layers.coverage, Raster):
        written.append(out_dir / "coverage.tif")
        io.write_geotiff(layers.coverage, written[-1])
    if layers.backbone is not None:
        written.append(out_dir / "backbone.geojson")
        io.write_vector(layers.backbone, written[-1])
    return written
