"""Many users on one server: 10 browser sessions through load, weight changes and downloads.

Starts the real app on loopback, drives N concurrent Playwright contexts (headless Debian
Chromium; every non-local request is blocked) for C cycles of: change a weight, wait for the
rerun to finish, download the CSV.  Reports errors (target 0), the p95 time from a weight
change to the updated page, and the server's resident memory after each cycle (it must level
off, not keep growing).  The baseline is one session alone, measured in the same run.

Usage: python bench/bench_load.py [--sessions 10] [--cycles 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rss_mb(pid: int) -> float:
    total = 0.0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


async def _settle(page) -> None:
    """Wait until Streamlit shows no running indicator (the rerun finished)."""
    await page.wait_for_timeout(150)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000
    )


async def _open(browser, url: str, errors: list[str]):
    ctx = await browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = await ctx.new_page()

    async def only_local(route):
        if route.request.url.startswith(url):
            await route.continue_()
        else:
            await route.abort()

    await page.route("**/*", only_local)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    await page.goto(url, wait_until="domcontentloaded")
    await page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=300_000)
    await _settle(page)
    return ctx, page


async def _cycle(page, i: int, times: list[float], errors: list[str], dl: Path) -> None:
    """Change a weight, wait for the updated page, download the CSV."""
    try:
        slider = page.locator('[data-testid="stSlider"] [role="slider"]').first
        await slider.focus()
        t0 = time.perf_counter()
        await page.keyboard.press("ArrowLeft" if i % 2 else "ArrowRight")
        await _settle(page)
        times.append(time.perf_counter() - t0)
        button = page.locator('[data-testid="stDownloadButton"] button').first
        async with page.expect_download(timeout=120_000) as info:
            await button.click()
        download = await info.value
        target = dl / f"{id(page)}-{i}.csv"
        await download.save_as(target)
        if target.stat().st_size < 100:
            errors.append(f"download {i}: {target.stat().st_size} bytes")
        if await page.locator('[data-testid="stException"]').count():
            errors.append(f"cycle {i}: an exception is shown")
    except Exception as err:  # a benchmark reports every failure instead of stopping
        errors.append(f"cycle {i}: {type(err).__name__}: {err}")


async def _run(url: str, sessions: int, cycles: int, pid: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    errors: list[str] = []
    alone: list[float] = []
    times: list[float] = []
    memory: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROME_ARGS
            )
            ctx, page = await _open(browser, url, errors)  # baseline: one session alone
            for i in range(cycles):
                await _cycle(page, i, alone, errors, Path(tmp))
            await ctx.close()
            opened = await asyncio.gather(*(_open(browser, url, errors) for _ in range(sessions)))
            print(f"{sessions} sessions open; RSS {_rss_mb(pid):.0f} MB", flush=True)
            for i in range(cycles):
                await asyncio.gather(*(_cycle(p, i, times, errors, Path(tmp)) for _, p in opened))
                memory.append(_rss_mb(pid))
            for c, _ in opened:
                await c.close()
            await browser.close()
    return {"alone": alone, "times": times, "errors": errors, "memory": memory}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--cycles", type=int, default=5)
    args = ap.parse_args()
    port = _free_port()
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1"]  # fmt: skip
    log = tempfile.TemporaryFile()  # noqa: SIM115  (closed in the finally below)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(180):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        print(f"server up; RSS {_rss_mb(proc.pid):.0f} MB")
        res = asyncio.run(_run(url, args.sessions, args.cycles, proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    times = sorted(res["times"])  # type: ignore[arg-type]
    alone = sorted(res["alone"])  # type: ignore[arg-type]
    p95 = times[int(0.95 * (len(times) - 1))] if times else float("nan")
    alone_p95 = alone[int(0.95 * (len(alone) - 1))] if alone else float("nan")
    print(
        f"sessions {args.sessions} x cycles {args.cycles} (2 rounds); updates timed: {len(times)}"
    )
    print(f"errors: {len(res['errors'])}")  # type: ignore[arg-type]
    for e in res["errors"][:10]:  # type: ignore[index]
        print(f"  {e}")
    print(
        f"time to updated page: p95 {p95:.2f} s, median {statistics.median(times) if times else float('nan'):.2f} s"
    )
    print(f"baseline, one session alone: p95 {alone_p95:.2f} s; ratio {p95 / alone_p95:.1f}x")
    print("server RSS after each cycle (MB): " + ", ".join(f"{m:.0f}" for m in res["memory"]))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
