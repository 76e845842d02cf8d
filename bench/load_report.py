"""The ``--minutes`` report of the load benchmark: memory curve and the two rules.

Used by ``bench/bench_load.py`` at the end of a run, and on its own to judge a saved run
again from its raw figures::

    .venv/bin/python bench/load_report.py bench/out/load-last.json

The rules are in ``bench/load_rules.py`` (documented in docs/load.md).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from load_rules import IdleRounds, Timed, compare, idle_baseline, pct, peaks_per_minute, plateau

PLATEAU_MB = 150.0  # reliability reference, section 5: a plateau within 150 MB
SLOWDOWN = 2.0  # the others' p95 with the hostile upload at most this many times without
INTERACTIVE = ("load", "filter", "weight", "note", "download")


def report_memory(
    curve: Sequence[Sequence[float]],
    t0: float,
    line: dict[str, Any],
    times: list[Timed],
    sessions: int,
) -> tuple[bool, float, str]:
    """Per-minute peaks (steady state marked ``[``) and the plateau rule: (holds, the second
    half's peak growth in MB, how measured).  ``curve``: (time, server + workers MB, server
    alone MB); ``line``: the run's timeline (start, end, steady, last)."""
    total = peaks_per_minute(((c[0], c[1]) for c in curve), t0)
    alone = peaks_per_minute(((c[0], c[2]) for c in curve), t0)
    steady, last = line["steady"], line["last"]
    known = not math.isnan(steady)
    first = int((steady - t0) // 60) if known else None
    mid = int(((steady + last) / 2 - t0) // 60) if known else None

    def marked(peaks: dict[int, float]) -> str:
        return ", ".join(
            f"{'[' if m == first else '|' if m == mid else ''}{v:.0f}" for m, v in peaks.items()
        )

    print("RSS peak per minute, server + upload workers (MB): " + marked(total))
    print("RSS peak per minute, server process alone (MB):    " + marked(alone))
    third = list(alone.values())
    k = max(len(third) // 3, 1)
    old = max(third[-k:]) - max(third[k : 2 * k] or third[:k])
    print(f"  (earlier rule, last third of the minutes against the middle third: {old:+.0f} MB)")
    if not known:
        print("steady state never reached: a session did not finish its first cycle")
        return False, float("nan"), "not measured"
    p = plateau(
        [(c[0], c[2]) for c in curve], times, start=steady, end=last, sessions=sessions,
        tolerance_mb=PLATEAU_MB,
    )  # fmt: skip
    a, b = p.first, p.second
    print(
        f"steady state ('[' above, '|' its middle): {steady - line['start']:.0f} s to "
        f"{last - line['start']:.0f} s into the load (every session past its first cycle, to "
        f"the last cycle's end); {p.reuploads} of {sessions} sessions uploaded again in it."
    )
    print(
        f"server alone, halves of {(last - steady) / 120:.1f} min: peak {a.peak:.0f} -> "
        f"{b.peak:.0f} MB ({p.peak_growth_mb:+.0f}), floor {a.floor:.0f} -> {b.floor:.0f} MB "
        f"({p.floor_growth_mb:+.0f}), median {a.median:.0f} -> {b.median:.0f} MB "
        f"({b.median - a.median:+.0f}, not a rule); limit +{p.tolerance_mb:.0f} MB on peak and "
        f"floor. (The rule as first written, the later peak against the first minute's "
        f"{p.first_minute_peak:.0f} MB: {max(a.peak, b.peak) - p.first_minute_peak:+.0f} MB.)"
    )
    how = "steady state halves" if p.measured else "not measured"
    return p.holds, p.peak_growth_mb, how


def report_idle(rounds: Sequence[dict[str, Any]]) -> tuple[bool, float, str]:
    """``--rounds``: each round's idle baseline and the rule (the last round's at most
    ``PLATEAU_MB`` above the second's): (holds, growth MB, how measured)."""
    alone = tuple(idle_baseline(r["alone"]) for r in rounds)
    total = tuple(idle_baseline(r["total"]) for r in rounds)
    rule = IdleRounds(alone, tolerance_mb=PLATEAU_MB)
    print("idle baseline per round, server alone (MB): " + ", ".join(f"{b:.0f}" for b in alone))
    print("idle baseline per round, with workers (MB): " + ", ".join(f"{b:.0f}" for b in total))
    print(
        f"last round against the second: {rule.growth_mb:+.0f} MB (limit +{PLATEAU_MB:.0f}); "
        f"{'measured' if rule.measured else 'NOT measured (fewer than 3 rounds sampled)'}"
    )
    return rule.holds, rule.growth_mb, "idle baseline, last round against the second"


def report_hostile(
    times: list[Timed], hostile: list[Any], line: dict[str, Any], sessions: int
) -> tuple[bool, float]:
    """The hostile rule: (holds, ratio).  The hostile session is number ``sessions``."""
    if not hostile:
        print("no hostile upload in this run")
        return False, float("nan")
    _, h0, h1 = hostile[0]
    cmp = compare(
        times, (h0, h1), steps=INTERACTIVE, skip=sessions, before=line["end"], limit=SLOWDOWN
    )
    print(
        f"hostile upload from {h0 - line['start']:.0f} s to {h1 - line['start']:.0f} s; the "
        f"other sessions' steps in their 2nd+ cycles begun before "
        f"{line['end'] - line['start']:.0f} s:"
    )
    print(f"{'step':>13} | apart {'n':>4} {'p50':>6} {'p95':>6} | overlapping {'n':>4} "
          f"{'p50':>6} {'p95':>6}  (s)")  # fmt: skip
    for r in cmp.rows:
        print(
            f"{r.step:>13} | {'':>5} {len(r.apart):>4} {pct(r.apart, 50):>6.1f} "
            f"{pct(r.apart, 95):>6.1f} | {'':>11} {len(r.over):>4} {pct(r.over, 50):>6.1f} "
            f"{pct(r.over, 95):>6.1f}"
        )
    print(
        f"relative times (step / its step's median apart): p95 {pct(cmp.rel_apart, 95):.2f} "
        f"apart (n {len(cmp.rel_apart)}), {pct(cmp.rel_over, 95):.2f} overlapping "
        f"(n {len(cmp.rel_over)}): x{cmp.ratio:.2f} (raw seconds pooled: x{cmp.raw_ratio:.2f}); "
        f"{'measured' if cmp.measured else f'NOT measured (fewer than {cmp.min_n} on a side)'}"
    )
    return cmp.holds, cmp.ratio


def main(path: str) -> int:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    sessions = int(raw["args"]["sessions"])
    times = [tuple(x) for x in raw["times"]]
    line = raw["timeline"]
    if line.get("rounds"):  # --rounds: the idle baselines (the hostile rule is per round)
        levels_off, growth, how = report_idle(line["rounds"])
        held, ratio = bool(raw["hostile"]), float("nan")
    else:
        levels_off, growth, how = report_memory(
            raw["curve"], raw["curve_t0"], line, times, sessions
        )
        held, ratio = report_hostile(times, raw["hostile"], line, sessions)
    errors = len(raw["errors"]) + len(raw["unsaved"])
    ok = levels_off and held and not errors
    print(
        f"VERDICT (judged again): {'PASS' if ok else 'FAIL'}: {errors} errors; memory "
        f"{growth:+.0f} MB, {how} ({'levels off' if levels_off else 'FAIL'}); hostile p95 "
        f"x{ratio:.2f} ({'ok' if held else 'FAIL'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "bench/out/load-last.json"))
