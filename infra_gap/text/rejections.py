"""Rejection reasons in the reader's language.

The readers and the placement stage record each rejected row's reason in English (the
CLI's language, stable for scripts).  Printed outputs in Indonesian translate the known
reasons here; a reason not known here (a library detail) is printed as recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["REASON_ID", "reason_text"]

#: English reason (or its start, before ':' or '(') -> Indonesian.
REASON_ID: Mapping[str, str] = MappingProxyType(
    {
        "outside every area": "di luar semua wilayah",
        "missing coordinate": "koordinat kosong",
        "non-numeric coordinate": "koordinat bukan angka",
        "coordinate out of range": "koordinat di luar rentang",
        "latitude and longitude look swapped": (
            "lintang dan bujur tampaknya tertukar: tukar kolomnya atau pakai --lat-col/--lon-col"
        ),
        "unknown area code": "kode wilayah tidak dikenal (tanpa koordinat)",
        "empty geometry": "geometri kosong",
        "not a polygon": "bukan poligon",
    }
)


def reason_text(reason: str, lang: str) -> str:
    """``reason`` in ``lang``: Indonesian for the known reasons, else as recorded."""
    if lang != "id" or not isinstance(reason, str):
        return reason
    for english, indonesian in REASON_ID.items():
        if reason == english or reason.startswith((f"{english}:", f"{english} (")):
            return indonesian
    return reason
