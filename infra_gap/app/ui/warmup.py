"""The demo's other levels, built in the background once the first page is drawn (issue #20).

A level's first visit built its indicator table and its display outlines in the click
(the province's 6,110 desa: a coverage clean and simplify of tens of seconds on a busy
machine). Once per server process, after the first visitor's page is drawn, one thread
builds them for every level of the demo, into the same caches the page reads, so a level
change finds them ready. Only on a real server: AppTest runs have no runtime, and
``INFRA_GAP_WARMUP=0`` switches it off (the browser tests, which never visit every level).
"""

from __future__ import annotations

import logging
import os
import sys
import threading

import streamlit as st
from streamlit import runtime

from infra_gap.config import LEVELS, CoverageParams
from infra_gap.layers import Layers

from infra_gap.app.ui.cached import (
    display_areas,
    indicators,
    label_points,
    map_shapes,
    province_map_bytes,
)
from infra_gap.app.ui.own_data import DEMO

LOG = logging.getLogger(__name__)


def warm_demo(layers: Layers, *, first: str) -> None:
    """Build the demo's per-level caches in a background thread, once per server process;
    `first` is the level already built by the page that calls this (done last)."""
    if os.environ.get("INFRA_GAP_WARMUP", "1") == "0" or not runtime.exists():
        return
    _started(layers, first)


@st.cache_resource(show_spinner=False)
def _started(_layers: Layers, _first: str) -> threading.Thread:
    """The one warm-up thread of the process (the cache, with no key, makes it one)."""
    thread = threading.Thread(
        target=_build, args=(_layers, _first), name="infra-gap-warmup", daemon=True
    )
    thread.start()
    return thread


def _build(layers: Layers, first: str) -> None:
    covered_min = float(CoverageParams().covered_min)
    levels = [lv for lv in LEVELS if lv in layers.areas and lv != first]
    try:
        label_points(DEMO, layers)
        for level in levels:  # the cheap part of each level first, then its outlines
            indicators(DEMO, level, covered_min, layers)
        for level in levels:
            display_areas(DEMO, level, layers)
            map_shapes(DEMO, level, "", layers)
        if "desa" in layers.areas:  # the map panel's size check of the desa map
            province_map_bytes(DEMO, "desa", covered_min, layers)
    except Exception as err:  # a warm-up is an optimisation: the page builds what is missing
        # The server stopped mid-warm-up (its thread pools refuse work from then on, with
        # this message of concurrent.futures): nothing is wrong, and no traceback is printed.
        if sys.is_finalizing() or "after interpreter shutdown" in str(err):
            LOG.debug("warming the demo's caches stopped: the server is shutting down")
            return
        LOG.exception("warming the demo's caches failed")
