"""Re-ranking with rank stability: vectorised library path against a plain loop.

Run with ``.venv/bin/python bench/bench_scoring.py`` (``--quick`` times the baseline on
fewer draws and scales it up).  The baseline is the straightforward approach: call
``rank_areas`` once per Dirichlet weight draw and take percentiles of the collected ranks.
It is measured in the same run, on the same demo desa table, and its p5/p95/top-N figures
are checked against the vectorised ones.  Target (issue 5): re-ranking 6,110 desa with
1,000 draws in under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infra_gap.analysis.pipeline import indicator_table, place_and_cover  # noqa: E402
from infra_gap.ranking.presets import PRESETS  # noqa: E402
from infra_gap.ranking.scenario import Scenario, run_scenario  # noqa: E402
from infra_gap.ranking.scoring import need_matrix, normalised_weights, rank_areas  # noqa: E402
from infra_gap.ranking.stability import (  # noqa: E402
    StabilityParams,
    draw_ranks,
    percentile_index,
    rank_stability,
    weight_draws,
)
from infra_gap.registry import INDICATORS  # noqa: E402
from infra_gap.synthetic.demo import load_demo  # noqa: E402

TARGET_S = 0.3
PARAMS = StabilityParams()  # 1,000 draws, concentration 20, seed 12, top 10


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """Best and median wall time of ``repeat`` calls, and the best CPU time."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), statistics.median(wall), min(cpu)


def load() -> str:
    """The 1-minute load average: other processes slow every figure down."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def baseline(table: pd.DataFrame, weights: dict[str, float], draws: int) -> pd.DataFrame:
    """The plain loop: one ``rank_areas`` call per weight draw."""
    w = normalised_weights(weights)
    drawn = weight_draws(w, draws=draws, concentration=PARAMS.concentration, seed=PARAMS.seed)
    codes = table["kode"]
    ranks = np.empty((draws, len(table)), dtype=np.int64)
    for d, row in enumerate(drawn):
        ranked = rank_areas(table, dict(zip(w, row, strict=True)))
        ranks[d] = ranked.set_index("kode")["rank"].reindex(codes).to_numpy()
    by_area = np.sort(ranks.T, axis=1)
    return pd.DataFrame(
        {
            "kode": codes.to_numpy(),
            "rank_low": by_area[:, percentile_index(5, draws)],
            "rank_high": by_area[:, percentile_index(95, draws)],
            "top_n_share": (ranks <= PARAMS.top_n).sum(axis=0) / draws,
        },
        index=table.index,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="baseline on 100 draws, scaled")
    parser.add_argument("--repeat", type=int, default=7, help="repeats of the fast path")
    args = parser.parse_args()

    t0 = time.perf_counter()
    layers = load_demo(ROOT / "data", ROOT / ".cache")
    facts = place_and_cover(layers, covered_min=1.0)
    tables = {lv: indicator_table(layers, facts, level=lv) for lv in ("desa", "kecamatan")}
    desa = tables["desa"]
    present = [k for k in INDICATORS if k in desa.columns]
    weight_sets = {
        key: dict(p.weights)
        for key, p in PRESETS.items()
        if p.available and set(p.weights) <= set(desa.columns)
    }
    weight_sets[f"all_{len(present)}_equal"] = dict.fromkeys(present, 1.0)
    print(
        f"bench_scoring: {len(desa):,} desa, {PARAMS.draws:,} Dirichlet draws (concentration "
        f"{PARAMS.concentration:g}, seed {PARAMS.seed}), top {PARAMS.top_n}; numpy "
        f"{np.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs, load "
        f"average {load()}; setup {time.perf_counter() - t0:.1f} s (not timed)"
    )

    base_key = "daerah_terpencil" if "daerah_terpencil" in weight_sets else next(iter(weight_sets))
    weights = weight_sets[base_key]
    n_base = 100 if args.quick else PARAMS.draws
    t0, c0 = time.perf_counter(), time.process_time()
    slow = baseline(desa, weights, n_base)
    base_s = (time.perf_counter() - t0) * PARAMS.draws / n_base
    base_cpu = (time.process_time() - c0) * PARAMS.draws / n_base
    scaled = " (100 draws, scaled x10)" if args.quick else ""
    print(f"\nbaseline, {base_key}: loop of {PARAMS.draws:,} rank_areas calls{scaled}")
    print(f"  {base_s:8.3f} s wall, {base_cpu:.3f} s CPU")
    if not args.quick:
        fast = rank_stability(desa, weights, params=PARAMS)
        same = fast.equals(slow)
        print(f"  vectorised rank_stability gives identical rank_low/rank_high/top_n_share: {same}")
        if not same:
            sys.exit("MISMATCH between the vectorised path and the baseline")

    print(
        f"\nvectorised, desa: wall best / median of {args.repeat}, CPU best; ratio = baseline "
        "wall / best wall"
    )
    worst = 0.0
    for key, w in weight_sets.items():
        stab = timed(lambda w=w: rank_stability(desa, w, params=PARAMS), args.repeat)
        scenario = Scenario(level="desa", preset="custom", weights=w, stability=PARAMS)
        run = timed(lambda s=scenario: run_scenario(desa, s), args.repeat)
        worst = max(worst, run[0])
        print(
            f"  {key:<18} {len(w):2d} ind.  rank_stability {stab[0]:.3f} / {stab[1]:.3f} s, "
            f"CPU {stab[2]:.3f} s ({base_s / stab[0]:4.0f}x)   run_scenario (rank + stability + "
            f"tiers) {run[0]:.3f} / {run[1]:.3f} s, CPU {run[2]:.3f} s ({base_s / run[0]:4.0f}x)"
        )

    m = need_matrix(desa.sort_values("kode"), normalised_weights(weights), method="minmax")
    drawn = weight_draws(
        normalised_weights(weights),
        draws=PARAMS.draws,
        concentration=PARAMS.concentration,
        seed=PARAMS.seed,
    )
    sort_best, _, _ = timed(lambda: draw_ranks(m, drawn), args.repeat)
    single_best, _, single_cpu = timed(lambda: draw_ranks(m, drawn, workers=1), args.repeat)
    naive_best, _, _ = timed(
        lambda: np.argsort(-(drawn @ m.T), axis=1, kind="stable"), max(args.repeat // 2, 1)
    )
    print(
        f"\nranking core, {base_key}: draw_ranks (one sort on score+position keys, ranks "
        f"scattered) {sort_best:.3f} s vs np.argsort(stable) on the {PARAMS.draws}x{len(desa)} "
        f"score matrix alone {naive_best:.3f} s ({naive_best / sort_best:.1f}x); draw_ranks in "
        f"one thread {single_best:.3f} s (CPU {single_cpu:.3f} s)"
    )
    kec = tables["kecamatan"]
    kec_best, _, _ = timed(
        lambda: run_scenario(kec, Scenario(level="kecamatan", stability=PARAMS)), args.repeat
    )
    print(f"kecamatan ({len(kec)} areas), default preset, run_scenario: {kec_best:.3f} s")
    verdict = "met" if worst < TARGET_S else "NOT met"
    print(
        f"\ntarget: re-rank {len(desa):,} desa with {PARAMS.draws:,} draws under {TARGET_S} s: "
        f"{verdict} (slowest weight set, best run: {worst:.3f} s; load average now {load()})"
    )


if __name__ == "__main__":
    main()
