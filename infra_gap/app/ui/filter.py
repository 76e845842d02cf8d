"""The drill-down boxes, the several-kabupaten filter and the search: which areas are shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from infra_gap.layers import Layers
from infra_gap.outputs.views import code_path, indicator_label, join_names, md_escape, search_areas
from infra_gap.text.i18n import fmt_int, t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import area_names
from infra_gap.app.ui.common import forget, held, index_of, sync
from infra_gap.app.ui.state import dd_changed, search_label, search_picked


@dataclass(frozen=True)
class Selection:
    """The areas the filter keeps, in province rank order, and how to name them."""

    shown: pd.DataFrame
    prefix: str  # a drilled-into kabupaten or kecamatan code, or ""
    kab_codes: list[str]  # several kabupaten, or []
    title: str  # "Kabupaten Nias dan Kabupaten Nias Selatan", or "" for every area
    names_by_code: Mapping[str, str]
    hierarchy: bool  # the areas carry Kemendagri codes (drill-down possible)

    @property
    def filtered(self) -> bool:
        return bool(self.title)


def area_filter(
    ranked: pd.DataFrame,
    layers: Layers,
    levels: list[str],
    level: str,
    data_key: str,
    lang: str,
    *,
    preset: str = "",
) -> Selection:
    """Draw the drill-down, filter and search widgets; return the selection they make."""
    ss = st.session_state
    # Drill-down: kabupaten -> kecamatan -> desa boxes (areas with Kemendagri codes), and search.
    names_by_code = area_names(data_key, tuple(levels), layers)
    hierarchy = bool(code_path(str(ranked["kode"].iloc[0])))
    dd_levels = [lv for lv in ("kabupaten", "kecamatan", "desa") if lv in levels]
    dd_levels = dd_levels if hierarchy else []
    dd_levels = dd_levels[: dd_levels.index(level) + 1] if level in dd_levels else []
    # Several kabupaten at once ("Nias and Nias Selatan"), when no single one is drilled into.
    several = level != "kabupaten" and len(dd_levels) > 1 and not ss[K.drill_down("kabupaten")]
    drill_cols = st.columns([2, 4, 3] if several else [*([2] * len(dd_levels)), 3])
    parent = ""
    for col, lv in zip(drill_cols, dd_levels, strict=False):
        codes = layers.areas[lv]["kode"].astype("str")
        if parent:
            codes = codes[codes.str.startswith(parent + ".")]
        options = ["", *codes.tolist()]
        if ss[K.drill_down(lv)] not in options:
            ss[K.drill_down(lv)] = ""
            forget(K.drill_down(lv))
        with col:
            chosen_code = st.selectbox(
                t(K.drill_down(lv), lang),
                options,
                index=index_of(K.drill_down(lv), lang, options),
                format_func=lambda k: (
                    f"{names_by_code.get(k, k)} ({k})" if k else t("dd_all", lang)
                ),
                key=K.per_lang(K.drill_down(lv), lang),
                on_change=dd_changed,
                args=(lv, lang),
            )
        parent = chosen_code or ""
        if not parent:
            break
    with drill_cols[-1]:
        _search_box(layers, levels, names_by_code, lang)

    prefix = drilled_prefix(level)
    kab_codes: list[str] = []
    if several:
        kab_options = layers.areas["kabupaten"]["kode"].astype("str").tolist()
        kept = [k for k in ss.get(K.KAB_FILTER, []) if k in kab_options]
        if kept != ss.get(K.KAB_FILTER, []):
            ss[K.KAB_FILTER] = kept  # another data set: codes it lacks are dropped
        with drill_cols[1]:
            kab_codes = st.multiselect(
                t("kab_filter", lang),
                kab_options,
                default=held(K.KAB_FILTER, []),
                format_func=lambda k: f"{names_by_code.get(k, k)} ({k})",
                key=K.KAB_FILTER,
                help=t("kab_filter_help", lang),
                placeholder=t("dd_all", lang),
            )
    if prefix:
        shown_ranked = ranked[ranked["kode"].str.startswith(prefix + ".")]
        shown_names = names_by_code.get(prefix, prefix)
    elif kab_codes:
        kab_of = ranked["kode"].str.split(".", n=2).str[:2].str.join(".")
        shown_ranked = ranked[kab_of.isin(kab_codes)]
        shown_names = join_names([names_by_code.get(k, k) for k in kab_codes], lang)
    else:
        shown_ranked = ranked
    shown_ranked = _eligible_only(shown_ranked, preset, lang)
    if (prefix or kab_codes) and shown_ranked.empty:  # e.g. own data without such areas
        st.warning(t("filter_empty", lang).format(nama=md_escape(shown_names)))
        prefix, kab_codes, shown_ranked = "", [], ranked
    elif prefix or kab_codes:
        st.caption(
            t("filtered", lang).format(
                n=fmt_int(len(shown_ranked), lang), nama=md_escape(shown_names)
            )
        )
    return Selection(
        shown=shown_ranked,
        prefix=prefix,
        kab_codes=list(kab_codes),
        title=shown_names if (prefix or kab_codes) else "",
        names_by_code=names_by_code,
        hierarchy=hierarchy,
    )


def _search_box(
    layers: Layers, levels: list[str], names_by_code: Mapping[str, str], lang: str
) -> None:
    query = st.text_input(t("search", lang), value=held(K.SEARCH, ""), key=K.SEARCH)
    if query:
        found = search_areas({lv: layers.areas[lv] for lv in levels}, query)
        if found:
            st.selectbox(
                t("search_pick", lang),
                ["", *(f"{lv}:{k}" for lv, k, _ in found)],
                format_func=lambda v: search_label(v, names_by_code, lang),
                key=K.search_pick(lang),
                on_change=search_picked,
                args=(lang,),
            )
        else:
            st.caption(t("search_none", lang))


def drilled_prefix(level: str) -> str:
    """The code the drill-down boxes narrow `level` to ("" for every area)."""
    ss = st.session_state
    if level == "kecamatan":
        return str(ss.get(K.drill_down("kabupaten"), ""))
    if level == "desa":
        return str(ss.get(K.drill_down("kecamatan"), "") or ss.get(K.drill_down("kabupaten"), ""))
    return ""


#: Orders of the ranked table besides the rank (largest first).
SORTS = ("rank", "msme_uncovered", "msme_uncovered_share", "msme_total", "score")


def sort_box(lang: str) -> str:
    """The table's order: by rank, or by a key figure (kept in the link)."""
    ss = st.session_state
    if ss.get(K.SORT_BY) not in SORTS:
        ss[K.SORT_BY] = "rank"
    labels = {"rank": t("col_rank", lang), "score": t("col_score", lang)}
    return str(
        st.selectbox(
            t("sort_by", lang),
            SORTS,
            index=index_of(K.SORT_BY, lang, SORTS),
            format_func=lambda k: labels.get(k) or indicator_label(k, lang),
            key=K.per_lang(K.SORT_BY, lang),
            on_change=sync,
            args=(K.SORT_BY, lang),
        )
    )


def sorted_by(shown: pd.DataFrame, key: str) -> pd.DataFrame:
    """The shown areas in the table's order (ties keep the rank order)."""
    if key == "rank" or key not in shown:
        return shown
    return shown.sort_values(key, ascending=False, kind="stable", na_position="last")


def _eligible_only(shown: pd.DataFrame, preset: str, lang: str) -> pd.DataFrame:
    """Only BAKTI-eligible areas (3T or priority location, with a blank spot): on by default
    for the BAKTI preset, remembered per preset; ineligible areas keep their rank when shown."""
    if "eligible" not in shown or not st.toggle(
        t("elig_only", lang),
        value=preset == "siap_usul_bakti",
        key=K.eligible_only(preset),
        help=t("elig_only_help", lang),
    ):
        return shown
    if shown["eligible"].any():
        return shown[shown["eligible"]]
    st.caption(t("elig_none", lang))
    return shown
