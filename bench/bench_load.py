"""Many users on one server: concurrent browser sessions through load, weight change, download.

Starts the real app (``streamlit run app.py`` with the project's ``.streamlit/config.toml``) on
loopback at a free port, then drives N concurrent sessions (one headless Debian Chromium, one
Playwright browser context per session; every request that does not go to the local server is
aborted) for C cycles.  Each cycle, every session:

1. loads the page (a fresh Streamlit session) and waits for the ranked table;
2. sets its own random seed (untimed), so that every timed change below is a ranking the
   server has not cached yet: the cost measured is a real rerun, not a cache hit;
3. changes a weight with the keyboard (the first sidebar slider, ``Home`` or ``End`` on the
   focused ``input[type=range]``) and times how long until the ranked table shows different
   content (read from the grid's accessible text; the viewport is wide so the score column is
   on screen);
4. downloads the CSV (a deferred download: the bytes are made on click) and checks it: every
   kecamatan, and its rank 1 is the table's rank 1.  A failed download counts as an error and
   is tried once more, to tell a lost file from a broken button.

"Done" means the script has finished a run and no new run starts for 2 s (a page load runs
the script twice: the map component reports its first state).  Runs are counted in the page
from the app root's ``data-test-script-state`` attribute.

After each cycle it prints the times and the server's resident memory (psutil: the server
process and its children).  Errors (target 0): timeouts, page errors, an exception or error
shown, a bad or failed download; each is printed with the app's state, and a screenshot goes to
``bench/out/``.  Verdict: PASS when there are no errors and memory levels off (the last cycle's
RSS is at most the second cycle's + 150 MB, reliability.md section 4).

The machine's cores are shared by the server and the browser, so the times include the
browser's own rendering; they are an upper bound for a server with separate clients.

Usage: python bench/bench_load.py [--sessions 10] [--cycles 5] [--alone 2] [--timeout 600]
       [--verbose]          (``make bench`` runs it with the defaults, via bench/run_all.py)
Exit status: 0 on PASS (or when Chromium is missing: skipped), 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import io
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip
STEP_TIMEOUT_MS = 600_000  # one step under 10 sessions on 2 shared cores: generous on purpose
VERBOSE = False
N_KECAMATAN = 455
PLATEAU_MB = 150.0
TABLE = "[data-testid='stDataFrame']"
GRID = f"{TABLE} [data-testid='data-grid-canvas']"


@dataclass
class Results:
    """What the sessions measured (shared by all; asyncio runs them on one thread)."""

    load: list[float] = field(default_factory=list)
    update: list[float] = field(default_factory=list)
    download: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed_downloads: int = 0  # failed clicks (a download is tried twice)
    lost_downloads: int = 0  # downloads that failed on both clicks


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children, in MB."""
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return float("nan")
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total / 1e6


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


# Counts finished script runs: the app root's `data-test-script-state` leaving "running".
RUN_COUNTER = """
(() => {
  window.__igRuns = 0;
  // Watch the whole document, so a re-mounted app root (after a reconnect) is still seen.
  new MutationObserver((records) => {
    for (const r of records) if (r.oldValue === 'running') window.__igRuns++;
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
})();
"""
STATE = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState"""
IDLE_AFTER = """(n) => (window.__igRuns || 0) > n && document.querySelector(
  '[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'"""


async def _runs(page) -> int:
    return int(await page.evaluate("window.__igRuns || 0"))


async def _idle_after(page, n: int) -> None:
    """Wait until a script run after the n-th has finished and none is running."""
    await page.wait_for_function(IDLE_AFTER, arg=n, timeout=STEP_TIMEOUT_MS, polling=100)


async def _no_exception(page) -> None:
    """Raise at once when the app shows an exception (instead of waiting for a timeout)."""
    shown = page.locator("[data-testid='stException']")
    if await shown.count():
        text = (await shown.first.inner_text())[:200].replace("\n", " ")
        raise RuntimeError(f"the app shows an exception: {text}")


async def _settle(page, n: int, quiet_ms: int = 2000) -> None:
    """Wait for a run after the n-th to finish, then until no run starts for `quiet_ms`.

    A page load runs the script twice (the map component reports its first state), so one
    finished run is not the end of an action.
    """
    while True:
        await _idle_after(page, n)
        n = await _runs(page)
        await page.wait_for_timeout(quiet_ms)
        await _no_exception(page)
        if await _runs(page) == n and await page.evaluate(STATE) == "notRunning":
            return
        n -= 1  # a run started meanwhile: wait for it (and any after it) to finish


async def _grid_text(page) -> str:
    grid = page.locator(GRID).first
    return (await grid.text_content(timeout=STEP_TIMEOUT_MS)) or ""


async def _shown_problems(page) -> list[str]:
    found = []
    for what in ("stException", "stAlertContentError"):
        for text in await page.locator(f"[data-testid='{what}']").all_inner_texts():
            found.append(f"{what}: {text[:200]}")
    return found


async def _diagnose(page, label: str) -> str:
    """The app's script and connection state, and a screenshot in bench/out/, after a failure."""
    try:
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(out / f"load-{label}.png"), timeout=30_000)
        return str(
            await page.evaluate(
                """() => { const a = document.querySelector('[data-testid="stApp"]');
                return `script ${a?.dataset.testScriptState} connection `
                  + `${a?.dataset.testConnectionState} runs ${window.__igRuns}`; }"""
            )
        )
    except Exception as err:  # the page may be gone: say so and carry on
        return f"no diagnosis: {type(err).__name__}"


def _say(text: str) -> None:
    if VERBOSE:
        print(f"  {time.strftime('%H:%M:%S')} {text}", flush=True)


class Session:
    """One browser context on the app: one planner at a desk."""

    def __init__(self, n: int, url: str, res: Results, downloads: Path) -> None:
        self.n, self.url, self.res, self.downloads = n, url, res, downloads
        self.page = None
        self.context = None

    async def start(self, browser) -> None:
        self.context = await browser.new_context(
            viewport={"width": 2200, "height": 1000}, accept_downloads=True
        )
        self.page = await self.context.new_page()
        self.page.set_default_timeout(STEP_TIMEOUT_MS)

        async def only_local(route) -> None:
            if route.request.url.startswith(self.url):
                await route.continue_()
            else:
                self.res.blocked.append(route.request.url)
                await route.abort()

        await self.page.add_init_script(RUN_COUNTER)
        await self.page.route("**/*", only_local)
        self.page.on("pageerror", lambda e: self.res.errors.append(f"s{self.n}: pageerror {e}"))

    async def cycle(self, c: int, seed: int) -> None:
        """Load, set the seed, change a weight (timed), download the CSV; failures recorded."""
        page = self.page
        assert page is not None
        step = "load"
        try:
            t0 = time.perf_counter()
            await page.goto(self.url, wait_until="domcontentloaded", timeout=STEP_TIMEOUT_MS)
            await _idle_after(page, 0)
            await page.locator(GRID).first.wait_for(timeout=STEP_TIMEOUT_MS)
            self.res.load.append(time.perf_counter() - t0)  # first run done, table shown
            await _settle(page, 0)

            step = "seed"
            _say(f"s{self.n} c{c} seed")
            await page.get_by_text("Stabilitas peringkat", exact=True).first.click()
            box = page.locator(".st-key-seed input").first
            await box.fill(str(seed))
            runs = await _runs(page)
            await box.press("Enter")
            await _settle(page, runs)
            before = await _grid_text(page)

            step = "weight"
            _say(f"s{self.n} c{c} weight")
            slider = page.locator("[data-testid='stSidebar'] input[type='range']").first
            await slider.focus()
            key = "End" if await slider.get_attribute("value") == "0" else "Home"
            label = await slider.get_attribute("aria-label")
            runs = await _runs(page)
            t0 = time.perf_counter()
            await page.keyboard.press(key)
            deadline = t0 + STEP_TIMEOUT_MS / 1000
            while (await _grid_text(page)) == before:
                if time.perf_counter() > deadline:
                    raise TimeoutError("the ranked table did not change")
                await _no_exception(page)
                await page.wait_for_timeout(100)
            self.res.update.append(time.perf_counter() - t0)
            await _settle(page, runs)
            after = await _grid_text(page)
            # A weight set to 0 moves to the "other weights" expander: find it by its label.
            same = page.locator(f"[data-testid='stSidebar'] input[aria-label={json.dumps(label)}]")
            moved = await same.first.get_attribute("value")
            if moved != ("1" if key == "End" else "0"):
                self.res.errors.append(f"s{self.n} c{c}: slider at {moved} after {key}")

            step = "download"
            _say(f"s{self.n} c{c} download")
            t0 = time.perf_counter()
            target = self.downloads / f"s{self.n}-c{c}.csv"
            for attempt in (1, 2):  # a failed download is an error; the second try tells more
                try:
                    await self._download(target)
                    break
                except Exception as err:
                    self.res.failed_downloads += 1
                    msg = f"s{self.n} c{c} download try {attempt}: {type(err).__name__}: {err}"
                    self.res.errors.append(msg[:300])
            else:
                self.res.lost_downloads += 1
                return
            self.res.download.append(time.perf_counter() - t0)  # a retry included
            rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
            if len(rows) != N_KECAMATAN:
                self.res.errors.append(f"s{self.n} c{c}: CSV has {len(rows)} rows")
            elif rows[0]["nama"] not in after:
                self.res.errors.append(f"s{self.n} c{c}: CSV rank 1 {rows[0]['nama']!r} not shown")
            target.unlink()
            self.res.errors.extend(f"s{self.n} c{c}: {p}" for p in await _shown_problems(page))
        except Exception as err:  # a benchmark records every failure and carries on
            state = await _diagnose(page, f"s{self.n}-c{c}-{step}")
            msg = f"s{self.n} c{c} {step}: {type(err).__name__}: {err}"[:300]
            self.res.errors.append(f"{msg} [{state}]")

    async def _download(self, target: Path) -> None:
        """Click "Unduh CSV" and save the file; raise with the button's own error if shown."""
        page = self.page
        assert page is not None
        button = page.locator(".st-key-download_csv button").first
        said = page.locator(".st-key-download_csv [data-testid='stDownloadButtonError']")
        # A download starts within a second or two even under load; 120 s is generous.
        waiter = asyncio.ensure_future(
            page.wait_for_event("download", timeout=min(STEP_TIMEOUT_MS, 120_000))
        )
        try:
            await button.click()
            while not waiter.done():
                if await said.count():  # shown for 5 s after a failed request
                    raise RuntimeError(f"the button says: {await said.first.inner_text()}")
                await asyncio.sleep(0.2)
            download = waiter.result()
        finally:
            if not waiter.done():
                waiter.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await waiter
        await download.save_as(target)

    async def close(self) -> None:
        if self.context is not None:
            await self.context.close()


async def _round(browser, url, n_sessions, cycles, pid, res, downloads, seed0, label):
    """Run `cycles` cycles of `n_sessions` concurrent sessions; a row of figures per cycle."""
    sessions = [Session(i, url, res, downloads) for i in range(n_sessions)]
    for s in sessions:
        await s.start(browser)
    rows = []
    print(f"\n{label}: {n_sessions} session(s) x {cycles} cycle(s)", flush=True)
    print(
        f"{'cycle':>5} {'wall s':>7} {'load med':>9} {'upd med':>8} {'upd p95':>8} "
        f"{'upd max':>8} {'errors':>6} {'server RSS MB':>13}",
        flush=True,
    )
    for c in range(cycles):
        n_upd, n_load, n_err = len(res.update), len(res.load), len(res.errors)
        t0 = time.perf_counter()
        await asyncio.gather(*(s.cycle(c, seed0 + c * n_sessions + s.n) for s in sessions))
        wall = time.perf_counter() - t0
        upd, load = res.update[n_upd:], res.load[n_load:]
        rss = rss_mb(pid)
        rows.append(rss)
        print(
            f"{c + 1:>5} {wall:>7.1f} {statistics.median(load) if load else float('nan'):>9.1f} "
            f"{statistics.median(upd) if upd else float('nan'):>8.2f} "
            f"{percentile(upd, 95):>8.2f} {max(upd, default=float('nan')):>8.2f} "
            f"{len(res.errors) - n_err:>6} {rss:>13.0f}",
            flush=True,
        )
        for e in res.errors[n_err:]:
            print(f"      error: {e}", flush=True)
    for s in sessions:
        await s.close()
    return rows


async def _run(url: str, args: argparse.Namespace, pid: int) -> tuple[Results, Results, list]:
    from playwright.async_api import async_playwright

    alone, many = Results(), Results()
    with tempfile.TemporaryDirectory() as tmp:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, args=CHROME_ARGS, headless=True
            )
            if args.alone:
                await _round(browser, url, 1, args.alone, pid, alone, Path(tmp), 1000, "baseline")
            memory = await _round(
                browser, url, args.sessions, args.cycles, pid, many, Path(tmp), 2000, "load"
            )
            await browser.close()
    return alone, many, memory


def _start_server(port: int, log) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        # As in production: no reloading of modules edited while the server runs.
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    # cwd=ROOT: Streamlit reads the project's .streamlit/config.toml from the working directory.
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def _wait_healthy(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("streamlit did not become healthy")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--alone", type=int, default=2, help="cycles of one session alone first")
    ap.add_argument("--verbose", action="store_true", help="print every step of every session")
    ap.add_argument("--timeout", type=float, default=600, help="seconds allowed per step")
    args = ap.parse_args()
    global VERBOSE, STEP_TIMEOUT_MS  # command-line switches
    VERBOSE, STEP_TIMEOUT_MS = args.verbose, int(args.timeout * 1000)
    if not Path(CHROMIUM).exists():
        print("SKIPPED: Debian chromium is not installed (.ci/debian-deps)")
        return 0
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"cores {os.cpu_count()}; server {url} (loopback only; other requests aborted)")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = _start_server(port, log)
        try:
            _wait_healthy(url, proc)
            print(f"server up; RSS {rss_mb(proc.pid):.0f} MB", flush=True)
            alone, many, memory = asyncio.run(_run(url, args, proc.pid))
            alive = proc.poll() is None
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if many.errors or not alive:
            log.seek(0)
            tail = log.read().decode("utf-8", "replace").splitlines()[-20:]
            print("server log (last lines):", *tail, sep="\n  ")
    total = args.sessions * args.cycles
    print(f"\nsessions {args.sessions} x cycles {args.cycles}: {total} page loads, weight changes "
          f"and CSV downloads; updates timed: {len(many.update)}")  # fmt: skip
    print(
        f"errors: {len(many.errors)} (baseline: {len(alone.errors)}); CSV download clicks "
        f"that failed: {many.failed_downloads}; downloads lost after two clicks: "
        f"{many.lost_downloads} of {total} (baseline: {alone.failed_downloads} and "
        f"{alone.lost_downloads} of {args.alone})"
    )
    for e in (alone.errors + many.errors)[:15]:
        print(f"  {e}")
    stray = sorted({u.split("?")[0] for u in many.blocked + alone.blocked})
    print(f"non-loopback requests blocked: {len(many.blocked) + len(alone.blocked)} {stray[:5]}")
    for name, res in (("one session alone", alone), (f"{args.sessions} sessions", many)):
        if res.update:
            print(
                f"{name}: time to updated table p95 {percentile(res.update, 95):.2f} s, "
                f"median {statistics.median(res.update):.2f} s, max {max(res.update):.2f} s; "
                f"page load median {statistics.median(res.load):.1f} s, "
                f"p95 {percentile(res.load, 95):.1f} s; CSV download median "
                f"{statistics.median(res.download) if res.download else float('nan'):.2f} s"
            )
    print("server RSS after each cycle (MB): " + ", ".join(f"{m:.0f}" for m in memory))
    growth = memory[-1] - memory[min(1, len(memory) - 1)] if memory else float("nan")
    levels_off = len(memory) >= 3 and growth <= PLATEAU_MB
    complete = len(many.update) == total
    ok = not many.errors and not alone.errors and alive and complete and levels_off
    print(
        f"VERDICT: {'PASS' if ok else 'FAIL'}: {len(many.errors)} errors in {total} cycles; "
        f"p95 {percentile(many.update, 95):.1f} s to an updated table with {args.sessions} "
        f"sessions; memory cycle {len(memory)} - cycle 2 = {growth:+.0f} MB "
        f"({'levels off' if levels_off else 'does not level off'}, limit +{PLATEAU_MB:.0f} MB); "
        f"wall {time.perf_counter() - started:.0f} s"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
