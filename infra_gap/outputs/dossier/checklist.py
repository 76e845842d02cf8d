"""The readiness checklist of a BAKTI proposal: its fields, a checklist file, and 3T status.

A BAKTI BTS request needs a 3T or priority location (Perpres 63/2020), a blank spot, land
the local government grants or owns, and someone named to guard the site (BAKTI SINYAL
requirements as reported by wantimpres.go.id and CNN Indonesia; ``domain.md``).  A site
also needs power (PLN or solar: BAKTI sites run on solar, hybrid or PLN) and road or sea
access for building and maintenance, and the request goes with a letter from the
Bupati/Wali Kota (proposals are collected from district heads, inet.detik.com d-4747529).

The checklist file (``infra-gap dossier --checklist FILE.toml``; the app fills the same
fields)::

    [[area]]
    kode = "12.14.31"
    lahan = "Tanah desa 20 x 20 m, Dusun II"
    lahan_hibah = "Akta hibah No. 12/2025, 3 Maret 2025"
    listrik = "PLN 1.300 VA, 150 m dari lokasi"
    akses = "Jalan desa beraspal; dermaga 2 km"
    penjaga = "Budi Zebua, Kepala Dusun II"
    surat_usulan = "Surat Bupati Nias Selatan No. 555/123/2025"

A JSON file ``{"12.14.31": {"lahan": "..."}}`` (the earlier format) is read too.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from infra_gap.errors import DataError
from infra_gap.text.dossier import CHECKLIST_TEXT

__all__ = [
    "CHECKLIST_FIELDS",
    "CHECKLIST_TEXT",
    "THREE_T",
    "THREE_T_BASIS",
    "checklist_entries",
    "status_3t",
]

#: The fields a user fills in, per area code.
CHECKLIST_FIELDS = tuple(CHECKLIST_TEXT)
#: The legal basis of the 3T list, as printed.
THREE_T_BASIS = (
    "Peraturan Presiden Nomor 63 Tahun 2020 tentang Penetapan Daerah Tertinggal Tahun "
    "2020-2024 (Perpres 63/2020)"
)
#: The 3T kabupaten of Sumatera Utara in Perpres 63/2020 (2020-2024; setkab.go.id, 11 May
#: 2020; medcom.id and sulselsatu.com, 8 May 2020).  The period ended in 2024: replace the
#: list when the next regulation is issued.  A ranked table's ``eligible_basis`` column
#: (:mod:`infra_gap.ranking.eligibility`, from the shipped list) is used instead when present.
THREE_T: Mapping[str, str] = MappingProxyType(
    {
        "12.04": "Kabupaten Nias",
        "12.14": "Kabupaten Nias Selatan",
        "12.24": "Kabupaten Nias Utara",
        "12.25": "Kabupaten Nias Barat",
    }
)
_MAX_TEXT = 2000  # characters per entry


def status_3t(code: str, lang: str, *, basis: str = "") -> str:
    """The 3T status of an area by its code, with the legal basis; ``basis`` wins when given.

    ``basis`` is the ranked table's ``eligible_basis`` (the eligibility check's words).
    """
    if basis.strip():
        return f"{basis.strip()} ({THREE_T_BASIS})" if "63/2020" not in basis else basis.strip()
    kab = ".".join(code.split(".")[:2])
    if kab in THREE_T:
        if lang == "id":
            return f"Ya: {THREE_T[kab]} termasuk daerah tertinggal menurut {THREE_T_BASIS}."
        return f"Yes: {THREE_T[kab]} is a disadvantaged region under {THREE_T_BASIS}."
    if lang == "id":
        return (
            f"Tidak: kabupaten {kab} tidak tercantum dalam {THREE_T_BASIS}; perlu bukti "
            "lokasi prioritas (lokpri)."
        )
    return f"No: kabupaten {kab} is not listed in {THREE_T_BASIS}; needs a priority-location basis."


def checklist_entries(doc: Any, *, source: str) -> dict[str, dict[str, str]]:
    """Checklist entries per area code from a parsed checklist file (TOML or JSON).

    Raises
    ------
    DataError
        Naming ``source``, the area and the key: for a wrong shape, an unknown field, a
        value that is not text, an area without ``kode`` or given twice.
    """
    if isinstance(doc, dict) and "area" in doc:
        rows = doc["area"]
        if set(doc) != {"area"} or not isinstance(rows, list):
            msg = f"{source}: expected only [[area]] tables, got keys {sorted(doc)}"
            raise DataError(msg)
    elif isinstance(doc, dict):  # the JSON form {code: {field: text}}
        rows = [{"kode": k, **v} if isinstance(v, dict) else v for k, v in doc.items()]
    else:
        msg = f"{source}: expected [[area]] tables with `kode` and checklist fields"
        raise DataError(msg)
    out: dict[str, dict[str, str]] = {}
    for i, row in enumerate(rows, start=1):
        where = f"{source}: area {i}"
        if not isinstance(row, dict) or not isinstance(row.get("kode"), str):
            msg = f'{where}: needs `kode` as text (e.g. kode = "12.14.31")'
            raise DataError(msg)
        kode = row["kode"].strip()
        if kode in out:
            msg = f"{where}: area {kode} is given twice"
            raise DataError(msg)
        entry: dict[str, str] = {}
        for key, value in row.items():
            if key == "kode":
                continue
            if key not in CHECKLIST_TEXT:
                msg = f"{where} ({kode}): unknown field `{key}`; allowed: {list(CHECKLIST_FIELDS)}"
                raise DataError(msg)
            if not isinstance(value, str):
                msg = f"{where} ({kode}): `{key}` must be text, got {value!r}"
                raise DataError(msg)
            entry[key] = value[:_MAX_TEXT]
        out[kode] = entry
    return out
