"""The files the load benchmark's sessions upload, built in code into a temporary folder.

An office's own data shaped like the real thing: the demo's 455 kecamatan as a BIG-style
GeoPackage (KDKEC, NMKEC, WADMKK, KDPKAB; UTM 47N), an MSME register as a spreadsheet export
(``;`` separator, decimal comma, ``lintang``/``bujur``) cut to the size asked for (50 MB in
issue #22: about 850,000 MSMEs), and the demo's towers as an OpenCelliD-style CSV.  Every
session gets its own register in each cycle (one line differs), so every upload is parsed,
never a cache hit.  The hostile file is a case of ``tests/hostile_corpus.py``, fed to the upload box of its
reader.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

#: Upload box (its label's start, Indonesian) of each corpus reader.
BOX = {"areas": "Batas wilayah", "msme": "Daftar UMKM", "raster": "Cakupan 4G"}


@dataclass(frozen=True)
class OwnFiles:
    """The shared files, and what the app must show for them."""

    areas: Path
    towers: Path
    msme: Path  # the register every session's copy starts from
    n_areas: int
    n_msme: int
    kab: tuple[tuple[str, int], ...]  # (kabupaten code, its kecamatan), for the filter

    def register(self, folder: Path, session: int, cycle: int = 0) -> Path:
        """Session ``session``'s register of cycle ``cycle``: the shared one plus one MSME of
        its own, so every upload is new to the server's caches (keyed by the content).  The
        session's register of the cycle before is deleted (20 sessions x 50 MB each)."""
        path = folder / f"umkm-sesi-{session:02d}-{cycle:02d}.csv"
        if not path.exists():
            shutil.copyfile(self.msme, path)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"SESI-{session:02d}-{cycle:02d};2,9;99,1;mikro_kecil;jasa;0\n")
        if cycle:
            (folder / f"umkm-sesi-{session:02d}-{cycle - 1:02d}.csv").unlink(missing_ok=True)
        return path


def build_own_files(folder: Path, *, megabytes: float) -> OwnFiles:
    """Write the boundaries, towers and a register of about ``megabytes`` MB into ``folder``."""
    from infra_gap.synthetic.demo import load_demo

    layers = load_demo(ROOT / "data", ROOT / ".cache")
    kec = layers.areas["kecamatan"].rename(
        columns={"kode": "KDKEC", "nama": "NMKEC", "nama_kab": "WADMKK", "kode_kab": "KDPKAB"}
    )[["WADMKK", "KDPKAB", "KDKEC", "NMKEC", "geometry"]]
    areas = folder / "batas-kecamatan.gpkg"
    kec.to_file(areas, driver="GPKG", engine="pyogrio")
    counts = kec.groupby("KDPKAB").size()
    kab = tuple((str(k), int(n)) for k, n in counts.items())

    t = layers.towers
    towers = folder / "menara.csv"
    lines = ["radio,lon,lat,range"]
    lines += [f"LTE,{x:.6f},{y:.6f},{r:.0f}" for x, y, r in zip(*_tower_columns(t), strict=True)]
    towers.write_text("\n".join(lines) + "\n", encoding="utf-8")

    m = layers.msme
    lat = np.char.replace(np.char.mod("%.6f", m["lat"].to_numpy()), ".", ",")
    lon = np.char.replace(np.char.mod("%.6f", m["lon"].to_numpy()), ".", ",")
    online = m["online"].astype(int).astype(str).to_numpy()
    msme = folder / "umkm.csv"
    limit = int(megabytes * 1e6)
    n = 0
    with msme.open("w", encoding="utf-8") as fh:
        size = fh.write("id;lintang;bujur;skala;sektor;online\n")
        rows = zip(m["umkm_id"], lat, lon, m["skala"], m["sektor"], online, strict=True)
        for row in rows:
            line = ";".join(row) + "\n"
            if size + len(line) > limit:
                break
            size += fh.write(line)
            n += 1
    if size < limit * 0.9:
        print(f"note: the demo's {n:,} MSMEs make a register of {size / 1e6:.0f} MB only")
    return OwnFiles(areas, towers, msme, len(kec), n, kab)


def _tower_columns(towers) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitude, latitude and range (m) of the demo's towers."""
    ll = towers.to_crs("EPSG:4326").geometry
    reach = towers["range"] if "range" in towers else np.full(len(towers), 3000.0)
    return ll.x.to_numpy(), ll.y.to_numpy(), np.asarray(reach, dtype=float)


@dataclass(frozen=True)
class Hostile:
    """A corpus case as an upload: its file, the box it goes into, the codes it may give."""

    name: str
    path: Path
    box: str
    expect: tuple[str, ...]


def hostile_file(folder: Path, name: str) -> Hostile:
    """Build the corpus case called ``name`` (one that needs no lowered limits)."""
    sys.path.insert(0, str(ROOT))
    from tests.hostile_corpus import CASES, build

    by_name = {c.name: c for c in CASES if c.reader in BOX and not c.env and not c.layer}
    if name not in by_name:
        raise SystemExit(f"--hostile: choose one of {sorted(by_name)}")
    case = by_name[name]
    path = folder / case.filename
    path.write_bytes(build(case))
    return Hostile(case.name, path, BOX[case.reader], case.expect)
