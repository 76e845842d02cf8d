"""Many planners on one server: concurrent browser sessions through a planner's day, one hostile.

Issue #22 item 6.  Starts the real app (``streamlit run infra_gap/app/main.py`` with the project's
``.streamlit/config.toml``, its workspace database a fresh SQLite file in a temporary folder)
on loopback at a free port, then drives N concurrent sessions (one headless Debian Chromium,
one Playwright browser context per session; every request that does not go to the local
server is aborted).  Each cycle every session loads the page, filters its own kabupaten,
changes a weight, saves a checklist field to the workspace database, downloads the CSV,
uploads its own data (BIG-style kecamatan GeoPackage, a 50 MB MSME register of its own,
towers; ``bench/load_files.py``) and downloads the own data's CSV; the steps are in
``bench/load_session.py``.  In the middle cycle one session uploads a hostile file from
``tests/hostile_corpus.py`` (``--hostile``) instead, and must see its stable error code.
With ``--minutes`` the sessions start ``--ramp`` seconds apart and run cycles each on its own
until the time is up (no cycle starts after it; at least ``--min-cycles`` each, so every
session uploads its data again at least once), and one more session starts with them for
one cycle, whose upload is the hostile file, sent once every other session has finished its
first cycle (steady state: the others are in their second cycles, loading, filtering...).

Printed: per cycle the wall time, RSS and the load average; the memory curve per minute
(server with its upload workers, and alone; steady state marked); p50/p95 of every step of
the other sessions, and with ``--minutes`` of their interactive steps in steady state apart
from and overlapping the hostile upload; the checklist fields in the database against those
typed.  Errors (target 0): timeouts, page errors, an exception or error shown, a bad or
failed download, a field not saved.  Verdict PASS: no errors, every field saved, and with
``--minutes`` the two rules of ``bench/load_rules.py`` (documented in docs/load.md):
memory levels off (steady state cut in two halves: the server process's peak and its
floor in the second at most 150 MB over the first's, every session uploading again) and
the other sessions' interactive steps overlapping the hostile upload have a p95 (relative to
each step's median apart from it) at most 2x of those apart from it, with at least 20
steps on each side.  With ``--cycles`` (all sessions in lockstep): the last cycle's RSS at
most the second cycle's + 150 MB, and the interactions' p95 in the hostile cycle at most 2x
of the other cycles'.

The machine's cores are shared by the server and the browser, so the times include the
browser's own rendering; they are an upper bound for a server with separate clients.

Usage: python bench/bench_load.py [--sessions 10] [--cycles 5 | --minutes 10 [--ramp 5] [--min-cycles 2]]
       [--alone 1] [--upload-mb 50] [--hostile "raster sparse 2e11 pixels"] [--timeout 600] [--verbose]
       (``make bench`` runs it with the defaults, via bench/run_all.py)
Exit status: 0 on PASS (or when Chromium is missing: skipped), 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from load_files import Hostile, OwnFiles, build_own_files, hostile_file
from load_report import (
    INTERACTIVE,
    PLATEAU_MB,
    SLOWDOWN,
    report_hostile,
    report_idle,
    report_memory,
)
from load_rules import idle_baseline, pct, peaks_per_minute
from load_session import STEPS, Results, Session, Settings

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]  # fmt: skip
WORKSPACE = "Usulan BAKTI 2026"  # the app's default workspace (infra_gap/app/ui/workspace_ui.py)


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


async def _sample_memory(pid: int, curve: list[tuple[float, float, float]]) -> None:
    """The server's RSS with its children, and alone, every 5 s (until cancelled), at
    ``time.monotonic()``."""
    while True:
        with contextlib.suppress(psutil.NoSuchProcess):
            alone = psutil.Process(pid).memory_info().rss / 1e6
            curve.append((time.monotonic(), rss_mb(pid), alone))
        await asyncio.sleep(5)


async def _round(browser, url, args, pid, res, folder, own, hostile, seed0, n_sessions, label):
    """Cycles of `n_sessions` concurrent sessions; a row of figures per cycle."""
    cfg = Settings(int(args.timeout * 1000), args.verbose, args.upload_mb > 0)
    sessions = [Session(i, url, res, folder, own, cfg) for i in range(n_sessions)]
    for s in sessions:
        await s.start(browser)
    rows: list[float] = []
    hostile_cycle = -1
    started = time.monotonic()
    print(f"\n{label}: {n_sessions} session(s)", flush=True)
    print(
        f"{'cycle':>5} {'wall s':>7} {'load med':>8} {'wgt med':>7} {'wgt p95':>7} "
        f"{'upl med':>7} {'errors':>6} {'RSS MB':>7} {'load avg':>8}",
        flush=True,
    )
    c = 0
    while True:
        due = hostile is not None and c == args.cycles // 2
        if due:
            hostile_cycle = c
        n_err, n_times = len(res.errors), len(res.times)
        t0 = time.monotonic()
        await asyncio.gather(
            *(
                s.cycle(c, seed0 + c * n_sessions + s.n, hostile if due and s.n == 0 else None)
                for s in sessions
            )
        )
        wall = time.monotonic() - t0
        new = Results(times=res.times[n_times:])
        wgt, load, upl = new.of("weight"), new.of("load"), new.of("upload")
        rss = rss_mb(pid)
        rows.append(rss)
        print(
            f"{c + 1:>5}{'H' if due else ' '} {wall:>6.1f} {pct(load, 50):>8.1f} "
            f"{pct(wgt, 50):>7.2f} {pct(wgt, 95):>7.2f} {pct(upl, 50):>7.1f} "
            f"{len(res.errors) - n_err:>6} {rss:>7.0f} {os.getloadavg()[0]:>8.1f}",
            flush=True,
        )
        for e in res.errors[n_err:]:
            print(f"      error: {e}", flush=True)
        c += 1
        if c >= args.cycles:
            break
    for s in sessions:
        await s.close()
    print(f"wall {time.monotonic() - started:.0f} s", flush=True)
    return rows, hostile_cycle, c


@dataclass
class Timeline:
    """When things happened in a ``--minutes`` run (``time.monotonic()``)."""

    start: float = 0.0  # the sessions' first start
    end: float = 0.0  # no cycle starts after this
    first_ends: dict[int, float] = field(default_factory=dict)  # session -> its cycle 1 ended
    steady: float = float("nan")  # every regular session had finished its first cycle
    counts: list[int] = field(default_factory=list)  # cycles per session
    last: float = 0.0  # the last cycle ended
    rounds: list[dict] = field(default_factory=list)  # --rounds: one row per round


async def _timed_round(browser, url, args, pid, res, folder, own, hostile, seed0) -> Timeline:
    """`--minutes`: every session runs cycles on its own (started `--ramp` s apart) until the
    time is up (and at least two cycles each); one more session (the last number) starts
    with them for one cycle, whose upload is the hostile file, sent once every other session
    has finished its first cycle (steady state: the others are in their second cycles).
    """
    cfg = Settings(int(args.timeout * 1000), args.verbose, args.upload_mb > 0)
    n_all = args.sessions + (hostile is not None)
    sessions = [Session(i, url, res, folder, own, cfg) for i in range(n_all)]
    for s in sessions:
        await s.start(browser)
    line = Timeline(start=time.monotonic())
    line.end = line.start + args.minutes * 60
    steady = asyncio.Event()
    print(f"\nload: {args.sessions} sessions for {args.minutes:g} min (no cycle starts after; "
          f"at least {args.min_cycles} cycles each)")  # fmt: skip
    print(f"{'at s':>6} {'session':>7} {'cycle':>5} {'wall s':>7} {'RSS MB':>7} {'load avg':>8}")

    async def hostile_due() -> None:
        await steady.wait()
        print(f"{time.monotonic() - line.start:>6.0f} hostile upload starts (steady state)")

    async def loop(s: Session) -> int:
        bad = hostile if s.n == args.sessions else None
        await asyncio.sleep(s.n * args.ramp)
        c = 0
        while time.monotonic() < line.end or c < (1 if bad else args.min_cycles):
            mine = [e for e in res.errors if e.startswith(f"s{s.n} ")]
            t0 = time.monotonic()
            await s.cycle(c, seed0 + 1000 * s.n + c, bad, hostile_due if bad else None)
            now = time.monotonic()
            line.last = max(line.last, now)
            print(
                f"{t0 - line.start:>6.0f} {s.n:>7} {c + 1:>4}{'H' if bad else ' '} "
                f"{now - t0:>7.1f} {rss_mb(pid):>7.0f} {os.getloadavg()[0]:>8.1f}",
                flush=True,
            )
            for e in [e for e in res.errors if e.startswith(f"s{s.n} ")][len(mine) :]:
                print(f"      error: {e}", flush=True)
            if c == 0 and not bad:
                line.first_ends[s.n] = now
                if len(line.first_ends) == args.sessions:
                    line.steady = now
                    steady.set()
            c += 1
            if bad:
                break
        # Done for the day: the page closes, and the server should let the session's data go
        # (a session idle on its page would hold its own data until the last one finishes).
        await s.leave()
        return c

    line.counts = list(await asyncio.gather(*(loop(s) for s in sessions)))
    for s in sessions:
        await s.close()
    print(
        f"wall {time.monotonic() - line.start:.0f} s; cycles per session: {line.counts}", flush=True
    )
    return line


IDLE_SAMPLES, IDLE_EVERY_S = 7, 5.0  # a round's idle baseline: 7 samples over 30 s


def _idle_wait_s() -> float:
    """Twice Streamlit's ``server.disconnectedSessionTTL`` (the bench's server runs with the
    project's config, which leaves it at Streamlit's default): a closed page's session and
    its data are dropped after one TTL."""
    from streamlit import config

    return 2.0 * float(config.get_option("server.disconnectedSessionTTL"))


async def _visit(s: Session, r: int, ramp: float, bad, peak: list[float], pid: int) -> None:
    """One session's round: open the page (``ramp`` s after the one before), one cycle, close."""
    await asyncio.sleep(s.n * ramp)
    await s.cycle(r, 3000 + 100 * r + s.n, bad)
    peak[0] = max(peak[0], psutil.Process(pid).memory_info().rss / 1e6)
    await s.leave()


async def _idle_rounds(browser, url, args, pid, res, folder, own, hostile) -> list[dict]:
    """`--rounds`: the reliability reference's plateau check (section 4).  Each round
    `--sessions` sessions open the page (`--ramp` s apart), run one cycle each and close it;
    then the server is left idle for `--idle-wait` s and its RSS sampled: the round's
    baseline.  Session 0's upload in the middle round is the hostile file."""
    cfg = Settings(int(args.timeout * 1000), args.verbose, args.upload_mb > 0)
    hostile_round = args.rounds // 2 if hostile is not None else -1
    print(
        f"\nrounds: {args.rounds} x ({args.sessions} sessions open, one cycle, close; "
        f"{args.idle_wait:.0f} s idle; RSS sampled {IDLE_SAMPLES} x {IDLE_EVERY_S:.0f} s)"
    )
    print(f"{'round':>5} {'busy s':>7} {'errors':>6} {'peak MB':>7} {'idle MB':>7} "
          f"{'+workers':>8} {'min':>6} {'max':>6} {'load avg':>8}", flush=True)  # fmt: skip
    rounds: list[dict] = []
    for r in range(args.rounds):
        sessions = [Session(i, url, res, folder, own, cfg) for i in range(args.sessions)]
        for s in sessions:
            await s.start(browser)
        n_err, t0, peak = len(res.errors), time.monotonic(), [0.0]

        bad = hostile if r == hostile_round else None
        await asyncio.gather(
            *(_visit(s, r, args.ramp, bad if s.n == 0 else None, peak, pid) for s in sessions)
        )
        busy = time.monotonic() - t0
        for s in sessions:
            await s.close()
        await asyncio.sleep(args.idle_wait)
        alone, total = [], []
        for _ in range(IDLE_SAMPLES):
            alone.append(psutil.Process(pid).memory_info().rss / 1e6)
            total.append(rss_mb(pid))
            await asyncio.sleep(IDLE_EVERY_S)
        row = {"round": r + 1, "busy_s": busy, "alone": alone, "total": total,
               "errors": len(res.errors) - n_err, "hostile": r == hostile_round,
               "at": t0}  # fmt: skip
        rounds.append(row)
        print(
            f"{r + 1:>4}{'H' if row['hostile'] else ' '} {busy:>7.0f} {row['errors']:>6} "
            f"{peak[0]:>7.0f} {idle_baseline(alone):>7.0f} {idle_baseline(total):>8.0f} "
            f"{min(alone):>6.0f} {max(alone):>6.0f} {os.getloadavg()[0]:>8.1f}",
            flush=True,
        )
        for e in res.errors[n_err:]:
            print(f"      error: {e}", flush=True)
    return rounds


async def _run(url: str, args: argparse.Namespace, pid: int, own: OwnFiles, hostile, folder):
    from playwright.async_api import async_playwright

    alone, many = Results(), Results()
    curve: list[tuple[float, float, float]] = []
    t0 = time.monotonic()
    sampler = asyncio.ensure_future(_sample_memory(pid, curve))
    line = Timeline()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROME_ARGS, headless=True
        )
        if args.alone:
            one = argparse.Namespace(**{**vars(args), "cycles": args.alone, "minutes": 0})
            await _round(browser, url, one, pid, alone, folder, own, None, 1000, 1, "baseline")
        if args.rounds:
            memory, hostile_cycle = [], args.rounds // 2 if hostile is not None else -1
            line.rounds = await _idle_rounds(browser, url, args, pid, many, folder, own, hostile)
            cycles = args.rounds
        elif args.minutes:
            memory, hostile_cycle = [], -1
            line = await _timed_round(browser, url, args, pid, many, folder, own, hostile, 2000)
            cycles = sum(line.counts)
        else:
            memory, hostile_cycle, cycles = await _round(
                browser, url, args, pid, many, folder, own, hostile, 2000, args.sessions, "load"
            )
        await browser.close()
    sampler.cancel()
    return alone, many, memory, (t0, curve), hostile_cycle, cycles, line


def _start_server(port: int, log, db: Path) -> subprocess.Popen:
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "infra_gap" / "app" / "main.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        # As in production: no reloading of modules edited while the server runs.
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    env = {**os.environ, "INFRA_GAP_DB": f"sqlite:///{db}"}
    env.pop("INFRA_GAP_TILES", None)  # no basemap: nothing may leave localhost
    # cwd=ROOT: Streamlit reads the project's .streamlit/config.toml from the working directory.
    return subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)


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


def _saved_notes(db: Path, typed: dict[str, str]) -> list[str]:
    """Checklist fields typed by the sessions that the database does not hold as typed."""
    sys.path.insert(0, str(ROOT))
    from infra_gap.workspace import open_store

    store = open_store(f"sqlite:///{db}")
    items = store.items(store.workspace(WORKSPACE), "checklist")
    stored = {kode: item.value for (kode, field), item in items.items() if field == "listrik"}
    return [
        f"{k}: typed {v!r}, stored {stored.get(k)!r}"
        for k, v in typed.items()
        if stored.get(k) != v
    ]


def _report_steps(res: Results, hostile_cycle: int, cycles: int, bad: int) -> float:
    """p50/p95 per step of the sessions but `bad` without and with the hostile upload: in the
    cycle against the other cycles (``--cycles``), and overlapping its time against not; the
    two p95 ratios of the interactions."""
    others = set(range(cycles)) - {hostile_cycle}
    window = res.hostile[0][1:] if res.hostile else (0.0, 0.0)

    def overlaps(t: float, s: float) -> bool:
        return t < window[1] and t + s > window[0]

    print(f"{'step':>13} | other cycles {'n':>4} {'p50':>6} {'p95':>6} | hostile cycle "
          f"{'n':>3} {'p50':>6} {'p95':>6} | not overlapping {'n':>4} {'p95':>6} | "
          f"overlapping {'n':>3} {'p95':>6}  (s)")  # fmt: skip
    totals: dict[str, list[float]] = {"calm": [], "during": [], "apart": [], "over": []}
    for step in STEPS:
        calm = res.of(step, cycles=others, skip=bad)
        during = res.of(step, cycles={hostile_cycle}, skip=bad)
        mine = [(s, t) for name, _, n, s, t in res.times if name == step and n != bad]
        apart = [s for s, t in mine if not overlaps(t, s)]
        over = [s for s, t in mine if overlaps(t, s)]
        if step in INTERACTIVE:
            for k, v in (("calm", calm), ("during", during), ("apart", apart), ("over", over)):
                totals[k] += v
        if calm or during or apart:
            print(
                f"{step:>13} | {'':>12} {len(calm):>4} {pct(calm, 50):>6.1f} {pct(calm, 95):>6.1f} "
                f"| {'':>13} {len(during):>3} {pct(during, 50):>6.1f} {pct(during, 95):>6.1f} | "
                f"{'':>15} {len(apart):>4} {pct(apart, 95):>6.1f} | "
                f"{'':>11} {len(over):>3} {pct(over, 95):>6.1f}"
            )
    p = {k: pct(v, 95) for k, v in totals.items()}
    by_cycle = p["during"] / p["calm"] if totals["calm"] and totals["during"] else float("nan")
    by_time = p["over"] / p["apart"] if totals["apart"] and totals["over"] else float("nan")
    print(
        f"interactions ({', '.join(INTERACTIVE)}) of the other sessions: p95 {p['calm']:.1f} s in "
        f"the other cycles, {p['during']:.1f} s in the hostile cycle (x{by_cycle:.2f}); "
        f"{p['apart']:.1f} s apart from the hostile upload, {p['over']:.1f} s while it ran "
        f"({len(totals['over'])} steps, x{by_time:.2f})"
    )
    if not res.hostile:
        print("no hostile upload in this run")
    for text, t0, t1 in res.hostile:
        print(f"hostile upload: refused after {t1 - t0:.1f} s, the page said: {text[:160]!r}")
    return by_cycle


def _report_by_cycle(res: Results, bad: int) -> None:
    """``--minutes``: p50/p95 per step of the sessions but `bad`, all cycles, the first cycles
    (in lockstep) and the later ones (steady state)."""
    print(f"{'step':>13} | all {'n':>4} {'p50':>6} {'p95':>6} | 1st cycle {'n':>3} {'p50':>6} "
          f"{'p95':>6} | 2nd+ cycles {'n':>3} {'p50':>6} {'p95':>6}  (s)")  # fmt: skip
    for step in STEPS:
        cols = [res.of(step, skip=bad), res.of(step, cycles={0}, skip=bad)]
        cols.append([s for name, c, n, s, _ in res.times if name == step and n != bad and c])
        print(f"{step:>13} |" + " |".join(
            f"{'':>{w}} {len(v):>3} {pct(v, 50):>6.1f} {pct(v, 95):>6.1f}"
            for w, v in zip((4, 10, 12), cols, strict=True)
        ))  # fmt: skip
    for text, t0, t1 in res.hostile:
        print(f"hostile upload: refused after {t1 - t0:.1f} s, the page said: {text[:160]!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--minutes", type=float, default=0, help="run cycles for this long instead")
    ap.add_argument("--ramp", type=float, default=5, help="--minutes: seconds between starts")
    ap.add_argument("--rounds", type=int, default=0, help="rounds of open, cycle, close, idle")
    ap.add_argument("--idle-wait", type=float, default=None,
                    help="--rounds: idle seconds before a baseline (default 2 x session TTL)")  # fmt: skip
    ap.add_argument("--min-cycles", type=int, default=2, help="--minutes: cycles per session")
    ap.add_argument("--alone", type=int, default=1, help="cycles of one session alone first")
    ap.add_argument("--upload-mb", type=float, default=50, help="own register size; 0: no upload")
    ap.add_argument("--hostile", default="raster sparse 2e11 pixels", help="corpus case; '' none")
    ap.add_argument("--verbose", action="store_true", help="print every step of every session")
    ap.add_argument("--timeout", type=float, default=600, help="seconds allowed per step")
    args = ap.parse_args()
    if args.idle_wait is None:
        args.idle_wait = _idle_wait_s()
    if not Path(CHROMIUM).exists():
        print("SKIPPED: Debian chromium is not installed (.ci/debian-deps)")
        return 0
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    print(f"cores {os.cpu_count()}; memory {psutil.virtual_memory().total / 2**30:.0f} GiB; "
          f"load average {os.getloadavg()[0]:.1f}; server {url} (loopback only)")  # fmt: skip
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryFile() as log:
        folder = Path(tmp)
        own = build_own_files(folder, megabytes=max(args.upload_mb, 0.1))
        hostile: Hostile | None = hostile_file(folder, args.hostile) if args.hostile else None
        bad = f"{hostile.name} ({hostile.path.stat().st_size / 1e6:.2f} MB)" if hostile else "-"
        print(f"own data: {own.n_areas} kecamatan, a register of {own.n_msme:,} MSMEs "
              f"({own.msme.stat().st_size / 1e6:.1f} MB) per session; hostile: {bad}")  # fmt: skip
        db = folder / "workspaces.sqlite"
        proc = _start_server(port, log, db)
        try:
            _wait_healthy(url, proc)
            print(f"server up; RSS {rss_mb(proc.pid):.0f} MB", flush=True)
            alone, many, memory, (t_curve, curve), hostile_cycle, cycles, line = asyncio.run(
                _run(url, args, proc.pid, own, hostile, folder)
            )
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
        unsaved = _saved_notes(db, many.notes)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    reconnects = alone.reconnects + many.reconnects
    raw = {"args": vars(args), "times": many.times, "errors": many.errors, "curve": curve,
           "curve_t0": t_curve, "timeline": vars(line), "memory": memory,
           "hostile": many.hostile, "unsaved": unsaved, "reconnects": reconnects}  # fmt: skip
    (out / "load-last.json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
    print(f"\nsessions {args.sessions}, cycles {cycles} in all (+ {args.alone} alone); steps timed: "
          f"{len(many.times)}; server alive at the end: {alive}")  # fmt: skip
    print(
        f"errors: {len(many.errors)} (alone: {len(alone.errors)}); download clicks that failed: "
        f"{many.failed_downloads}, lost after two clicks: {many.lost_downloads}"
    )
    for e in (alone.errors + many.errors)[:15]:
        print(f"  {e}")
    print(f"cycles whose app websocket reconnected: {len(reconnects)} {reconnects[:8]}")
    print(f"checklist fields typed: {len(many.notes)}; not in the database as typed: "
          f"{len(unsaved)} {unsaved[:3]}")  # fmt: skip
    stray = sorted({u.split("?")[0] for u in many.blocked + alone.blocked})
    print(f"non-loopback requests blocked: {len(many.blocked) + len(alone.blocked)} {stray[:5]}")
    bad = args.sessions if args.minutes else 0  # the session that uploads the hostile file
    by_cycle = _report_steps(many, hostile_cycle, cycles, bad) if not args.minutes else 0.0
    if args.minutes:
        _report_by_cycle(many, bad)
    if memory:
        print("server RSS after each cycle (MB): " + ", ".join(f"{m:.0f}" for m in memory))
    if args.rounds:
        peaks = peaks_per_minute(((t, m) for t, _, m in curve), t_curve)
        print(
            "RSS peak per minute, server alone (MB): "
            + ", ".join(f"{v:.0f}" for v in peaks.values())
        )
        levels_off, growth, note = report_idle(line.rounds)
        ratio = by_cycle
        held = not (ratio > SLOWDOWN) and (hostile is None or bool(many.hostile))
    elif args.minutes:
        timeline = vars(line)
        levels_off, growth, note = report_memory(
            curve, t_curve, timeline, many.times, args.sessions
        )
        held, ratio = report_hostile(many.times, many.hostile, timeline, args.sessions)
        held = held and bool(many.hostile)
    else:
        peaks = peaks_per_minute(((t, m) for t, _, m in curve), t_curve)
        print(
            "RSS peak per minute, server alone (MB): "
            + ", ".join(f"{v:.0f}" for v in peaks.values())
        )
        growth = memory[-1] - memory[min(1, len(memory) - 1)] if memory else float("nan")
        levels_off = len(memory) >= 3 and growth <= PLATEAU_MB
        note = "last cycle against the second"
        ratio = by_cycle
        held = not (ratio > SLOWDOWN) and (hostile is None or bool(many.hostile))
    ok = not many.errors and not alone.errors and alive and levels_off and not unsaved and held
    print(
        f"VERDICT: {'PASS' if ok else 'FAIL'}: {len(many.errors)} errors "
        f"({'ok' if not many.errors and not alone.errors and alive and not unsaved else 'FAIL'}); "
        f"memory growth {growth:+.0f} MB, {note} ({'levels off' if levels_off else 'FAIL'}, "
        f"limit +{PLATEAU_MB:.0f} MB); hostile p95 x{ratio:.2f} "
        f"({'ok' if held else 'FAIL'}, limit x{SLOWDOWN:g}); "
        f"wall {time.perf_counter() - started:.0f} s; load average {os.getloadavg()}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
