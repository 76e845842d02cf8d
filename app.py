"""infra-gap Streamlit app: the demo, own-data and national pages (`ui/`).

Text first: the title and a progress bar are sent before the library is imported (a cold
start imports for tens of seconds), so the first page never stays blank (issue #19).
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

from ui.page import page

page(_boot)
