"""The national page (issue #9): a synthetic national workload, or one built from own files."""

import streamlit as st

from infra_gap.config import LEVELS
from infra_gap.text.i18n import t

from infra_gap.app.ui.common import error_text
from infra_gap.app.ui.frame import frame
from infra_gap.app.ui.national_page import national_page, title_keys
from infra_gap.app.ui.own_data import DEMO
from infra_gap.app.ui.sidebar import settings

lang = frame().lang
head = st.empty()
with head.container():  # text first; said again once the workload box has chosen
    st.title(t(title_keys(True)[0], lang))
    st.caption(t(title_keys(True)[1], lang))
cfg = settings(national=True, levels=list(LEVELS), data_key=DEMO, layers=None, lang=lang)
with head.container():
    st.title(t(title_keys(True)[0], lang))
    st.caption(t(title_keys(True)[1], lang))
if cfg.data_error is not None:
    st.error(error_text(cfg.data_error, lang))
else:
    national_page(cfg.nat_chosen, cfg.choices(), cfg.nat_province, lang)
