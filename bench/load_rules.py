"""The load benchmark's two rules as pure functions (``bench/bench_load.py``, issue #22 item 6).

Unit-tested on synthetic figures in ``tests/test_load_rules.py`` (no timing there).

**Memory plateau.**  Steady state begins when every session has finished its first cycle
(each has uploaded its own data once) and ends with the last cycle.  The server's RSS is not
sticky: it swings by more than a gigabyte as sessions take and let go of their data, so a
single minute is no reference.  Steady state is cut in two halves (each at least
``min_half_s``); the second half's peak, and its floor (lowest sample: memory a leak
retains lifts every sample, the lowest too), may each be at most ``tolerance_mb`` above the
first half's.  Without a re-upload by every session inside steady state the rule is not
measured (and does not pass).

**Idle baselines (``--rounds``).**  The reliability reference's own check (section 4,
"memory after 5 cycles of 20 sessions open, process, close, wait 2 x idle timeout"): each
round every session opens the page, runs one cycle and closes it; the server is then left
idle for twice ``server.disconnectedSessionTTL`` (Streamlit drops a closed page's session,
and its data, after that) and its RSS sampled: the round's baseline is the median of those
samples.  The last round's baseline may be at most ``tolerance_mb`` above the second
round's (the first round fills the caches shared by every session, bounded by their
``max_entries``); a swing under load does not touch an idle baseline, memory a leak keeps
lifts it every round.  Fewer than three rounds: not measured.

**Hostile upload.**  The other sessions' interactive steps in their second and later cycles
(the first cycles run in lockstep: every session loads, then uploads, at the same minutes)
that begin while every session is still cycling (before the run's end time): those whose
time overlaps the hostile upload against those that do not.  Each step's time is divided by
the median of the same step apart from the hostile upload (a page load takes minutes, a
download seconds: pooled raw times would compare the mix of steps, not their speed); the
rule compares the p95 of these relative times, with at least ``min_n`` steps on each side.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

#: (step, cycle, session, seconds, started at time.monotonic()), as in load_session.Results.
Timed = tuple[str, int, int, float, float]


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def peaks_per_minute(curve: Iterable[tuple[float, float]], t0: float) -> dict[int, float]:
    """Peak of (time, MB) samples per whole minute since ``t0``."""
    out: dict[int, float] = {}
    for t, mb in curve:
        m = int((t - t0) // 60)
        out[m] = max(out.get(m, mb), mb)
    return out


@dataclass(frozen=True)
class Half:
    """The server's RSS samples (MB) over one half of steady state."""

    peak: float
    floor: float  # the lowest sample: memory retained for good (a leak) lifts it too
    median: float
    n: int


def _half(values: Sequence[float]) -> Half:
    if not values:
        return Half(float("nan"), float("nan"), float("nan"), 0)
    return Half(max(values), min(values), float(np.median(values)), len(values))


@dataclass(frozen=True)
class Plateau:
    """The memory rule's figures (MB; times as the samples')."""

    start: float  # steady state begins (every session has finished its first cycle)
    end: float  # and ends (the last cycle ended)
    first: Half
    second: Half
    first_minute_peak: float  # the rule as first written compared the rest with this
    tolerance_mb: float
    reuploads: int  # sessions that uploaded again inside steady state
    sessions: int
    min_half_s: float

    @property
    def peak_growth_mb(self) -> float:
        return self.second.peak - self.first.peak

    @property
    def floor_growth_mb(self) -> float:
        return self.second.floor - self.first.floor

    @property
    def measured(self) -> bool:
        return (
            self.first.n > 0
            and self.second.n > 0
            and (self.end - self.start) / 2 >= self.min_half_s
            and self.reuploads >= self.sessions
        )

    @property
    def holds(self) -> bool:
        return (
            self.measured
            and self.peak_growth_mb <= self.tolerance_mb
            and self.floor_growth_mb <= self.tolerance_mb
        )


def steady_start(ends: dict[int, float], sessions: int) -> float:
    """When every session ``0..sessions-1`` had finished its first cycle (nan: one had not).

    ``ends`` maps a session to the end of its first cycle (``time.monotonic()``); a cycle
    that ended in an error counts too (its steps may be missing).
    """
    if any(n not in ends for n in range(sessions)):
        return float("nan")
    return max(ends[n] for n in range(sessions))


def plateau(
    samples: Sequence[tuple[float, float]],
    times: Iterable[Timed],
    *,
    start: float,
    end: float,
    sessions: int,
    tolerance_mb: float,
    min_half_s: float = 300.0,
) -> Plateau:
    """The memory rule over (time, MB) ``samples`` between ``start`` and ``end``: the second
    half's peak and floor at most ``tolerance_mb`` above the first half's."""
    mid = (start + end) / 2
    first = [mb for t, mb in samples if start <= t < mid]
    second = [mb for t, mb in samples if mid <= t <= end]
    minute = [mb for t, mb in samples if start <= t < start + 60]
    again = {
        n for step, c, n, s, t in times if step == "upload" and c >= 1 and t + s >= start
    } & set(range(sessions))
    return Plateau(
        start=start, end=end, first=_half(first), second=_half(second),
        first_minute_peak=max(minute) if minute else float("nan"),
        tolerance_mb=tolerance_mb, reuploads=len(again), sessions=sessions,
        min_half_s=min_half_s,
    )  # fmt: skip


@dataclass(frozen=True)
class StepRow:
    step: str
    apart: tuple[float, ...]
    over: tuple[float, ...]


@dataclass(frozen=True)
class Comparison:
    """The hostile rule's figures: raw seconds per step, and the relative times pooled."""

    window: tuple[float, float]
    rows: tuple[StepRow, ...]
    rel_apart: tuple[float, ...]
    rel_over: tuple[float, ...]
    min_n: int
    limit: float

    @property
    def ratio(self) -> float:
        if not self.rel_apart or not self.rel_over:
            return float("nan")
        return pct(self.rel_over, 95) / pct(self.rel_apart, 95)

    @property
    def raw_ratio(self) -> float:
        apart = [s for r in self.rows for s in r.apart]
        over = [s for r in self.rows for s in r.over]
        return pct(over, 95) / pct(apart, 95) if apart and over else float("nan")

    @property
    def measured(self) -> bool:
        return len(self.rel_apart) >= self.min_n and len(self.rel_over) >= self.min_n

    @property
    def holds(self) -> bool:
        return self.measured and self.ratio <= self.limit


def compare(
    times: Iterable[Timed],
    window: tuple[float, float],
    *,
    steps: Sequence[str],
    skip: int,
    before: float,
    min_cycle: int = 1,
    min_n: int = 20,
    limit: float = 2.0,
) -> Comparison:
    """Steps ``steps`` of every session but ``skip``, in cycles from ``min_cycle`` on, begun
    before ``before``: overlapping ``window`` in time or not (see the module's docstring)."""
    lo, hi = window
    by_step: dict[str, tuple[list[float], list[float]]] = {s: ([], []) for s in steps}
    for step, c, n, s, t in times:
        if step not in by_step or n == skip or c < min_cycle or t >= before:
            continue
        by_step[step][1 if (t < hi and t + s > lo) else 0].append(s)
    rows, rel_apart, rel_over = [], [], []
    for step in steps:
        apart, over = by_step[step]
        rows.append(StepRow(step, tuple(apart), tuple(over)))
        if apart:
            mid = float(np.median(apart))
            if mid > 0:
                rel_apart += [s / mid for s in apart]
                rel_over += [s / mid for s in over]
    return Comparison(window, tuple(rows), tuple(rel_apart), tuple(rel_over), min_n, limit)


@dataclass(frozen=True)
class IdleRounds:
    """The idle-baseline rule's figures: one baseline (MB) per round, in order."""

    baselines: tuple[float, ...]
    tolerance_mb: float
    reference: int = 1  # the round compared against (0-based: the second)

    @property
    def measured(self) -> bool:
        return len(self.baselines) > self.reference + 1 and not any(
            math.isnan(b) for b in self.baselines
        )

    @property
    def growth_mb(self) -> float:
        if len(self.baselines) <= self.reference:
            return float("nan")
        return self.baselines[-1] - self.baselines[self.reference]

    @property
    def holds(self) -> bool:
        return self.measured and self.growth_mb <= self.tolerance_mb


def idle_baseline(samples: Sequence[float]) -> float:
    """A round's idle baseline: the median of its idle samples (nan: none)."""
    return float(np.median(samples)) if len(samples) else float("nan")
