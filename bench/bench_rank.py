"""The whole ``infra-gap rank`` command against plain scripts in the peer tools (issue #20).

``python bench/bench_rank.py [N] [--tools geopandas,strtree,duckdb,sedonadb]`` runs, N times
(5 by default) and interleaved (one of each per round, in a fresh process each), the
command a user types::

    infra-gap rank --level desa --areas sumut_desa.geojson --msme msme.csv \\
        --coverage coverage.tif --out ranking.csv

and the same join-and-count written in each peer tool (``bench/join_peers.py``: read the
files, place each MSME in its desa, look up its coverage pixel, count per desa, write a
CSV).  The inputs are the real 6,110 desa boundaries (``data/sumut_desa.geojson``,
EPSG:4326) and the demo's 1,166,918 MSMEs and coverage raster exported as files
(``infra-gap demo export``).  It prints, per variant, the minimum and the median of the
wall time and of the CPU time (user + system of the process and its children, from
``wait4``), the peak memory, the ratios to the geopandas baseline (the acceptance check:
ours at most 0.6x its wall), and the load average before and after: the machine is shared,
so compare minima and ratios of one run.  Every variant's counts are checked against ours.

The peers need the optional ``bench`` extra (``pip install -e '.[bench]'``).  A peer
whose package or spatial extension cannot be loaded is reported as not measurable, with
the reason, and left out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEMO = HERE / "out" / "demo"
BIN = Path(sys.executable).parent


def inputs() -> dict[str, Path]:
    """The files of the run; the demo export is made once if missing."""
    files = {
        "areas": ROOT / "data" / "sumut_desa.geojson",
        "msme": DEMO / "msme.csv",
        "coverage": DEMO / "coverage.tif",
    }
    if not (files["msme"].exists() and files["coverage"].exists()):
        subprocess.run([BIN / "infra-gap", "demo", "export", "--out", DEMO], check=True)
    return files


def compiled() -> None:
    """The package's bytecode written, as ``pip install`` does for an installed copy.

    An editable install compiles on first import, but not where ``PYTHONDONTWRITEBYTECODE``
    is set (some CI and container images): then every run of ours would compile ~90 of
    its modules again (~0.3 s of CPU), while the peers' packages come compiled.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "infra_gap")], check=True)


def ours_command(files: dict[str, Path], out: Path) -> list[str]:
    return [
        str(BIN / "infra-gap"), "rank", "--level", "desa", "--areas", str(files["areas"]),
        "--msme", str(files["msme"]), "--coverage", str(files["coverage"]), "--out", str(out), "--overwrite",
    ]  # fmt: skip


def peer_command(tool: str, files: dict[str, Path], out: Path) -> list[str]:
    return [
        sys.executable, str(HERE / "join_peers.py"), tool,
        str(files["areas"]), str(files["msme"]), str(files["coverage"]), str(out),
    ]  # fmt: skip


def timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float | str]:
    """Wall, CPU (user + system) and peak memory of one process (and its children)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env or dict(os.environ)
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "code": code,
        "stdout": out,
        "stderr": err[-2000:],
    }


def counts(path: Path) -> pd.DataFrame:
    """``kode``, ``msme_total``, ``msme_uncovered`` of an output CSV (ours has units)."""
    df = pd.read_csv(path, dtype={"kode": "str"}, encoding="utf-8-sig")
    df.columns = [c.split(" [")[0] for c in df.columns]
    return df.set_index("kode")[["msme_total", "msme_uncovered"]].sort_index().astype("int64")


def probe(tool: str) -> str | None:
    """None when the peer can run here, else why not."""
    code = {
        "geopandas": "import geopandas",
        "strtree": "import shapely",
        "duckdb": "from join_peers import duckdb_spatial; duckdb_spatial()",
        "sedonadb": "import sedonadb; sedonadb.connect()",
    }[tool]
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=HERE, check=False
    )
    if proc.returncode == 0:
        return None
    return (proc.stderr.strip().splitlines() or ["failed"])[-1][:200]


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    args = sys.argv[1:]
    tools = ["geopandas", "strtree", "duckdb", "sedonadb"]
    if "--tools" in args:
        i = args.index("--tools")
        tools = args[i + 1].split(",")
        del args[i : i + 2]
    rounds = int(args[0]) if args else 5
    files = inputs()
    compiled()
    skipped = {t: why for t in tools if (why := probe(t)) is not None}
    tools = [t for t in tools if t not in skipped]
    variants = ["ours", *tools]
    results: dict[str, list[dict[str, float | str]]] = {v: [] for v in variants}
    load_before = _load()
    with tempfile.TemporaryDirectory() as tmp:
        outs = {v: Path(tmp) / f"{v}.csv" for v in variants}
        env = dict(os.environ, INFRA_GAP_CACHE=str(Path(tmp) / "cache"))
        # One warm-up of ours, with an empty cache: the boundary checks are then cached for
        # this file's content, as for a user's second run (its time is printed apart).
        first = timed(ours_command(files, outs["ours"]), env)
        for r in range(rounds):
            order = variants if r % 2 == 0 else variants[::-1]
            for v in order:
                cmd = (
                    ours_command(files, outs[v]) if v == "ours" else peer_command(v, files, outs[v])
                )
                res = timed(cmd, env)
                if res["code"] != 0:
                    raise SystemExit(f"{v} failed:\n{res['stderr']}")
                results[v].append(res)
        reference = counts(outs["ours"])
        agree = {v: bool(counts(outs[v]).equals(reference)) for v in variants}
    n = int(reference["msme_total"].sum())
    print(f"whole rank command vs peers: {len(reference):,} desa, {n:,} MSMEs placed")
    print(
        f"load average (1/5/15 min) before {load_before}, after {_load()}; {os.cpu_count()} cores"
    )
    print(
        f"ours, first run (boundary checks computed, then cached): wall {first['wall']:.2f} s, "
        f"CPU {first['cpu']:.2f} s"
    )
    base = results.get("geopandas")
    head = f"{'variant':<11}{'wall min':>9}{'wall med':>9}{'CPU min':>9}{'CPU med':>9}"
    print(head + f"{'peak MB':>9}{'wall/gpd':>9}{'CPU/gpd':>8}  same counts")
    for v in variants:
        wall = np.array([r["wall"] for r in results[v]], dtype=float)
        cpu = np.array([r["cpu"] for r in results[v]], dtype=float)
        peak = max(float(r["peak_mb"]) for r in results[v])
        if base:
            bw = float(np.median([r["wall"] for r in base]))
            bc = float(np.median([r["cpu"] for r in base]))
            ratios = f"{np.median(wall) / bw:>9.2f}{np.median(cpu) / bc:>8.2f}"
        else:
            ratios = f"{'-':>9}{'-':>8}"
        print(
            f"{v:<11}{wall.min():>9.2f}{np.median(wall):>9.2f}{cpu.min():>9.2f}"
            f"{np.median(cpu):>9.2f}{peak:>9.0f}{ratios}  {agree[v]}"
        )
    for t, why in skipped.items():
        print(f"{t}: not measurable here ({why})")
    timing = [ln for ln in str(results["ours"][-1]["stdout"]).splitlines() if "time" in ln]
    for line in timing:
        print(f"ours says: {line}")


if __name__ == "__main__":
    main()
