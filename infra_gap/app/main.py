"""infra-gap Streamlit app: the main script, the entry point of the pages in app_pages/ (#18).

Text first: the title and a progress bar are sent before the library is imported (a cold
start imports for tens of seconds), so the first page never stays blank (issue #19). Then
every run checks the environment, starts the session, draws the language switch and runs
the page chosen in the menu (:mod:`infra_gap.app.ui.frame`).  ``infra-gap app`` starts it.
"""

from __future__ import annotations

from infra_gap.hardening import apply_hardened_env

apply_hardened_env()  # first: GDAL reads its driver list when rasterio and pyogrio load

import streamlit as st

st.set_page_config(page_title="infra-gap", layout="wide")
_boot = st.empty()
with _boot.container():
    # Bilingual on purpose: the language catalogue is part of what is still loading.
    st.title("infra-gap")
    st.progress(5, text="Memuat aplikasi\u2026 / Loading the app\u2026")

from infra_gap.app.ui.frame import entered, pages, start

_frame = start()
_page = st.navigation(pages(_frame.lang))
entered(_page)
_boot.empty()
_page.run()
