"""Peak memory of reading an N-row MSME CSV, under an address-space cap (issue 22).

Usage::

    .venv/bin/python bench/bench_msme_scale.py 2000000 [--cap-gb 4]

Writes a register shaped like an office file (``;``, decimal comma, a desa code, sektor,
skala) with points inside Sumatera Utara to a temporary file, reads it with
``io.read_msme_table`` in this process with ``RLIMIT_AS`` set, and prints rows, seconds and
peak RSS (``ru_maxrss``).  Not a test: timings live here, never in ``tests/``.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np


def write_register(path: Path, rows: int, *, seed: int = 0) -> None:
    """An N-row ``;``-separated register with decimal commas, written in blocks."""
    rng = np.random.default_rng(seed)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("umkm_id;kode_desa;sektor;skala;lat;lon\n")
        block = 1_000_000
        for start in range(0, rows, block):
            n = min(block, rows - start)
            lat = rng.uniform(1.0, 3.5, n)
            lon = rng.uniform(98.0, 99.5, n)
            ids = np.arange(start, start + n)
            lat_text = np.char.replace(np.char.mod("%.5f", lat), ".", ",")
            lon_text = np.char.replace(np.char.mod("%.5f", lon), ".", ",")
            lines = [
                f"U{i};12.07.01.2001;perdagangan;mikro;{a};{b}"
                for i, a, b in zip(ids, lat_text, lon_text, strict=True)
            ]
            fh.write("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows", type=int)
    parser.add_argument("--cap-gb", type=float, default=4.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "umkm.csv"
        write_register(path, args.rows)
        size = path.stat().st_size
        from infra_gap import io  # after writing: the cap counts the read only

        cap = int(args.cap_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        started = time.perf_counter()
        points, rejected = io.read_msme_table(path)
        took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(
        f"rows={args.rows:,} file={size / 2**20:.0f} MiB kept={len(points):,} "
        f"rejected={len(rejected):,} seconds={took:.1f} peak_rss={peak:.2f} GiB cap={args.cap_gb} GiB"
    )


if __name__ == "__main__":
    main()
