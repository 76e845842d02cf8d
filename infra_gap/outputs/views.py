"""Presentation helpers shared by the app, the CLI and the tests: localised tables, reasons.

These only format; they never compute indicators or scores.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.config import GEO_CRS
from infra_gap.outputs.export import ranked_csv
from infra_gap.ranking.uncertainty import need_class_label
from infra_gap.registry import INDICATORS
from infra_gap.text.i18n import fmt_int, t
from infra_gap.text.numfmt import fmt_value

__all__ = [
    "EVIDENCE_LAYERS",
    "EXPORT_EXTRA_COLUMNS",
    "TIP_PREFIX",
    "TOOLTIP_COLUMNS",
    "accounts_view",
    "checklist_view",
    "code_path",
    "compare_view",
    "contribution_view",
    "fmt_indicator",
    "indicator_label",
    "indicator_tips",
    "indicator_view",
    "join_names",
    "map_frame",
    "md_escape",
    "rank_range",
    "ranked_export",
    "reason",
    "rejected_view",
    "search_areas",
    "table_view",
    "tier_label",
    "tooltip_fields",
    "with_reasons",
]

#: Tooltip columns of the priority map (column of :func:`map_frame`, catalogue key).
#: Labels may hold ``{n}`` (the N of "top N").
TOOLTIP_COLUMNS = (
    ("tt_nama", "col_nama"),
    ("tt_kode", "col_kode"),
    ("tt_tier", "col_tier"),
    ("tt_rank", "col_rank"),
    ("tt_range", "col_rank_range"),
    ("tt_top", "col_top_share"),
    ("tt_msme", "metric_msme"),
    ("tt_uncovered", "metric_uncovered"),
    ("tt_share", "metric_share"),
    ("tt_score", "col_score"),
)
#: Columns that exports add after the standard ones (``contrib_*`` always follow).
EXPORT_EXTRA_COLUMNS = ("tier", "rank_low", "rank_high", "top_n_share", "reason")
#: Evidence layers of the map, in the order of the toggles (catalogue key ``layer_*``).
EVIDENCE_LAYERS = ("msme", "coverage", "towers", "speed", "backbone")
_MD_SPECIAL = frozenset("\\`*_[]()<>#!|~&$")
#: Levels by the number of dot-separated parts of a Kemendagri code (``12.01.01`` = kecamatan).
_CODE_LEVELS = {2: "kabupaten", 3: "kecamatan", 4: "desa"}
_CORE = ("msme_total", "msme_uncovered", "msme_uncovered_share")
#: Prefix of the tooltip columns of the indicators (:func:`indicator_tips`).
TIP_PREFIX = "tt_ind_"
_COUNT_UNITS = {"UMKM", "tes", "menara", "sel", "operator"}


def indicator_label(name: str, lang: str) -> str:
    """Label of an indicator with its unit, e.g. ``"UMKM tanpa sinyal 4G (UMKM)"``."""
    ind = INDICATORS[name]
    return f"{ind.label_id if lang == 'id' else ind.label_en} ({ind.unit})"


def tier_label(tier: float, lang: str) -> str:
    """``"Prioritas 1"`` ... ``"Prioritas 3"``; an en dash when missing."""
    if tier is None or (isinstance(tier, float) and math.isnan(tier)):
        return "\u2013"
    return t(f"tier_{int(tier)}", lang)


def rank_range(low: float, high: float, lang: str) -> str:
    """The 5th-95th percentile rank as ``"3-7"`` (a single number when equal)."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (low, high)):
        return "\u2013"
    if low == high:
        return fmt_int(low, lang)
    return f"{fmt_int(low, lang)}\u2013{fmt_int(high, lang)}"


def fmt_indicator(name: str, value: float, lang: str) -> str:
    """An indicator value in its quantity's one format (:mod:`infra_gap.text.numfmt`).

    Counts as integers, shares as percent with one decimal, other measures with one decimal.
    """
    return fmt_value(name, value, lang)


def reason(row: Mapping[Any, Any], lang: str, *, max_parts: int = 2) -> str:
    """One line saying why an area ranks where it does, from its top contributions.

    ``"Peringkat 3: 4.812 UMKM tanpa sinyal 4G, 41 km dari backbone"``.  Indicators are
    taken in order of contribution (largest first, ties in registry order); those that
    add nothing are left out.
    """
    contrib = [
        (float(row[f"contrib_{name}"]), i, name)
        for i, name in enumerate(INDICATORS)
        if f"contrib_{name}" in row
    ]
    top = sorted((c for c in contrib if c[0] > 0), key=lambda c: (-c[0], c[1]))[:max_parts]
    return _reason_line(row, [name for _, _, name in top], lang)


def _reason_line(row: Mapping[Any, Any], names: Iterable[str], lang: str) -> str:
    """The reason line of ``row`` naming the indicators ``names`` (in that order)."""
    parts = [
        t(f"reason_{name}", lang).format(v=fmt_indicator(name, row[name], lang)) for name in names
    ]
    return t("reason_line", lang).format(
        rank=fmt_int(row["rank"], lang),
        parts=", ".join(parts) if parts else t("reason_none", lang),
    )


def with_reasons(ranked: pd.DataFrame, lang: str, *, max_parts: int = 2) -> pd.DataFrame:
    """A copy of the ranked table with a ``reason`` column (:func:`reason`), for exports.

    The top contributions of all rows are found at once: a stable sort of each row's
    contributions, largest first, keeps registry order among ties, as :func:`reason`.
    """
    out = ranked.copy()
    names = [name for name in INDICATORS if f"contrib_{name}" in ranked.columns]
    contrib = ranked[[f"contrib_{name}" for name in names]].to_numpy(dtype="float64")
    order = np.argsort(-contrib, axis=1, kind="stable")[:, :max_parts]
    # NaN sorts last and zero or less after every positive: the first positives are the top.
    positive = np.take_along_axis(contrib, order, axis=1) > 0
    # The texts of _reason_line, looked up once; each value formatted where it is named.
    line, nothing = t("reason_line", lang), t("reason_none", lang)
    parts = [t(f"reason_{name}", lang) for name in names]
    values = [ranked[name].tolist() for name in names]
    reasons = []
    for i, (rank, picked, keep) in enumerate(
        zip(ranked["rank"].tolist(), order.tolist(), positive.tolist(), strict=True)
    ):
        said = [
            parts[j].format(v=fmt_indicator(names[j], values[j][i], lang))
            for j, p in zip(picked, keep, strict=True)
            if p
        ]
        text = ", ".join(said) if said else nothing
        reasons.append(line.format(rank=fmt_int(rank, lang), parts=text))
    out["reason"] = reasons
    return out


def ranked_export(
    ranked: pd.DataFrame, lang: str, *, synthetic: bool, sep: str = ",", excel_id: bool = False
) -> bytes:
    """The priority-list CSV that the app offers and the CLI writes (same bytes for both).

    :func:`infra_gap.outputs.export.ranked_csv` with the tier, rank range, top-N share and the
    reason in ``lang`` after the standard columns, then the ``contrib_*`` columns; the
    Excel (Indonesia) variant with ``excel_id``.
    """
    return ranked_csv(
        with_reasons(ranked, lang),
        synthetic=synthetic,
        sep=sep,
        extra_columns=EXPORT_EXTRA_COLUMNS,
        excel_id=excel_id,
    )


def contribution_view(
    row: Mapping[Any, Any], weights: Mapping[str, float], lang: str
) -> pd.DataFrame:
    """One row per weighted indicator: label, formatted value, weight and contribution.

    Sorted by contribution, largest first; the contributions add up to the score.
    """
    names = [k for k in weights if f"contrib_{k}" in row]
    frame = pd.DataFrame(
        {
            t("col_indicator", lang): [indicator_label(k, lang) for k in names],
            t("col_value", lang): [fmt_indicator(k, row[k], lang) for k in names],
            t("col_weight", lang): [float(weights[k]) for k in names],
            t("col_contribution", lang): [float(row[f"contrib_{k}"]) for k in names],
        }
    )
    return frame.sort_values(t("col_contribution", lang), ascending=False, kind="stable")


def table_view(
    ranked: pd.DataFrame,
    lang: str,
    *,
    top_n: int = 10,
    weighted: Iterable[str] = (),
    every_indicator: bool = False,
) -> pd.DataFrame:
    """The ranked table with columns named for the UI language, shares in percent points.

    Rank and name first, then the stability (tier, rank range, top-N share, when
    present), the score and code, the MSME counts and the weighted indicators (every
    indicator when `every_indicator`), each labelled with its unit.
    """
    view = pd.DataFrame(index=ranked.index)
    view[t("col_rank", lang)] = ranked["rank"]
    view[t("col_nama", lang)] = ranked["nama"]
    if {"tier", "rank_low", "rank_high", "top_n_share"} <= set(ranked.columns):
        view[t("col_tier", lang)] = ranked["tier"]
        view[t("col_rank_range", lang)] = [
            rank_range(lo, hi, lang)
            for lo, hi in zip(ranked["rank_low"], ranked["rank_high"], strict=True)
        ]
        view[t("col_top_share", lang).format(n=top_n)] = 100.0 * ranked["top_n_share"]
    if "need_class" in ranked.columns:
        view[t("col_need_class", lang)] = [need_class_label(c, lang) for c in ranked["need_class"]]
    view[t("col_score", lang)] = ranked["score"]
    view[t("col_kode", lang)] = ranked["kode"]
    if "eligible" in ranked:  # BAKTI eligibility: ineligible areas keep their rank, marked
        view[t("col_eligible", lang)] = ranked["eligible"].astype(bool)
    names = list(INDICATORS) if every_indicator else [*_CORE, *weighted]
    quantity = {t("col_rank", lang): "rank", t("col_score", lang): "score"}
    for c in dict.fromkeys(k for k in INDICATORS if k in names and k in ranked.columns):
        pct = INDICATORS[c].unit == "%"
        view[indicator_label(c, lang)] = 100.0 * ranked[c] if pct else ranked[c]
        quantity[indicator_label(c, lang)] = c
    # Which quantity each numeric column holds (shares in percent points), so a front end
    # writes each in its one format (:mod:`infra_gap.text.numfmt`).
    view.attrs["quantity"] = quantity
    return view


def compare_view(compared: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rank-change table with arrows: ``↑ 3``, ``↓ 2``, ``→`` and ``baru``/``new``."""

    def arrow(status: str, change: float) -> str:
        if status == "new":
            return t("status_new", lang)
        if status == "same":
            return "\u2192"
        sign = "\u2191" if change > 0 else "\u2193"
        return f"{sign} {fmt_int(abs(change), lang)}"

    return pd.DataFrame(
        {
            t("col_rank_after", lang): compared["rank_after"].to_numpy(),
            t("col_rank_before", lang): compared["rank_before"].to_numpy(),
            t("col_change", lang): [
                arrow(s, c) for s, c in zip(compared["status"], compared["change"], strict=True)
            ],
            t("col_kode", lang): compared["kode"].to_numpy(),
            t("col_nama", lang): compared["nama"].to_numpy(),
        }
    )


def indicator_tips(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every indicator of `table` but the core three, formatted in its unit for a tooltip.

    They do not depend on the weights, so the app makes them once per level and language.

    Returns
    -------
    tips
        ``kode`` and one ``tt_ind_<name>`` text column per indicator, in registry order.
    """
    out = pd.DataFrame({"kode": table["kode"].astype("str")})
    for name in INDICATORS:
        if name in table.columns and name not in _CORE:
            values = table[name].to_numpy()
            out[f"{TIP_PREFIX}{name}"] = [fmt_indicator(name, v, lang) for v in values]
    return out


def tooltip_fields(frame: pd.DataFrame, lang: str, *, top_n: int) -> list[tuple[str, str]]:
    """``(column, label)`` pairs of a map frame's tooltip, each indicator with its unit.

    Rank and stability first, then the core MSME counts and every ``tt_ind_*`` column.
    """
    units = {"tt_msme": "msme_total", "tt_uncovered": "msme_uncovered"}
    units |= {"tt_share": "msme_uncovered_share"}
    fields = [
        (col, indicator_label(units[col], lang) if col in units else t(key, lang).format(n=top_n))
        for col, key in TOOLTIP_COLUMNS
    ]
    extra = [c for c in frame.columns if str(c).startswith(TIP_PREFIX)]
    return fields + [(c, indicator_label(c.removeprefix(TIP_PREFIX), lang)) for c in extra]


def map_frame(
    display: gpd.GeoDataFrame,
    ranked: pd.DataFrame,
    lang: str,
    *,
    tips: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Join scores onto display geometry and add formatted tooltip columns.

    Parameters
    ----------
    display
        Display geometry (``kode``, ``nama``, geometry) in EPSG:4326.
    ranked
        Output of :func:`infra_gap.ranking.scenario.run_scenario` (or
        :func:`infra_gap.ranking.scoring.rank_areas`, without the stability columns).
    lang
        UI language.
    tips
        :func:`indicator_tips` of the areas, joined on ``kode`` when given.
    """
    optional = (*_CORE, "tier", "rank_low", "rank_high", "top_n_share")
    cols = ["kode", "rank", "score", *(c for c in optional if c in ranked)]
    gdf = display[["kode", "nama", "geometry"]].merge(ranked[cols], on="kode", how="left")
    for c in optional:
        if c not in gdf:
            gdf[c] = float("nan")  # shown as an en dash
    gdf["tt_nama"] = gdf["nama"].astype("str")
    gdf["tt_kode"] = gdf["kode"].astype("str")
    gdf["tt_tier"] = [tier_label(v, lang) for v in gdf["tier"]]
    gdf["tt_rank"] = [fmt_int(v, lang) for v in gdf["rank"]]
    gdf["tt_range"] = [
        rank_range(lo, hi, lang) for lo, hi in zip(gdf["rank_low"], gdf["rank_high"], strict=True)
    ]
    gdf["tt_top"] = [fmt_value("top_n_share", v, lang) for v in gdf["top_n_share"]]
    gdf["tt_msme"] = [fmt_value("msme_total", v, lang) for v in gdf["msme_total"]]
    gdf["tt_uncovered"] = [fmt_value("msme_uncovered", v, lang) for v in gdf["msme_uncovered"]]
    gdf["tt_share"] = [
        fmt_value("msme_uncovered_share", v, lang) for v in gdf["msme_uncovered_share"]
    ]
    gdf["tt_score"] = [fmt_value("score", v, lang) for v in gdf["score"]]
    if tips is not None:
        gdf = gdf.merge(tips, on="kode", how="left")
        extra = [c for c in tips.columns if c != "kode"]
        gdf[extra] = gdf[extra].fillna("\u2013")
    return gpd.GeoDataFrame(gdf, geometry="geometry", crs=display.crs or GEO_CRS)


def code_path(kode: str) -> dict[str, str]:
    """The codes of an area and its parents by level, from a dotted Kemendagri code.

    ``"12.01.01.2001"`` gives ``{"kabupaten": "12.01", "kecamatan": "12.01.01",
    "desa": "12.01.01.2001"}``; a code in another format gives ``{}``.
    """
    parts = str(kode).split(".")
    if len(parts) not in _CODE_LEVELS:
        return {}
    return {_CODE_LEVELS[n]: ".".join(parts[:n]) for n in range(2, len(parts) + 1)}


def search_areas(
    areas: Mapping[str, pd.DataFrame], query: str, *, limit: int = 20
) -> list[tuple[str, str, str]]:
    """Areas whose name contains `query` or whose code starts with it (case-insensitive).

    Returns ``(level, kode, nama)`` triples, coarse levels first, then by code.
    """
    q = query.strip().casefold()
    if not q:
        return []
    found: list[tuple[str, str, str]] = []
    for level in ("kabupaten", "kecamatan", "desa"):
        if level not in areas:
            continue
        frame = areas[level]
        kode, nama = frame["kode"].astype("str"), frame["nama"].astype("str")
        hit = kode.str.casefold().str.startswith(q) | nama.str.casefold().str.contains(
            q, regex=False
        )
        found += [(level, k, n) for k, n in zip(kode[hit], nama[hit], strict=True)]
        if len(found) >= limit:
            break
    return found[:limit]


def indicator_view(row: Mapping[Any, Any], lang: str) -> pd.DataFrame:
    """Every registry indicator present in `row`: label with its unit, and formatted value."""
    names = [k for k in INDICATORS if k in row]
    return pd.DataFrame(
        {
            t("col_indicator", lang): [indicator_label(k, lang) for k in names],
            t("col_value", lang): [fmt_indicator(k, row[k], lang) for k in names],
        }
    )


def checklist_view(entries: Mapping[str, str], fields: Iterable[str], lang: str) -> pd.DataFrame:
    """The BAKTI checklist of one area: field label and entry, "belum diisi" when blank."""
    fields = list(fields)
    return pd.DataFrame(
        {
            t("checklist_title", lang): [t(f"ck_{f}", lang) for f in fields],
            t("ck_status", lang): [
                (entries.get(f) or "").strip() or t("ck_unfilled", lang) for f in fields
            ],
        }
    )


def accounts_view(accounts: Iterable[Any], lang: str) -> pd.DataFrame:
    """Row accounting per source (:class:`~infra_gap.layers.RowAccount`), numbers formatted."""
    rows = list(accounts)
    return pd.DataFrame(
        {
            t("dq_source", lang): [a.source for a in rows],
            t("dq_read", lang): [fmt_int(a.read, lang) for a in rows],
            t("dq_placed", lang): [fmt_int(a.used, lang) for a in rows],
            t("dq_rejected", lang): [fmt_int(a.rejected, lang) for a in rows],
        }
    )


def rejected_view(rejected: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rejected-rows table (``source,row,reason``) with headings in the UI language."""
    return pd.DataFrame(
        {
            t("dq_source", lang): rejected["source"].astype("str").to_numpy(),
            t("dq_row", lang): rejected["row"].astype("str").to_numpy(),
            t("dq_reason", lang): rejected["reason"].astype("str").to_numpy(),
        }
    )


def conflict_view(conflicts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """MSMEs whose code and point disagree (``row,kode_given,kode_area``), in the UI language."""
    return pd.DataFrame(
        {
            t("dq_row", lang): conflicts["row"].astype("str").to_numpy(),
            t("dq_code_given", lang): conflicts["kode_given"].astype("str").to_numpy(),
            t("dq_code_point", lang): conflicts["kode_area"].astype("str").to_numpy(),
        }
    )


def md_escape(text: str) -> str:
    """User text made literal for Streamlit markdown (captions, buttons, errors).

    Markdown and HTML characters get a backslash, so ``<img src=x onerror=...>`` shows as
    text and ``[a](b)`` does not become a link.
    """
    return "".join(f"\\{c}" if c in _MD_SPECIAL else c for c in str(text))


def join_names(names: list[str], lang: str) -> str:
    """Names joined in ``lang``: "Nias dan Nias Selatan", "A, B dan C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {t('and', lang)} {names[-1]}"
