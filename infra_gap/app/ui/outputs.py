"""The app's output widgets that sit beside the main downloads: the Excel (Indonesia) CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from infra_gap.layers import Layers
from infra_gap.outputs.export import ExportMeta
from infra_gap.outputs.formats import FORMATS, export_bytes
from infra_gap.text.i18n import t

from infra_gap.app.ui.sizes import fmt_size


def excel_csv_button(
    ranked: pd.DataFrame,
    layers: Layers,
    *,
    meta: ExportMeta,
    lang: str,
    stem: str,
    cache_key: tuple[str, str, tuple[str, ...] | None],
) -> None:
    """A download of the Excel (Indonesia) CSV (';', decimal comma, codes kept as text).

    Offered next to the plain machine CSV, with its size like every download; the bytes are
    made once per data set, scenario, language and selection (`cache_key`).
    """
    data = excel_csv_bytes(*cache_key, lang, ranked, layers, meta)
    st.download_button(
        t("download_csv_excel_id_sized", lang).format(size=fmt_size(len(data), lang)),
        data,
        file_name=f"{stem}-excel-id.csv",
        mime=FORMATS[".csv"],
        key="download_csv_excel_id",
        help=t("download_csv_excel_id_help", lang),
        on_click="ignore",
        icon=":material/download:",
        use_container_width=True,
    )


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def excel_csv_bytes(
    key: str, text: str, codes: tuple[str, ...] | None, lang: str,
    _ranked: pd.DataFrame, _layers: Layers, _meta: ExportMeta,
) -> bytes:  # fmt: skip
    """The Excel (Indonesia) CSV of a data set's scenario (`text`) and selection (`codes`)."""
    return export_bytes(_ranked, _layers, fmt=".csv", meta=_meta, lang=lang, excel_id=True)
