"""Files shaped like a province GIS office's, built in code (BIG RBI columns, UTM, `;` CSV).

Two kabupaten (12.01, 12.02) with three kecamatan each, each kecamatan 4 km x 4 km and split
into two desa; in UTM zone 47N (EPSG:32647), as office layers often are.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
from affine import Affine
from shapely.geometry import box

UTM = "EPSG:32647"
X0, Y0, SIDE = 440_000.0, 380_000.0, 4_000.0
KAB = {"12.01": "KABUPATEN SATU", "12.02": "KABUPATEN DUA"}
KEC_NAMES = ("Barus", "Sorkam", "Pandan", "Lahewa", "Afulu", "Alasa")


def kecamatan() -> gpd.GeoDataFrame:
    """Six kecamatan, BIG style: KDKEC (Kemendagri), NMKEC, WADMKK, KDPKAB, WADMPR."""
    rows = []
    for i, name in enumerate(KEC_NAMES):
        kab = "12.01" if i < 3 else "12.02"
        code = f"{kab}.{i % 3 + 1:02d}"
        x = X0 + i * SIDE
        rows.append(
            {
                "KDPKAB": kab,
                "WADMKK": KAB[kab],
                "WADMPR": "SUMATERA UTARA",
                "KDKEC": code,
                "NMKEC": name,
                "geometry": box(x, Y0, x + SIDE, Y0 + SIDE),
            }
        )
    # WADMKK first: a reader that takes the first name-like column takes the kabupaten's.
    frame = gpd.GeoDataFrame(rows, crs=UTM)
    return frame[["WADMKK", "KDPKAB", "WADMPR", "KDKEC", "NMKEC", "geometry"]]


def desa() -> gpd.GeoDataFrame:
    """Twelve desa (two per kecamatan), BIG RBI style: KDEPUM, NAMOBJ, WADMKD, WADMKC, ..."""
    rows = []
    for kec in kecamatan().itertuples():
        x0, y0, x1, _ = kec.geometry.bounds
        for j in range(2):
            half = box(x0, y0 + j * SIDE / 2, x1, y0 + (j + 1) * SIDE / 2)
            name = f"{kec.NMKEC} {'Hulu' if j else 'Hilir'}"
            rows.append(
                {
                    "NAMOBJ": name,
                    "WADMKD": name,
                    "WADMKC": kec.NMKEC,
                    "WADMKK": kec.WADMKK,
                    "KDCPUM": kec.KDKEC,
                    "KDEPUM": f"{kec.KDKEC}.{2001 + j}",
                    "geometry": half,
                }
            )
    return gpd.GeoDataFrame(rows, crs=UTM)


def msme_points() -> tuple[np.ndarray, np.ndarray]:
    """Ten MSMEs per desa, on a small regular pattern inside it (UTM metres)."""
    xs, ys = [], []
    for geom in desa().geometry:
        x0, y0, _, _ = geom.bounds
        for k in range(10):
            xs.append(x0 + 300 + 350 * k)
            ys.append(y0 + 500 + 100 * (k % 3))
    return np.array(xs), np.array(ys)


def msme_csv(path: Path) -> Path:
    """The MSMEs as a spreadsheet export: `;` separator, decimal comma, lintang/bujur."""
    from pyproj import Transformer

    x, y = msme_points()
    lon, lat = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True).transform(x, y)
    lines = ["nama_usaha;lintang;bujur"]
    for i, (la, lo) in enumerate(zip(lat, lon, strict=True)):
        lines.append(f"Usaha {i + 1};{la:.6f};{lo:.6f}".replace(".", ","))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def coverage_tif(path: Path, *, fill: int = 255, declare: bool = False) -> Path:
    """A binary uint8 coverage raster over the area, 500 m pixels, in UTM.

    The west half is covered (1), the rest not (0); the whole top row of desa (the north
    half of each kecamatan) is ``fill`` (no data written by an office's GIS), declared as
    no data only with ``declare``.
    """
    width, height = int(6 * SIDE / 500), int(SIDE / 500)
    array = np.zeros((height, width), dtype="uint8")
    array[:, : width // 2] = 1
    array[: height // 2, :] = fill
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=width,
        height=height,
        count=1,
        dtype="uint8",
        crs=UTM,
        transform=Affine(500.0, 0, X0, 0, -500.0, Y0 + SIDE),
        nodata=fill if declare else None,
    ) as dst:
        dst.write(array, 1)
    return path
