"""Session state of the demo and own-data page: its start, and the widgets' callbacks.

Callbacks run before the script reruns, so they may set widget state.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from infra_gap.config import LEVELS
from infra_gap.errors import InfraGapError
from infra_gap.outputs.views import code_path
from infra_gap.ranking.presets import CUSTOM, PRESETS, preset_weights
from infra_gap.ranking.scenario import Scenario, scenario_from_bytes
from infra_gap.ranking.scoring import normalised_weights
from infra_gap.registry import INDICATORS
from infra_gap.siting.problem import ReachParams
from infra_gap.text.i18n import DEFAULT_LANG, t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import FLAT_KM
from infra_gap.app.ui.common import error_text, forget, sync

PRESET_CHOICES = [*(k for k, p in PRESETS.items() if p.available), CUSTOM]


def state_from(scenario: Scenario) -> dict[str, object]:
    """The session values of a scenario (sidebar choices)."""
    s = scenario.stability
    weights = dict(scenario.weights)
    if max(weights.values()) > 1:  # sliders end at 1: re-scale, which changes no ranking
        weights = normalised_weights(weights)
    return {
        K.LEVEL: scenario.level,
        K.PRESET: scenario.preset if scenario.preset in PRESET_CHOICES else CUSTOM,
        K.METHOD: scenario.normalisation,
        K.COVERED_MIN: float(scenario.covered_min),
        K.UNKNOWN_AS_NEED: bool(scenario.unknown_as_need),
        K.TOP_N: s.top_n,
        K.DRAWS: s.draws,
        K.CONCENTRATION: float(s.concentration),
        K.SEED: s.seed,
        K.SCENARIO_NAME: scenario.name,
    } | {K.weight(k): float(weights.get(k, 0.0)) for k in INDICATORS}


def start_session() -> None:
    """Defaults of a new session, and of sliders or boxes not shown in the last run."""
    ss = st.session_state
    defaults = state_from(Scenario())
    if K.PRESET not in ss:  # a new session starts on the default scenario
        ss.update(defaults)
    # A slider that was not shown in the last run lost its state: it gets the preset's weight.
    preset_w = {} if ss[K.PRESET] == CUSTOM else preset_weights(ss[K.PRESET])
    for name in INDICATORS:
        ss.setdefault(K.weight(name), float(preset_w.get(name, 0.0)))
    # Any other sidebar box that lost its state (a page without the sidebar, a switch_page
    # mid-run) gets the default scenario's value, never the widget's bare default: a
    # stability concentration of 0.0 stopped the ranking with E_SCORING after own data loaded.
    for key, value in defaults.items():
        ss.setdefault(key, value)
    for lv in LEVELS:
        ss.setdefault(K.drill_down(lv), "")
    ss.setdefault(K.CHECKLIST, {})
    for key, value in (
        (K.SITES_ON, False), (K.SITE_BY_COUNT, False), (K.SITE_COUNT, 20),
        (K.SITE_BUDGET_BN, 50), (K.SITE_RADIUS_KM, FLAT_KM),
        (K.SITE_HILLY, ReachParams().terrain == "hilly"),
    ):  # fmt: skip
        ss.setdefault(key, value)
    if K.PENDING_SELECT in ss:  # a map click of the last run, applied before any widget
        pick_only(*ss.pop(K.PENDING_SELECT))
    if K.NAT_PENDING in ss:  # a national workload just made: chosen before the scale box
        ss[K.NAT_SCALE] = ss.pop(K.NAT_PENDING)
        forget(K.NAT_SCALE)


def apply_preset(lang: str) -> None:
    sync(K.PRESET, lang)
    key = st.session_state[K.PRESET]
    if key != CUSTOM:
        weights = preset_weights(key)
        for name in INDICATORS:
            st.session_state[K.weight(name)] = float(weights.get(name, 0.0))


def mark_picked(level: str) -> None:
    st.session_state[K.picked(level)] = True


def to_custom() -> None:
    if st.session_state[K.PRESET] != CUSTOM:
        st.session_state[K.PRESET] = CUSTOM
        forget(K.PRESET)


def apply_scenario(loaded: Scenario) -> None:
    """Set the sidebar to a scenario (a file or one saved in the workspace)."""
    st.session_state.update(state_from(loaded))
    forget(K.LEVEL, K.PRESET, K.METHOD)


def full_run() -> None:
    """A fragment's widget changed what the whole page shows: the fragment reruns the page."""
    st.session_state[K.FULL_RUN] = True


def load_scenario() -> None:
    upload = st.session_state.get(K.SCENARIO_FILE)
    if upload is None:
        return
    try:
        loaded = scenario_from_bytes(upload.getvalue())
    except InfraGapError as err:
        ui_lang = st.session_state.get(K.LANG, DEFAULT_LANG)
        st.session_state[K.SCENARIO_ERROR] = error_text(err, ui_lang)
        return
    apply_scenario(loaded)
    st.session_state[K.SCENARIO_LOADED] = loaded.name or upload.name
    full_run()


def pick_only(kode: str, level: str) -> None:
    """Show an area in the detail panel (a map click): the filter and the map stay as they are."""
    ss = st.session_state
    if ss.get(K.LEVEL) != level:
        return
    ss[K.why(level)] = kode
    ss[K.picked(level)] = True


def select(kode: str, level: str) -> None:
    """Go to an area (search, drill-down): drill-down boxes, level and detail follow it."""
    ss = st.session_state
    path = code_path(kode)
    for lv in ("kabupaten", "kecamatan", "desa"):
        ss[K.drill_down(lv)] = path.get(lv, "")
    forget(K.drill_down("kabupaten"), K.drill_down("kecamatan"), K.drill_down("desa"))
    ss[K.LEVEL] = level
    forget(K.LEVEL)
    ss[K.why(level)] = kode
    ss[K.picked(level)] = True


def dd_changed(name: str, lang: str) -> None:
    """A drill-down box changed: clear the boxes below it; pick the area at its level."""
    ss = st.session_state
    sync(K.drill_down(name), lang)
    below = ("kabupaten", "kecamatan", "desa")
    for lv in below[below.index(name) + 1 :]:
        ss[K.drill_down(lv)] = ""
        forget(K.drill_down(lv))
    chosen = ss[K.drill_down(name)]
    if chosen and ss[K.LEVEL] == name:
        ss[K.why(name)] = chosen
        ss[K.picked(name)] = True


def search_picked(lang: str) -> None:
    """A search result was picked. One widget per language: a select box remembers the label
    it showed, and after a language switch the browser hands back that label instead of
    ``level:kode`` (issue #19: ``ValueError: not enough values to unpack``)."""
    picked = st.session_state.get(K.search_pick(lang)) or ""
    level, _, kode = str(picked).partition(":")
    if kode and level in LEVELS:
        select(kode, level)


def search_label(value: str, names: Mapping[str, str], lang: str) -> str:
    if not value:
        return "\u2026"
    level, _, kode = value.partition(":")
    if level not in LEVELS:
        return value
    return f"{names.get(kode, '')} ({kode}) \u00b7 {t(f'level_{level}', lang)}"


def drill(kode: str, level: str, child: str) -> None:
    """Select an area and show its children (kabupaten -> kecamatan -> desa)."""
    select(kode, level)
    st.session_state[K.LEVEL] = child
    forget(K.LEVEL)


def reset_selection() -> None:
    ss = st.session_state
    for lv in LEVELS:
        ss[K.drill_down(lv)] = ""
        ss.pop(K.picked(lv), None)
        K.drop_kept(ss, K.why(lv))
    forget(K.drill_down("kabupaten"), K.drill_down("kecamatan"), K.drill_down("desa"))
    ss.pop(K.MAP_CLICKED, None)
    ss.pop(K.PENDING_SELECT, None)
