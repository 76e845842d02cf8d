"""Where a page run's time goes: when each step of the province page starts and ends.

The app in AppTest (one compiled script shared by the runs, as on the server), on the demo,
with the steps of :mod:`infra_gap.app.ui.province` and :mod:`infra_gap.app.ui.map_panel`
wrapped in a timer; ``st.html`` marks when the map's colours are sent (issue #20: a weight
change repaints the map when that script reaches the browser). Prints, per run, every step
over 5 ms as ``start +duration name`` in seconds from the run's start, with the load
average. ``--profile NAME[,NAME]`` prints a cProfile of those steps in the last run.

Run: ``.venv/bin/python bench/rerun_timeline.py [--levels] [--profile map_scores]``
(weight changes on the kecamatan page; with ``--levels`` also kabupaten, desa, kecamatan,
each twice: first visit and warm). A timing run: take ``/work/wt/bench.lock`` if shared.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infra_gap.hardening import apply_hardened_env  # noqa: E402

apply_hardened_env()  # before anything loads GDAL, as main.py does

STEPS = {
    "infra_gap.app.ui.province": [
        "frame", "_data", "settings", "tools", "own_status", "workspace_box", "point_facts",
        "_scores", "with_eligibility", "_site_plan", "area_filter", "checklists", "_headline",
        "map_panel", "scenario_run", "_notes", "_table", "_rows_line", "sites_panel",
        "detail_panel", "data_quality", "scenario_panel", "sources_panel", "write_link",
    ],
    "infra_gap.app.ui.map_panel": [
        "map_scores", "outline_map", "_evidence_layers", "label_tiers", "_map_view",
        "st_folium", "print_panel", "province_map_bytes",
    ],
    "infra_gap.app.ui.common": ["ranked_table", "styled"],
}  # fmt: skip


class Timeline:
    """Steps seen in the current run: (start, duration, name), seconds from the run start."""

    def __init__(self, profile: set[str]) -> None:
        self.steps: list[tuple[float, float, str]] = []
        self.t0 = time.perf_counter()
        self.profile, self.profiling = profile, False

    def wrap(self, module: str, name: str) -> None:
        mod = importlib.import_module(module)
        func = getattr(mod, name)

        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            prof = cProfile.Profile() if self.profiling and name in self.profile else None
            if prof is not None:
                prof.enable()
            try:
                return func(*args, **kwargs)
            finally:
                if prof is not None:
                    prof.disable()
                    print(f"=== profile of {name}")
                    pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
                label = f"{module.rsplit('.', 1)[-1]}.{name}"
                self.steps.append((start - self.t0, time.perf_counter() - start, label))

        setattr(mod, name, timed)

    def mark(self, name: str) -> None:
        self.steps.append((time.perf_counter() - self.t0, 0.0, name))

    def run(self, title: str, act: Callable[[], object], *, profiling: bool = False) -> None:
        self.steps, self.profiling = [], profiling
        self.t0 = time.perf_counter()
        act()
        total = time.perf_counter() - self.t0
        load = os.getloadavg()[0]
        print(f"--- {title}: {total:.3f} s in all (load {load:.1f})")
        for start, took, name in sorted(self.steps):
            if took > 0.005 or name == "st.html":
                print(f"   {start:6.3f} +{took:6.3f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", action="store_true", help="level changes too")
    parser.add_argument("--profile", default="", help="steps to profile in the last run")
    args = parser.parse_args()

    import streamlit as st
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import AppTest, app_test, local_script_runner

    shared = ScriptCache()  # the server compiles the script once
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared  # type: ignore[misc]
    line = Timeline(set(filter(None, args.profile.split(","))))
    for module, names in STEPS.items():
        for name in names:
            line.wrap(module, name)
    html = st.html

    def marked_html(*a: Any, **k: Any) -> Any:
        line.mark("st.html")
        return html(*a, **k)

    st.html = marked_html  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["INFRA_GAP_DB"] = f"sqlite:///{Path(tmp) / 'ws.sqlite'}"
        at = AppTest.from_file(str(ROOT / "infra_gap" / "app" / "main.py"), default_timeout=600)
        line.run("first run", at.run)
        for i in range(5):
            slider = at.slider(key="w_msme_uncovered_share").set_value(0.2 + 0.1 * i)
            line.run(f"weight change {i + 1}", slider.run, profiling=not args.levels and i == 4)
            assert not at.exception, at.exception
        if args.levels:
            for n, level in enumerate(["kabupaten", "desa", "kecamatan"] * 2):
                box = at.selectbox(key="level_id").set_value(level)
                visit = "first visit" if n < 3 else "warm"
                line.run(f"level {level} ({visit})", box.run, profiling=n == 4)
                assert not at.exception, at.exception


if __name__ == "__main__":
    main()
