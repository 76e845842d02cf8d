"""The one text catalogue, in Bahasa Indonesia (default) and English, and its one lookup.

Every text a user reads comes from :data:`TEXT` through :func:`t`: the app's (keys without a
prefix) and the outputs' (``dossier.``, ``checklist.``, ``xlsx.``, ``export.``, ``col.``,
``gpkg.``, ``unc.`` keys).  The sections are written in the modules of this package; a key
defined twice stops the import.  One rule for a missing text: an unknown key or language
raises ``KeyError`` (a bug, never a silent blank or another language).

Numbers are formatted per language: ``1.166.918`` and ``12,5%`` in Indonesian.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from infra_gap.text.app import APP_TEXT
from infra_gap.text.dossier import CHECKLIST_TEXT, DOSSIER_TEXT
from infra_gap.text.exports import COLUMN_TEXT, EXPORT_TEXT, LAYER_TEXT, XLSX_TEXT
from infra_gap.text.map import MAP_TEXT
from infra_gap.text.ui_core import UI_CORE_TEXT
from infra_gap.text.ui_panels import UI_PANELS_TEXT
from infra_gap.text.uncertainty import UNCERTAINTY_TEXT
from infra_gap.text.workload import WORKLOAD_TEXT

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "PROVINCE_NAMES",
    "TEXT",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "t",
]

LANGS: tuple[str, ...] = ("id", "en")
DEFAULT_LANG = "id"


def _pairs(prefix: str, table: Mapping[str, tuple[str, str]]) -> dict[str, Mapping[str, str]]:
    """A section written as (Indonesian, English) pairs, its keys prefixed ``prefix.``."""
    return {f"{prefix}.{key}": {"id": ind, "en": eng} for key, (ind, eng) in table.items()}


def _merge(*sections: Mapping[str, Mapping[str, str]]) -> Mapping[str, Mapping[str, str]]:
    """One read-only catalogue from its sections; a key in two sections is a bug."""
    merged: dict[str, Mapping[str, str]] = {}
    for section in sections:
        for key, texts in section.items():
            if key in merged:
                msg = f"text catalogue: the key {key!r} is defined twice"
                raise ValueError(msg)
            merged[key] = MappingProxyType(dict(texts))
    return MappingProxyType(merged)


TEXT: Mapping[str, Mapping[str, str]] = _merge(
    UI_CORE_TEXT,
    UI_PANELS_TEXT,
    APP_TEXT,
    MAP_TEXT,
    WORKLOAD_TEXT,
    _pairs("dossier", DOSSIER_TEXT),
    _pairs("checklist", CHECKLIST_TEXT),
    _pairs("xlsx", XLSX_TEXT),
    _pairs("export", EXPORT_TEXT),
    _pairs("col", COLUMN_TEXT),
    _pairs("gpkg", LAYER_TEXT),
    _pairs("unc", UNCERTAINTY_TEXT),
)


#: The 38 provinces by Kemendagri code (Kepmendagri 100.1.1-6117/2022); proper names, the
#: same in both languages.  The national workload only uses the codes: its areas are synthetic.
PROVINCE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "11": "Aceh",
        "12": "Sumatera Utara",
        "13": "Sumatera Barat",
        "14": "Riau",
        "15": "Jambi",
        "16": "Sumatera Selatan",
        "17": "Bengkulu",
        "18": "Lampung",
        "19": "Kepulauan Bangka Belitung",
        "21": "Kepulauan Riau",
        "31": "DKI Jakarta",
        "32": "Jawa Barat",
        "33": "Jawa Tengah",
        "34": "DI Yogyakarta",
        "35": "Jawa Timur",
        "36": "Banten",
        "51": "Bali",
        "52": "Nusa Tenggara Barat",
        "53": "Nusa Tenggara Timur",
        "61": "Kalimantan Barat",
        "62": "Kalimantan Tengah",
        "63": "Kalimantan Selatan",
        "64": "Kalimantan Timur",
        "65": "Kalimantan Utara",
        "71": "Sulawesi Utara",
        "72": "Sulawesi Tengah",
        "73": "Sulawesi Selatan",
        "74": "Sulawesi Tenggara",
        "75": "Gorontalo",
        "76": "Sulawesi Barat",
        "81": "Maluku",
        "82": "Maluku Utara",
        "91": "Papua",
        "92": "Papua Barat",
        "93": "Papua Selatan",
        "94": "Papua Tengah",
        "95": "Papua Pegunungan",
        "96": "Papua Barat Daya",
    }
)


def t(key: str, lang: str, *, sections: Sequence[str] = ()) -> str:
    """The text for ``key`` in ``lang`` (``"id"`` or ``"en"``).

    ``sections``: key prefixes tried in order (``("dossier", "export")`` finds
    ``dossier.<key>``, else ``export.<key>``); without them ``key`` is the whole key.

    Raises
    ------
    KeyError
        For an unknown key (in every section given) or language: a missing string is a bug,
        never a silent blank.
    """
    for section in sections:
        texts = TEXT.get(f"{section}.{key}")
        if texts is not None:
            return texts[lang]
    if sections:
        msg = f"{key!r} in none of the sections {list(sections)}"
        raise KeyError(msg)
    return TEXT[key][lang]


#: Python's grouped format (``1,234.5``) in Indonesian: ``1.234,5``.
_ID_SEPARATORS = str.maketrans({",": ".", ".": ","})


def fmt_num(value: float, lang: str, *, decimals: int = 0) -> str:
    """A number with the language's separators; missing values print as an en dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    text = f"{abs(value):,.{decimals}f}"
    if lang == "id":
        text = text.translate(_ID_SEPARATORS)
    # A negative value that rounds to zero prints without its sign.
    return ("-" if value < 0 and text.strip("0.,") else "") + text


def fmt_int(value: float, lang: str) -> str:
    """An integer with thousands separators: ``1.166.918`` (id), ``1,166,918`` (en)."""
    return fmt_num(value, lang, decimals=0)


def fmt_pct(share: float, lang: str, *, decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage: ``12,5%`` (id), ``12.5%`` (en)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "\u2013"
    return fmt_num(100.0 * share, lang, decimals=decimals) + "%"
