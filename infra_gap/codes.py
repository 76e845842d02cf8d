"""Administrative codes: which level a code is at, read from its shape.

Kemendagri codes have dots and fixed segment widths (domain.md, "Areas and codes"):
province ``12``, kabupaten/kota ``12.01``, kecamatan ``12.01.01``, desa/kelurahan
``12.01.01.2001`` (Permendagri 72/2019 on area codes and data; Kepmendagri
300.2.2-2138/2025 lists them).  BPS codes (Master File Desa) are plain digits: 2, 4, 7
and 10 of them for province, kabupaten, kecamatan and desa; they are a different
numbering (``data/SOURCES.md``).  Kemendagri codes written without dots have 2, 4, 6 and
10 digits.  HDX COD-AB p-codes add a country prefix (``ID1201010``), removed here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from infra_gap.config import LEVELS
from infra_gap.errors import LevelError

__all__ = [
    "CodeLevels",
    "code_level",
    "code_levels",
    "infer_level",
    "parent_code",
]

#: Dotted Kemendagri codes, by number of segments.
_KEMENDAGRI = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
_KEMENDAGRI_LEVEL = {1: "provinsi", 2: "kabupaten", 3: "kecamatan", 4: "desa"}
#: Plain-digit codes, by length: BPS (2/4/7/10), Kemendagri without dots (6: kecamatan).
_DIGITS_LEVEL = {
    2: ("provinsi", "BPS or Kemendagri"),
    4: ("kabupaten", "BPS or Kemendagri"),
    6: ("kecamatan", "Kemendagri without dots"),
    7: ("kecamatan", "BPS"),
    10: ("desa", "BPS or Kemendagri"),
}
#: Length of a plain-digit code's parent, by its length.
_DIGITS_PARENT = {4: 2, 6: 4, 7: 4, 10: 7}
_PCODE_PREFIX = re.compile(r"^[A-Za-z]{2}(?=\d)")
#: Example of each level's code, for messages.
EXAMPLES = {
    "provinsi": "12",
    "kabupaten": "12.01 (BPS 1201)",
    "kecamatan": "12.01.01 (BPS 1201010)",
    "desa": "12.01.01.2001 (BPS 1201010001)",
}


def _clean(code: str) -> str:
    return _PCODE_PREFIX.sub("", code.strip())


def code_level(code: str) -> tuple[str, str] | None:
    """The level and the scheme of one code, or None when its shape is not known.

    >>> code_level("12.01.01.2001")
    ('desa', 'Kemendagri')
    >>> code_level("1201010")
    ('kecamatan', 'BPS')
    """
    text = _clean(str(code))
    if _KEMENDAGRI.fullmatch(text):
        return _KEMENDAGRI_LEVEL[text.count(".") + 1], "Kemendagri"
    if text.isascii() and text.isdigit():
        return _DIGITS_LEVEL.get(len(text))
    return None


def parent_code(code: str) -> str | None:
    """The code of the area one level up, or None (a province, or an unknown shape)."""
    text = _clean(str(code))
    if _KEMENDAGRI.fullmatch(text):
        return text.rsplit(".", 1)[0] if "." in text else None
    if text.isascii() and text.isdigit() and len(text) in _DIGITS_PARENT:
        return text[: _DIGITS_PARENT[len(text)]]
    return None


@dataclass(frozen=True)
class CodeLevels:
    """What the shapes of a layer's codes say about its level.

    Attributes
    ----------
    counts
        Number of codes per level (``provinsi`` included), most common first.
    schemes
        Schemes seen (``Kemendagri``, ``BPS``, ...).
    examples
        One code per level.
    unknown
        Codes of no known shape (at most 5, for messages), and their number.
    n_unknown
        Number of codes of no known shape.
    """

    counts: dict[str, int]
    schemes: tuple[str, ...]
    examples: dict[str, str]
    unknown: tuple[str, ...]
    n_unknown: int

    @property
    def level(self) -> str | None:
        """The one level of every known code, or None (none known, or several)."""
        return next(iter(self.counts)) if len(self.counts) == 1 else None

    def describe(self) -> str:
        """``93 kecamatan codes (Kemendagri, e.g. 12.01.01)``."""
        parts = [
            f"{n:,} {level} code{'s' * (n != 1)} (e.g. {self.examples[level]})"
            for level, n in self.counts.items()
        ]
        if self.n_unknown:
            parts.append(f"{self.n_unknown:,} of no known shape (e.g. {', '.join(self.unknown)})")
        return "; ".join(parts)


def code_levels(codes: Iterable[object]) -> CodeLevels:
    """Count the codes of each level (missing values are skipped)."""
    counts: dict[str, int] = {}
    schemes: list[str] = []
    examples: dict[str, str] = {}
    unknown: list[str] = []
    n_unknown = 0
    for code in codes:
        if code is None or (not isinstance(code, str) and pd.isna(code)):  # type: ignore[call-overload]
            continue
        text = str(code).strip()
        if not text or text.lower() in {"nan", "none", "<na>"}:
            continue
        found = code_level(text)
        if found is None:
            n_unknown += 1
            if len(unknown) < 5:
                unknown.append(text)
            continue
        level, scheme = found
        counts[level] = counts.get(level, 0) + 1
        examples.setdefault(level, text)
        if scheme not in schemes:
            schemes.append(scheme)
    ordered = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return CodeLevels(ordered, tuple(schemes), examples, tuple(unknown), n_unknown)


def infer_level(codes: Iterable[object], *, name: str, given: str | None = None) -> tuple[str, str]:
    """The level of a layer from its codes, and a line saying how it was found.

    Parameters
    ----------
    codes
        The layer's area codes (text).
    name
        File name, for messages.
    given
        The level the user asked for (``--level``), or None to infer it.  A given level
        always wins; the line then warns when the codes say otherwise.

    Raises
    ------
    LevelError
        Without ``given``: when the codes mix levels, are province codes, or have no
        known shape; the message says what was found and how to fix it.
    """
    found = code_levels(codes)
    choices = " | ".join(LEVELS)
    if given is not None:
        if found.level is not None and found.level != given:
            return given, (
                f"warning: {name}: --level {given} was given, but the codes look like "
                f"{found.describe()}; ranking as {given} as asked (leave --level out to "
                f"rank as {found.level})"
            )
        return given, f"{name}: level {given} (given)"
    if not found.counts:
        msg = (
            f"{name}: cannot tell the level from the area codes ({found.describe()}): they "
            f"are neither Kemendagri codes like {EXAMPLES['kecamatan']} nor BPS codes; give "
            f"--level {choices} (or choose the code column with --id-col)"
        )
        raise LevelError(msg)
    if len(found.counts) > 1:
        msg = (
            f"{name}: the area codes mix levels: {found.describe()}; a boundary layer holds "
            "one level: keep the rows of one level (or choose another code column with "
            f"--id-col), or give --level {choices} to rank them as one"
        )
        raise LevelError(msg)
    level = next(iter(found.counts))
    if level not in LEVELS:
        msg = (
            f"{name}: the area codes are {found.describe()}: province codes; infra-gap ranks "
            f"{', '.join(LEVELS)}: give the boundaries of one of those levels"
        )
        raise LevelError(msg)
    line = (
        f"{name}: level {level}, read from the codes: {found.describe()}, {'/'.join(found.schemes)}"
    )
    if found.n_unknown:
        line = f"warning: {line}; the codes of no known shape are ranked as {level} too"
    return level, line
