"""The app's provenance fields: the same ``source, date, licence [, operator, technology,
url]`` per layer as a ``--sources`` file, and the sources list of the data in use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import streamlit as st

from infra_gap.analysis.inputs import Loaded
from infra_gap.layers import Source
from infra_gap.outputs.views import md_escape
from infra_gap.provenance import (
    SOURCE_KEYS,
    SOURCE_LAYERS,
    Provenance,
    apply_provenance,
    evidence_lines,
    layer_label,
    provenance_from,
)
from infra_gap.text.i18n import t

from infra_gap.app.ui import keys as K

__all__ = ["provenance_fields", "sources_list", "with_provenance"]


def provenance_fields(lang: str) -> None:
    """One tab per layer with the provenance fields (inside the upload panel)."""
    st.caption(t("prov_help", lang))
    tabs = st.tabs([layer_label(SOURCE_LAYERS[k][0], lang) for k in SOURCE_LAYERS])
    for tab, layer in zip(tabs, SOURCE_LAYERS, strict=True):
        cols = tab.columns(3)
        for i, key in enumerate(SOURCE_KEYS):
            cols[i % 3].text_input(
                t(f"prov_{key}", lang), key=K.provenance(layer, key), max_chars=500
            )


def _given() -> dict[str, Provenance]:
    ss = st.session_state
    out = {}
    for layer in SOURCE_LAYERS:
        values = {k: str(ss.get(K.provenance(layer, k)) or "") for k in SOURCE_KEYS}
        if any(v.strip() for v in values.values()):
            out[layer] = provenance_from(layer, values, where=layer)
    return out


def with_provenance(loaded: Loaded) -> Loaded:
    """The loaded upload with the provenance typed in the fields (unknown stays unknown).

    Raises
    ------
    infra_gap.provenance.SourcesError
        For a bad date or URL (shown like any loading error).
    """
    layers, _ = apply_provenance(loaded.layers, _given())
    return replace(loaded, layers=layers)


def sources_list(sources: Sequence[Source], lang: str) -> None:
    """The sources of the data in use, one evidence line per layer."""
    for s, line in zip(sources, evidence_lines(sources, lang), strict=True):
        kind = t("synthetic_yes" if s.synthetic else "synthetic_no", lang)
        st.markdown(f"- {md_escape(line)} ({kind})")
