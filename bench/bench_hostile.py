"""Time and peak memory of each hostile input (``tests/hostile_corpus.py``), one process each.

Usage::

    .venv/bin/python bench/bench_hostile.py [--cap-gb 1.5]

Each case is built, then read in a fresh Python process whose address space is capped at its
start-up size plus ``--cap-gb``; the table gives the code returned, the seconds the read took
and the reading process's peak resident memory (``ru_maxrss``, start-up and reading the
file's bytes included, about 0.2 GB without them); cases are built in the parent.
Not a test: timings live here, never in ``tests/``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, os, resource, sys, time
sys.path.insert(0, {root!r})
from infra_gap.errors import InfraGapError
from tests.hostile_corpus import CASES, read
case = CASES[{index}]
os.environ.update(case.env)
data = open({path!r}, "rb").read()
start = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
cap = start + int({cap} * 2**30)
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
began = time.perf_counter()
try:
    read(case, data)
    code, limit = "ok", ""
except InfraGapError as err:
    code, limit = err.code, getattr(err, "limit", "")
took = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
print(json.dumps({{"code": code, "limit": limit, "seconds": took, "peak_gb": peak}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cap-gb", type=float, default=1.5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.hostile_corpus import CASES, build

    tmp = tempfile.mkdtemp(prefix="bench-hostile-")

    print("| case | expected | code (limit) | seconds | peak RSS GB |")
    print("|---|---|---|---|---|")
    for index, case in enumerate(CASES):
        path = Path(tmp) / "case.bin"
        path.write_bytes(build(case))  # built here: the child's peak counts the read only
        child = _CHILD.format(root=str(ROOT), index=index, cap=args.cap_gb, path=str(path))
        out = subprocess.run(
            [sys.executable, "-c", child], capture_output=True, text=True, timeout=600, check=False
        )
        try:
            row = json.loads(out.stdout.strip().splitlines()[-1])
        except (IndexError, ValueError):
            print(f"| {case.name} | {'/'.join(case.expect)} | CRASH rc={out.returncode} | | |")
            continue
        limit = f" ({row['limit']})" if row["limit"] else ""
        print(
            f"| {case.name} | {'/'.join(case.expect)} | {row['code']}{limit} | "
            f"{row['seconds']:.2f} | {row['peak_gb']:.2f} |"
        )
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
