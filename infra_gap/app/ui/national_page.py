"""The national page (issue #9): the synthetic national workload, every layer synthetic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from infra_gap.errors import InfraGapError
from infra_gap.hardening import safe_label
from infra_gap.national.generate import NationalParams
from infra_gap.national.view import (
    WorkloadEntry,
    built_workloads,
    national_workloads,
    workload_layers,
    workload_provinces,
)
from infra_gap.national.workload import Workload, read_workload
from infra_gap.outputs.formats import FORMATS, export_bytes, meta_for
from infra_gap.outputs.views import indicator_label, indicator_tips, map_frame, md_escape
from infra_gap.ranking.scenario import ScenarioResult, scenario_to_toml
from infra_gap.registry import uses_siting
from infra_gap.runs import EngineRun, national_dir, national_workload
from infra_gap.text.i18n import PROVINCE_NAMES, fmt_int, fmt_num, t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import (
    cache_dir,
    data_dir,
    generation_lock,
    national_outlines,
    national_ranking,
    national_run,
    national_shapes,
    workloads_dir,
)
from infra_gap.app.ui.common import (
    ScenarioChoices,
    error_text,
    forget,
    index_of,
    msme_metrics,
    priority_map,
    ranked_table,
    scenario_of,
    sync,
)

MAKE = "make"  # the scale choice that makes the smallest national workload
MAKE_SCALE = 0.01  # 832 desa, 650,000 MSMEs: a few seconds to generate
BUILT = "built:"  # the key prefix of a workload built from own files


# ---------------------------------------------------------------------------------------
# National views (issue #9): the synthetic national workload, every layer synthetic.
#
# Workloads are the `national-<scale>` folders the app finds in its own cache folder: a
# choice in a list, never a path typed by a user. Results are keyed by the folder's name
# and the SHA-256 of its manifest (a folder generated again gets new keys); `_wl` is not
# hashed. The engine table is computed once per workload, level and threshold, so a weight
# change only re-ranks. Desa are shown one province at a time (a national desa map would
# be about 76 MB); the exports hold the areas shown. No PDF: it needs per-MSME facts,
# which a national run does not keep.
# ---------------------------------------------------------------------------------------


def _scale_text(scale: float, lang: str) -> str:
    return fmt_num(scale, lang, decimals=max(0, len(f"{scale:g}".partition(".")[2])))


def _province_label(code: str, lang: str) -> str:
    return f"{PROVINCE_NAMES.get(code, code)} ({code})" if code else t("nat_all_provinces", lang)


def built_chosen() -> bool:
    """True when the workload chosen (this session) was built from the user's own files."""
    return str(st.session_state.get(K.NAT_SCALE, "")).startswith(BUILT)


def source_key(src: str, *, built: bool) -> str:
    """Catalogue key of a data-source option: own data when a built workload is chosen."""
    return "source_national_built" if src == "national" and built else f"source_{src}"


def title_keys(national: bool) -> tuple[str, str]:
    """Catalogue keys of the page's title and caption."""
    if not national:
        return "app_title", "app_caption"
    if built_chosen():
        return "nat_title_built", "nat_caption_built"
    return "nat_title", "nat_caption"


def national_scale(lang: str) -> tuple[WorkloadEntry, Workload] | None:
    """Sidebar: the workload, among those found (and scale 0.01 to make); None to make it."""
    ss = st.session_state
    entries = {e.name: e for e in national_workloads(cache_dir())}
    entries |= {f"{BUILT}{e.name}": e for e in built_workloads(workloads_dir())}
    make_name = national_dir(cache_dir(), MAKE_SCALE).name
    options = [*entries, *([MAKE] if make_name not in entries else [])]
    preferred = make_name if make_name in entries else options[0]
    if ss.get(K.NAT_SCALE) not in options:
        ss[K.NAT_SCALE] = preferred
        forget(K.NAT_SCALE)

    def label(name: str) -> str:
        if name == MAKE:
            return t("nat_make_option", lang).format(scale=_scale_text(MAKE_SCALE, lang))
        e = entries[name]
        if e.built:
            level = next((lv for lv in ("desa", "kecamatan", "kabupaten") if lv in e.counts), "")
            return t("nat_built_option", lang).format(
                name=e.name, n=fmt_int(e.counts.get(level, 0), lang),
                level=t(f"level_{level}", lang) if level else "",
                msme=fmt_int(e.counts.get("msme", 0), lang),
            )  # fmt: skip
        return t("nat_scale_option", lang).format(
            scale=_scale_text(e.scale, lang),
            kec=fmt_int(e.counts.get("kecamatan", 0), lang),
            msme=fmt_int(e.counts.get("msme", 0), lang),
        )

    chosen = st.selectbox(
        t("nat_scale", lang),
        options,
        index=index_of(K.NAT_SCALE, lang, options),
        format_func=label,
        help=t("nat_scale_help", lang),
        key=K.per_lang(K.NAT_SCALE, lang),
        on_change=sync,
        args=(K.NAT_SCALE, lang),
    )
    if chosen == MAKE:
        return None
    entry = entries[chosen]
    folder = workloads_dir() if entry.built else cache_dir()
    try:
        assert folder is not None
        return entry, read_workload(folder / entry.name)
    except InfraGapError as err:  # a manifest of another version: said, nothing run
        st.error(error_text(err, lang))
        st.stop()
        raise  # not reached: st.stop() ends the run


def national_province(wl: Workload, lang: str) -> str:
    """Sidebar: a province of the workload, or ``""`` for the whole nation."""
    ss = st.session_state
    options = ["", *workload_provinces(wl)]
    if ss.setdefault(K.NAT_PROVINCE, "") not in options:
        ss[K.NAT_PROVINCE] = ""
        forget(K.NAT_PROVINCE)
    return str(
        st.selectbox(
            t("nat_province", lang),
            options,
            index=index_of(K.NAT_PROVINCE, lang, options),
            format_func=lambda code: _province_label(code, lang),
            help=t("nat_province_help", lang),
            key=K.per_lang(K.NAT_PROVINCE, lang),
            on_change=sync,
            args=(K.NAT_PROVINCE, lang),
        )
    )


def national_table(
    chosen: tuple[WorkloadEntry, Workload] | None,
    level: str,
    province: str,
    covered_min: float,
    lang: str,
) -> pd.DataFrame:
    """The engine table behind the weight sliders (empty until there is something to show)."""
    if chosen is None or (level == "desa" and not province) or level not in chosen[1].levels:
        return pd.DataFrame()
    entry, wl = chosen
    with st.spinner(t("nat_computing", lang)):
        return national_run(entry.name, entry.digest, level, covered_min, wl).table


def _national_make(lang: str) -> None:
    """Main area: make the scale-0.01 workload on request, with its progress shown."""
    params = NationalParams(scale=MAKE_SCALE)
    scale = _scale_text(MAKE_SCALE, lang)
    st.info(
        t("nat_make_info", lang).format(
            scale=scale,
            desa=fmt_int(params.villages * params.scale, lang),
            msme=fmt_int(params.msme_total * params.scale, lang),
        )
    )
    if not st.button(t("nat_make_button", lang).format(scale=scale), key="nat_make"):
        return
    folder = national_dir(cache_dir(), MAKE_SCALE)
    with st.status(t("nat_making", lang).format(scale=scale)) as status:
        try:
            with generation_lock():
                _, seconds = national_workload(folder, data_dir=data_dir(), params=params)
        except InfraGapError as err:
            status.update(state="error")
            st.error(error_text(err, lang))
            return
        made = fmt_num(seconds or 0.0, lang, decimals=1)
        status.update(label=t("nat_made", lang).format(s=made), state="complete")
    st.session_state[K.NAT_PENDING] = folder.name  # set in the scale box before it is drawn
    st.rerun()


def _national_downloads(
    entry: WorkloadEntry,
    wl: Workload,
    result: ScenarioResult,
    run: EngineRun,
    province: str,
    lang: str,
) -> None:
    """CSV, XLSX and GeoPackage of the areas shown; why there is no PDF."""
    # A shallow copy: the cached result is shared by every session (copy-on-write keeps it).
    ranked, level = result.ranked.copy(deep=False), result.scenario.level
    st.markdown(f"##### {t('downloads', lang)}")
    meta = meta_for(result)
    stem = safe_label(f"infra-gap-{entry.name}-{level}-{province or 'indonesia'}")
    columns = st.columns(3)

    def made(ext: str) -> Callable[[], bytes]:
        """Bytes built only when clicked; the layers hold only the areas shown."""
        return lambda: export_bytes(
            ranked,
            workload_layers(wl, level=level, province=province or None, accounts=run.accounts),
            fmt=ext,
            meta=meta,
            lang=lang,
        )

    for col, (ext, key) in zip(
        columns, ((".csv", "csv"), (".xlsx", "xlsx"), (".gpkg", "gpkg")), strict=True
    ):
        col.download_button(
            t(f"download_{key}", lang),
            made(ext),
            file_name=f"{stem}{ext}",
            mime=FORMATS[ext],
            key=f"nat_download_{key}",
            on_click="ignore",
        )
    st.caption(t("nat_downloads_scope", lang).format(n=fmt_int(len(ranked), lang)))
    st.caption(t("nat_no_pdf", lang))


def _national_figures(
    entry: WorkloadEntry, wl: Workload, ranked: pd.DataFrame, run: EngineRun, lang: str
) -> None:
    """MSME totals of the areas shown, the run's row account and timing, the sources."""
    msme_metrics(ranked, lang)
    acc = run.accounts[0]
    st.caption(
        t("rows_line", lang).format(
            read=fmt_int(acc.read, lang), used=fmt_int(acc.used, lang),
            rejected=fmt_int(acc.rejected, lang),
        )
        + " "
        + t("nat_run_line", lang).format(
            scale=_scale_text(entry.scale, lang),
            s=fmt_num(run.seconds, lang, decimals=1),
            engine=md_escape(run.engine),
        )
    )  # fmt: skip
    with st.expander(t("sources", lang)):
        for s in wl.sources:
            kind = t("synthetic_yes" if s.synthetic else "synthetic_no", lang)
            st.markdown(
                f"- **{md_escape(s.layer)}** ({kind}): {md_escape(s.origin)}; "
                f"{md_escape(s.licence)}; {md_escape(s.vintage)}"
            )
        st.caption(t("nat_sources_note", lang))


def national_page(
    chosen: tuple[WorkloadEntry, Workload] | None,
    choices: ScenarioChoices,
    province: str,
    lang: str,
) -> None:
    """Main area of a national run: map, ranked table, downloads of the areas shown."""
    if chosen is not None and chosen[0].built:
        st.info(t("nat_built_banner", lang))
    else:
        st.warning(t("nat_banner", lang), icon="\u26a0\ufe0f")
    if chosen is None:
        _national_make(lang)
        return
    entry, wl = chosen
    level = choices["level"]
    if level not in wl.levels:
        st.info(t("nat_built_level", lang).format(level=t(f"level_{wl.finest}", lang)))
        return
    if level == "desa" and not province:
        st.info(t("nat_desa_pick", lang))
        return
    if uses_siting(choices["weights"]):
        st.info(t("nat_no_siting", lang))
    try:
        scenario = scenario_of(**choices)
        text = scenario_to_toml(replace(scenario, name=""))
        with st.spinner(t("nat_computing", lang)):
            run = national_run(entry.name, entry.digest, level, scenario.covered_min, wl)
            result = national_ranking(entry.name, entry.digest, text, province, wl)
        with st.spinner(t("nat_outlines_loading", lang)):
            display = national_outlines(entry.name, entry.digest, level, province, wl)
            shapes = national_shapes(entry.name, entry.digest, level, province, wl)
    except InfraGapError as err:
        st.error(error_text(err, lang))
        return
    ranked, top_n = result.ranked.copy(deep=False), scenario.stability.top_n
    if result.dropped:
        names = ", ".join(indicator_label(k, lang) for k in result.dropped)
        st.warning(t("dropped_warning", lang).format(names=names))
    st.caption(
        t("nat_scope", lang).format(
            n=fmt_int(len(ranked), lang),
            level=t(f"level_{level}", lang),
            where=md_escape(_province_label(province, lang)),
        )
    )
    left, right = st.columns([5, 4])
    with left:
        st.subheader(t("map", lang))
        fmap = priority_map(
            map_frame(display, ranked, lang, tips=indicator_tips(ranked, lang)),
            shapes, lang, top_n=int(top_n),
        )  # fmt: skip
        st_folium(
            fmap,
            returned_objects=[],
            height=480,
            use_container_width=True,
            key=f"nat_map_{entry.name}_{level}_{province}",
        )
        st.caption(t("nat_map_hint", lang))
    with right:
        st.subheader(t("table", lang))
        ranked_table(ranked, lang, top_n=int(top_n), weights=result.weights, key="nat_table")
        _national_downloads(entry, wl, result, run, province, lang)
    _national_figures(entry, wl, ranked, run, lang)
