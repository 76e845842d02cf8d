"""A Podes-style desa table of mobile signal classes (BPS Potensi Desa).

BPS's village census (Podes) records for every desa/kelurahan the mobile-phone signal in
four classes: *sinyal sangat kuat*, *sinyal kuat*, *sinyal lemah*, *tidak ada sinyal*
(BPS Podes 2020 and 2021, "Banyaknya Desa/Kelurahan Menurut Keberadaan Sinyal Telepon
Seluler", as published by databoks, 5 Nov 2021 and 2022: 5,158 of 84,096 desa without a
signal in 2021; Podes 2024 keeps the four classes, databoks 2025).  The questionnaire's own
item number and answer codes are not reproduced here (not checked against the printed
form), so the table gives the class **in words**.

A table (CSV with any delimiter, XLSX or Parquet, read as text) has:

* a desa code column: ``kode``, ``kode_desa``, ``kode_wilayah`` or ``kdepum`` (any case),
  a dotted Kemendagri desa code such as ``12.04.01.2001``; a 10-digit BPS code is refused
  with the advice to give the Kemendagri code (the two systems differ);
* a class column: ``sinyal``, ``kondisi_sinyal``, ``sinyal_telepon``, ``signal`` or
  ``signal_class``: ``sangat kuat``, ``kuat``, ``lemah``, ``tidak ada sinyal`` (any case,
  an optional leading ``sinyal``; ``tidak ada`` too) or ``very strong``, ``strong``,
  ``weak``, ``none``.

Every row is used or the reading stops naming the file, row (line, header = 1) and column;
a code listed twice with two different classes is an error, twice with one class is kept
once.  Size budgets are those of :func:`infra_gap.io.tables.read_table`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from infra_gap.errors import SchemaError
from infra_gap.io.area_lists import first_column
from infra_gap.io.files import source_name
from infra_gap.io.tables import read_table

__all__ = ["PODES_CLASSES", "read_podes"]

#: Signal classes, strongest first (stable names written in no column, used by the code).
PODES_CLASSES = ("sangat_kuat", "kuat", "lemah", "tidak_ada")
_CODE = ("kode", "kode_desa", "kode_wilayah", "kdepum")
_CLASS = ("sinyal", "kondisi_sinyal", "sinyal_telepon", "signal", "signal_class")
_DESA = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")
_BPS = re.compile(r"^\d{10}$")
_WORDS = {
    "sangat kuat": "sangat_kuat",
    "kuat": "kuat",
    "lemah": "lemah",
    "tidak ada sinyal": "tidak_ada",
    "tidak ada": "tidak_ada",
    "very strong": "sangat_kuat",
    "strong": "kuat",
    "weak": "lemah",
    "none": "tidak_ada",
    "no signal": "tidak_ada",
}


def _class_of(value: str) -> str | None:
    text = " ".join(value.strip().lower().replace("_", " ").split())
    text = text.removeprefix("sinyal ") if text != "sinyal" else text
    return _WORDS.get(text)


def read_podes(source: Path | bytes, *, name: str | None = None) -> pd.DataFrame:
    """Read a Podes-style desa table.

    Parameters
    ----------
    source
        A path, or the bytes of an upload.
    name
        File name of uploaded bytes (picks the reader; used in messages).

    Returns
    -------
    DataFrame with ``kode`` (desa code), ``signal`` (one of :data:`PODES_CLASSES`) and
    ``row`` (the line in the file), one row per desa, in file order.

    Raises
    ------
    SchemaError
        No code or class column, no rows, a code that is not a desa code, a class not
        in the list, or one desa with two classes; the message names file, row and column.
    InputFileError, LimitError
        The file is missing, not a table, or over a size budget.
    """
    label = source_name(source, name)
    frame = read_table(source, name=name)
    code_col, class_col = first_column(frame, _CODE), first_column(frame, _CLASS)
    if code_col is None or class_col is None:
        missing = [w for w, c in (("kode", code_col), ("sinyal", class_col)) if c is None]
        msg = (
            f"{label}: column(s) {missing} missing; a Podes table needs a desa code column "
            f"({', '.join(_CODE)}) and a signal class column ({', '.join(_CLASS)}); found "
            f"{[str(c) for c in frame.columns]}"
        )
        raise SchemaError(msg)
    if frame.empty:
        msg = f"{label}: the Podes table has no rows"
        raise SchemaError(msg)
    codes = frame[code_col].astype("str").str.strip().to_numpy()
    values = frame[class_col].astype("str").to_numpy()
    signal: list[str] = []
    for i, (code, value) in enumerate(zip(codes, values, strict=True)):
        where = f"{label}: row {i + 2}"
        if not _DESA.match(code):
            hint = (
                " (a BPS code: give the Kemendagri desa code, e.g. the boundary file's KDEPUM)"
                if _BPS.match(code)
                else ""
            )
            msg = (
                f"{where}, column {code_col!r}: {code!r} is not a desa code such as "
                f"12.04.01.2001{hint}"
            )
            raise SchemaError(msg)
        found = _class_of(str(value))
        if found is None:
            msg = (
                f"{where}, column {class_col!r}: {str(value)[:40]!r} is not a Podes signal class; "
                "expected sangat kuat, kuat, lemah or tidak ada sinyal (in words)"
            )
            raise SchemaError(msg)
        signal.append(found)
    out = pd.DataFrame({"kode": codes, "signal": signal, "row": range(2, len(codes) + 2)})
    classes = out.groupby("kode", sort=False)["signal"].nunique()
    if (classes > 1).any():
        code = str(classes.index[classes > 1][0])
        rows = out.loc[out["kode"] == code, "row"].tolist()
        msg = f"{label}: rows {rows}, column {class_col!r}: desa {code} has two signal classes"
        raise SchemaError(msg)
    return out.drop_duplicates("kode", keep="first").reset_index(drop=True)
