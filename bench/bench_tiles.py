"""A world file of speed tiles read for one province: ``infra-gap rank --speedtests``.

``python bench/bench_tiles.py [SIZES]`` (SIZES in millions of tiles, comma separated; ``1,5``
by default) writes, once, a Parquet file of Ookla-schema zoom-16 tiles under
``bench/out/scale/``: the demo's 86,533 Sumatera Utara tiles and random tiles elsewhere in
the world (fixed seed), shuffled, in row groups of 500,000 (Ookla's files hold the world).
It then runs, in a fresh process each, the command a user types::

    infra-gap rank --level kecamatan --areas data/sumut_kecamatan.geojson \\
        --msme msme.csv --coverage coverage.tif --speedtests tiles_5000000.parquet

and prints wall and CPU time, peak memory (``ru_maxrss``) and the tiles' row accounting.
The tiles are read a chunk at a time and reduced to those near the areas as they are read
(:mod:`infra_gap.io.speed_tiles`): memory follows the province's tiles, not the file's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_rank import BIN, DEMO, ROOT, inputs, timed  # noqa: E402

SCALE = HERE / "out" / "scale"


def tiles(n: int) -> Path:
    """The world file of ``n`` tiles (made once): the demo's, and random ones far away."""
    from infra_gap.analysis.tiles import lonlat_to_tile, tile_bounds, tile_to_quadkey

    path = SCALE / f"tiles_{n}.parquet"
    if path.exists():
        return path
    SCALE.mkdir(parents=True, exist_ok=True)
    demo = pq.read_table(DEMO / "speed_tiles.parquet")
    rng = np.random.default_rng(22)
    m = max(n - demo.num_rows, 0)
    lon, lat = rng.uniform(-120, 150, m), rng.uniform(-50, 60, m)
    far = ~((lon > 94) & (lon < 102) & (lat > -3) & (lat < 6))  # not near Sumatera Utara
    tx, ty = lonlat_to_tile(lon[far], lat[far], 16)
    w, s, e, north = (v.round(7) for v in tile_bounds(tx, ty, 16))
    wkt = [
        f"POLYGON (({a} {b}, {a} {d}, {c} {d}, {c} {b}, {a} {b}))"
        for a, b, c, d in zip(w, s, e, north, strict=True)
    ]
    k = len(wkt)
    other = pa.table(
        {
            "quadkey": pa.array(tile_to_quadkey(tx, ty, 16), pa.large_string()),
            "avg_d_kbps": rng.integers(500, 50_000, k),
            "avg_u_kbps": rng.integers(100, 20_000, k),
            "avg_lat_ms": rng.integers(10, 300, k),
            "tests": rng.integers(1, 50, k),
            "devices": rng.integers(1, 20, k),
            "tile": pa.array(wkt, pa.large_string()),
        }
    )
    both = pa.concat_tables([demo.select(other.column_names), other])
    both = both.take(pa.array(rng.permutation(both.num_rows)))
    tmp = path.with_suffix(".tmp")
    pq.write_table(both, tmp, row_group_size=500_000)
    tmp.replace(path)
    return path


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--make"]:
        tiles(int(args[1]))
        return
    sizes = [1.0, 5.0] if not args else [float(s) for s in args[0].split(",")]
    files = inputs()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, INFRA_GAP_CACHE=str(Path(tmp) / "cache"))
        for millions in sizes:
            n = round(millions * 1e6)
            path = SCALE / f"tiles_{n}.parquet"
            if not path.exists():  # in a child: its peak memory is not carried into ours
                subprocess.run([sys.executable, __file__, "--make", str(n)], check=True)
            cmd = [
                str(BIN / "infra-gap"), "rank", "--level", "kecamatan",
                "--areas", str(ROOT / "data" / "sumut_kecamatan.geojson"),
                "--msme", str(files["msme"]), "--coverage", str(files["coverage"]),
                "--speedtests", str(path), "--out", str(Path(tmp) / f"r_{n}.csv"), "--overwrite",
            ]  # fmt: skip
            rows.append((n, timed(cmd, env)))
    print("`infra-gap rank --level kecamatan` with a world file of speed tiles (Parquet)")
    print(f"{'tiles':>12}{'wall s':>8}{'CPU s':>8}{'peak MB':>9}  tiles accounted")
    for n, r in rows:
        said = [ln for ln in str(r["stdout"]).splitlines() if "speed_tiles read" in ln]
        if r["code"] != 0:
            last = (str(r["stderr"]).strip().splitlines() or ["?"])[-1]
            print(f"{n:>12,}  failed (exit {r['code']}, peak {r['peak_mb']:.0f} MB): {last}")
            continue
        print(
            f"{n:>12,}{float(r['wall']):>8.1f}{float(r['cpu']):>8.1f}"
            f"{float(r['peak_mb']):>9.0f}  {said[0].strip() if said else '?'}"
        )


if __name__ == "__main__":
    main()
