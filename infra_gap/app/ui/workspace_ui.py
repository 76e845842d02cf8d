"""Work that lasts (issue #19): the app's side of :mod:`infra_gap.workspace`.

Checklist fields and notes are saved when they change, with the row version they were read
at; another editor's newer save is never overwritten: the field shows the stored text and a
warning keeps what was typed. The store is one per database URL, shared by every session
(each call takes its own connection).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from infra_gap.errors import InfraGapError
from infra_gap.hardening import safe_label
from infra_gap.outputs.views import md_escape
from infra_gap.text.i18n import t
from infra_gap.workspace import ConflictError, Store, WorkspaceError, database_url, open_store

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import cache_dir
from infra_gap.app.ui.common import error_text, held
from infra_gap.app.ui.file_box import file_box

DEFAULT_WORKSPACE = "Usulan BAKTI 2026"


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(url: str) -> Store:
    return open_store(url)


def store() -> Store | None:
    """The workspace store (``INFRA_GAP_DB`` or SQLite beside the cache); None if it fails,
    said once per session."""
    try:
        return _store(database_url(cache_dir()))
    except InfraGapError as err:
        st.session_state[K.WS_ERROR] = err
        return None


def workspace_box(db: Store | None, lang: str) -> int | None:
    """The sidebar's workspace name; the workspace's id (made on first use)."""
    ss = st.session_state
    ss.setdefault(K.WORKSPACE, DEFAULT_WORKSPACE)
    with st.sidebar:
        st.text_input(
            t("ws_name", lang),
            value=held(K.WORKSPACE, ""),
            key=K.WORKSPACE,
            help=t("ws_help", lang),
            max_chars=120,
        )
        if db is None:
            err = ss.get(K.WS_ERROR)
            if isinstance(err, InfraGapError):
                st.error(error_text(err, lang))
            return None
        try:
            ws = db.workspace(ss[K.WORKSPACE])
        except WorkspaceError as err:
            st.error(error_text(err, lang))
            return None
        st.caption(t(f"ws_where_{db.dialect}", lang) if db.dialect == "sqlite" else
                   t("ws_where_server", lang))  # fmt: skip
    return ws


def _known() -> dict[tuple[int, str, str, str], tuple[int, str]]:
    return st.session_state.setdefault(K.WS_KNOWN, {})


def sync_field(db: Store, ws: int, kind: str, key: str, field: str, widget: str) -> None:
    """Before the widget is drawn: show the stored text when it is newer than the widget's."""
    ss = st.session_state
    item = db.get(ws, kind, key, field)
    version, value = (item.version, item.value) if item is not None else (0, "")
    known = _known()
    k = (ws, kind, key, field)
    if widget not in ss or k not in known or known[k][0] != version:
        ss[widget] = value
        known[k] = (version, value)


def _put(db: Store, k: tuple[int, str, str, str], text: str) -> InfraGapError | None:
    """Save ``text`` on top of the version it was read at; the refusal, if any.

    A conflict (another editor saved first) is recorded for ``show_conflict``; any other
    refusal is remembered as this text so that it is not tried again on every run.
    """
    known = _known()
    version = known.get(k, (0, ""))[0]
    try:
        item = db.put(*k, text, expected=version, editor=_editor())
    except ConflictError as err:
        current = err.current
        st.session_state[K.WS_CONFLICT] = {
            "field": k[3], "kind": k[1], "mine": text,
            "theirs": current.value if current is not None else "",
            "when": current.updated_at if current else "",
        }  # fmt: skip
        return err
    except InfraGapError as err:
        known[k] = (version, text)
        return err
    known[k] = (item.version, text)
    return None


def save_field(db: Store, ws: int, kind: str, key: str, field: str, widget: str) -> None:
    """Callback: save the widget's text on top of the version it was read at."""
    ss = st.session_state
    k = (ws, kind, key, field)
    err = _put(db, k, str(ss.get(widget, "")))
    if isinstance(err, ConflictError):  # the widget shows the stored text at once
        current = err.current
        theirs = current.value if current is not None else ""
        _known()[k] = (current.version if current is not None else 0, theirs)
        ss[widget] = theirs
    elif err is not None:
        ss[K.WS_SAVE_ERROR] = err


def save_missed(db: Store, ws: int, kind: str, key: str, field: str, value: str, lang: str) -> None:
    """After the widget is drawn: save a text the browser sent whose callback never ran.

    Streamlit runs a widget's callback only when it still knows the widget from the run
    before; a rerun that met a fragment no longer registered (the map's, under heavy load)
    dropped it, and four typed fields were never saved in the 20-session load run. The text
    is saved here on top of the version it was read at; a conflict shows the stored text on
    the next run, with the same warning as in the callback.
    """
    k = (ws, kind, key, field)
    known = _known()
    if k not in known or known[k][1] == value:
        return  # saved already (the callback ran) or never read
    err = _put(db, k, value)
    if isinstance(err, ConflictError):  # the widget is drawn: the next run's sync shows it
        known[k] = (-1, value)
        st.rerun()
    elif err is not None:
        st.error(error_text(err, lang))


def _editor() -> str:
    return str(st.session_state.get(K.EDITOR_ID, ""))


def show_conflict(lang: str) -> None:
    """The warning of a write refused because another editor saved first (once)."""
    ss = st.session_state
    c = ss.pop(K.WS_CONFLICT, None)
    if c is not None:
        label = t(f"ck_{c['field']}", lang) if c["kind"] == "checklist" else t("note", lang)
        st.warning(
            t("ws_conflict", lang).format(
                field=md_escape(label),
                theirs=md_escape(c["theirs"]) or "\u2013",
                mine=md_escape(c["mine"]) or "\u2013",
                when=md_escape(c["when"]),
            )
        )
    err = ss.pop(K.WS_SAVE_ERROR, None)
    if isinstance(err, InfraGapError):
        st.error(error_text(err, lang))


def checklists(db: Store | None, ws: int | None) -> dict[str, dict[str, str]]:
    """Every area's checklist in the workspace (the session's own when there is no store)."""
    if db is None or ws is None:
        return {k: dict(v) for k, v in st.session_state.get(K.CHECKLIST, {}).items()}
    out: dict[str, dict[str, str]] = {}
    for (kode, field), item in db.items(ws, "checklist").items():
        if item.value:
            out.setdefault(kode, {})[field] = item.value
    return out


def field_widgets(
    db: Store | None, ws: int | None, pick: str, fields: Sequence[str], lang: str
) -> None:
    """The checklist fields and the note of one area, saved to the workspace as typed."""
    ss = st.session_state
    for field in fields:
        widget = K.checklist_field(field, pick)
        if db is not None and ws is not None:
            sync_field(db, ws, "checklist", pick, field, widget)
            text = st.text_input(
                t(f"ck_{field}", lang), value=held(widget, ""), key=widget,
                placeholder=t("ck_unfilled", lang), on_change=save_field,
                args=(db, ws, "checklist", pick, field, widget), max_chars=300,
            )  # fmt: skip
            save_missed(db, ws, "checklist", pick, field, text, lang)
        else:  # no database: kept in this session only
            ss.setdefault(widget, ss[K.CHECKLIST].get(pick, {}).get(field, ""))
            st.text_input(
                t(f"ck_{field}", lang), value=held(widget, ""), key=widget,
                placeholder=t("ck_unfilled", lang), on_change=_store_in_session,
                args=(pick, field), max_chars=300,
            )  # fmt: skip
    if db is not None and ws is not None:
        widget = K.note(pick)
        sync_field(db, ws, "note", pick, "", widget)
        text = st.text_area(
            t("note", lang), value=held(widget, ""), key=widget, height=90, max_chars=4000,
            on_change=save_field, args=(db, ws, "note", pick, "", widget),
        )  # fmt: skip
        save_missed(db, ws, "note", pick, "", text, lang)


def _store_in_session(kode: str, name: str) -> None:
    entries = st.session_state.setdefault(K.CHECKLIST, {})
    entries.setdefault(kode, {})[name] = st.session_state[K.checklist_field(name, kode)]


def workspace_files(db: Store, ws: int, lang: str) -> None:
    """Download the workspace as a file; add a workspace file's items to it."""
    ss = st.session_state
    name = str(ss.get(K.WORKSPACE, DEFAULT_WORKSPACE))
    data = db.export_workspace(ws)
    st.download_button(
        t("ws_export", lang),
        data,
        file_name=f"{safe_label(f'infra-gap-ruang-kerja-{name}')}.json",
        mime="application/json",
        key="download_workspace",
        on_click="ignore",
    )
    up = file_box(t("ws_import", lang), types=("json",), key=K.WS_IMPORT_FILE, lang=lang,
                  max_mb=5)  # fmt: skip
    if up is not None and st.button(t("ws_import_run", lang), key="ws_import_run"):
        try:
            _, n = db.import_workspace(up.getvalue(), name=name, editor=_editor())
        except InfraGapError as err:
            st.error(error_text(err, lang))
        else:
            _known().clear()
            st.success(t("ws_imported", lang).format(n=n, name=md_escape(name)))
