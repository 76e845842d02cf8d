"""Evidence files by operator on top of ``tests/own_files.py`` (BIG-style, UTM, built in code).

Offsets below are metres from the fixture's origin (``X0``, ``Y0``); the four kecamatan are
4 km squares (12.71.01 south-west, .02 south-east, .03 north-west, .04 north-east), each
split into a southern desa ``.1001`` and a northern ``.1002``, with three MSMEs per desa.

* ``towers.csv`` -- OpenCelliD rows: Telkomsel (510-10) at (1000, 1000); XL (510-11), two
  cells 100 m apart at (1000, 7000), one site; Indosat (510-01) at (10500, 4000), 2.5 km
  **outside** the eastern edge, so no kecamatan holds it, yet it reaches MSMEs of .02 and
  .04 (4 km hilly reach).  By hand, operators reaching each kecamatan's MSMEs: .01 1,
  .02 1, .03 2, .04 1; MSMEs reached by none: .01 0 of 6, .02 5, .03 0, .04 5; desa with
  none: 12.71.02.1001 and 12.71.04.1002.
* ``tiles.csv`` -- Ookla-schema zoom-16 tiles under the western MSMEs only (.01 slow,
  1.5 Mbps; .03 fast, 25 Mbps): the eastern kecamatan have no test (unknown evidence).
* ``podes.csv`` -- a Podes-style desa table (``;``, upper-case BPS columns).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

from infra_gap.analysis.tiles import lonlat_to_tile, tile_bounds, tile_to_quadkey
from tests.own_files import KEC, UTM, X0, Y0, OwnFiles, build

#: Podes answers per desa (the fixture's desa codes).
PODES = {
    "12.71.01.1001": "Sinyal sangat kuat",
    "12.71.01.1002": "Sinyal kuat",
    "12.71.02.1001": "Tidak ada sinyal",
    "12.71.02.1002": "Sinyal lemah",
    "12.71.03.1001": "SINYAL KUAT",
    "12.71.03.1002": "sinyal kuat",
    "12.71.04.1001": "Sinyal lemah",
    "12.71.04.1002": "Tidak ada sinyal",
}


@dataclass(frozen=True)
class EvidenceFiles:
    """The own files with towers of three operators, western speed tiles and Podes."""

    own: OwnFiles
    towers: Path
    tiles: Path
    podes: Path
    east: frozenset[str]

    def args(self, level: str, *, podes: bool = False) -> list[str]:
        """The ``rank`` input options at ``level`` (``kecamatan`` or ``desa``)."""
        if level == "kecamatan":
            areas = ["--areas", str(self.own.kec), "--level", level, "--name-col", "NMKEC"]
        else:
            areas = ["--areas", str(self.own.desa), "--level", level, "--name-col", "NAMOBJ"]
        out = [
            *areas,
            "--msme", str(self.own.msme),
            "--coverage", str(self.own.coverage),
            "--towers", str(self.towers),
            "--speedtests", str(self.tiles),
        ]  # fmt: skip
        return [*out, "--podes", str(self.podes)] if podes else out


def _degrees(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True).transform(x, y)
    return np.asarray(lon), np.asarray(lat)


def build_evidence(folder: Path) -> EvidenceFiles:
    """Write the files into ``folder``."""
    own = build(folder)
    x = np.array([1000.0, 1000.0, 1100.0, 10500.0]) + X0
    y = np.array([1000.0, 7000.0, 7000.0, 4000.0]) + Y0
    lon, lat = _degrees(x, y)
    towers = folder / "towers_ops.csv"
    pd.DataFrame(
        {
            "radio": "LTE",
            "mcc": 510,
            "net": [10, 11, 11, 1],
            "area": 1,
            "cell": [1, 2, 3, 4],
            "unit": -1,
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "range": 3000,
        }
    ).to_csv(towers, index=False)
    # MSMEs of the western kecamatan (offsets as in own_files): tiles under them only.
    west = []
    for dy, speed in ((0.0, 1_500), (4000.0, 25_000)):
        for ya in (0.0, 2000.0):
            for fx, fy in ((0.25, 0.3), (0.5, 0.5), (0.75, 0.7)):
                west.append((X0 + fx * 4000.0, Y0 + dy + ya + fy * 2000.0, speed))
    wx, wy, speeds = (np.array(v) for v in zip(*west, strict=True))
    tx, ty = lonlat_to_tile(*_degrees(wx, wy), 16)
    tiles = folder / "tiles.csv"
    w, s, e, n = tile_bounds(tx, ty, 16)
    wkt = [
        f"POLYGON(({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b}))"
        for a, b, c, d in zip(w, s, e, n, strict=True)
    ]
    pd.DataFrame(
        {
            "quadkey": tile_to_quadkey(tx, ty, 16),
            "tile": wkt,
            "avg_d_kbps": speeds,
            "avg_u_kbps": speeds // 5,
            "avg_lat_ms": 40,
            "tests": 30,
            "devices": 10,
        }
    ).drop_duplicates("quadkey").to_csv(tiles, index=False)
    podes = folder / "podes.csv"
    lines = ["KODE_DESA;NAMA_DESA;KONDISI_SINYAL"]
    lines += [f"{k};Desa {i};{v}" for i, (k, v) in enumerate(PODES.items())]
    podes.write_text("\n".join(lines) + "\n", encoding="utf-8")
    east = frozenset(code for code, (_, col, _) in KEC.items() if col == 1)
    return EvidenceFiles(own, towers, tiles, podes, east)
