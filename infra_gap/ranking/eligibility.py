"""Who BAKTI builds for: 3T areas and priority locations with a blank spot.

BAKTI builds 4G sites in the 3T areas (*terdepan, terluar, tertinggal*) and in priority
locations; villages without 4G outside them are the operators' obligation.  An area is
**eligible** when

1. it lies in (or is) a kabupaten of the 3T list (Perpres 63/2020, shipped in ``data/``,
   :data:`infra_gap.config.DISADVANTAGED_LIST_FILE`), or in (or is, or contains) a location
   of a priority list the user brings (``--priority-list FILE``: border, tourism or other
   priority locations, any level, each row with its source); and
2. the coverage condition holds: at least one MSME there has no 4G
   (``msme_uncovered > 0``; the NTIA rule counts unknown coverage as not covered).

Ineligible areas keep their score and rank; the ``eligible`` column marks them and
``eligible_basis`` says why, in words, in Indonesian or English (catalogue keys ``elig_*``).
Codes are compared as dotted Kemendagri codes: ``12.04.01.2001`` lies in ``12.04``,
``12.040`` does not.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from infra_gap import io
from infra_gap.config import DISADVANTAGED_LIST_FILE
from infra_gap.errors import DataError, SchemaError
from infra_gap.text.i18n import fmt_int, t

__all__ = [
    "ELIGIBILITY_COLUMNS",
    "EligibilityRules",
    "ListedArea",
    "eligibility",
    "eligibility_summary",
    "listed_areas",
    "load_rules",
    "only_eligible",
    "with_eligibility",
]

#: Columns added to a ranked table.
ELIGIBILITY_COLUMNS = ("eligible", "eligible_basis")
#: The indicator of the coverage condition.
NEED_COLUMN = "msme_uncovered"


@dataclass(frozen=True)
class ListedArea:
    """One row of an area list.

    Attributes
    ----------
    kode
        Dotted Kemendagri code, any level.
    nama
        Name as the list gives it (may be blank).
    sumber
        Where the listing comes from (a regulation, a letter, a web page with its date).
    dasar_hukum, periode
        Legal basis and period, when the list states them (the 3T list does).
    """

    kode: str
    nama: str
    sumber: str
    dasar_hukum: str = ""
    periode: str = ""


def listed_areas(frame: pd.DataFrame) -> tuple[ListedArea, ...]:
    """Rows of :func:`infra_gap.io.read_area_list` as :class:`ListedArea` records."""
    need = {"kode", "sumber"}
    if missing := sorted(need - set(frame.columns)):
        msg = f"area list is missing column(s) {missing}"
        raise SchemaError(msg)

    def get(row: Mapping[Hashable, Any], col: str) -> str:
        return str(row.get(col, "") or "")

    return tuple(
        ListedArea(
            kode=get(r, "kode"),
            nama=get(r, "nama"),
            sumber=get(r, "sumber"),
            dasar_hukum=get(r, "dasar_hukum"),
            periode=get(r, "periode"),
        )
        for r in frame.to_dict("records")
    )


@dataclass(frozen=True)
class EligibilityRules:
    """The lists an eligibility check uses.

    Attributes
    ----------
    disadvantaged
        The 3T kabupaten (Perpres 63/2020 for 2020-2024).
    priority
        A user's priority locations (empty when none was given).
    require_need
        Apply the coverage condition (an area with every MSME covered is not eligible).
    """

    disadvantaged: tuple[ListedArea, ...] = ()
    priority: tuple[ListedArea, ...] = ()
    require_need: bool = True

    @property
    def basis(self) -> str:
        """Short name of the 3T list's legal basis, e.g. ``Perpres 63/2020``."""
        first = next((a for a in self.disadvantaged if a.dasar_hukum), None)
        if first is None:
            return "-"
        text = first.dasar_hukum
        if text.startswith("Peraturan Presiden Nomor "):
            number, _, rest = text.removeprefix("Peraturan Presiden Nomor ").partition(" Tahun ")
            return f"Perpres {number}/{rest[:4]}"
        return text


def _inside(codes: pd.Series, code: str) -> np.ndarray:
    """Areas equal to ``code`` or inside it (``code`` followed by a dot)."""
    return (codes.eq(code) | codes.str.startswith(code + ".")).to_numpy()


def _containing(codes: pd.Series, code: str) -> np.ndarray:
    """Areas that contain ``code`` (strictly coarser)."""
    return np.array([code.startswith(c + ".") for c in codes], dtype=bool)


def eligibility(table: pd.DataFrame, rules: EligibilityRules, *, lang: str) -> pd.DataFrame:
    """Eligibility of each area of ``table``.

    Parameters
    ----------
    table
        One row per area: ``kode`` and, for the coverage condition, ``msme_uncovered``.
    rules
        The lists and the coverage condition.
    lang
        Language of ``eligible_basis`` (``"id"`` or ``"en"``).

    Returns
    -------
    DataFrame row-aligned with ``table``: ``kode``, ``eligible`` (bool) and
    ``eligible_basis`` (why, in words).
    """
    if "kode" not in table:
        msg = f"`table` is missing required column(s) ['kode']; found {list(table.columns)}"
        raise SchemaError(msg)
    codes = table["kode"].astype("str").reset_index(drop=True)
    n = len(codes)
    reasons: list[list[str]] = [[] for _ in range(n)]
    listed = np.zeros(n, dtype=bool)
    legal = rules.basis
    for area in rules.disadvantaged:
        hit = _inside(codes, area.kode)
        text = t("elig_3t", lang).format(
            nama=area.nama or area.kode, basis=legal, period=area.periode or "-"
        )
        for i in np.flatnonzero(hit):
            reasons[i].append(text)
        listed |= hit
    for area in rules.priority:
        label = area.nama or area.kode
        for key, hit in (
            ("elig_priority", _inside(codes, area.kode)),
            ("elig_contains_priority", _containing(codes, area.kode)),
        ):
            text = t(key, lang).format(nama=label, source=area.sumber)
            for i in np.flatnonzero(hit):
                reasons[i].append(text)
            listed |= hit
    if rules.require_need and NEED_COLUMN in table:
        need = pd.to_numeric(table[NEED_COLUMN], errors="coerce").fillna(0).to_numpy()
    else:
        need = None
    eligible = listed.copy() if need is None else listed & (need > 0)
    basis = []
    not_listed = t("elig_not_listed", lang).format(basis=legal)
    for k in range(n):
        if not listed[k]:
            basis.append(not_listed)
            continue
        parts = reasons[k]
        if need is not None:
            parts = [
                *parts,
                t("elig_need", lang).format(n=fmt_int(need[k], lang))
                if need[k] > 0
                else t("elig_no_need", lang),
            ]
        basis.append("; ".join(parts))
    out = pd.DataFrame({"kode": codes, "eligible": eligible, "eligible_basis": basis})
    out["eligible_basis"] = out["eligible_basis"].str.slice(0, 1).str.upper() + out[
        "eligible_basis"
    ].str.slice(1)
    return out


def with_eligibility(ranked: pd.DataFrame, rules: EligibilityRules, *, lang: str) -> pd.DataFrame:
    """A copy of a ranked table with ``eligible`` and ``eligible_basis`` (replaced if present).

    Scores, ranks and tiers are unchanged: an ineligible area keeps them, clearly marked.
    """
    out = ranked.drop(columns=list(ELIGIBILITY_COLUMNS), errors="ignore").copy()
    found = eligibility(out, rules, lang=lang)
    out["eligible"] = found["eligible"].to_numpy()
    out["eligible_basis"] = found["eligible_basis"].to_numpy()
    return out


def load_rules(
    data_dir: Path, *, priority_list: Path | None = None, require_need: bool = True
) -> EligibilityRules:
    """The 3T list shipped in ``data_dir`` and, when given, a priority list file.

    Both are read by :func:`infra_gap.io.read_area_list` (the only place that opens them).
    """
    disadvantaged = listed_areas(io.read_area_list(data_dir / DISADVANTAGED_LIST_FILE))
    priority = () if priority_list is None else listed_areas(io.read_area_list(priority_list))
    return EligibilityRules(
        disadvantaged=disadvantaged, priority=priority, require_need=require_need
    )


def only_eligible(ranked: pd.DataFrame) -> pd.DataFrame:
    """The eligible rows of a ranked table (ranks unchanged: those of all areas).

    Raises
    ------
    DataError
        When no area is eligible (the message names the lists), rather than an empty file.
    """
    if "eligible" not in ranked:
        msg = "the ranked table has no `eligible` column (run with_eligibility first)"
        raise SchemaError(msg)
    kept = ranked[ranked["eligible"].astype(bool)]
    if kept.empty:
        msg = (
            "no area is eligible: none lies in a 3T kabupaten of the list or a priority "
            "location with MSMEs without 4G; drop --eligible-only or give --priority-list"
        )
        raise DataError(msg)
    return kept


def eligibility_summary(shown: pd.DataFrame, ranked: pd.DataFrame, rules: EligibilityRules) -> str:
    """One line for the command line: how many areas are eligible and on which lists.

    ``shown`` is the table written, ``ranked`` the full table with ``eligible``.
    """
    n_all = int(ranked["eligible"].sum())
    total = len(ranked)
    lists = f"3T list {rules.basis} ({len(rules.disadvantaged)} kabupaten)"
    if rules.priority:
        lists += f" + priority list ({len(rules.priority)} locations)"
    written = "" if len(shown) == total else f"; {len(shown):,} written (eligible only)"
    return (
        f"eligibility: {n_all:,} of {total:,} areas eligible for BAKTI ({lists}, with MSMEs "
        f"without 4G){written}"
    )
