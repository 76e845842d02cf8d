"""Scale curve of the whole ``infra-gap rank`` command: 1.17 M, 5 M and 20 M MSMEs.

``python bench/bench_scale.py [SIZES] [--format csv|parquet|gpkg|geojson] [--cap-gb G]`` (SIZES in
millions, comma separated; ``1.166918,5,20`` by default; ``--cap-gb 4`` runs each command
under ``prlimit --as``, an address-space limit, so a size that needs more fails) writes
each register once under ``bench/out/scale/`` as an ordinary file (the demo's 1,166,918 MSMEs, replicated and
jittered by about 30 m with a fixed seed, with the demo's columns), then runs, in a
fresh process each, the command a user types::

    infra-gap rank --level desa --areas data/sumut_desa.geojson --msme msme_5000000.csv \\
        --coverage coverage.tif --out ranking.csv

and prints wall and CPU time (user + system, from ``wait4``), peak memory (``ru_maxrss``),
time and memory per point, whether the peak stayed within 4 GB, and the load average.  A
size that fails (memory, an input budget) is printed with the command's last message
and the curve goes on with the next size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_rank import inputs, ours_command, timed  # noqa: E402

SCALE = HERE / "out" / "scale"
BUDGET_MB = 4096
#: About 30 m in degrees near the equator: jittered copies stay near their original.
JITTER_DEG = 0.0003


def register(n: int, fmt: str) -> Path:
    """An MSME register of ``n`` rows (made once): the demo's rows, repeated and jittered."""
    path = SCALE / f"msme_{n}.{fmt}"
    if path.exists():
        return path
    SCALE.mkdir(parents=True, exist_ok=True)
    demo = pacsv.read_csv(inputs()["msme"])
    base = len(demo)
    take = np.arange(n) % base
    rng = np.random.default_rng(20)
    lat = demo["lat"].to_numpy()[take]
    lon = demo["lon"].to_numpy()[take]
    copy = np.arange(n) >= base  # the first copy is the demo itself, unmoved
    lat = np.where(copy, lat + rng.normal(0, JITTER_DEG, n), lat).round(6)
    lon = np.where(copy, lon + rng.normal(0, JITTER_DEG, n), lon).round(6)
    table = pa.table(
        {
            "umkm_id": pa.array([f"SCL-{i:08d}" for i in range(n)]),
            "lat": lat,
            "lon": lon,
            "skala": demo["skala"].take(pa.array(take)),
            "sektor": demo["sektor"].take(pa.array(take)),
            "online": demo["online"].take(pa.array(take)),
        }
    )
    tmp = path.with_suffix(".tmp")
    if fmt == "gpkg":
        _gpkg(table, path)
        return path
    if fmt == "geojson":
        _geojson(table, path)
        return path
    if fmt == "parquet":
        pq.write_table(table, tmp)
    else:
        pacsv.write_csv(table, tmp)
    tmp.replace(path)
    return path


def _gpkg(table: pa.Table, path: Path) -> None:
    """The register as a GeoPackage point layer in EPSG:4326, written 1 M rows at a time."""
    import geopandas as gpd  # only this format needs them
    import pyogrio

    tmp = path.with_name(f"{path.stem}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    for start in range(0, table.num_rows, 1_000_000):
        part = table.slice(start, 1_000_000)
        frame = part.drop(["lat", "lon"]).to_pandas()
        points = gpd.points_from_xy(part["lon"].to_numpy(), part["lat"].to_numpy())
        layer = gpd.GeoDataFrame(frame, geometry=points, crs="EPSG:4326")
        pyogrio.write_dataframe(layer, tmp, layer="umkm", append=start > 0)
    tmp.replace(path)


def _geojson(table: pa.Table, path: Path) -> None:
    """The register as a GeoJSON FeatureCollection of points, written 100,000 at a time."""
    import json

    tmp = path.with_name(f"{path.stem}.tmp.geojson")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write('{"type": "FeatureCollection", "name": "umkm", "features": [\n')
        for start in range(0, table.num_rows, 100_000):
            part = table.slice(start, 100_000)
            props = part.drop(["lat", "lon"]).to_pylist()
            lon, lat = part["lon"].to_pylist(), part["lat"].to_pylist()
            lines = (
                json.dumps({"type": "Feature", "properties": p,
                            "geometry": {"type": "Point", "coordinates": [x, y]}})
                for p, x, y in zip(props, lon, lat, strict=True)
            )  # fmt: skip
            fh.write(("" if start == 0 else ",\n") + ",\n".join(lines))
        fh.write("\n]}\n")
    tmp.replace(path)


def made(n: int, fmt: str) -> Path:
    """The register, made in a child process when missing.

    Linux carries a process's peak RSS across fork and exec into the child's
    ``ru_maxrss``: a register of 20 M rows built in this process would show as the peak
    of every command measured after it.
    """
    path = SCALE / f"msme_{n}.{fmt}"
    if not path.exists():
        subprocess.run([sys.executable, __file__, "--make", str(n), fmt], check=True)
    return path


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--make"]:
        register(int(args[1]), args[2])
        return
    fmt = "csv"
    if "--format" in args:
        i = args.index("--format")
        fmt = args[i + 1]
        del args[i : i + 2]
    cap = None  # --cap-gb G: run the command under an address-space limit (prlimit --as)
    if "--cap-gb" in args:
        i = args.index("--cap-gb")
        cap = int(float(args[i + 1]) * 2**30)
        del args[i : i + 2]
    sizes = [1.166918, 5.0, 20.0] if not args else [float(s) for s in args[0].split(",")]
    files = inputs()
    load_before = " ".join(f"{v:.2f}" for v in os.getloadavg())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, INFRA_GAP_CACHE=str(Path(tmp) / "cache"))
        for millions in sizes:
            n = round(millions * 1e6)
            msme = made(n, fmt)
            run_files = dict(files, msme=msme)
            cmd = ours_command(run_files, Path(tmp) / f"out_{n}.csv")
            if cap is not None:
                cmd = ["prlimit", f"--as={cap}", "--", *cmd]
            res = timed(cmd, env)
            rows.append((n, res))
            print(f"... {n:,} done: wall {res['wall']:.1f} s", flush=True)
    load_after = " ".join(f"{v:.2f}" for v in os.getloadavg())
    capped = "" if cap is None else f", under an address-space limit of {cap / 2**30:g} GiB"
    print(f"scale curve of `infra-gap rank --level desa` on 6,110 desa ({fmt} registers{capped})")
    print(f"load average (1/5/15 min) before {load_before}, after {load_after}")
    print(
        f"{'MSMEs':>12}{'wall s':>8}{'CPU s':>8}{'peak MB':>9}"
        f"{'us/pt wall':>11}{'us/pt CPU':>10}{'B/pt':>7}  within 4 GB"
    )
    for n, r in rows:
        if r["code"] != 0:
            last = (str(r["stderr"]).strip().splitlines() or ["?"])[-1]
            print(f"{n:>12,}  failed (exit {r['code']}, peak {r['peak_mb']:.0f} MB): {last}")
            continue
        wall, cpu, peak = float(r["wall"]), float(r["cpu"]), float(r["peak_mb"])
        print(
            f"{n:>12,}{wall:>8.1f}{cpu:>8.1f}{peak:>9.0f}{wall / n * 1e6:>11.2f}"
            f"{cpu / n * 1e6:>10.2f}{peak * 2**20 / n:>7.0f}  {peak <= BUDGET_MB}"
        )
        timing = [ln for ln in str(r["stdout"]).splitlines() if ln.startswith("time:")]
        if timing:
            print(f"{'':>12}{timing[0]}")


if __name__ == "__main__":
    main()
