"""The dossier's text lookup :func:`tr`; the texts are in :mod:`infra_gap.text.dossier`."""

from __future__ import annotations

from infra_gap.text.dossier import DOSSIER_TEXT
from infra_gap.text.i18n import t

__all__ = ["DOSSIER_TEXT", "tr"]


def tr(key: str, lang: str) -> str:
    """A dossier text in ``lang`` (``dossier.<key>``, else the shared ``export.<key>``)."""
    return t(key, lang, sections=("dossier", "export"))
