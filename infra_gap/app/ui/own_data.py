"""Own data: the upload page's panel, loading the files with the library, the data-quality
panel."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from infra_gap.analysis.inputs import InputPaths
from infra_gap.analysis.pipeline import PointFacts
from infra_gap.config import LEVELS
from infra_gap.errors import InfraGapError
from infra_gap.hardening import safe_label
from infra_gap.layers import Layers
from infra_gap.outputs.export import rejected_csv, rejected_rows, row_accounts
from infra_gap.outputs.views import accounts_view, conflict_view, md_escape, rejected_view
from infra_gap.ranking.scenario import Scenario
from infra_gap.text.i18n import fmt_int, fmt_num, t

from infra_gap.app.ui import keys as K
from infra_gap.app.ui.cached import boundary_measures, own_data
from infra_gap.app.ui.common import error_text, forget, index_of, sync
from infra_gap.app.ui.file_box import file_box
from infra_gap.app.ui.provenance_panel import provenance_fields, with_provenance
from infra_gap.app.ui.state import reset_selection

DEMO = "demo"
AUTO_LEVEL = "auto"  # the level read from the codes (infra_gap.inputs)
UPLOADS = K.UP_FILES
#: The boxes a ranking needs (boundaries and the register); the others are optional.
REQUIRED = frozenset({"areas", "msme"})
#: What a boundary or backbone box takes.
AREA_TYPES = ("geojson", "json", "gpkg", "zip", "parquet")


def upload_problem(values: Mapping[str, object], lang: str) -> str | None:
    """Why the boxes' files cannot be read yet, or None: a required box with no file the
    server received, or a box whose file the server no longer holds.

    ``values`` are the boxes' widget values: an ``UploadedFile``, None (no file received:
    none chosen, or its upload not finished or failed in the browser) or a ``DeletedFile``
    (the browser names a file id the server does not hold).
    """
    lost = [k for k, v in values.items() if v is not None and not isinstance(v, UploadedFile)]
    if lost:
        return t("up_lost", lang).format(boxes=_boxes(lost, lang))
    missing = [k for k in UPLOADS if k in REQUIRED and values.get(k) is None]
    if missing:
        return t("up_not_received", lang).format(boxes=_boxes(missing, lang))
    return None


def _boxes(names: list[str], lang: str) -> str:
    return ", ".join(f"\u201c{t(f'up_{k}', lang)}\u201d" for k in names)


def load_own(lang: str) -> None:
    """Read the uploaded files with the library (same checks and messages as the CLI)."""
    ss = st.session_state
    sync(K.UP_LEVEL, lang)  # the level box is in the form: no callback of its own
    values = {k: ss.get(K.upload(k, ss.get(K.UP_ROUND, 0))) for k in UPLOADS}
    problem = upload_problem(values, lang)
    if problem is not None:
        ss[K.OWN_ERROR] = problem
        return
    files = {k: v for k, v in values.items() if isinstance(v, UploadedFile)}
    data = {k: f.getvalue() for k, f in files.items()}
    options = {
        "areas_layer": ss.get(K.UP_LAYER),
        "id_col": ss.get(K.UP_ID_COL),
        "name_col": ss.get(K.UP_NAME_COL),
        "lat_col": ss.get(K.UP_LAT),
        "lon_col": ss.get(K.UP_LON),
    }
    options = {k: (v or "").strip() or None for k, v in options.items()}
    level = ss.get(K.UP_LEVEL, AUTO_LEVEL)
    nodata_text = (ss.get(K.UP_NODATA) or "").strip().replace(",", ".")
    try:
        nodata = float(nodata_text) if nodata_text else None
    except ValueError:
        ss[K.OWN_ERROR] = t("up_nodata_bad", lang)
        return
    digest = hashlib.sha256(f"{level}|{nodata}|{sorted(options.items())!r}".encode())
    for k in UPLOADS:
        upload = files.get(k)
        digest.update(f"|{k}|{upload.name if upload else ''}|".encode())
        digest.update(hashlib.sha256(data.get(k, b"")).digest())
    key = f"own-{digest.hexdigest()}"
    paths = InputPaths(
        areas=data["areas"],
        msme=data["msme"],
        level=level,
        coverage=data.get("coverage"),
        coverage_nodata=nodata,
        towers=data.get("towers"),
        speed_tiles=data.get("speed_tiles"),
        backbone=data.get("backbone"),
        podes=data.get("podes"),
        names={k: f.name for k, f in files.items()},
        **options,  # type: ignore[arg-type]
    )
    try:
        loaded = with_provenance(own_data(key, paths))
    except InfraGapError as err:
        ss[K.OWN_ERROR] = error_text(err, lang)
        return
    release_uploads(files)
    ss[K.OWN_LOADED] = True  # the upload page shows the province page next
    ss[K.OWN] = {
        "key": key, "name": files["areas"].name, "loaded": loaded,
        "level_how": "up_level_auto" if level == AUTO_LEVEL else "up_level_given",
    }  # fmt: skip
    reset_selection()
    ss[K.LEVEL] = loaded.level
    forget(K.LEVEL)


def release_uploads(files: Mapping[str, UploadedFile]) -> None:
    """Let the server forget the files once read, and start a new round of empty boxes.

    Streamlit keeps every uploaded file in memory for the session's life, held twice
    (its upload manager, and the box's value in the session state: streamlit#9218, the
    reliability reference's K4): a 50 MB register would stay with the session after it was
    read. The loaded layers are all the pages need; the boxes' keys change, so the files'
    last references go with the old boxes, and the upload page shows empty boxes again.
    """
    ss = st.session_state
    ctx = get_script_run_ctx()
    remove = getattr(ctx.uploaded_file_mgr, "remove_file", None) if ctx is not None else None
    if ctx is not None and remove is not None:  # the protocol only promises remove_session_files
        for upload in files.values():
            remove(ctx.session_id, upload.file_id)
    ss[K.UP_ROUND] = ss.get(K.UP_ROUND, 0) + 1


def level_line(own: dict[str, Any], lang: str) -> str:
    """The level the uploaded boundaries were read at, how, and an example, to confirm."""
    loaded = own["loaded"]
    codes = loaded.layers.areas[loaded.level]["kode"]
    return t("up_level_found", lang).format(
        level=t(f"level_{loaded.level}", lang),
        how=t(own.get("level_how", "up_level_auto"), lang),
        n=fmt_int(len(codes), lang),
        example=md_escape(str(codes.iloc[0])) if len(codes) else "\u2013",
    )


def back_to_demo() -> None:
    st.session_state.pop(K.OWN, None)
    reset_selection()
    st.session_state[K.LEVEL] = Scenario().level
    forget(K.LEVEL)


def data_quality(
    layers: Layers, facts: PointFacts | None, own: dict[str, Any] | None, lang: str
) -> None:
    """The "Kualitas data" panel: rows read/placed/rejected per source, rejected rows,
    boundary repairs, overlaps and gaps."""
    data_key = own["key"] if own is not None else DEMO
    with st.expander(t("dq_title", lang), expanded=own is not None):
        if own is None:
            st.caption(t("dq_demo", lang))
        st.dataframe(
            accounts_view(row_accounts(layers, facts.accounts if facts else ()), lang),
            hide_index=True,
            key="dq_accounts",
        )
        if own is not None:
            report = own["loaded"].boundary
            pairs, overlap_km2, gap_km2 = boundary_measures(data_key, own["loaded"])
            st.caption(
                " \u00b7 ".join(
                    [
                        t("dq_repairs", lang).format(n=fmt_int(len(report.repairs), lang)),
                        t("dq_overlaps", lang).format(
                            n=fmt_int(pairs, lang), km2=fmt_num(overlap_km2, lang, decimals=2)
                        ),
                        t("dq_gaps", lang).format(km2=fmt_num(gap_km2, lang, decimals=2)),
                    ]
                )
            )
            if len(report.repairs):
                st.dataframe(report.repairs, hide_index=True, key="dq_repairs")
        conflicts = facts.code_conflicts if facts else None
        if conflicts is not None and len(conflicts):
            st.caption(t("dq_code_conflicts", lang).format(n=fmt_int(len(conflicts), lang)))
            st.dataframe(
                conflict_view(conflicts.head(1000), lang), hide_index=True, key="dq_conflicts"
            )
        rejected = rejected_rows(layers, facts.rejected if facts else None)
        st.caption(f"{t('dq_rejected_rows', lang)}: {fmt_int(len(rejected), lang)}")
        if len(rejected):
            st.dataframe(
                rejected_view(rejected.head(1000), lang), hide_index=True, key="dq_rejected"
            )
        st.download_button(
            t("dq_download", lang),
            rejected_csv(rejected),
            file_name=f"{safe_label(f'infra-gap-rejected-{data_key[:12]}')}.csv",
            mime="text/csv",
            key="download_rejected",
            on_click="ignore",
        )


def own_data_panel(own: dict[str, Any] | None, lang: str) -> None:
    """The upload page: the file boxes, their options, and the button that loads them.

    All in one form, so that a finished upload does not rerun the page. Streamlit drops
    the messages waiting for the browser when a run starts, and with them the upload
    address a box that was just given a file waits for: under load that box then never
    shows its file (seen in ``bench/bench_load.py`` with six sessions uploading at once).
    In a form the button also stays disabled while an upload is still running.
    """
    ss = st.session_state
    st.caption(t("own_help", lang))
    with st.form("own_data_form", border=False, enter_to_submit=False):
        _boxes_and_options(lang)
        provenance_fields(lang)
        st.form_submit_button(
            t("up_run", lang), key="up_run", on_click=load_own, args=(lang,), type="primary"
        )
    if K.OWN_ERROR in ss:
        st.error(ss.pop(K.OWN_ERROR))
    own_status(own, lang)
    if own is not None:
        st.caption(t("up_released", lang))


def _boxes_and_options(lang: str) -> None:
    ss = st.session_state
    n = ss.get(K.UP_ROUND, 0)
    file_box(t("up_areas", lang), types=AREA_TYPES, key=K.upload("areas", n), lang=lang)
    ss.setdefault(K.UP_LEVEL, AUTO_LEVEL)
    st.selectbox(
        t("up_level", lang),
        ("auto", *LEVELS),
        index=index_of(K.UP_LEVEL, lang, ("auto", *LEVELS)),
        format_func=lambda lv: t(f"level_{lv}", lang),
        key=K.per_lang(K.UP_LEVEL, lang),
    )
    lc1, lc2, lc3 = st.columns(3)
    lc1.text_input(t("up_layer", lang), key=K.UP_LAYER)
    lc2.text_input(t("up_id_col", lang), key=K.UP_ID_COL)
    lc3.text_input(t("up_name_col", lang), key=K.UP_NAME_COL)
    file_box(
        t("up_msme", lang), types=("csv", "txt", "xlsx", "parquet", "gpkg", "geojson"),
        key=K.upload("msme", n), lang=lang,
    )  # fmt: skip
    mc1, mc2 = st.columns(2)
    mc1.text_input(t("up_lat", lang), key=K.UP_LAT)
    mc2.text_input(t("up_lon", lang), key=K.UP_LON)
    file_box(t("up_coverage", lang), types=["tif", "tiff"], key=K.upload("coverage", n), lang=lang)
    st.text_input(t("up_nodata", lang), key=K.UP_NODATA)
    file_box(
        t("up_towers", lang), types=("csv", "gz", "parquet"), key=K.upload("towers", n), lang=lang
    )
    file_box(
        t("up_speed", lang), types=("parquet", "csv", "zip", "gpkg"),
        key=K.upload("speed_tiles", n), lang=lang,
    )  # fmt: skip
    file_box(t("up_backbone", lang), types=AREA_TYPES, key=K.upload("backbone", n), lang=lang)
    file_box(
        t("up_podes", lang), types=("csv", "txt", "xlsx"), help=t("up_podes_help", lang),
        key=K.upload("podes", n), lang=lang,
    )  # fmt: skip


def own_status(own: dict[str, Any] | None, lang: str) -> None:
    """Which own data is in use, the level it was read at, its notes, and the way back."""
    if own is None:
        return
    st.caption(t("own_in_use", lang).format(name=md_escape(own["name"])))
    st.info(level_line(own, lang))
    for note in own["loaded"].notes:
        shown = st.warning if note.startswith("warning:") else st.caption
        shown(md_escape(note))
    st.button(t("back_to_demo", lang), key="back_to_demo", on_click=back_to_demo)
