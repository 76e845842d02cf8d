"""Own data: the files to rank instead of the demo; once loaded, the province page shows them."""

import streamlit as st

from infra_gap.text.i18n import t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.frame import PAGES_DIR, frame
from infra_gap.app.ui.own_data import own_data_panel

if st.session_state.pop(K.OWN_LOADED, False):
    st.switch_page(PAGES_DIR / "province.py")
lang = frame().lang
st.title(t("own_data", lang))
own_data_panel(st.session_state.get(K.OWN), lang)
