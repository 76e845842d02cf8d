"""File sizes in the UI language, for every download button's label."""

from __future__ import annotations

from infra_gap.text.i18n import fmt_int, fmt_num


def fmt_size(n: int, lang: str) -> str:
    """A file size: ``12,5 kB``, ``3,2 MB`` (Indonesian)."""
    if n < 1000:
        return f"{fmt_int(n, lang)} B"
    if n < 1_000_000:
        return f"{fmt_num(n / 1e3, lang, decimals=1)} kB"
    return f"{fmt_num(n / 1e6, lang, decimals=1)} MB"
