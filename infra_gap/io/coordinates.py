"""Coordinates from text: a decimal point or comma, never guessed; the usual column names.

:func:`parse_coordinate` is the rule; :func:`coordinate_array` applies it fast to columns of
plain decimals (in Arrow), and falls back to the rule for anything else.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LAT_COLUMNS", "LON_COLUMNS", "coordinate_array", "parse_coordinate"]

LAT_COLUMNS = ("lat", "latitude", "lintang", "y")
LON_COLUMNS = ("lon", "lng", "long", "longitude", "bujur", "x")
#: Plain decimal text (after trimming and a decimal comma made a point): parsed in Arrow.
_PLAIN_NUMBER = r"^[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?$"


def parse_coordinate(values: pd.Series) -> pd.Series:
    """Numbers from text with a decimal point or comma; NaN where the text is not a number.

    ``"3,5912"`` and ``"3.5912"`` both give 3.5912.  Text with both separators (thousands
    grouping), words, ``inf`` or ``nan`` give NaN, so the row is rejected, never guessed.
    """
    text = values.astype("str").str.strip().str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    return numbers.where(np.isfinite(numbers))


def coordinate_array(values: pd.Series) -> np.ndarray:
    """:func:`parse_coordinate` as an array, fast for columns of plain decimals.

    A column whose every text Arrow parses as a number (the usual case: plain decimals) is
    taken from Arrow's cast whole, which rounds exactly as :func:`pandas.to_numeric`; the
    only other spellings Arrow accepts are of nan and inf, which give NaN either way.
    Otherwise text that is a plain decimal number is parsed in Arrow; any other text goes
    through :func:`parse_coordinate` itself, so the paths cannot disagree on what is a number.
    A float64 column (Parquet) is taken as it is: its text (the shortest repr) would parse
    back to the same numbers, and inf or NaN to NaN.
    """
    if values.dtype == np.float64:
        numbers = values.to_numpy(dtype="float64", copy=True)
        numbers[~np.isfinite(numbers)] = np.nan
        return numbers
    raw = pa.array(values.astype("str").array)
    try:  # Arrow accepts plain decimals and nan/inf spellings (NaN here, as by the rule)
        whole = pc.cast(raw, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a blank, a comma, a word
        pass
    else:
        out = np.array(whole, dtype="float64")  # writable (nulls: NaN)
        out[~np.isfinite(out)] = np.nan
        return out
    plain = pc.fill_null(pc.match_substring_regex(raw, _PLAIN_NUMBER), False)
    every = bool(pc.all(plain).as_py()) if len(raw) else True
    if every:  # plain numbers have no blank and no comma: trimming would change nothing
        text = raw
    else:
        text = pc.replace_substring(pc.utf8_trim_whitespace(raw), ",", ".")
        plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN_NUMBER), False)
    plain_np = np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool)
    out = np.full(len(values), np.nan)
    try:
        numbers = pc.cast(text if every else pc.filter(text, plain), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # e.g. out of float range
        plain_np[:] = False
    else:
        out[plain_np] = numbers.to_numpy(zero_copy_only=False)
    if not plain_np.all():
        rest = ~plain_np
        out[rest] = parse_coordinate(values[rest]).to_numpy(dtype="float64")
    out[~np.isfinite(out)] = np.nan
    return out
