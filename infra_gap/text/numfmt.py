"""One number format per quantity, on the page, in the PDF and in the XLSX (issue #19, item 5).

A planner saw one area's figures as 0.5106, 0,817, 96,3% and 96% in different places. Every
front end now asks this module how a quantity is written:

* the priority score and the contributions: 3 decimals (``0,817`` / ``0.817``);
* shares (unit ``%``, stored as 0-1): a percentage with 1 decimal (``96,3%`` / ``96.3%``);
* the top-N share of the stability draws: a whole percentage (``80%``);
* counts (MSMEs, tests, towers, cells, operators), ranks, flags and milliseconds: whole
  numbers with thousands separators (``4.894`` / ``4,894``);
* speeds (Mbps): 1 decimal;
* every other measure (km, people per km2, ...): 1 decimal below 10, none from 10
  (``4,2 km``, ``41 km``); the XLSX gets the same rule as a conditional number format.

Separators follow the language (:func:`infra_gap.text.i18n.fmt_num`): Indonesian ``.`` for
thousands and ``,`` for decimals, English the reverse. The XLSX gets the same decimals as
Excel number formats (:func:`excel_format`); Excel shows them with the reader's own
separators.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from infra_gap.registry import INDICATORS
from infra_gap.text.i18n import fmt_num

__all__ = ["decimals", "excel_format", "fmt_value", "fmt_values", "is_share"]

_COUNT_UNITS = frozenset({"UMKM", "tes", "menara", "sel", "operator", "0/1", "ms"})
_WHOLE = frozenset({"rank", "rank_low", "rank_high", "tier", "island", "msme_total"})
_THREE = frozenset({"score"})
_WHOLE_FROM = 10.0  # measures from this size are written without decimals


def is_share(name: str) -> bool:
    """True when `name` is a share in [0, 1] written as a percentage."""
    return name == "top_n_share" or (name in INDICATORS and INDICATORS[name].unit == "%")


def decimals(name: str, value: float | None = None) -> int:
    """Decimals of quantity `name` (an output column or indicator name) for `value`."""
    if name in _THREE or name.startswith("contrib_"):
        return 3
    if name == "top_n_share" or name in _WHOLE:
        return 0
    unit = INDICATORS[name].unit if name in INDICATORS else ""
    if unit in _COUNT_UNITS:
        return 0
    if unit == "Mbps" or is_share(name) or value is None:
        return 1
    return 0 if abs(value) >= _WHOLE_FROM else 1


def _by_size(name: str) -> bool:
    """True for measures written with 1 decimal below 10 and none from 10."""
    return decimals(name, _WHOLE_FROM) != decimals(name, 0.0)


def fmt_value(name: str, value: float | None, lang: str) -> str:
    """`value` of quantity `name` as text in `lang`; missing values as an en dash."""
    if value is None:
        return "\u2013"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(number):
        return "\u2013"
    if is_share(name):
        return fmt_num(100.0 * number, lang, decimals=decimals(name)) + "%"
    return fmt_num(number, lang, decimals=decimals(name, number))


def fmt_values(name: str, values: Iterable[object], lang: str) -> list[str]:
    """:func:`fmt_value` of each of `values`: the same texts, several times faster.

    A table of the province's 6,110 desa writes some 80,000 figures per page run.
    """
    share, places, by_size = is_share(name), decimals(name), _by_size(name)
    out = []
    for value in values:
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            out.append("\u2013" if value is None else str(value))
            continue
        if math.isnan(number):
            out.append("\u2013")
            continue
        if share:
            number *= 100.0
        d = (0 if abs(number) >= _WHOLE_FROM else 1) if by_size else places
        out.append(fmt_num(number, lang, decimals=d) + ("%" if share else ""))
    return out


def excel_format(name: str) -> str:
    """The Excel number format of quantity `name`, with the same decimals as the page."""
    places = decimals(name)
    frac = "." + "0" * places if places else ""
    if is_share(name):
        return f"0{frac}%"
    if _by_size(name):
        return f"[<{_WHOLE_FROM:g}]#,##0.0;#,##0"
    if name in {"score", "rank", "rank_low", "rank_high", "island"} or name.startswith("contrib_"):
        return f"0{frac}"
    return f"#,##0{frac}"
