"""Ranked tables to proposal-ready bytes: the CSV, and what every export format shares.

Nothing here writes files.  Every export carries a ``data_status`` column (or notice) that
says whether synthetic layers went into the figures, so a synthetic demo figure can never
pass for a fact.  The XLSX, GeoPackage and PDF writers (:mod:`infra_gap.outputs.xlsx`,
:mod:`infra_gap.outputs.geopackage`, :mod:`infra_gap.outputs.dossier.document`)
take their column order, labels,
methodology record and rejected rows from here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from infra_gap.config import EvidenceParams
from infra_gap.layers import REJECTED_COLUMNS, Layers, RowAccount
from infra_gap.outputs.datadict import AREA_NAME_COLUMNS, CODE_COLUMNS
from infra_gap.registry import INDICATORS
from infra_gap.text.exports import EXPORT_TEXT
from infra_gap.text.i18n import TEXT, t

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_TEXT",
    "FLAG_COLUMNS",
    "REAL_LABEL",
    "STABILITY_COLUMNS",
    "SYNTHETIC_LABEL",
    "ExportMeta",
    "bare_column",
    "column_label",
    "csv_bytes",
    "csv_columns",
    "export_columns",
    "export_text",
    "neutralise_formulas",
    "ranked_csv",
    "rejected_csv",
    "rejected_rows",
    "row_accounts",
    "sites_csv",
    "status_label",
]

SYNTHETIC_LABEL = "synthetic demo / demo sintetis"
REAL_LABEL = "user data / data pengguna"
CSV_COLUMNS = (
    "rank",
    "kode",
    "nama",
    "score",
    "msme_total",
    "msme_uncovered",
    "msme_uncovered_share",
    "msme_coverage_unknown",
    "msme_online_share",
)
#: Stability and tier columns, written after the standard ones when the ranking has them.
STABILITY_COLUMNS = ("tier", "rank_low", "rank_high", "top_n_share", "reason", "need_class")
#: BAKTI eligibility (:mod:`infra_gap.ranking.eligibility`), written after the stability columns.
ELIGIBILITY_COLUMNS = ("eligible", "eligible_basis")
#: Per-area flags written after the indicators.
FLAG_COLUMNS = (
    "speed_low_evidence",
    "operator_class",
    "evidence_conflict",
    "area_km2",
    "speed_evidence",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_UNSAFE_IN_LITERAL = re.compile(r'["\r\n]')


def export_text(key: str, lang: str) -> str:
    """A shared export note in ``lang`` (``export.<key>`` of the catalogue)."""
    return t(key, lang, sections=("export",))


#: English for the registry's Indonesian units.
_UNIT_EN: Mapping[str, str] = MappingProxyType(
    {
        "UMKM": "MSMEs",
        "tes": "tests",
        "menara": "towers",
        "sel": "cells",
        "operator": "operators",
        "UMKM/km²": "MSMEs/km²",
        "jiwa/km²": "people/km²",
        "UMKM/Rp 1 M": "MSMEs/Rp 1 bn",
    }
)


def status_label(synthetic: bool) -> str:
    """The ``data_status`` value of every row: synthetic demo or user data."""
    return SYNTHETIC_LABEL if synthetic else REAL_LABEL


def column_label(col: str, lang: str) -> str:
    """Human label of an export column in ``lang`` (``"id"``/``"en"``), with the unit.

    Registry indicators read ``"UMKM tanpa sinyal 4G (UMKM)"``; contributions read
    ``"Kontribusi: UMKM tanpa sinyal 4G"``; unknown columns keep their name.
    """
    pick = 0 if lang == "id" else 1
    if col in INDICATORS:
        ind = INDICATORS[col]
        unit = ind.unit if pick == 0 else _UNIT_EN.get(ind.unit, ind.unit)
        return f"{ind.label_id if pick == 0 else ind.label_en} ({unit})"
    if col.startswith("contrib_"):
        name = col.removeprefix("contrib_")
        found = INDICATORS.get(name)
        label = (found.label_id if pick == 0 else found.label_en) if found else name
        return t("col.contrib_", lang) + label
    return t(f"col.{col}", lang) if f"col.{col}" in TEXT else col


def export_columns(ranked: pd.DataFrame, extra_columns: Sequence[str] = ()) -> list[str]:
    """The columns every format writes, in order.

    The standard columns, the stability columns, ``extra_columns``, every registry
    indicator and flag present, the ``contrib_*`` columns, then the parent-area columns
    (``kode_bps``, ``nama_kab``, ``nama_kec``); absent ones are skipped.
    """
    cols = [c for c in CSV_COLUMNS if c in ranked.columns]
    for group in (STABILITY_COLUMNS, ELIGIBILITY_COLUMNS, extra_columns, INDICATORS, FLAG_COLUMNS):
        cols += [c for c in group if c in ranked.columns and c not in cols]
    cols += [c for c in ranked.columns if c.startswith("contrib_") and c not in cols]
    cols += [c for c in AREA_NAME_COLUMNS if c in ranked.columns and c not in cols]
    return cols


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Only text columns are touched; numbers stay numbers (OWASP CSV injection).
    """
    out = frame.copy()
    if out.empty:
        return out
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_string_dtype(s) or s.dtype == object):
            continue
        if isinstance(s.dtype, pd.StringDtype):  # text only: tested at once, missing is safe
            risky = s.str.startswith(_FORMULA_START).fillna(False).to_numpy(dtype=bool)
        else:
            # A plain bool array: a ``Series.map`` mask keeps the 'str' dtype on an empty column.
            risky = np.fromiter(
                (isinstance(v, str) and v.startswith(_FORMULA_START) for v in s), bool, len(s)
            )
        if risky.any():
            out[col] = s.where(~risky, "'" + s.astype("str"))
    return out


def _protect_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Code cells as Excel text formulas, ``="12.10"``, so no spreadsheet makes them numbers.

    Only cells without a double quote or line break are wrapped (the value sits inside a
    string literal, so nothing in it runs); a code with a quote is not a number anyway.
    """
    out = frame.copy()
    for col in out.columns:
        if col not in CODE_COLUMNS and not str(col).startswith("kode_"):
            continue
        values = out[col].astype("object")
        out[col] = [
            f'="{v}"' if isinstance(v, str) and v and not _UNSAFE_IN_LITERAL.search(v) else v
            for v in values
        ]
    return out


def _floats_as_text(frame: pd.DataFrame, float_format: str, decimal: str) -> pd.DataFrame:
    """Float columns as the text ``to_csv(float_format=..., decimal=...)`` writes for them.

    The same rule as pandas' writer (``float_format % value``, the first ``.`` replaced by
    ``decimal``, missing as an empty cell), in one pass per column instead of pandas'
    per-value formatter: a third of the time of writing a province's desa CSV.
    """
    floats = [
        c for c, dtype in frame.dtypes.items() if isinstance(dtype, np.dtype) and dtype.kind == "f"
    ]
    if not floats:
        return frame
    out = frame.copy()
    for col in floats:
        values = out[col].to_numpy()
        text = [float_format % v for v in values.tolist()]
        if decimal != ".":
            text = [v.replace(".", decimal, 1) for v in text]
        cells = np.array(text, dtype=object)
        cells[np.isnan(values)] = ""
        out[col] = pd.Series(cells, index=out.index, dtype=object)
    return out


def csv_bytes(
    frame: pd.DataFrame, *, sep: str = ",", excel_id: bool = False, digits: int = 6
) -> bytes:
    """A table as CSV bytes: UTF-8 with a BOM, CRLF line ends, text formula-safe.

    Parameters
    ----------
    frame
        The table; text cells a spreadsheet would run are neutralised.
    sep
        ``","`` (the machine CSV, decimal point) or ``";"`` (decimal comma).
    excel_id
        The Excel (Indonesia) variant: ``;``, decimal comma, and code columns (``kode``,
        ``kode_bps``, ``kode_*``) written as ``="12.10"`` so Excel keeps them as text
        (with Indonesian settings ``12.10`` is otherwise read as a time or a number).
    digits
        Significant digits of floats.
    """
    if sep not in {",", ";"}:
        msg = f"`sep` must be ',' or ';', got {sep!r}"
        raise ValueError(msg)
    if excel_id and sep != ";":
        sep = ";"
    out = neutralise_formulas(frame)
    if excel_id:
        out = _protect_codes(out)
    decimal = "," if sep == ";" else "."
    out = _floats_as_text(out, f"%.{digits}g", decimal)
    # CRLF line ends (RFC 4180) also make the writer quote a bare CR inside a name; with
    # "\n" it would not, and a spreadsheet would split that row in two.
    text = out.to_csv(
        index=False,
        sep=sep,
        decimal=decimal,
        float_format=f"%.{digits}g",
        lineterminator="\r\n",
    )
    return ("\ufeff" + text).encode("utf-8")


def ranked_csv(
    ranked: pd.DataFrame,
    *,
    synthetic: bool,
    sep: str = ",",
    extra_columns: Sequence[str] = (),
    excel_id: bool = False,
) -> bytes:
    """CSV bytes of a ranked table: UTF-8 with a BOM, CRLF line ends, one row per area.

    The headers are the plain stable names of the data dictionary
    (``rank,kode,nama,score,msme_total,...``, see ``docs/data-dictionary.md``); units and
    definitions are in the sidecar schema (:func:`infra_gap.outputs.datadict.table_schema_json`).

    Parameters
    ----------
    ranked
        Output of :func:`infra_gap.ranking.scoring.rank_areas` (with the stability columns of
        :func:`infra_gap.ranking.scenario.run_scenario`, when present).
    synthetic
        True when any input layer is synthetic; sets ``data_status`` on every row.
    sep
        ``","`` or ``";"`` (decimals then use a comma).
    extra_columns
        More columns to include, see :func:`export_columns`.
    excel_id
        The Excel (Indonesia) variant, see :func:`csv_bytes`.
    """
    if sep not in {",", ";"}:
        msg = f"`sep` must be ',' or ';', got {sep!r}"
        raise ValueError(msg)
    out = ranked[export_columns(ranked, extra_columns)].copy()
    out["data_status"] = status_label(synthetic)
    return csv_bytes(out, sep=sep, excel_id=excel_id)


def csv_columns(ranked: pd.DataFrame, extra_columns: Sequence[str] = ()) -> list[str]:
    """The header of :func:`ranked_csv` for this table (the export columns, ``data_status``)."""
    return [*export_columns(ranked, extra_columns), "data_status"]


def bare_column(header: str) -> str:
    """The stable name in a CSV header (kept for scripts that read 0.x unit headers).

    ``"msme_total [UMKM]"`` (written by earlier versions) gives ``"msme_total"``; a plain
    name is returned as it is.
    """
    return header.split(" [", 1)[0]


def _no_weights() -> Mapping[str, float]:
    return MappingProxyType({})


@dataclass(frozen=True)
class ExportMeta:
    """What went into a ranking, printed in the methodology of every export.

    Attributes
    ----------
    level
        ``"desa"``, ``"kecamatan"`` or ``"kabupaten"``.
    weights
        The weights used, re-balanced to sum to 1.
    normalisation
        ``"minmax"`` or ``"percentile"``.
    covered_min
        Coverage threshold (:class:`infra_gap.config.CoverageParams`).
    stability
        Stability settings (``top_n``, ``draws``, ``concentration``, ``seed``); empty when
        no stability run went into the ranking.
    dropped
        Weighted indicators absent from the data (dropped before re-balancing).
    scenario_name
        Free text naming the scenario.
    created
        Date printed on the export; today when None.
    evidence
        Speed-test and evidence thresholds used (:class:`infra_gap.config.EvidenceParams`).
    unknown_as_need
        Whether areas with no speed test counted as need (:mod:`infra_gap.analysis.unknown`).
    """

    level: str
    weights: Mapping[str, float] = field(default_factory=_no_weights)
    normalisation: str = "minmax"
    covered_min: float = 1.0
    stability: Mapping[str, float] = field(default_factory=_no_weights)
    dropped: tuple[str, ...] = ()
    scenario_name: str = ""
    created: dt.date | None = None
    evidence: EvidenceParams = field(default_factory=EvidenceParams)
    unknown_as_need: bool = True

    @property
    def unknown_key(self) -> str:
        """Key of the export text stating the switch (``unknown_on`` / ``unknown_off``)."""
        return "unknown_on" if self.unknown_as_need else "unknown_off"

    def method(self) -> dict[str, object]:
        """The scoring choices a file's metadata states (CSV schema, GeoPackage)."""
        key = self.unknown_key
        rule = f"{export_text(key, 'en')} / {export_text(key, 'id')}"
        return {"unknownAsNeed": self.unknown_as_need, "unknownRule": rule}

    @property
    def date(self) -> dt.date:
        """The export date."""
        return self.created or dt.date.today()


def rejected_rows(layers: Layers, rejected: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every rejected row, ``source,row,reason``: at reading, then at placement.

    Parameters
    ----------
    layers
        The layers (their ``rejected`` rows were refused when read).
    rejected
        Rows refused later, e.g. :attr:`infra_gap.analysis.pipeline.PointFacts.rejected`.
    """
    parts = [layers.rejected[list(REJECTED_COLUMNS)]]
    if rejected is not None:
        parts.append(rejected[list(REJECTED_COLUMNS)])
    out = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    # PointFacts.rejected already repeats the rows refused at reading: keep each row once,
    # where ``rejected`` lists it (speed tiles left out at reading are listed there in file
    # order with the tiles placement rejects, :func:`infra_gap.analysis.pipeline.place_and_cover`).
    out = out.astype(dict.fromkeys(REJECTED_COLUMNS, "str"))
    return out.drop_duplicates(keep="last", ignore_index=True)


def rejected_csv(rejected: pd.DataFrame, *, sep: str = ",", excel_id: bool = False) -> bytes:
    """The rejected rows as CSV bytes (``source,row,reason``; UTF-8 with BOM, formula-safe).

    ``row`` is written as a number where it is one (a line number), else as text.
    """
    frame = rejected[list(REJECTED_COLUMNS)].astype("str")
    numeric = pd.to_numeric(frame["row"], errors="coerce")
    if len(frame) and numeric.notna().all() and (numeric % 1 == 0).all():
        frame["row"] = numeric.astype("int64")
    return csv_bytes(frame, sep=sep, excel_id=excel_id)


def row_accounts(layers: Layers, accounts: Sequence[RowAccount] = ()) -> list[RowAccount]:
    """Row accounting of every input: ``accounts`` (after placement) win over the layers'."""
    seen = {a.source for a in accounts}
    return [*accounts, *(a for a in layers.accounts if a.source not in seen)]


def sites_csv(
    table: pd.DataFrame, *, synthetic: bool, sep: str = ",", excel_id: bool = False
) -> bytes:
    """CSV bytes (UTF-8 with a BOM) of a site or per-area table, with ``data_status``."""
    out = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
    out["data_status"] = SYNTHETIC_LABEL if synthetic else REAL_LABEL
    return csv_bytes(out, sep=sep, excel_id=excel_id, digits=10)
