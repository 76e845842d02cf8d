"""A figure or a tier as the dossier prints it, in the dossier's language."""

from __future__ import annotations

from typing import Any

import pandas as pd

from infra_gap.outputs.dossier.text import tr
from infra_gap.outputs.views import fmt_indicator

__all__ = ["fmt_figure", "tier_label"]


def fmt_figure(name: str, value: Any, lang: str) -> str:
    """An indicator's value with its unit, as the tables print it."""
    return fmt_indicator(name, float(value), lang)


def tier_label(value: Any, lang: str) -> str:
    """``Prioritas N`` / ``Priority N``, or "" without a tier."""
    return "" if value is None or pd.isna(value) else tr("tier", lang).format(t=int(value))
