r"""Text from files made safe to print: no control bytes, no screens of binary garbage.

A PNG renamed ``.csv`` made the table reader's error quote the file's bytes, and those
reached the page and the terminal as they were. :func:`printable` writes every control or
unassigned character as an escape (``\\x0e``), shortens long runs of them, and caps the
length; :func:`binary_kind` tells a binary file from a text one before parsing.
"""

from __future__ import annotations

import unicodedata

__all__ = ["binary_kind", "printable"]

#: File signatures of binary formats an office might upload by mistake, and their names.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"GIF8", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"SQLite format 3\x00", "SQLite or GeoPackage database"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"PAR1", "Parquet file"),
    (b"\xd0\xcf\x11\xe0", "old Office document (.xls/.doc)"),
    (b"\x1f\x8b", "gzip archive"),
)
_RUN = 8  # escaped characters shown in a row before the rest of the run is counted


def binary_kind(data: bytes) -> str | None:
    """What a binary file is ("PNG image", "binary data"), or None for text.

    Known signatures first; otherwise a NUL byte, or over 10% control bytes other than tab,
    newline and carriage return, in the first 8 KiB mean binary.
    """
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text (its BOM): the text decoder says what it makes of it
    head = data[:8192]
    if b"\x00" in head:
        return "binary data"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return "binary data" if head and controls > len(head) // 10 else None


def _escaped(char: str) -> str | None:
    if char in "\n\t" or char == " ":
        return None
    category = unicodedata.category(char)
    if category[0] in "CZ" and category != "Zs":
        code = ord(char)
        return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"
    return None


def printable(text: str, *, limit: int = 400) -> str:
    """`text` with control, format, unassigned and private-use characters escaped.

    Runs of more than a few such characters keep the first ones and say how many were left
    out; the result is cut at `limit` characters (with ``…``).
    """
    out: list[str] = []
    run = 0
    hidden = 0
    for char in str(text):
        esc = _escaped(char)
        if esc is None:
            if hidden:
                out.append(f"[{hidden} more non-text characters]")
                hidden = 0
            run = 0
            out.append(char)
            continue
        run += 1
        if run <= _RUN:
            out.append(esc)
        else:
            hidden += 1
    if hidden:
        out.append(f"[{hidden} more non-text characters]")
    result = "".join(out)
    return result if len(result) <= limit else result[: limit - 1] + "\u2026"
