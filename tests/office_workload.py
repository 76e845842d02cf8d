"""An office's own files for the workload tests, built in code (see ``tests/office_files.py``).

Two kabupaten (12.01, 12.02), so a workload by kabupaten has two partitions; one extra
kecamatan and one extra desa overlap areas of *both* kabupaten (the lowest code must win
across a partition border); the register is a ``;`` decimal-comma CSV in Latin-1 with
``ONLINE`` and ``KODE_DESA`` columns and one row of each rejection: non-numeric, missing,
out of range, swapped, outside every area, and a row without coordinates placed by its desa
code; towers (one outside) and Ookla speed tiles under some MSMEs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer
from shapely.geometry import box

from infra_gap.analysis.tiles import lonlat_to_tile, tile_bounds, tile_to_quadkey
from tests import office_files as of


@dataclass(frozen=True)
class OfficeWorkload:
    """Paths of the built files and the expected row counts."""

    kec: Path
    desa: Path
    msme: Path
    coverage: Path
    towers: Path
    tiles: Path
    backbone: Path
    msme_rows: int


def _degrees(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = Transformer.from_crs(of.UTM, "EPSG:4326", always_xy=True).transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def _comma(v: float) -> str:
    return f"{v:.6f}".replace(".", ",")


def build(folder: Path) -> OfficeWorkload:
    """Write the files into ``folder``."""
    kec = of.kecamatan()
    # Across the 12.01 / 12.02 border (x = X0 + 3 SIDE): covers the east of 12.01.03 and
    # the west of 12.02.01; a higher code than both, so it wins nowhere it overlaps.
    border = of.X0 + 3 * of.SIDE
    extra = {"KDPKAB": "12.02", "WADMKK": of.KAB["12.02"], "WADMPR": "SUMATERA UTARA",
             "KDKEC": "12.02.04", "NMKEC": "Tapian", "geometry":
             box(border - 1000, of.Y0 + 1000, border + 1000, of.Y0 + 3000)}  # fmt: skip
    kec = pd.concat([kec, gpd.GeoDataFrame([extra], crs=of.UTM)], ignore_index=True)
    desa = of.desa()
    extra_desa = {"NAMOBJ": "Tapian Raya", "WADMKD": "Tapian Raya", "WADMKC": "Tapian",
                  "WADMKK": of.KAB["12.02"], "KDCPUM": "12.02.04", "KDEPUM": "12.02.04.2001",
                  "geometry": extra["geometry"]}  # fmt: skip
    desa = pd.concat([desa, gpd.GeoDataFrame([extra_desa], crs=of.UTM)], ignore_index=True)
    paths = {k: folder / n for k, n in (("kec", "kec.gpkg"), ("desa", "desa.gpkg"))}
    gpd.GeoDataFrame(kec, crs=of.UTM).to_file(paths["kec"], layer="ADMINISTRASIKECAMATAN_AR")
    gpd.GeoDataFrame(desa, crs=of.UTM).to_file(paths["desa"], layer="ADMINISTRASIDESA_AR")

    x, y = of.msme_points()
    # Two more points in the overlap, one on each side of the border.
    x = np.concatenate([x, [border - 500, border + 500]])
    y = np.concatenate([y, [of.Y0 + 2000, of.Y0 + 2000]])
    lon, lat = _degrees(x, y)
    lines = ["NAMA_USAHA;LINTANG;BUJUR;ONLINE;KODE_DESA"]
    for i, (la, lo) in enumerate(zip(lat, lon, strict=True)):
        lines.append(f"Usaha {i};{_comma(la)};{_comma(lo)};{'ya' if i % 3 == 0 else 'tidak'};")
    far_lon, far_lat = _degrees(np.array([of.X0 - 50_000]), np.array([of.Y0]))
    lines += [
        "Bukan angka;tiga;98,1;tidak;",
        "Kosong;;;tidak;",
        "Di luar jangkauan;95,0;98,1;tidak;",
        f"Tertukar;{_comma(lon[0])};{_comma(lat[0])};tidak;",
        f"Jauh;{_comma(far_lat[0])};{_comma(far_lon[0])};tidak;",
        "Hanya kode;;;ya;12.01.02.2001",
    ]
    msme = folder / "umkm.csv"
    msme.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    coverage = of.coverage_tif(folder / "cov.tif", declare=True)

    tx = np.array([of.X0 + 1000, border + 1500, of.X0 - 40_000])
    ty = np.array([of.Y0 + 1000, of.Y0 + 3500, of.Y0])
    tlon, tlat = _degrees(tx, ty)
    towers = folder / "towers.csv"
    pd.DataFrame(
        {
            "radio": ["LTE", "UMTS", "LTE"],
            "mcc": 510,
            "net": [10, 1, 11],
            "area": 1,
            "cell": [1, 2, 3],
            "unit": -1,
            "lon": tlon.round(6),
            "lat": tlat.round(6),
            "range": 3000,
        }
    ).to_csv(towers, index=False)

    # Speed tiles under every fifth MSME (and one far away, placed nowhere).
    pick = np.concatenate([np.arange(0, len(lon), 5)])
    qx, qy = lonlat_to_tile(np.append(lon[pick], far_lon), np.append(lat[pick], far_lat), 16)
    keys = sorted({(int(a), int(b)) for a, b in zip(qx, qy, strict=True)})
    qx, qy = np.array([k[0] for k in keys]), np.array([k[1] for k in keys])
    w, s, e, n = tile_bounds(qx, qy, 16)
    wkt = [f"POLYGON(({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b}))"
           for a, b, c, d in zip(w, s, e, n, strict=True)]  # fmt: skip
    tiles = folder / "tiles.csv"
    pd.DataFrame(
        {
            "quadkey": tile_to_quadkey(qx, qy, 16),
            "tile": wkt,
            "avg_d_kbps": 2000 + 1000 * np.arange(len(keys)),
            "avg_u_kbps": 800,
            "avg_lat_ms": 40,
            "tests": 3 + np.arange(len(keys)),
            "devices": 2,
        }
    ).to_csv(tiles, index=False)

    backbone = folder / "backbone.geojson"
    line = gpd.GeoSeries.from_wkt([f"LINESTRING({of.X0} {of.Y0 - 500}, {border} {of.Y0 - 500})"])
    gpd.GeoDataFrame({"nama": ["Palapa Ring Barat"]}, geometry=line.set_crs(of.UTM)).to_crs(
        4326
    ).to_file(backbone)
    return OfficeWorkload(
        paths["kec"], paths["desa"], msme, coverage, towers, tiles, backbone, len(lines) - 1
    )
