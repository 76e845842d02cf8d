"""K4: one planner uploads a new 50 MB register again and again on one page; server RSS after each.

The reliability reference's case K4 (``../shared/reference/reliability.md``, section 3): "20
uploads of 50 MB, one after another, in one session: memory plateaus (uploaded files cleared
after parsing; streamlit#9218 workaround); RSS after upload 20 at most RSS after upload 3 +
tolerance".  The tolerance is section 4's plateau, 150 MB.

Starts the real app on loopback as ``bench/bench_load.py`` does, opens one page (one
Streamlit session, never reloaded), and each round uploads the boundaries, a register of its
own (one line differs, so every upload is new to the caches keyed by content: ``own_data``
keeps 4) and the towers on the "Data sendiri" page, presses "Muat data sendiri" and waits
until the data are in use (the steps of ``bench/load_session.py``).  Three seconds after
each load the server's RSS is sampled.

Usage: python bench/bench_uploads.py [--uploads 20] [--upload-mb 50]
Exit status: 0 on PASS (or when Chromium is missing: skipped), 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil
from bench_load import CHROME_ARGS, CHROMIUM, ROOT, _free_port, _start_server, _wait_healthy
from load_files import build_own_files
from load_report import PLATEAU_MB
from load_session import GRID, Results, Session, Settings


async def _uploads(url: str, pid: int, n: int, own, folder: Path) -> tuple[list, Results]:
    from playwright.async_api import async_playwright

    res, rows = Results(), []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        s = Session(0, url, res, folder, own, Settings(600_000, False, True))
        await s.start(browser)
        await s.page.goto(url, wait_until="domcontentloaded")
        await s.page.locator(GRID).first.wait_for()
        await s._settle(0)
        print(f"{'upload':>6} {'seconds':>8} {'RSS MB':>7} {'errors':>6}", flush=True)
        for i in range(n):
            t0, before = time.monotonic(), len(res.errors)
            try:
                await s._upload(i, None)
            except Exception as err:  # recorded, the next upload still tried
                res.errors.append(f"upload {i + 1}: {type(err).__name__}: {err}"[:300])
            await asyncio.sleep(3)
            rss = psutil.Process(pid).memory_info().rss / 1e6
            rows.append((i + 1, time.monotonic() - t0, rss))
            print(f"{i + 1:>6} {rows[-1][1]:>8.1f} {rss:>7.0f} {len(res.errors) - before:>6}",
                  flush=True)  # fmt: skip
        await s.close()
        await browser.close()
    return rows, res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--uploads", type=int, default=20)
    ap.add_argument("--upload-mb", type=float, default=50)
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print("SKIPPED: Debian chromium is not installed (.ci/debian-deps)")
        return 0
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as log:
        folder = Path(tmp)
        own = build_own_files(folder, megabytes=args.upload_mb)
        print(f"cores {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}; a register of "
              f"{own.n_msme:,} MSMEs ({own.msme.stat().st_size / 1e6:.1f} MB), "
              f"{args.uploads} uploads on one page")  # fmt: skip
        proc = _start_server(port, log, folder / "workspaces.sqlite")
        try:
            _wait_healthy(url, proc)
            rows, res = asyncio.run(_uploads(url, proc.pid, args.uploads, own, folder))
            alive = proc.poll() is None
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    raw = {"args": vars(args), "rows": rows, "errors": res.errors}
    (out / "uploads-last.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    for e in res.errors[:10]:
        print(f"  error: {e}")
    third = 3 if len(rows) >= 3 else len(rows)
    growth = rows[-1][2] - rows[third - 1][2] if rows else float("nan")
    ok = not res.errors and alive and len(rows) >= 3 and growth <= PLATEAU_MB
    print(
        f"VERDICT: {'PASS' if ok else 'FAIL'}: {len(res.errors)} errors; RSS after upload "
        f"{len(rows)} against upload 3: {growth:+.0f} MB (limit +{PLATEAU_MB:.0f}); server "
        f"alive: {alive}; load average {os.getloadavg()[0]:.1f}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
