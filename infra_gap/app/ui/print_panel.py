"""Cetak peta (issue #19, item 7): the current map view as PNG and PDF, drawn on the server
from the same layers (:mod:`infra_gap.map_print`), made on request and offered with sizes."""

from __future__ import annotations

import hashlib

import geopandas as gpd
import pandas as pd
import streamlit as st

from infra_gap.hardening import safe_label
from infra_gap.layers import Layers
from infra_gap.outputs.map_print import PrintLayers, print_map
from infra_gap.text.i18n import fmt_num, t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import label_points
from infra_gap.app.ui.downloads import make_safely
from infra_gap.app.ui.filter import Selection
from infra_gap.app.ui.sizes import fmt_size

WIDE_VIEW_DEG = 1.2  # wider than this (about 130 km), kabupaten names; else kecamatan names


def status_lines(layers: Layers, own_name: str | None, lang: str) -> list[str]:
    """The data status printed under the map: synthetic or own, and the layers' sources."""
    first = (
        t("print_synthetic", lang)
        if layers.synthetic
        else t("print_own", lang).format(name=own_name or "\u2013")
    )
    sources = [
        t("print_source", lang).format(layer=s.layer, origin=s.origin, date=s.vintage)
        for s in layers.sources
    ]
    return [first, "; ".join(sources[:6])]


def print_panel(
    *,
    frame: gpd.GeoDataFrame,
    layers: Layers,
    data_key: str,
    sel: Selection,
    scope: str,
    on: dict[str, bool],
    sites: gpd.GeoDataFrame | None,
    view: list[float] | None,
    own_name: str | None,
    lang: str,
) -> None:
    """The "Cetak peta" button, then the PNG and PDF of the view it was pressed on.

    `frame` holds the areas drawn (``kode``, ``nama``, ``score``, geometry); `view` is the
    browser's last reported view ``[west, south, east, north]`` (None: the areas' extent).
    """
    ss = st.session_state
    state = hashlib.sha256(
        repr(
            (
                data_key, scope, lang, view, sorted(on.items()),
                None if sites is None else len(sites),
                pd.util.hash_pandas_object(frame[["kode", "score"]], index=False).sum(),
            )
        ).encode()
    ).hexdigest()  # fmt: skip
    ready = ss.get(K.PREPARED_PRINT)
    if ready is None or ready[0] != state:
        ss.pop(K.PREPARED_PRINT, None)
        ready = None
        if st.button(t("print_map", lang), key="prepare_print", icon=":material/print:",
                     help=t("print_help", lang)):  # fmt: skip
            with st.spinner(t("dl_making", lang).format(what=t("print_map", lang))):
                made = make_safely(
                    lambda: _both(frame, layers, data_key, sel, scope, on, sites, view,
                                  own_name, lang),
                    "PNG/PDF", lang,
                )  # fmt: skip
            if made is not None:
                ss[K.PREPARED_PRINT] = ready = (state, *made)
    if ready is not None:
        stem = safe_label(f"infra-gap-peta-{scope}")[:80]
        c1, c2 = st.columns(2)
        for col, (ext, data, mime) in zip(
            (c1, c2),
            ((".png", ready[1], "image/png"), (".pdf", ready[2], "application/pdf")),
            strict=True,
        ):
            col.download_button(
                t(f"print_{ext[1:]}_sized", lang).format(size=fmt_size(len(data), lang)),
                data, file_name=f"{stem}{ext}", mime=mime, key=f"download_print_{ext[1:]}",
                on_click="ignore", icon=":material/download:", use_container_width=True,
            )  # fmt: skip


def _both(
    frame: gpd.GeoDataFrame, layers: Layers, data_key: str, sel: Selection, scope: str,
    on: dict[str, bool], sites: gpd.GeoDataFrame | None, view: list[float] | None,
    own_name: str | None, lang: str,
) -> tuple[bytes, bytes]:  # fmt: skip
    points = label_points(data_key, layers)
    wide = view is None or (view[2] - view[0]) > WIDE_VIEW_DEG
    level = "kabupaten" if wide and "kabupaten" in points else "kecamatan"
    labels = points.get(level)
    if labels is not None and (sel.prefix or sel.kab_codes):
        kab = labels["kode"].str.split(".", n=2).str[:2].str.join(".")
        keep = kab.isin(sel.kab_codes) if sel.kab_codes else kab == sel.prefix[:5]
        labels = labels[keep | labels["kode"].str.startswith(sel.prefix + ".")]
    towers = layers.towers.geometry if on.get("towers") and layers.towers is not None else None
    backbone = (
        layers.backbone.geometry if on.get("backbone") and layers.backbone is not None else None
    )
    printed = PrintLayers(
        areas=frame[["kode", "nama", "score", "geometry"]],
        towers=towers,
        backbone=backbone,
        sites=None if sites is None or not len(sites) else sites.geometry,
        labels=labels,
    )
    title = t("print_title", lang).format(scope=scope)
    status = status_lines(layers, own_name, lang)
    kw = {"title": title, "status": status, "lang": lang, "view": view,
          "tick_format": lambda v: fmt_num(v, lang, decimals=1)}  # fmt: skip
    return print_map(printed, fmt="png", **kw), print_map(printed, fmt="pdf", **kw)  # type: ignore[arg-type]
