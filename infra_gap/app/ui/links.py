"""A link reopens the same view: level, preset, weights, filter, selected area, language and
workspace travel in the URL's query string (``st.query_params``), and the workspace keeps
its last view, so opening the workspace alone reopens it too.

Everything read from the URL is checked against the known choices; anything else is ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode

import streamlit as st

from infra_gap.config import LEVELS
from infra_gap.ranking.presets import CUSTOM, preset_weights
from infra_gap.registry import INDICATORS
from infra_gap.text.i18n import LANGS
from infra_gap.workspace import ConflictError, Store, WorkspaceError

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.common import forget
from infra_gap.app.ui.filter import SORTS, Selection
from infra_gap.app.ui.state import PRESET_CHOICES

CODE = re.compile(r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$")  # Kemendagri: 12, 12.04, 12.04.10.2001
KAB = re.compile(r"^\d{2}\.\d{2}$")
VIEW_KEYS = ("level", "preset", "w", "kab", "dd", "sel", "sort")


def read_link(db: Store | None) -> None:
    """Once per session, before any widget: apply the URL's view (or the workspace's last)."""
    ss = st.session_state
    if ss.get(K.LINK_READ):
        return
    ss[K.LINK_READ] = True
    q = {k: str(v) for k, v in st.query_params.to_dict().items()}
    if q.get("lang") in LANGS:
        ss[K.LANG] = q["lang"]
    if q.get("ws"):
        ss[K.WORKSPACE] = q["ws"][:120]
    if not any(k in q for k in VIEW_KEYS) and db is not None and q.get("ws"):
        try:
            item = db.get(db.workspace(q["ws"][:120]), "view", "")
        except WorkspaceError:
            item = None
        if item is not None:
            q |= {k: v for k, v in parse_qsl(item.value) if k in VIEW_KEYS}
    apply_view(q)


def apply_view(q: Mapping[str, str]) -> None:
    """Set the session to a view (query-string fields); unknown values are ignored."""
    ss = st.session_state
    if q.get("level") in LEVELS:
        ss[K.LEVEL] = q["level"]
        forget(K.LEVEL)
    preset = q.get("preset")
    if preset in PRESET_CHOICES:
        ss[K.PRESET] = preset
        forget(K.PRESET)
        weights = preset_weights(preset) if preset != CUSTOM else _weights(q.get("w", ""))
        for name in INDICATORS:
            ss[K.weight(name)] = float(weights.get(name, 0.0))
    kab = [k for k in q.get("kab", "").split(",") if KAB.match(k)]
    if kab:
        ss[K.KAB_FILTER] = kab
    dd = q.get("dd", "")
    if CODE.match(dd):
        parts = dd.split(".")
        ss[K.drill_down("kabupaten")] = ".".join(parts[:2])
        ss[K.drill_down("kecamatan")] = ".".join(parts[:3]) if len(parts) >= 3 else ""
        forget(K.drill_down("kabupaten"), K.drill_down("kecamatan"))
    if q.get("sort") in SORTS:
        ss[K.SORT_BY] = q["sort"]
        forget(K.SORT_BY)
    level = str(ss.get(K.LEVEL, ""))
    sel = q.get("sel", "")
    if CODE.match(sel) and level:
        ss[K.why(level)] = sel
        ss[K.picked(level)] = True


def _weights(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in text.split(",")[: len(INDICATORS)]:
        name, _, value = part.partition(":")
        try:
            w = float(value)
        except ValueError:
            continue
        if name in INDICATORS and 0.0 <= w <= 1.0:
            out[name] = w
    return out


def view_of(
    *, level: str, preset: str, weights: Mapping[str, float], sel: Selection, pick: str
) -> dict[str, str]:
    """The query-string fields of the current view."""
    view = {"level": level, "preset": preset}
    if preset == CUSTOM:
        view["w"] = ",".join(f"{k}:{float(v):g}" for k, v in weights.items() if v)
    if sel.kab_codes:
        view["kab"] = ",".join(sel.kab_codes)
    if sel.prefix:
        view["dd"] = sel.prefix
    if st.session_state.get(K.SORT_BY, SORTS[0]) != SORTS[0]:
        view["sort"] = str(st.session_state[K.SORT_BY])
    if pick and st.session_state.get(K.picked(level)):
        view["sel"] = pick
    return view


def write_link(view: Mapping[str, str], *, lang: str, db: Store | None, ws: int | None) -> None:
    """Put the view in the URL (no rerun) and keep it as the workspace's last view."""
    ss = st.session_state
    wanted = {"lang": lang, "ws": str(ss.get(K.WORKSPACE, "")), **view}
    if {k: str(v) for k, v in st.query_params.to_dict().items()} != wanted:
        st.query_params.from_dict(wanted)
    text = urlencode(dict(view))
    if db is None or ws is None or ss.get(K.VIEW_SAVED) == (ws, text):
        return
    try:
        item = db.get(ws, "view", "")
        db.put(ws, "view", "", "", text, expected=item.version if item else 0)
    except (ConflictError, WorkspaceError):  # another editor's view at the same moment
        return
    ss[K.VIEW_SAVED] = (ws, text)
