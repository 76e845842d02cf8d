"""Helpers shared by the app's pages: choice widgets across languages, errors, the map."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any, TypedDict, TypeVar, cast

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from infra_gap.errors import InfraGapError
from infra_gap.maps import folium_maps as maps
from infra_gap.maps.score_map import AreaShapes
from infra_gap.outputs.views import md_escape, table_view, tooltip_fields
from infra_gap.ranking.scenario import Scenario
from infra_gap.ranking.stability import StabilityParams
from infra_gap.text.i18n import DEFAULT_LANG, LANGS, TEXT, fmt_int, fmt_num, t
from infra_gap.text.numfmt import fmt_value, fmt_values, is_share
from infra_gap.text.safe import printable

from infra_gap.app.ui import keys as K

T = TypeVar("T")

#: The hover tooltip: name, code, rank, score and three key figures (the rest is in the
#: detail panel); 30 rows were taller than the map and hid the name.
COMPACT_TOOLTIP = ("tt_nama", "tt_kode", "tt_rank", "tt_score", "tt_msme", "tt_uncovered",
                   "tt_share")  # fmt: skip
TILES_ENV = "INFRA_GAP_TILES"


def office_tiles() -> str:
    """The office's own tile server (``INFRA_GAP_TILES``, an http(s) URL template with
    ``{z}``, ``{x}`` and ``{y}``), or "": no third-party basemap by default."""
    url = os.environ.get(TILES_ENV, "").strip()
    ok = url.startswith(("https://", "http://")) and all(p in url for p in ("{z}", "{x}", "{y}"))
    return url if ok else ""


def priority_map(
    frame: gpd.GeoDataFrame,
    shapes: AreaShapes,
    lang: str,
    *,
    top_n: int,
    pick: str = "",
    scores_to: folium.FeatureGroup | None = None,
) -> folium.Map:
    """The priority choropleth of a map frame, labelled in `lang` (demo and national); with
    `scores_to`, the colours, tooltips and highlight go there (see
    :mod:`infra_gap.app.ui.map_panel`)."""
    return maps.priority_choropleth(
        frame,
        value_col="score",
        tooltip_fields=_compact_fields(frame, lang, top_n),
        basemap=office_tiles() or False,
        collapsed=True,
        legend_title=t("legend_score", lang),
        layer_name=t("layer_priority", lang),
        tick_format=lambda v: fmt_num(v, lang, decimals=1),
        nodata_label=t("no_data", lang),
        highlight_codes=[pick] if pick else [],
        shapes=shapes,
        scores_to=scores_to,
    )


def priority_scores(
    frame: gpd.GeoDataFrame, shapes: AreaShapes, lang: str, *, top_n: int, pick: str = ""
) -> tuple[str, bool]:
    """The script that colours :func:`priority_map` (with `scores_to`) from the host page,
    built without the map, and whether a score is NaN (see
    :func:`infra_gap.maps.folium_maps.priority_scores`)."""
    return maps.priority_scores(
        frame,
        value_col="score",
        tooltip_fields=_compact_fields(frame, lang, top_n),
        shapes=shapes,
        highlight_codes=[pick] if pick else [],
    )


def _compact_fields(frame: pd.DataFrame, lang: str, top_n: int) -> list[tuple[str, str]]:
    return [f for f in tooltip_fields(frame, lang, top_n=top_n) if f[0] in COMPACT_TOOLTIP]


def ranked_table(
    ranked: pd.DataFrame,
    lang: str,
    *,
    top_n: int,
    weights: Mapping[str, float],
    key: str,
    every_indicator: bool = False,
    selection_rank: pd.Series | None = None,
) -> None:
    """The ranked table (demo and national), its top-N share as a bar, and the tier rule.

    With ``selection_rank`` (a filtered list: ranks by index) the rank within the selection
    is shown beside the province-wide rank.
    """
    top_col = t("col_top_share", lang).format(n=top_n)
    view = table_view(ranked, lang, top_n=top_n, weighted=weights, every_indicator=every_indicator)
    quantity = dict(view.attrs.get("quantity", {}))
    pinned = [t("col_rank", lang), t("col_nama", lang)]
    if selection_rank is not None:
        view.insert(1, t("col_rank_sel", lang), selection_rank.reindex(view.index))
        quantity[t("col_rank_sel", lang)] = "rank"
        pinned.insert(1, t("col_rank_sel", lang))
    config: dict[str, object] = {
        top_col: st.column_config.ProgressColumn(top_col, format="%.0f%%", max_value=100)
    }
    for col in pinned:  # rank and name stay in view while the table scrolls sideways
        config[col] = st.column_config.Column(
            pinned=True, width="medium" if col == t("col_nama", lang) else "small"
        )
    st.dataframe(
        styled(view, quantity, lang),
        hide_index=True,
        height=430,
        key=key,
        column_config=config,  # type: ignore[arg-type]
    )
    st.caption(t("tier_rule", lang).format(n=top_n))


def styled(view: pd.DataFrame, quantity: Mapping[str, str], lang: str) -> Styler:
    """`view` shown with each quantity in its one format (:mod:`infra_gap.numfmt`): the
    page's figures read as in the PDF and the XLSX (``96,3%``, ``4.894``, ``0,817``); the
    cells keep their numbers, so a click on a heading still sorts by value.

    Streamlit reads a Styler through pandas' per-cell HTML model (``Styler._translate``,
    about 0.3 ms a row: 2 s for the province's 6,110 desa, on every run of the page) and
    keeps only each cell's display text. The Styler returned gives Streamlit the same texts
    made a column at a time (:func:`display_texts`); it has no styles to compute.
    """
    formats = {col: name for col, name in quantity.items() if col in view}

    def one(name: str) -> Callable[[Any], str]:
        if is_share(name):  # the view holds shares in percent points
            return lambda v: fmt_value(name, v / 100.0, lang)
        return lambda v: fmt_value(name, v, lang)

    styler = view.style.format({col: one(name) for col, name in formats.items()})
    model = {"body": display_texts(styler, formats, lang), "cellstyle": [], "table_styles": []}
    # Streamlit calls these two private methods of the Styler, and reads only the texts.
    setattr(styler, "_compute", lambda: styler)  # noqa: B010  (an instance's own method)
    setattr(styler, "_translate", lambda *_a, **_k: model)  # noqa: B010
    return styler


def display_texts(
    styler: Styler, formats: Mapping[str, str], lang: str
) -> list[list[dict[str, str]]]:
    """Each cell's display text in `styler` (rows of ``{"id": "row<r>_col<c>",
    "display_value": text}``, as pandas' ``Styler._translate`` gives them): the columns of
    `formats` (column -> quantity, shares in percent points) by :func:`fmt_values`, the
    others by the styler's own display function of the column; a column whose texts are
    its cells as text (names, codes) is left out: Streamlit starts from those."""
    view = styler.data  # type: ignore[attr-defined]
    columns: dict[int, list[str]] = {}
    for c, col in enumerate(view.columns):
        values = view.iloc[:, c]
        if col in formats:
            name = formats[col]
            numbers = values / 100.0 if is_share(name) else values
            columns[c] = fmt_values(name, numbers.tolist(), lang)
            continue
        show = styler._display_funcs[(0, c)]  # type: ignore[attr-defined]
        texts = [str(show(v)) for v in values.tolist()]
        if texts != values.astype("str").tolist():  # Streamlit starts from the cells as text
            columns[c] = texts
    ids = [f"_col{c}" for c in columns]
    return [
        [{"id": f"row{r}{i}", "display_value": text} for i, text in zip(ids, row, strict=True)]
        for r, row in enumerate(zip(*columns.values(), strict=True))
    ] if columns else []  # fmt: skip


def error_text(err: InfraGapError, lang: str) -> str:
    """The code's meaning in the UI language, then the library's detail (file, row, column),
    shown literally."""
    key = f"err_{err.code}"
    meaning = t(key if key in TEXT else "err_E_INFRA_GAP", lang)
    detail = md_escape(printable(str(err), limit=800))  # no file bytes reach the page
    return f"{t('error', lang)} [{err.code}]: {meaning}. {detail}"


class ScenarioChoices(TypedDict):
    """The sidebar's choices, as keyword arguments of :func:`scenario_of`."""

    level: str
    preset: str
    weights: dict[str, float]
    method: str
    covered_min: float
    top_n: int
    draws: int
    concentration: float
    seed: int
    unknown_as_need: bool


def scenario_of(
    *,
    level: str,
    preset: str,
    weights: dict[str, float],
    method: str,
    covered_min: float,
    top_n: int,
    draws: int,
    concentration: float,
    seed: int,
    unknown_as_need: bool = True,
) -> Scenario:
    """The scenario of the sidebar's choices (the demo, own data and national runs alike)."""
    return Scenario(
        level=level,
        preset=preset,
        weights=weights,
        normalisation=method,
        covered_min=float(covered_min),
        stability=StabilityParams(
            top_n=int(top_n), draws=int(draws), concentration=float(concentration), seed=int(seed)
        ),
        name=st.session_state.get(K.SCENARIO_NAME, ""),
        unknown_as_need=bool(unknown_as_need),
    )


# Choices shown through a language's labels (level, preset, normalisation) keep their value
# under a plain key; each language has its own widget key (`level_id`, `level_en`), because a
# select widget remembers the label it showed, and the labels change with the language.
def sync(name: str, lang: str) -> None:
    st.session_state[name] = st.session_state[K.per_lang(name, lang)]


def forget(*names: str) -> None:
    """Push choices set in code to their widgets, so the browser shows the new value.

    The current language's widget gets the value (a widget whose state is dropped keeps
    showing its old value in the browser); the other languages' widgets are dropped.
    """
    ss = st.session_state
    current = ss.get(K.LANG, DEFAULT_LANG)
    for name in names:
        for code in LANGS:
            ss.pop(K.per_lang(name, code), None)
        if name in ss:
            ss[K.per_lang(name, current)] = ss[name]


def index_of(name: str, lang: str, options: list[str] | tuple[str, ...]) -> int:
    """Index for a choice widget: the value the session holds (see :func:`held`)."""
    ss = st.session_state
    options = list(options)
    value = ss.get(K.per_lang(name, lang), ss[name])
    return options.index(value) if value in options else options.index(ss[name])


def held(key: str, fallback: T) -> T:
    """The value the session holds for the widget `key`, to give that widget as its default.

    A value set in code (from the link, a preset, the workspace) reaches the browser only in
    the message that draws the widget; when a rerun interrupts the run that set it, that
    message is dropped and the browser shows the widget's default, while the server keeps
    the value (seen with restored checklist fields after a reload on a busy machine). A
    default equal to the held value shows the same thing in both places.
    """
    return cast("T", st.session_state.get(key, fallback))


def msme_metrics(frame: pd.DataFrame, lang: str) -> None:
    """The headline: MSMEs, MSMEs without 4G and their share, over the rows of ``frame``."""
    total, uncovered = int(frame["msme_total"].sum()), int(frame["msme_uncovered"].sum())
    c1, c2, c3 = st.columns(3)
    c1.metric(t("metric_msme", lang), fmt_int(total, lang))
    c2.metric(t("metric_uncovered", lang), fmt_int(uncovered, lang))
    c3.metric(
        t("metric_share", lang),
        fmt_value("msme_uncovered_share", uncovered / total if total else None, lang),
    )
