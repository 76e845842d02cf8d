"""Start-up of the command: ``infra-gap --help`` (and ``rank --help``, ``--version``) now
against a reference commit, in one run, interleaved.

    python bench/bench_startup.py [--ref a94d273] [--runs 15]

The reference commit's ``infra_gap/`` is extracted with ``git archive`` into a temporary
folder and run with the same interpreter (``PYTHONPATH`` and the working folder put it
first), so only the code differs.  Each round runs every command once for each side, in
alternating order; the table gives min and median wall and CPU (user + system) time and
the ratios of the medians (on a busy shared machine the CPU figures are the steadier).
Also prints which of the heavy modules importing the CLI loads on each side.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("matplotlib", "folium", "streamlit", "fpdf", "dask", "openpyxl", "xlsxwriter")
COMMANDS = (["--help"], ["rank", "--help"], ["--version"])


def _extract(ref: str, into: Path) -> Path:
    data = subprocess.run(
        ["git", "archive", ref, "infra_gap"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def _run(root: Path, args: list[str]) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    code = f"import sys; sys.argv = ['infra-gap', *{args!r}]; from infra_gap.cli.main import main; main()"
    t0, c0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, check=False
    )
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - t0, (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)


def _heavy(root: Path) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    code = (
        "import sys, infra_gap.cli.main; "
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=False
    )
    return [out.stdout.strip() or out.stderr.strip()[-200:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="a94d273", help="reference commit")
    parser.add_argument("--runs", type=int, default=15, help="rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="infra-gap-ref-") as tmp:
        sides = {args.ref: _extract(args.ref, Path(tmp)), "now": ROOT}
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for root in sides.values():  # warm the file cache and the byte-code
            _run(root, ["--help"])
        for i in range(args.runs):
            order = list(sides.items()) if i % 2 == 0 else list(sides.items())[::-1]
            for cmd in COMMANDS:
                for side, root in order:
                    times.setdefault((side, " ".join(cmd)), []).append(_run(root, cmd))
        load = os.getloadavg()
        print(f"{args.runs} interleaved rounds; load average {load[0]:.1f} {load[1]:.1f}")
        print(
            f"{'command':<12} {'side':<9} {'wall min':>9} {'median':>7} {'CPU min':>8} {'median':>7}"
        )
        for cmd in COMMANDS:
            name = " ".join(cmd)
            wall, cpu = {}, {}
            for side in sides:
                w = [t[0] for t in times[(side, name)]]
                c = [t[1] for t in times[(side, name)]]
                wall[side], cpu[side] = statistics.median(w), statistics.median(c)
                print(
                    f"{name:<12} {side:<9} {min(w):9.3f} {wall[side]:7.3f} {min(c):8.3f} "
                    f"{cpu[side]:7.3f}"
                )
            ratio_w, ratio_c = wall[args.ref] / wall["now"], cpu[args.ref] / cpu["now"]
            print(f"{name:<12} {'ratio':<9} {'':>9} {ratio_w:6.1f}x {'':>8} {ratio_c:6.1f}x")
        for side, root in sides.items():
            print(f"heavy modules on importing the CLI ({side}): {_heavy(root)[0]}")


if __name__ == "__main__":
    main()
