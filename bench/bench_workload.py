"""``workload build`` and ``rank --engine dask`` on a real-format national workload.

The synthetic national workload (``infra_gap.national.generate``, generated once per scale into
``.cache/national-<scale>/``) is exported as the ordinary files a ministry would bring:
``desa.parquet`` (GeoParquet boundaries, ``kode``/``nama``), ``umkm.csv`` (``lat,lon,online``,
written partition by partition, never whole) and ``coverage.tif``.  Then:

1. ``infra-gap workload build`` on those files, in its own process: wall time and the
   process's peak memory (``ru_maxrss`` of the child), against the generator's time;
2. the desa indicator table of the built workload on a fresh ``LocalCluster`` of 2
   single-threaded worker processes: wall time and each worker's peak memory.

Targets (issue 17): the build within 2x the time of ``national generate`` at the same scale,
and no Dask worker over 4 GB.  The machine is shared; the load average is printed.

Usage: ``python bench/bench_workload.py [--scale 0.1] [--workers 2] [--level desa]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache"
TARGET_RATIO, TARGET_WORKER_GB = 2.0, 4.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export(folder: Path, files: Path) -> dict[str, float]:
    """Write the workload's layers as ordinary files; returns their sizes in MB."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    from pyproj import Transformer

    from infra_gap import io
    from infra_gap.config import GEO_CRS
    from infra_gap.io import partitioned
    from infra_gap.national.workload import read_workload

    wl = read_workload(folder)
    files.mkdir(parents=True, exist_ok=True)
    desa = partitioned.read_areas(folder / "desa", crs=wl.crs)[["kode", "nama", "geometry"]]
    io.write_geoparquet(desa.sort_values("kode").reset_index(drop=True), files / "desa.parquet")
    shutil.copyfile(folder / "coverage.tif", files / "coverage.tif")
    to_deg = Transformer.from_crs(wl.crs, GEO_CRS, always_xy=True)
    schema = pa.schema([("lat", pa.float64()), ("lon", pa.float64()), ("online", pa.int8())])
    with pacsv.CSVWriter(files / "umkm.csv", schema) as writer:
        for code in wl.parts:
            x, y, attrs = partitioned.read_points(
                partitioned.part_path(folder, "msme", code), columns=("online", "lon", "lat")
            )
            if {"lon", "lat"} <= set(attrs.columns):
                lon, lat = attrs["lon"].to_numpy(), attrs["lat"].to_numpy()
            else:
                lon, lat = to_deg.transform(x, y)
            online = attrs["online"].to_numpy().astype("int8")
            writer.write_table(pa.table({"lat": lat, "lon": lon, "online": online}, schema=schema))
    return {p.name: p.stat().st_size / 2**20 for p in files.iterdir()}


def build(files: Path, out: Path) -> dict[str, float]:
    """``infra-gap workload build`` in a child process: seconds and the child's peak MB."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [
        str(ROOT / ".venv" / "bin" / "infra-gap"), "-q", "workload", "build",
        "--areas", str(files / "desa.parquet"), "--level", "desa",
        "--msme", str(files / "umkm.csv"), "--coverage", str(files / "coverage.tif"),
        "--out", str(out),
    ]  # fmt: skip
    # Indonesia is 5,300 km wide: over the default extent limit meant for one province.
    env = {**os.environ, "INFRA_GAP_LIMITS": "max_extent_km=6000"}
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        print(proc.stderr[-3000:])
        raise SystemExit("workload build failed")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak}


def rank(out: Path, level: str, workers: int) -> dict[str, object]:
    """The indicator table of the built workload on a fresh LocalCluster (run in a child)."""
    from infra_gap.national.engine import dask_client, engine_spec
    from infra_gap.national.partitions import workload_table
    from infra_gap.national.workload import read_workload

    wl = read_workload(out)
    spec = engine_spec("dask", n_workers=workers)
    t0 = time.perf_counter()
    with dask_client(spec) as client:
        t1 = time.perf_counter()
        table, accounts = workload_table(wl, level=level, spec=spec, client=client)
        done = time.perf_counter()
        peaks = sorted(client.run(_peak_mb).values())
    return {
        "seconds": done - t1,
        "total": done - t0,
        "rows": len(table),
        "msme": [accounts[0].read, accounts[0].used, accounts[0].rejected],
        "workers_mb": peaks,
        "parts": len(wl.parts),
        "by": wl.partition_level,
    }


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--rank":
        print(json.dumps(rank(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--level", default="desa")
    args = parser.parse_args()
    from infra_gap.national.generate import NationalParams
    from infra_gap.runs import national_dir, national_workload

    print(f"machine: {os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}")
    folder = national_dir(CACHE, args.scale)
    national_workload(folder, data_dir=ROOT / "data", params=NationalParams(scale=args.scale))
    manifest = json.loads((folder / "manifest.json").read_text())
    generated = float(manifest["generation_seconds"])
    files = CACHE / f"national-{args.scale:g}-files"
    t0 = time.perf_counter()
    sizes = export(folder, files)
    print(f"exported in {time.perf_counter() - t0:.1f} s: "
          + ", ".join(f"{k} {v:,.0f} MB" for k, v in sorted(sizes.items())))  # fmt: skip
    out = CACHE / f"national-{args.scale:g}-built"
    b = build(files, out)
    cmd = [sys.executable, __file__, "--rank", str(out), args.level, str(args.workers)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode:
        print(proc.stderr[-3000:])
        raise SystemExit("rank on the built workload failed")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    c = manifest["counts"]
    read, used, rejected = r["msme"]
    print(f"scale {args.scale:g}: {c['desa']:,} desa, {c['msme']:,} MSMEs (load average now "
          f"{os.getloadavg()[0]:.2f})")  # fmt: skip
    print(f"national generate: {generated:.1f} s (from its manifest)")
    print(f"workload build:    {b['seconds']:.1f} s = {b['seconds'] / generated:.2f}x generate "
          f"(target <= {TARGET_RATIO:g}x), peak {b['peak_mb']:,.0f} MB; {r['parts']} "
          f"{r['by']} partitions")  # fmt: skip
    print(f"rows: msme read {read:,}, placed {used:,}, rejected {rejected:,}")
    worst = max(r["workers_mb"]) / 1024
    print(f"{args.level} table on {args.workers} Dask workers: {r['seconds']:.1f} s "
          f"({r['total']:.1f} s with the cluster start), {r['rows']:,} rows; worker peaks "
          + "/".join(f"{v:,.0f}" for v in r["workers_mb"])
          + f" MB (target < {TARGET_WORKER_GB:g} GB: {'met' if worst < TARGET_WORKER_GB else 'MISSED'})")  # fmt: skip


if __name__ == "__main__":
    main()
