"""Lists of areas by Kemendagri code: the 3T list shipped in ``data/``, a user's priority list.

A list is a table (CSV with any delimiter, XLSX or Parquet, read as text so ``12.10`` stays
``12.10``) with a code column (``kode``, ``kode_wilayah``, ``kode_desa``, ``kdepum``, any
case), an optional name column (``nama``, ``nama_wilayah``, ``lokasi``) and a source column
(``sumber`` or ``source``), required for every row: an eligibility basis without a source
would not survive a reviewer.  Codes may be of any level (``12``, ``12.04``, ``12.04.01``,
``12.04.01.2001``).  Every row is either used or the reading stops with the file, row and
column of the problem; a code listed twice keeps one row with both sources.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from infra_gap.errors import SchemaError
from infra_gap.io.files import source_name
from infra_gap.io.tables import read_table

__all__ = ["AREA_CODE_PATTERN", "first_column", "read_area_list"]

#: A dotted Kemendagri code of any level: province, kabupaten, kecamatan or desa.
AREA_CODE_PATTERN = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_CODE = ("kode", "kode_wilayah", "kode_desa", "kode_kec", "kode_kab", "kdepum")
_NAME = ("nama", "nama_wilayah", "lokasi", "name")
_SOURCE = ("sumber", "source")
_META = ("dasar_hukum", "periode", "catatan")


def first_column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` that is a column of ``frame`` (any case, spaces trimmed)."""
    lower = {str(c).strip().lower(): c for c in frame.columns}
    return next((str(lower[n]) for n in names if n in lower), None)


def _join(values: pd.Series) -> str:
    """Sources of a code listed more than once, each once, in file order."""
    return "; ".join(dict.fromkeys(str(v) for v in values))


def read_area_list(source: Path | bytes, *, name: str | None = None) -> pd.DataFrame:
    """Read a list of areas.

    Parameters
    ----------
    source
        A path, or the bytes of an upload.
    name
        File name of uploaded bytes (picks the reader; used in messages).

    Returns
    -------
    DataFrame with ``kode``, ``nama`` (blank when not given), ``sumber``, ``dasar_hukum``,
    ``periode`` and ``catatan`` (blank when not given), one row per code, in file order.

    Raises
    ------
    SchemaError
        No code or source column, an empty list, a malformed code or a blank source; the
        message names the file, the row (line of a CSV, header = 1) and the column.
    InputFileError
        The file is missing or not a table.
    """
    label = source_name(source, name)
    frame = read_table(source, name=name)
    code_col, source_col = first_column(frame, _CODE), first_column(frame, _SOURCE)
    if code_col is None or source_col is None:
        missing = [w for w, c in (("kode", code_col), ("sumber", source_col)) if c is None]
        msg = (
            f"{label}: column(s) {missing} missing; a list needs a code column "
            f"({', '.join(_CODE)}) and a source column ({', '.join(_SOURCE)}); "
            f"found {[str(c) for c in frame.columns]}"
        )
        raise SchemaError(msg)
    if frame.empty:
        msg = f"{label}: the list has no rows"
        raise SchemaError(msg)
    text = frame.astype("str").apply(lambda s: s.str.strip())
    codes, sources = text[code_col], text[source_col]
    for i, (code, src) in enumerate(zip(codes, sources, strict=True)):
        if not AREA_CODE_PATTERN.match(code):
            msg = (
                f"{label}: row {i + 2}, column {code_col!r}: {code!r} is not a Kemendagri code "
                "such as 12.04, 12.04.01 or 12.04.01.2001"
            )
            raise SchemaError(msg)
        if src in {"", "nan", "None"}:
            msg = f"{label}: row {i + 2}, column {source_col!r}: the source is blank"
            raise SchemaError(msg)
    name_col = first_column(frame, _NAME)
    out = pd.DataFrame(
        {
            "kode": codes.to_numpy(),
            "nama": text[name_col].to_numpy() if name_col else "",
            "sumber": sources.to_numpy(),
        }
    )
    for meta in _META:
        col = first_column(frame, (meta,))
        out[meta] = text[col].to_numpy() if col else ""
    merged = out.groupby("kode", sort=False).agg(
        {
            "nama": "first",
            "sumber": _join,
            **dict.fromkeys(_META, "first"),
        }
    )
    return merged.reset_index()
