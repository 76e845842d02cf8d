"""Any tabular upload as text columns: CSV (sniffed: ``;`` or ``,``, BOM or Latin-1), XLSX, Parquet.

Sizes are checked against the limits (:mod:`infra_gap.io.budget`) before anything is parsed.
"""

from __future__ import annotations

import csv
from io import BytesIO
from pathlib import Path, PurePath

import pandas as pd

from infra_gap.config import Limits
from infra_gap.errors import InputFileError
from infra_gap.hardening import guard_zip
from infra_gap.io import budget
from infra_gap.io.files import require_file, source_name
from infra_gap.text.safe import binary_kind, printable

__all__ = ["Source", "decode_text", "read_bytes", "read_csv_table", "read_table"]

Source = Path | bytes


def read_bytes(source: Source) -> bytes:
    """The bytes of an upload, or of a file (which must exist)."""
    if isinstance(source, bytes):
        return source
    require_file(source)
    return source.read_bytes()


def decode_text(data: bytes) -> tuple[str, str]:
    """Text of a CSV and the encoding used: UTF-8 (with or without BOM), else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "latin-1/cp1252"


def read_table(
    source: Source, *, name: str | None = None, limits: Limits | None = None
) -> pd.DataFrame:
    """Any tabular upload as text columns: CSV (sniffed), XLSX or Parquet.

    Rows, columns (and XLSX cells, Parquet row groups) are checked against ``limits``
    (:func:`infra_gap.io.budget.current_limits` when None) before the table is parsed.
    """
    name = source_name(source, name)
    suffix = PurePath(name).suffix.lower()
    limits = limits or budget.current_limits()
    if isinstance(source, Path):
        require_file(source)
    budget.check_file(source, name, limits)
    data = read_bytes(source)
    if suffix == ".xlsx":
        guard_zip(data, name=name)  # an XLSX is a zip: no decompression bomb reaches openpyxl
        budget.check_xlsx(data, name, limits)
    elif suffix == ".parquet":
        budget.check_parquet(data, name, limits)
    elif suffix in {".csv", ".txt"}:
        budget.check_csv(data, name, limits)
    with budget.reading(name, "a table"):
        return _parse_table(data, suffix, name)


def _parse_table(data: bytes, suffix: str, name: str) -> pd.DataFrame:
    if suffix in {".csv", ".txt"} and (kind := binary_kind(data)) is not None:
        msg = f"{name}: not a text table: the file holds {kind}, not CSV text"
        raise InputFileError(msg)
    try:
        if suffix in {".csv", ".txt"}:
            text, encoding = decode_text(data)
            sample = text[:65536]
            try:
                sep = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
            except csv.Error:
                sep = ","
            utf8 = {"utf-8": data, "utf-8-sig": data[3:]}.get(encoding)  # no copy to re-encode
            return pd.read_csv(
                BytesIO(text.encode("utf-8") if utf8 is None else utf8),
                sep=sep,
                dtype="str",
                keep_default_na=False,
                engine="pyarrow",
            )
        if suffix == ".xlsx":
            return pd.read_excel(
                BytesIO(data), dtype="str", keep_default_na=False, engine="openpyxl"
            )
        if suffix == ".parquet":
            return pd.read_parquet(BytesIO(data))
    except (ValueError, OSError, pd.errors.ParserError) as err:
        msg = f"{name}: cannot be read as a table ({printable(str(err), limit=200)})"
        raise InputFileError(msg) from err
    msg = f"{name}: not an allowed table format (.csv, .xlsx, .parquet or a point layer)"
    raise InputFileError(msg)


def read_csv_table(path: Path, *, dtype: dict[str, str] | None = None) -> pd.DataFrame:
    """Read a shipped UTF-8 reference table."""
    require_file(path)
    return pd.read_csv(path, dtype=dtype, keep_default_na=True)
