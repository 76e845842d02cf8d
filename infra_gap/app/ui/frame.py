"""What every page shares (run by main.py before the page): the checked environment, the
session's start, the link it was opened with, the language and the list of pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from infra_gap.errors import InfraGapError
from infra_gap.hardening import check_environment
from infra_gap.text.i18n import DEFAULT_LANG, LANGS, t
from infra_gap.workspace import Store

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.common import error_text, forget
from infra_gap.app.ui.links import read_link
from infra_gap.app.ui.national_page import built_chosen, source_key
from infra_gap.app.ui.state import start_session
from infra_gap.app.ui.workspace_ui import store

LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
PAGES_DIR = Path(__file__).resolve().parents[1] / "app_pages"
#: The pages, by file in app_pages/: the first is the default (the province's ranking). No
#: icons: Streamlit fetches the menu's Material icons from Google's font server.
PAGE_FILES = ("province", "national", "upload", "about")
STYLE = (
    "<style>h1 {font-size: 1.9rem !important; padding-top: 0 !important;}"
    ' .block-container, [data-testid="stMainBlockContainer"] {padding-top: 3.4rem !important;}'
    "</style>"
)


@dataclass(frozen=True)
class Frame:
    """What the pages share in one run: the workspace store (None without one), the language."""

    db: Store | None
    lang: str


def start() -> Frame:
    """Before any page: check the environment, start the session (defaults, the URL's view,
    widget values kept across pages) and draw the language switch."""
    st.markdown(STYLE, unsafe_allow_html=True)
    try:
        check_environment()
    except InfraGapError as env_err:
        st.error(error_text(env_err, DEFAULT_LANG))
        st.stop()
    ss = st.session_state
    ss.pop(K.FULL_RUN, None)  # this run is the whole page already
    K.keep_widgets(ss)
    db = store()
    start_session()
    read_link(db)  # a link (or the workspace's last view) reopens the same view, once per session
    with st.sidebar:
        lang = st.radio(
            "Bahasa / Language",
            LANGS,
            index=LANGS.index(DEFAULT_LANG),
            format_func=LANG_NAMES.__getitem__,
            key=K.LANG,
            horizontal=True,
        )
    return Frame(db=db, lang=str(lang))


def entered(page: StreamlitPage) -> None:
    """Call with the page about to run: on another page than the last run's, the choice
    widgets are drawn anew from the session's choices (each page's widgets are its own, so a
    widget would otherwise start from its first option)."""
    ss = st.session_state
    if ss.get(K.PAGE) != page.url_path:
        ss[K.PAGE] = page.url_path
        forget(*K.choices())


def nav_labels(lang: str, *, built: bool) -> dict[str, str]:
    """Each page's name in the menu: the national page reads as own data when the workload
    chosen was built from the user's files."""
    return {
        "province": t("nav_province", lang),
        "national": t(source_key("national", built=built), lang),
        "upload": t("own_data", lang),
        "about": t("nav_about", lang),
    }


def pages(lang: str) -> list[StreamlitPage]:
    """The pages of the menu, named in `lang`."""
    labels = nav_labels(lang, built=built_chosen())
    return [
        st.Page(PAGES_DIR / f"{name}.py", title=labels[name], default=name == PAGE_FILES[0])
        for name in PAGE_FILES
    ]


def frame() -> Frame:
    """The frame of the current run, for a page (the language drawn by main.py)."""
    lang = st.session_state.get(K.LANG, DEFAULT_LANG)
    return Frame(db=store(), lang=lang if lang in LANGS else DEFAULT_LANG)
