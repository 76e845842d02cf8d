"""Downloads that follow the selection (issue #19): CSV, XLSX, GeoPackage and the PDF top N
hold only the areas shown, and say which in their label, file name and PDF title.

The CSV is made at once (small); the others are made on request, with a spinner, and
offered with their size; a failure is said in the page, never lost in the server log.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import TypeVar

import geopandas as gpd
import pandas as pd
import streamlit as st

from infra_gap.analysis.pipeline import PointFacts
from infra_gap.errors import InfraGapError
from infra_gap.hardening import safe_label
from infra_gap.layers import Layers
from infra_gap.outputs.formats import FORMATS, export_bytes, meta_for
from infra_gap.ranking.scenario import ScenarioResult
from infra_gap.text.i18n import fmt_int, t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import ranked_csv_bytes
from infra_gap.app.ui.common import error_text
from infra_gap.app.ui.filter import Selection
from infra_gap.app.ui.outputs import excel_csv_button
from infra_gap.app.ui.sizes import fmt_size

LOG = logging.getLogger(__name__)
T = TypeVar("T")  # what an export makes (bytes, or PNG and PDF bytes together)
MADE_ON_REQUEST = (".xlsx", ".gpkg", ".pdf")
FORMAT_NAMES = {".csv": "CSV", ".xlsx": "XLSX", ".gpkg": "GeoPackage", ".pdf": "PDF"}


def scope_text(sel: Selection, n_all: int, level: str, lang: str) -> str:
    """Which areas the downloads hold: "45 kecamatan di Nias dan Nias Selatan"."""
    unit = t(f"level_{level}", lang)
    if sel.filtered:
        return t("dl_scope_sel", lang).format(n=fmt_int(len(sel.shown), lang), level=unit,
                                              where=sel.title)  # fmt: skip
    return t("dl_scope_all", lang).format(n=fmt_int(n_all, lang), level=unit)


def pdf_title(sel: Selection, top_n: int, lang: str) -> str:
    """The PDF's title line: "10 teratas di Nias dan Nias Selatan"."""
    if sel.filtered:
        return t("pdf_top_in", lang).format(n=top_n, where=sel.title)
    return t("pdf_top_all", lang).format(n=top_n)


def make_safely(make: Callable[[], T], what: str, lang: str) -> T | None:
    """Run an export; a failure is shown (in the UI language) and logged, never raised."""
    try:
        return make()
    except InfraGapError as err:
        st.error(error_text(err, lang))
    except Exception as err:  # a library bug: say so, keep the page
        LOG.exception("export %s failed", what)
        st.error(t("dl_failed", lang).format(what=what, kind=type(err).__name__))
    return None


def downloads(
    *,
    ranked: pd.DataFrame,
    sel: Selection,
    result: ScenarioResult,
    layers: Layers,
    facts: PointFacts,
    sites: gpd.GeoDataFrame | None,
    checklist: Mapping[str, Mapping[str, str]],
    data_key: str,
    scenario_text: str,
    level: str,
    top_n: int,
    lang: str,
) -> None:
    """The download panel of the ranked list."""
    ss = st.session_state
    st.markdown(f"##### {t('downloads', lang)}")
    st.caption(scope_text(sel, len(ranked), level, lang))
    meta = meta_for(result)
    codes = sel.shown["kode"].astype("str").tolist() if sel.filtered else None
    where = "-".join(sel.kab_codes) if sel.kab_codes else sel.prefix
    name = ss.get(K.SCENARIO_NAME, "")
    stem = safe_label(f"infra-gap-{level}-{where}-{name}".replace("--", "-"))
    top_codes = sel.shown["kode"].astype("str").head(int(top_n)).tolist()
    makers: dict[str, Callable[[], bytes]] = {
        ".csv": lambda: export_bytes(
            ranked, layers, fmt=".csv", meta=meta, lang=lang, sites=sites, codes=codes
        ),
        ".xlsx": lambda: export_bytes(
            ranked,
            layers,
            fmt=".xlsx",
            meta=meta,
            facts=facts,
            lang=lang,
            sites=sites,
            codes=codes,
        ),
        ".gpkg": lambda: export_bytes(
            ranked,
            layers,
            fmt=".gpkg",
            meta=meta,
            facts=facts,
            lang=lang,
            sites=sites,
            codes=codes,
        ),
        ".pdf": lambda: export_bytes(
            ranked,
            layers,
            fmt=".pdf",
            meta=meta,
            facts=facts,
            lang=lang,
            codes=top_codes,
            checklist=checklist,
            sites=sites,
            region=pdf_title(sel, int(top_n), lang),
        ),
    }
    if codes is None and sites is None:
        csv: bytes | None = ranked_csv_bytes(data_key, scenario_text, lang, layers)
    else:
        csv = make_safely(makers[".csv"], "CSV", lang)
    if csv is not None:
        st.download_button(
            t("download_csv_sized", lang).format(size=fmt_size(len(csv), lang)),
            csv, file_name=f"{stem}.csv", mime=FORMATS[".csv"], key="download_csv",
            on_click="ignore", icon=":material/download:", use_container_width=True,
        )  # fmt: skip
    excel_csv_button(
        ranked if codes is None else ranked[ranked["kode"].isin(codes)], layers, meta=meta,
        lang=lang, stem=stem, cache_key=(data_key, scenario_text, None if codes is None
                                         else tuple(codes)),
    )  # fmt: skip
    state = hashlib.sha256(
        repr(
            (
                data_key,
                scenario_text,
                lang,
                codes,
                top_codes,
                sorted(checklist.items()),
                None if sites is None else len(sites),
            )
        ).encode()
    ).hexdigest()
    prepared: dict[str, tuple[str, bytes]] = ss.setdefault(K.PREPARED, {})
    for ext in MADE_ON_REQUEST:
        key = ext.lstrip(".")
        label = (
            t("download_pdf_top_sized", lang).format(n=int(top_n), size="{size}")
            if ext == ".pdf"
            else t(f"download_{key}_sized", lang)
        )
        ready = prepared.get(ext)
        if ready is None or ready[0] != state:
            prepared.pop(ext, None)
            if st.button(t(f"prepare_{key}", lang), key=f"prepare_{key}",
                         icon=":material/build:", use_container_width=True):  # fmt: skip
                with st.spinner(t("dl_making", lang).format(what=FORMAT_NAMES[ext])):
                    made = make_safely(makers[ext], FORMAT_NAMES[ext], lang)
                if made is not None:
                    prepared[ext] = ready = (state, made)
        if ready is not None and ready[0] == state:
            name = f"{stem}-top{int(top_n)}.pdf" if ext == ".pdf" else f"{stem}{ext}"
            st.download_button(
                label.format(size=fmt_size(len(ready[1]), lang)), ready[1], file_name=name,
                mime=FORMATS[ext], key=f"download_{key}", on_click="ignore",
                icon=":material/download:", use_container_width=True,
            )  # fmt: skip


def dossier_button(
    *,
    ranked: pd.DataFrame,
    result: ScenarioResult,
    layers: Layers,
    facts: PointFacts,
    sites: gpd.GeoDataFrame | None,
    pick: str,
    nama: str,
    checklist: Mapping[str, Mapping[str, str]],
    lang: str,
) -> None:
    """The selected area's dossier (PDF), made on request."""
    ss = st.session_state
    meta = meta_for(result)
    state = hashlib.sha256(repr((pick, lang, sorted(checklist.items()), ss.get(K.SCENARIO_TEXT)))
                           .encode()).hexdigest()  # fmt: skip
    ready = ss.get(K.PREPARED_DOSSIER)
    if ready is None or ready[0] != state:
        ss.pop(K.PREPARED_DOSSIER, None)
        ready = None
        if st.button(t("prepare_dossier", lang), key="prepare_dossier", icon=":material/build:"):
            with st.spinner(t("dl_making", lang).format(what="PDF")):
                made = make_safely(
                    lambda: export_bytes(
                        ranked,
                        layers,
                        fmt=".pdf",
                        meta=meta,
                        facts=facts,
                        lang=lang,
                        codes=[pick],
                        checklist=checklist,
                        sites=sites,
                    ),
                    "PDF",
                    lang,
                )
            if made is not None:
                ss[K.PREPARED_DOSSIER] = ready = (state, made)
    if ready is not None:
        st.download_button(
            t("download_dossier_sized", lang).format(size=fmt_size(len(ready[1]), lang)),
            ready[1], file_name=safe_label(f"infra-gap-{pick}-{nama}") + ".pdf",
            mime=FORMATS[".pdf"], key="download_dossier", on_click="ignore",
            icon=":material/download:",
        )  # fmt: skip
