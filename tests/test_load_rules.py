"""The load benchmark's rules (bench/load_rules.py) on synthetic figures: no timing here."""

from __future__ import annotations

import math

from bench.load_rules import (
    IdleRounds,
    compare,
    idle_baseline,
    peaks_per_minute,
    plateau,
    steady_start,
)


def _curve(values: list[float], *, every: float = 30.0) -> list[tuple[float, float]]:
    return [(i * every, v) for i, v in enumerate(values)]


def _uploads(sessions: int, at: float) -> list[tuple[str, int, int, float, float]]:
    return [("upload", 1, n, 100.0, at) for n in range(sessions)]


def test_steady_state_begins_when_the_last_session_ends_its_first_cycle() -> None:
    assert steady_start({0: 500.0, 1: 900.0, 2: 700.0}, 3) == 900.0
    assert math.isnan(steady_start({0: 500.0, 2: 700.0}, 3))


def test_a_curve_that_swings_but_neither_climbs_nor_lifts_its_floor_levels_off() -> None:
    # RSS swings by a gigabyte as sessions take and let go of their data (bench run of
    # 2026-12-03): the first minute is a trough, the peaks and the floor stay where they were
    values = [2350.0, 2400, 3300, 3700, 2300, 2900, 3600, 2250, 3500, 3650] * 4
    p = plateau(_curve(values), _uploads(3, 700.0), start=0.0, end=1200.0, sessions=3,
                tolerance_mb=150.0)  # fmt: skip
    assert p.measured
    assert p.holds
    assert p.first_minute_peak == 2400.0  # the rule as first written would have failed it
    assert (p.peak_growth_mb, p.floor_growth_mb) == (0.0, 0.0)


def test_a_curve_that_keeps_climbing_in_steady_state_does_not_level_off() -> None:
    values = [3900.0 + 40 * i for i in range(40)]
    p = plateau(_curve(values), _uploads(2, 300.0), start=0.0, end=1200.0, sessions=2,
                tolerance_mb=150.0)  # fmt: skip
    assert p.measured
    assert not p.holds
    assert p.peak_growth_mb > 700


def test_a_lifted_floor_fails_even_when_the_peaks_stay() -> None:
    # memory retained for good (a leak) lifts the lowest samples before it shows in the peaks
    first = [2300.0, 3700.0] * 10
    second = [3000.0, 3700.0] * 10
    p = plateau(_curve(first + second), _uploads(2, 300.0), start=0.0, end=1200.0,
                sessions=2, tolerance_mb=150.0)  # fmt: skip
    assert p.peak_growth_mb == 0.0
    assert p.floor_growth_mb == 700.0
    assert not p.holds


def test_the_plateau_is_not_measured_without_a_reupload_by_every_session() -> None:
    flat = _curve([2000.0] * 40)
    only_one = _uploads(1, 300.0)  # session 1 never uploaded again
    first_cycle = [("upload", 0, 1, 100.0, 300.0)]
    p = plateau(flat, only_one + first_cycle, start=0.0, end=1200.0, sessions=2,
                tolerance_mb=150.0)  # fmt: skip
    assert not p.measured
    assert not p.holds
    assert p.reuploads == 1


def test_the_plateau_is_not_measured_over_a_short_steady_state() -> None:
    p = plateau(_curve([2000.0] * 40), _uploads(2, 30.0), start=0.0, end=400.0, sessions=2,
                tolerance_mb=150.0)  # fmt: skip
    assert not p.measured


def test_peaks_per_minute_take_the_highest_sample_of_each_minute() -> None:
    assert peaks_per_minute([(100.0, 5.0), (130.0, 9.0), (161.0, 7.0), (250.0, 1.0)], 100.0) == {
        0: 9.0,
        1: 7.0,
        2: 1.0,
    }


def _steps(kind: str, seconds: float, starts: list[float], *, session: int = 0, cycle: int = 1):
    return [(kind, cycle, session, seconds, t) for t in starts]


def test_the_comparison_is_per_step_relative_so_the_mix_of_steps_does_not_count() -> None:
    # Loads take 300 s and downloads 5 s at the same speed inside and outside the window:
    # loads, being long, overlap the window more often, yet nothing is slower.
    window = (1000.0, 1300.0)
    apart = _steps("load", 300.0, [0.0, 1400.0]) + _steps("download", 5.0, [50.0] * 58)
    over = _steps("load", 300.0, [900.0] * 25) + _steps("download", 5.0, [1100.0] * 5)
    cmp = compare(apart + over, window, steps=("load", "download"), skip=9, before=5000.0)
    assert cmp.measured
    assert cmp.holds
    assert cmp.ratio == 1.0
    assert cmp.raw_ratio > 2  # pooled seconds would have blamed the hostile upload


def test_steps_three_times_slower_during_the_hostile_upload_fail_the_rule() -> None:
    window = (1000.0, 1300.0)
    times = _steps("weight", 10.0, [0.0] * 30) + _steps("weight", 30.0, [1100.0] * 30)
    cmp = compare(times, window, steps=("weight",), skip=9, before=5000.0)
    assert cmp.measured
    assert not cmp.holds
    assert math.isclose(cmp.ratio, 3.0)


def test_the_comparison_leaves_out_the_hostile_session_first_cycles_and_the_wind_down() -> None:
    window = (1000.0, 1300.0)
    times = (
        _steps("filter", 10.0, [0.0] * 30)
        + _steps("filter", 10.0, [1100.0] * 30)
        + _steps("filter", 99.0, [1100.0] * 5, session=9)  # the hostile session itself
        + _steps("filter", 99.0, [1100.0] * 5, cycle=0)  # the lockstep first cycles
        + _steps("filter", 1.0, [6000.0] * 50)  # after the end time: fewer sessions left
    )
    cmp = compare(times, window, steps=("filter",), skip=9, before=5000.0)
    assert (len(cmp.rows[0].apart), len(cmp.rows[0].over)) == (30, 30)
    assert cmp.ratio == 1.0


def test_too_few_overlapping_steps_is_not_measured() -> None:
    times = _steps("note", 10.0, [0.0] * 30) + _steps("note", 10.0, [1100.0] * 3)
    cmp = compare(times, (1000.0, 1300.0), steps=("note",), skip=9, before=5000.0)
    assert not cmp.measured
    assert not cmp.holds


def test_idle_baselines_that_settle_after_the_first_round_level_off() -> None:
    # the first round fills the shared caches; later rounds come back to the same idle level
    r = IdleRounds((1400.0, 1900.0, 1950.0, 1880.0, 2010.0), tolerance_mb=150.0)
    assert r.measured
    assert r.growth_mb == 110.0
    assert r.holds


def test_idle_baselines_that_climb_every_round_do_not_level_off() -> None:
    r = IdleRounds((1400.0, 1900.0, 2000.0, 2100.0, 2200.0), tolerance_mb=150.0)
    assert r.measured
    assert r.growth_mb == 300.0
    assert not r.holds


def test_two_rounds_or_a_round_not_sampled_is_not_measured() -> None:
    assert not IdleRounds((1400.0, 1500.0), tolerance_mb=150.0).holds
    assert not IdleRounds((1400.0, float("nan"), 1500.0), tolerance_mb=150.0).holds
    assert math.isnan(idle_baseline([]))
    assert idle_baseline([900.0, 1000.0, 2000.0]) == 1000.0
