"""The app's output widgets that sit beside the main downloads: the Excel (Indonesia) CSV."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from infra_gap.export import ExportMeta
from infra_gap.formats import FORMATS, export_bytes
from infra_gap.i18n import t
from infra_gap.layers import Layers


def excel_csv_button(
    ranked: pd.DataFrame, layers: Layers, *, meta: ExportMeta, lang: str, stem: str
) -> None:
    """A download of the Excel (Indonesia) CSV (';', decimal comma, codes kept as text).

    Offered next to the plain machine CSV; the bytes are made on click.
    """
    st.download_button(
        t("download_csv_excel_id", lang),
        lambda: export_bytes(ranked, layers, fmt=".csv", meta=meta, lang=lang, excel_id=True),
        file_name=f"{stem}-excel-id.csv",
        mime=FORMATS[".csv"],
        key="download_csv_excel_id",
        help=t("download_csv_excel_id_help", lang),
        on_click="ignore",
    )
