"""Small files shaped like a province office's own data, built in code.

A kabupaten (12.71) of four kecamatan (2 x 2 squares of 4 km) with two desa each, in UTM
zone 47N like many BIG deliveries:

* ``kec.gpkg`` -- BIG-style upper-case columns ``KDKEC``, ``NMKEC`` (kecamatan name),
  ``WADMKK`` (kabupaten name), ``WADMPR``; the kecamatan layer;
* ``desa.gpkg`` -- ``KDEPUM`` (``12.71.01.1001``), ``NAMOBJ``, ``WADMKC``, ``WADMKK``;
* ``umkm.csv`` -- the MSME register as spreadsheet staff export it: ``;`` separator, decimal
  comma, ``LINTANG``/``BUJUR`` in degrees, Latin-1, one row without coordinates;
* ``cov.tif`` -- a binary 4G coverage raster in UTM: the western half covered;
* ``towers.csv`` -- OpenCelliD rows (``lon`` before ``lat``);
* ``backbone.geojson`` -- one fibre line along the southern edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from affine import Affine
from shapely.geometry import LineString, box

UTM = "EPSG:32647"
X0, Y0 = 460_000.0, 395_000.0  # near Medan, UTM 47N
SIDE = 4_000.0
KEC = {  # code -> (name, column, row) in the 2 x 2 grid
    "12.71.01": ("Medan Tuntungan", 0, 0),
    "12.71.02": ("Medan Johor", 1, 0),
    "12.71.03": ("Medan Amplas", 0, 1),
    "12.71.04": ("Medan Denai", 1, 1),
}


@dataclass(frozen=True)
class OwnFiles:
    """Paths of the built files."""

    kec: Path
    desa: Path
    msme: Path
    coverage: Path
    towers: Path
    backbone: Path
    msme_rows: int
    uncovered: int


def _kec_box(col: int, row: int) -> tuple[float, float, float, float]:
    return (X0 + col * SIDE, Y0 + row * SIDE, X0 + (col + 1) * SIDE, Y0 + (row + 1) * SIDE)


def build(folder: Path) -> OwnFiles:
    """Write the files into ``folder`` and return their paths."""
    kec_rows, desa_rows = [], []
    for code, (name, col, row) in KEC.items():
        x0, y0, x1, y1 = _kec_box(col, row)
        kec_rows.append(
            {
                "KDKEC": code,
                "NMKEC": name,
                "WADMKK": "Kota Medan",
                "WADMPR": "Sumatera Utara",
                "geometry": box(x0, y0, x1, y1),
            }
        )
        mid = (y0 + y1) / 2
        for i, (ya, yb) in enumerate(((y0, mid), (mid, y1)), start=1):
            desa_rows.append(
                {
                    "KDEPUM": f"{code}.100{i}",
                    "NAMOBJ": f"{name.split()[-1]} {'Hulu' if i == 1 else 'Hilir'}",
                    "WADMKC": name,
                    "WADMKK": "Kota Medan",
                    "geometry": box(x0, ya, x1, yb),
                }
            )
    kec = folder / "kec.gpkg"
    desa = folder / "desa.gpkg"
    gpd.GeoDataFrame(kec_rows, crs=UTM).to_file(kec, layer="ADMINISTRASIKECAMATAN_AR")
    gpd.GeoDataFrame(desa_rows, crs=UTM).to_file(desa, layer="ADMINISTRASIDESA_AR")

    # MSMEs: 3 per desa, at fixed offsets; the western column (x < X0 + SIDE) is covered.
    pts = []
    for d in desa_rows:
        x0, y0, x1, y1 = d["geometry"].bounds
        for fx, fy in ((0.25, 0.3), (0.5, 0.5), (0.75, 0.7)):
            pts.append((x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)))
    xy = gpd.GeoSeries(gpd.points_from_xy(*zip(*pts, strict=True)), crs=UTM).to_crs(4326)
    lines = ["NAMA_USAHA;KBLI;LINTANG;BUJUR"]
    for i, p in enumerate(xy):
        lat = f"{p.y:.6f}".replace(".", ",")
        lon = f"{p.x:.6f}".replace(".", ",")
        lines.append(f"Usaha Ñusantara {i};47111;{lat};{lon}")
    lines.append("Tanpa koordinat;47111;;")
    msme = folder / "umkm.csv"
    msme.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    uncovered = sum(1 for x, _ in pts if x >= X0 + SIDE)

    coverage = folder / "cov.tif"
    with rasterio.open(
        coverage,
        "w",
        driver="GTiff",
        width=2,
        height=1,
        count=1,
        dtype="uint8",
        crs=UTM,
        transform=Affine(SIDE, 0, X0, 0, -2 * SIDE, Y0 + 2 * SIDE),
        nodata=255,
    ) as dst:
        dst.write(np.array([[1, 0]], dtype="uint8"), 1)

    tw = gpd.GeoSeries(gpd.points_from_xy([X0 + 1000.0], [Y0 + 1000.0]), crs=UTM).to_crs(4326)
    towers = folder / "towers.csv"
    pd.DataFrame(
        {
            "radio": ["LTE"],
            "mcc": [510],
            "net": [10],
            "area": [1],
            "cell": [1],
            "unit": [-1],
            "lon": [round(tw.x.iloc[0], 6)],
            "lat": [round(tw.y.iloc[0], 6)],
            "range": [3000],
        }
    ).to_csv(towers, index=False)

    backbone = folder / "backbone.geojson"
    gpd.GeoDataFrame(
        {"nama": ["Palapa Ring Barat"]},
        geometry=[LineString([(X0 - 2000.0, Y0 - 500.0), (X0 + 2 * SIDE, Y0 - 500.0)])],
        crs=UTM,
    ).to_crs(4326).to_file(backbone)
    return OwnFiles(kec, desa, msme, coverage, towers, backbone, len(pts) + 1, uncovered)
