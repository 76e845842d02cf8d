"""The priority list as an XLSX workbook for offices: the main deliverable to sign.

Sheets: *Prioritas* (the ranked list: title, data status, frozen header, number formats,
autofilter, tiers coloured, a signature block, A4 landscape print set-up), *Indikator*
(each indicator's definition, unit, direction and source in both languages),
*Metodologi* (weights, thresholds, stability settings, rules, date), *Sumber data*
(provenance, licence, vintage, synthetic or not, row accounting), *Data ditolak* (the
rejected rows with reasons) and, when given, *Lokasi usulan* (proposed sites).

No user string can become a formula: every text cell is written with ``write_string``
(never ``write``), the workbook's string-to-formula/number/URL conversions are off, and a
text cell that starts with ``= + - @``, tab or CR also carries Excel's quote prefix, so it
stays text even when a user edits it.  The text itself is stored intact.
"""

from __future__ import annotations

import math
from io import BytesIO
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from infra_gap import __version__
from infra_gap.config import GEO_CRS
from infra_gap.layers import Layers, RowAccount
from infra_gap.outputs.datadict import column_definition
from infra_gap.outputs.export import (
    ExportMeta,
    column_label,
    export_columns,
    rejected_rows,
    row_accounts,
    status_label,
)
from infra_gap.provenance import layer_label, source_fields
from infra_gap.ranking.uncertainty import factor_lines
from infra_gap.registry import INDICATORS
from infra_gap.text.exports import XLSX_TEXT
from infra_gap.text.i18n import t
from infra_gap.text.numfmt import excel_format
from infra_gap.text.rejections import reason_text

__all__ = ["EXCEL_MAX_ROWS", "SHEETS", "XLSX_TEXT", "ranked_xlsx"]

SHEETS = ("Prioritas", "Indikator", "Metodologi", "Sumber data", "Data ditolak")
SITES_SHEET = "Lokasi usulan"
#: Rows of an Excel sheet; longer tables are cut with a note.
EXCEL_MAX_ROWS = 1_048_576
_STR_MAX = 32_767  # Excel's cell text limit, in UTF-16 code units
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_TIER_FILL = {1: "#F4A6A6", 2: "#FFE08A", 3: "#E7E6E6"}
_HEADER_ROW = 4
#: Columns printed on the A4 page of *Prioritas* (in this order, first in the sheet).
PRINT_COLUMNS = (
    "rank", "kode", "nama", "nama_kab", "nama_kec", "tier", "score", "msme_total",
    "msme_uncovered", "msme_uncovered_share", "reason",
)  # fmt: skip
_WIDTHS = {
    "rank": 9, "kode": 13, "nama": 22, "nama_kab": 22, "nama_kec": 20, "tier": 11, "score": 9,
    "msme_total": 10, "msme_uncovered": 11, "msme_uncovered_share": 11, "reason": 58,
    "data_status": 28,
}  # fmt: skip
_WRAPPED = frozenset({"nama", "nama_kab", "nama_kec", "reason"})


def _t(key: str, lang: str) -> str:
    """A workbook text in ``lang`` (``xlsx.<key>``, else the shared ``export.<key>``)."""
    return t(key, lang, sections=("xlsx", "export"))


def _fit(text: str) -> str:
    """Cut a string to Excel's cell limit, marking the cut with an ellipsis."""
    if len(text) <= _STR_MAX // 2 or len(text.encode("utf-16-le")) // 2 <= _STR_MAX:
        return text
    out = text.encode("utf-16-le")[: 2 * (_STR_MAX - 1)].decode("utf-16-le", errors="ignore")
    return out + "\u2026"


class _Writer:
    """Typed cell writing with cached formats (one workbook, one call)."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.cache: dict[tuple[Any, ...], Format] = {}
        self.props: dict[int, dict[str, Any]] = {}

    def fmt(self, **props: Any) -> Format:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format(props)
            self.props[id(self.cache[key])] = props
        return self.cache[key]

    def text(
        self, ws: Worksheet, row: int, col: int, value: str, fmt: Format | None = None, **props: Any
    ) -> None:
        value = _fit(value)
        if value.startswith(_FORMULA_START):
            # The same format plus Excel's quote prefix: stays text even when edited.
            base = self.props[id(fmt)] if fmt is not None else props
            fmt = self.fmt(**{**base, "quote_prefix": True})
        elif fmt is None and props:
            fmt = self.fmt(**props)
        ws.write_string(row, col, value, fmt)

    def value(
        self, ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None, **props: Any
    ) -> None:
        if fmt is None and props:
            fmt = self.fmt(**props)
        if isinstance(value, str):
            self.text(ws, row, col, value, fmt)
        elif value is None or value is pd.NA or value is pd.NaT:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool | np.bool_):
            ws.write_boolean(row, col, bool(value), fmt)
        elif isinstance(value, int | float | np.integer | np.floating):
            v = float(value)
            if math.isfinite(v):
                ws.write_number(row, col, v, fmt)
            else:
                ws.write_blank(row, col, None, fmt)
        else:
            self.text(ws, row, col, str(value), fmt)

    def table(self, ws: Worksheet, frame: pd.DataFrame, row: int, headers: list[str]) -> int:
        """Header plus rows from ``row``; returns the row after the table."""
        for j, h in enumerate(headers):
            self.text(ws, row, j, h, bold=True, bg_color="#D9E1F2", text_wrap=True)
        values = frame.to_numpy(dtype=object)
        for i, rec in enumerate(values[: EXCEL_MAX_ROWS - row - 2]):
            for j, v in enumerate(rec):
                self.value(ws, row + 1 + i, j, v, text_wrap=True, valign="top")
        return row + 1 + min(len(values), EXCEL_MAX_ROWS - row - 2)


def _num_format(col: str) -> str:
    """The column's number format: the page's decimals (:func:`~.numfmt.excel_format`)."""
    return excel_format(col)


def _prioritas(
    w: _Writer, ranked: pd.DataFrame, synthetic: bool, meta: ExportMeta, lang: str
) -> None:
    ws = w.book.add_worksheet(SHEETS[0])
    cols = export_columns(ranked)
    keys = [c for c in PRINT_COLUMNS if c in cols]
    cols = keys + [c for c in cols if c not in keys]  # the printed key columns first
    frame = ranked[cols].copy()
    if "operator_class" in frame:
        frame["operator_class"] = [
            _t(f"op_{v}", lang) if f"op_{v}" in XLSX_TEXT else v for v in frame["operator_class"]
        ]
    frame["data_status"] = status_label(synthetic)
    cols = [*cols, "data_status"]
    n = len(frame)
    w.text(ws, 0, 0, _t("title", lang).format(level=meta.level), bold=True, font_size=14)
    sub = _t("subtitle", lang).format(
        name=meta.scenario_name or "-", date=meta.date.isoformat(), version=__version__, n=n
    )
    w.text(ws, 1, 0, sub)
    if synthetic:
        w.text(ws, 2, 0, _t("synthetic", lang), bold=True, font_color="#C00000")
    else:
        w.text(ws, 2, 0, _t("real", lang))
    for j, c in enumerate(cols):
        head = column_label(c, lang)
        if c == "top_n_share" and "top_n" in meta.stability:
            head = head.replace("N", str(int(meta.stability["top_n"])))
        w.text(
            ws,
            _HEADER_ROW,
            j,
            head,
            bold=True,
            text_wrap=True,
            valign="top",
            bg_color="#D9E1F2",
            bottom=1,
        )
        ws.set_column(j, j, _WIDTHS.get(c, 13))
    tiers = frame["tier"].to_numpy() if "tier" in frame else np.full(n, np.nan)
    fills = [_TIER_FILL.get(int(v)) if not pd.isna(v) else None for v in tiers]
    tinted = {"tier", "rank", "kode", "nama"}
    for j, c in enumerate(cols):
        num = _t("tier_fmt", lang) if c == "tier" else _num_format(c)
        wrap = {"text_wrap": True} if c in _WRAPPED else {}  # long text wraps when printed
        plain = w.fmt(num_format=num, valign="top", **wrap)
        tint = {
            f: w.fmt(num_format=num, bg_color=f, valign="top", **wrap) if c in tinted else plain
            for f in _TIER_FILL.values()
        }
        values = frame[c].to_numpy(dtype=object)
        if c == "nama":  # a blank name would leave a signed list with an empty cell
            blank = np.array([isinstance(v, str) and not v.strip() for v in values], dtype=bool)
            values[blank] = _t("unnamed", lang)
        for i, v in enumerate(values):
            fill = fills[i]
            w.value(ws, _HEADER_ROW + 1 + i, j, v, fmt=tint[fill] if fill else plain)
    ws.freeze_panes(_HEADER_ROW + 1, min(4, len(cols)))
    ws.autofilter(_HEADER_ROW, 0, _HEADER_ROW + max(n, 1), len(cols) - 1)
    ws.set_row(_HEADER_ROW, 60)
    sign = _HEADER_ROW + n + 3
    for k, key in enumerate(("sign_date", "sign_known", "sign_role", None, None, "sign_name")):
        if key:
            w.text(ws, sign + k, 2, _t(key, lang))
    w.text(ws, 3, 0, _t("print_note", lang), italic=True, font_color="#595959")
    ws.print_area(0, 0, sign + 5, max(len(keys), 3) - 1)
    _print_setup(ws, _HEADER_ROW, synthetic, lang)


def _print_setup(ws: Worksheet, header_row: int, synthetic: bool, lang: str) -> None:
    """A4 landscape, one page wide, the header row on every page, page X of N."""
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    footer = "DEMO SINTETIS / SYNTHETIC DEMO - " if synthetic else ""
    ws.set_footer(f"&L{footer}infra-gap&R{_t('page', lang)}")


def _indikator(w: _Writer, ranked: pd.DataFrame, meta: ExportMeta, lang: str) -> None:
    ws = w.book.add_worksheet(SHEETS[1])
    rows = [
        (
            ind.name,
            ind.label_id,
            ind.label_en,
            ind.definition_id,
            ind.definition_en,
            ind.unit,
            _t("up" if ind.higher_is_need else "down", lang),
            ind.source,
            float(meta.weights.get(ind.name, 0.0)),
            _t("yes" if ind.name in ranked.columns else "no", lang),
        )
        for ind in INDICATORS.values()
    ]
    # The other columns of the priority list, from the data dictionary (no weight, no
    # direction): every column a reader meets is defined here.
    for col in [*export_columns(ranked), "data_status"]:
        if col in INDICATORS or col.startswith("contrib_"):
            continue
        _, unit, def_id, def_en, source = column_definition(col)
        label_id, label_en = column_label(col, "id"), column_label(col, "en")
        rows.append((col, label_id, label_en, def_id, def_en, unit, "-", source, 0.0,
                     _t("yes", lang)))  # fmt: skip
    frame = pd.DataFrame(rows)
    w.table(ws, frame, 0, _t("ind_head", lang).split("|"))
    widths = (24, 26, 26, 50, 50, 10, 22, 30, 10, 12)
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    for i, row in enumerate(rows, start=1):  # wrapped text: room for its lines when printed
        lines = max(math.ceil(len(str(v)) / (0.95 * wd)) for v, wd in zip(row, widths, strict=True))
        ws.set_row(i, 15 * max(lines, 1))
    ws.freeze_panes(1, 1)
    _print_setup(ws, 0, False, lang)


def _metodologi(
    w: _Writer, ranked: pd.DataFrame, synthetic: bool, meta: ExportMeta, lang: str
) -> None:
    ws = w.book.add_worksheet(SHEETS[2])
    rows: list[tuple[str, Any]] = [
        (_t("m_name", lang), meta.scenario_name or "-"),
        (_t("m_date", lang), meta.date.isoformat()),
        (_t("m_level", lang), meta.level),
        (_t("m_areas", lang), len(ranked)),
        (_t("m_norm", lang), meta.normalisation),
        (_t("m_cov", lang), float(meta.covered_min)),
    ]
    ev = meta.evidence
    for key in ("slow_down_kbps", "min_tests", "conflict_share"):
        rows.append((_t("m_thr", lang).format(key=key), float(getattr(ev, key))))
    for name, weight in meta.weights.items():
        label = f"{column_label(name, lang)} [{name}]" if name in INDICATORS else name
        rows.append((_t("m_weight", lang).format(label=label), float(weight)))
    rows.append((_t("m_dropped", lang), ", ".join(meta.dropped) or "-"))
    if meta.stability:
        rows += [(_t("m_stab", lang).format(key=k), float(v)) for k, v in meta.stability.items()]
        lines = factor_lines(meta.stability, lang, indicators=len(meta.weights))
        rows += [(_t("m_uncert", lang), line) for line in lines]
    else:
        rows.append((_t("m_nostab", lang), _t("m_nostab_v", lang)))
    rows.append((_t("m_score", lang), _t("score", lang)))
    if "tier" in ranked:
        n = int(meta.stability.get("top_n", 10))
        rows.append((_t("m_tiers", lang), _t("tiers", lang).format(n=n)))
    rows += [
        (_t("m_place", lang), _t("placement", lang)),
        (_t("m_ntia", lang), _t("ntia", lang)),
        (_t("m_unknown", lang), _t(meta.unknown_key, lang)),
        (_t("m_status", lang), _t("synthetic" if synthetic else "real", lang)),
    ]
    w.table(ws, pd.DataFrame(rows), 0, _t("meth_head", lang).split("|"))
    ws.set_column(0, 0, 48)
    ws.set_column(1, 1, 90)
    _print_setup(ws, 0, synthetic, lang)


def _sumber(w: _Writer, layers: Layers, accounts: list[RowAccount], lang: str) -> None:
    ws = w.book.add_worksheet(SHEETS[3])
    acc = {a.source: a for a in accounts}
    rows = []
    for s in layers.sources:
        a = acc.get(s.layer)
        counts = (a.read, a.used, a.rejected) if a else (None, None, None)
        f = source_fields(s, lang)
        label = f"{layer_label(s.layer, lang)} ({s.layer})"
        rows.append(
            (label, f["source"], f["licence"], f["date"], f["operator"], f["technology"],
             f["url"], f["synthetic"], *counts)
        )  # fmt: skip
    w.table(
        ws,
        pd.DataFrame(rows, columns=range(11)),
        0,
        [*_t("src_head6", lang).split("|"), *_t("acc_head", lang).split("|")],
    )
    for j, width in enumerate((24, 50, 22, 18, 16, 14, 30, 10, 13, 13, 13)):
        ws.set_column(j, j, width, w.fmt(num_format="#,##0") if j >= 8 else None)
    ws.freeze_panes(1, 1)
    _print_setup(ws, 0, layers.synthetic, lang)


def _ditolak(w: _Writer, rejected: pd.DataFrame, lang: str) -> None:
    ws = w.book.add_worksheet(SHEETS[4])
    rejected = rejected.copy()
    # A row number is a number (it sorts and filters as one); other row ids stay text.
    rejected["row"] = [
        int(v) if isinstance(v, str) and v.isascii() and v.isdigit() else v for v in rejected["row"]
    ]
    rejected["source"] = [f"{layer_label(v, lang)} ({v})" for v in rejected["source"]]
    rejected["reason"] = [reason_text(v, lang) for v in rejected["reason"]]
    end = w.table(ws, rejected, 0, _t("rej_head", lang).split("|"))
    if rejected.empty:
        w.text(ws, 1, 0, _t("rej_none", lang))
    elif end - 1 < len(rejected):
        w.text(ws, end, 0, _t("rej_cut", lang).format(n=len(rejected) - (end - 1)), bold=True)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 70)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(end - 1, 1), 2)
    _print_setup(ws, 0, False, lang)


def _sites(w: _Writer, sites: gpd.GeoDataFrame, synthetic: bool) -> None:
    """One row per site: lon/lat first (added when absent), then every column as given."""
    ws = w.book.add_worksheet(SITES_SHEET)
    geo = sites.to_crs(GEO_CRS)
    frame = pd.DataFrame(sites.drop(columns=sites.geometry.name))
    for col, values in (("lat", geo.geometry.y), ("lon", geo.geometry.x)):
        if col not in frame:
            frame.insert(0, col, values.round(6).to_numpy())
    frame["data_status"] = status_label(synthetic)
    w.table(ws, frame, 0, [str(c) for c in frame.columns])
    ws.freeze_panes(1, 0)


def ranked_xlsx(
    ranked: pd.DataFrame,
    layers: Layers,
    *,
    meta: ExportMeta,
    rejected: pd.DataFrame | None = None,
    accounts: tuple[RowAccount, ...] = (),
    sites: gpd.GeoDataFrame | None = None,
    lang: str = "id",
) -> bytes:
    """XLSX bytes of a ranked table, with indicator, method, source and rejection sheets.

    Parameters
    ----------
    ranked
        Ranked table (:func:`infra_gap.ranking.scoring.rank_areas`), with the stability columns
        (``tier``, ``rank_low``, ``rank_high``, ``top_n_share``) and ``reason`` when present;
        rows in rank order.
    layers
        The layers behind it: sources, the synthetic flag and read-time rejections.
    meta
        Weights, thresholds, stability settings and date, for *Metodologi*.
    rejected
        Rows rejected after reading (:attr:`infra_gap.analysis.pipeline.PointFacts.rejected`).
    accounts
        Row accounting after placement (:attr:`infra_gap.analysis.pipeline.PointFacts.accounts`).
    sites
        Proposed sites (points), written to a *Lokasi usulan* sheet when given.
    lang
        ``"id"`` (default) or ``"en"``: headers, labels and notes.
    """
    buf = BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "nan_inf_to_errors": False,
    }
    book = xlsxwriter.Workbook(buf, options)
    w = _Writer(book)
    synthetic = layers.synthetic
    _prioritas(w, ranked, synthetic, meta, lang)
    _indikator(w, ranked, meta, lang)
    _metodologi(w, ranked, synthetic, meta, lang)
    _sumber(w, layers, row_accounts(layers, accounts), lang)
    _ditolak(w, rejected_rows(layers, rejected), lang)
    if sites is not None:
        _sites(w, sites, synthetic)
    book.set_properties(
        {
            "title": _t("title", lang).format(level=meta.level),
            "author": "infra-gap",
            "comments": status_label(synthetic),
        }
    )
    book.close()
    return buf.getvalue()
