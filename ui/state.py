"""Session state of the demo and own-data page: its start, and the widgets' callbacks.

Callbacks run before the script reruns, so they may set widget state.
"""

from __future__ import annotations

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
from ui.cached import FLAT_KM
from ui.common import error_text, forget, sync

PRESET_CHOICES = [*(k for k, p in PRESETS.items() if p.available), CUSTOM]


def state_from(scenario: Scenario) -> dict[str, object]:
    """The session values of a scenario (sidebar choices)."""
    s = scenario.stability
    weights = dict(scenario.weights)
    if max(weights.values()) > 1:  # sliders end at 1: re-scale, which changes no ranking
        weights = normalised_weights(weights)
    return {
        "level": scenario.level,
        "preset": scenario.preset if scenario.preset in PRESET_CHOICES else CUSTOM,
        "method": scenario.normalisation,
        "covered_min": float(scenario.covered_min),
        "unknown_as_need": bool(scenario.unknown_as_need),
        "top_n": s.top_n,
        "draws": s.draws,
        "concentration": float(s.concentration),
        "seed": s.seed,
        "scenario_name": scenario.name,
    } | {f"w_{k}": float(weights.get(k, 0.0)) for k in INDICATORS}


def start_session() -> None:
    """Defaults of a new session, and of sliders or boxes not shown in the last run."""
    ss = st.session_state
    if "preset" not in ss:  # a new session starts on the default scenario
        ss.update(state_from(Scenario()))
    # A slider that was not shown in the last run lost its state: it gets the preset's weight.
    preset_w = {} if ss["preset"] == CUSTOM else preset_weights(ss["preset"])
    for name in INDICATORS:
        ss.setdefault(f"w_{name}", float(preset_w.get(name, 0.0)))
    for lv in LEVELS:
        ss.setdefault(f"dd_{lv}", "")
    ss.setdefault("checklist", {})
    ss.setdefault("unknown_as_need", Scenario().unknown_as_need)
    for key, value in (
        ("sites_on", False), ("site_by_count", False), ("site_count", 20),
        ("site_budget_bn", 50), ("site_radius_km", FLAT_KM),
        ("site_hilly", ReachParams().terrain == "hilly"),
    ):  # fmt: skip
        ss.setdefault(key, value)
    if "pending_select" in ss:  # a map click of the last run, applied before any widget
        pick_only(*ss.pop("pending_select"))
    if "nat_pending" in ss:  # a national workload just made: chosen before the scale box
        ss["nat_scale"] = ss.pop("nat_pending")
        forget("nat_scale")


def apply_preset(lang: str) -> None:
    sync("preset", lang)
    key = st.session_state["preset"]
    if key != CUSTOM:
        weights = preset_weights(key)
        for name in INDICATORS:
            st.session_state[f"w_{name}"] = float(weights.get(name, 0.0))


def mark_picked(key: str) -> None:
    st.session_state[f"{key}_picked"] = True


def to_custom() -> None:
    if st.session_state["preset"] != CUSTOM:
        st.session_state["preset"] = CUSTOM
        forget("preset")


def apply_scenario(loaded: Scenario) -> None:
    """Set the sidebar to a scenario (a file or one saved in the workspace)."""
    st.session_state.update(state_from(loaded))
    forget("level", "preset", "method")


def load_scenario() -> None:
    upload = st.session_state.get("scenario_file")
    if upload is None:
        return
    try:
        loaded = scenario_from_bytes(upload.getvalue())
    except InfraGapError as err:
        ui_lang = st.session_state.get("lang", DEFAULT_LANG)
        st.session_state["scenario_error"] = error_text(err, ui_lang)
        return
    apply_scenario(loaded)
    st.session_state["scenario_loaded"] = loaded.name or upload.name


def pick_only(kode: str, level: str) -> None:
    """Show an area in the detail panel (a map click): the filter and the map stay as they are."""
    ss = st.session_state
    if ss.get("level") != level:
        return
    ss[f"why_{level}"] = kode
    ss[f"why_{level}_picked"] = True


def select(kode: str, level: str) -> None:
    """Go to an area (search, drill-down): drill-down boxes, level and detail follow it."""
    ss = st.session_state
    path = code_path(kode)
    for lv in ("kabupaten", "kecamatan", "desa"):
        ss[f"dd_{lv}"] = path.get(lv, "")
    forget("dd_kabupaten", "dd_kecamatan", "dd_desa")
    ss["level"] = level
    forget("level")
    ss[f"why_{level}"] = kode
    ss[f"why_{level}_picked"] = True


def dd_changed(name: str, lang: str) -> None:
    """A drill-down box changed: clear the boxes below it; pick the area at its level."""
    ss = st.session_state
    sync(f"dd_{name}", lang)
    below = ("kabupaten", "kecamatan", "desa")
    for lv in below[below.index(name) + 1 :]:
        ss[f"dd_{lv}"] = ""
        forget(f"dd_{lv}")
    chosen = ss[f"dd_{name}"]
    if chosen and ss["level"] == name:
        ss[f"why_{name}"] = chosen
        ss[f"why_{name}_picked"] = True


def search_picked(lang: str) -> None:
    """A search result was picked. One widget per language: a select box remembers the label
    it showed, and after a language switch the browser hands back that label instead of
    ``level:kode`` (issue #19: ``ValueError: not enough values to unpack``)."""
    picked = st.session_state.get(f"search_pick_{lang}") or ""
    level, _, kode = str(picked).partition(":")
    if kode and level in LEVELS:
        select(kode, level)


def search_label(value: str, names: dict[str, str], lang: str) -> str:
    if not value:
        return "\u2026"
    level, _, kode = value.partition(":")
    if level not in LEVELS:
        return value
    return f"{names.get(kode, '')} ({kode}) \u00b7 {t(f'level_{level}', lang)}"


def drill(kode: str, level: str, child: str) -> None:
    """Select an area and show its children (kabupaten -> kecamatan -> desa)."""
    select(kode, level)
    st.session_state["level"] = child
    forget("level")


def reset_selection() -> None:
    ss = st.session_state
    for lv in LEVELS:
        ss[f"dd_{lv}"] = ""
        ss.pop(f"why_{lv}_picked", None)
        ss.pop(f"why_{lv}", None)
    forget("dd_kabupaten", "dd_kecamatan", "dd_desa")
    ss.pop("map_clicked", None)
    ss.pop("pending_select", None)
