"""Which columns of a boundary layer hold the area code and the area name.

Office files carry several candidates: a BIG RBI kecamatan layer has ``KDCPUM`` (its code),
``KDPKAB`` (its kabupaten's code), ``NAMOBJ`` or ``WADMKC`` (its name) and ``WADMKK``,
``WADMPR`` (its kabupaten's and province's names).  A column is chosen by its values, not
only its name:

* **Code**: the candidate whose values are unique, one per polygon; among those, one whose
  values look like area codes (:mod:`infra_gap.codes`); then the first in
  :data:`ID_COLUMNS` order.  Two unique code columns that disagree are reported.
* **Name**: a candidate that is the same within each parent area (grouping the polygons
  by their code's parent, e.g. ``12.01`` for ``12.01.01``) is a parent's name and is set
  aside; among the rest, the one with the most different values; then the first in
  :data:`NAME_COLUMNS` order.  Two candidates that vary as much but disagree are reported.

``--id-col``/``--name-col`` override.  Every choice comes with a line saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from infra_gap.codes import code_level, parent_code

__all__ = ["ID_COLUMNS", "NAME_COLUMNS", "AreaColumns", "ColumnChoice", "detect_area_columns"]

#: Area-code columns, most specific first (Kemendagri, BPS, BIG RBI, HDX COD-AB conventions).
#: BIG RBI: KDEPUM/KDCPUM/KDPKAB/KDPPUM are the desa/kecamatan/kabupaten/province codes.
ID_COLUMNS = (
    "kode", "kode_desa", "kode_kec", "kode_kab", "kdepum", "kdcpum", "kddesa", "kdkec",
    "kdpkab", "kdkab", "kode_wilayah", "idkec", "iddesa", "adm4_pcode", "adm3_pcode",
    "adm2_pcode", "pcode", "kdppum", "kode_prov", "id",
)  # fmt: skip
#: Area-name columns, most specific first.  BIG RBI: NAMOBJ is the object's own name;
#: WADMKD/WADMKC/WADMKK/WADMPR are the names of the desa/kecamatan/kabupaten/province.
NAME_COLUMNS = (
    "nama", "nama_desa", "nama_kec", "namobj", "nmdesa", "nmkec", "wadmkd", "wadmkc",
    "desa", "kecamatan", "adm4_en", "adm3_en", "nama_kab", "nmkab", "wadmkk", "kabupaten",
    "adm2_en", "wadmpr", "nama_prov", "name",
)  # fmt: skip

#: Share of a candidate's values that must look like area codes for it to count as codes.
_CODE_SHAPED = 0.9
#: A runner-up name column this close (in different values) to the best is a real choice.
_CLOSE = 0.9


@dataclass(frozen=True)
class ColumnChoice:
    """One chosen column, why, and what was doubtful.

    Attributes
    ----------
    column
        The chosen column, or None when there is no candidate.
    reason
        Why it was chosen (one line, for the report).
    warnings
        Doubts about the choice (ambiguous or conflicting candidates).
    """

    column: str | None
    reason: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaColumns:
    """The code and the name column of a boundary layer."""

    code: ColumnChoice
    name: ColumnChoice

    def notes(self, source: str) -> tuple[str, ...]:
        """Report lines: the choices, then each warning (``warning: ...``)."""
        lines = [f"{source}: code column {self.code.reason}; name column {self.name.reason}"]
        lines += [f"warning: {source}: {w}" for w in (*self.code.warnings, *self.name.warnings)]
        return tuple(lines)


def _text(values: pd.Series) -> pd.Series:
    """Values as stripped text, missing as NA (whole floats lose their ``.0``)."""
    if pd.api.types.is_float_dtype(values):
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        known = arr[~np.isnan(arr)]
        if len(known) and (known == np.round(known)).all() and (np.abs(known) < 2**53).all():
            values = values.astype("Int64")
    out = values.astype("string").str.strip()
    return out.mask(out == "")


def _candidates(columns: pd.Index, names: tuple[str, ...]) -> list[str]:
    lower: dict[str, str] = {}
    for c in columns:
        lower.setdefault(str(c).lower(), str(c))
    return [lower[n] for n in names if n in lower]


def _example(a: pd.Series, b: pd.Series, rows: pd.Series) -> str:
    i = int(np.flatnonzero((a != b).fillna(True).to_numpy())[0])
    return f"row {rows.iloc[i]}: {a.iloc[i]!r} vs {b.iloc[i]!r}"


def _choose_code(gdf: pd.DataFrame, candidates: list[str], rows: pd.Series) -> ColumnChoice:
    n = len(gdf)
    stats = []
    for col in candidates:
        text = _text(gdf[col])
        distinct = int(text.nunique(dropna=True))
        unique = distinct == n and not text.isna().any()
        known = text.dropna()
        shaped = known.map(lambda c: code_level(c) is not None).mean() if len(known) else 0.0
        stats.append((col, text, distinct, unique, float(shaped) >= _CODE_SHAPED))
    # Unique first, then code-shaped, then the order of ID_COLUMNS (a stable sort).
    ranked = sorted(stats, key=lambda s: (not s[3], not s[4]))
    col, text, distinct, unique, shaped = ranked[0]
    why = [f"{distinct:,} different values in {n:,} polygons"]
    if shaped:
        why.append("shaped like area codes")
    others = [s for s in ranked[1:] if s[3] == unique and s[4] == shaped]
    same = [s[0] for s in others if text.equals(s[1])]
    if same:
        why.append(f"{', '.join(same)} holds the same codes")
    not_unique = [f"{s[0]} ({s[2]:,} different)" for s in stats if not s[3]]
    if unique and not_unique:
        why.append(f"not {', '.join(not_unique)}: repeated, so a parent's code")
    warnings = []
    for s in others:
        if s[0] not in same:
            warnings.append(
                f"code columns {col} and {s[0]} both fit but disagree "
                f"({_example(text, s[1], rows)}); using {col}: give --id-col to choose"
            )
    if not shaped:
        example = text.dropna().iloc[0] if text.notna().any() else ""
        warnings.append(
            f"code column {col} does not hold area codes like 12.01.01 or 1201010 "
            f"(e.g. {example!r}); give --id-col if another column holds them"
        )
    if not unique:
        warnings.append(
            f"no code column has one value per polygon; using {col} ({distinct:,} different "
            f"values in {n:,} polygons); give --id-col if another column holds the codes"
        )
    return ColumnChoice(col, f"{col} ({'; '.join(why)})", tuple(warnings))


def _parents(codes: pd.Series | None) -> pd.Series | None:
    """Each polygon's parent code, when every code has one."""
    if codes is None or codes.isna().any():
        return None
    parents = codes.map(parent_code)
    return None if parents.isna().any() else parents


def _choose_name(
    gdf: pd.DataFrame, candidates: list[str], codes: pd.Series | None, rows: pd.Series
) -> ColumnChoice:
    parents = _parents(codes)
    groups_with_siblings = parents is not None and parents.duplicated().any()
    stats = []
    for col in candidates:
        text = _text(gdf[col])
        folded = text.str.casefold()
        distinct = int(folded.nunique(dropna=True))
        parent_name = False
        if groups_with_siblings and parents is not None:
            per_parent = folded.groupby(parents.to_numpy()).nunique(dropna=True)
            sizes = parents.value_counts()
            shared = sizes.index[sizes > 1]
            parent_name = bool((per_parent.loc[shared] <= 1).all())
        stats.append((col, text, folded, distinct, parent_name))
    own = [s for s in stats if not s[4]] or stats
    ranked = sorted(own, key=lambda s: -s[3])  # most different values; stable: list order
    col, text, folded, distinct, _ = ranked[0]
    why = [f"{distinct:,} different names in {len(gdf):,} polygons"]
    set_aside = [s[0] for s in stats if s[4] and s[0] != col]
    if set_aside:
        why.append(f"not {', '.join(set_aside)}: the same within each parent area")
    warnings = []
    if own is stats and len(stats) > 1 and groups_with_siblings:
        warnings.append(
            f"every name column is the same within each parent area; using {col}: give "
            "--name-col to choose"
        )
    for s in ranked[1:]:
        if s[3] >= _CLOSE * distinct:
            if s[2].equals(folded):
                why.append(f"{s[0]} holds the same names")
                continue
            differ = int((s[2] != folded).fillna(True).sum())
            warnings.append(
                f"name columns {col} and {s[0]} both vary by area but differ in {differ:,} of "
                f"{len(gdf):,} rows ({_example(text, s[1], rows)}); using {col}: give "
                "--name-col to choose"
            )
    return ColumnChoice(col, f"{col} ({'; '.join(why)})", tuple(warnings))


def detect_area_columns(
    gdf: pd.DataFrame, *, id_col: str | None = None, name_col: str | None = None
) -> AreaColumns:
    """Choose the code and the name column of a boundary layer (see the module docstring).

    Parameters
    ----------
    gdf
        The layer's attribute table (a ``row`` column, when present, numbers the rows in
        messages).
    id_col, name_col
        Given columns (``--id-col``/``--name-col``); a given column that is missing comes
        back as None.

    Returns
    -------
    AreaColumns
        A choice with ``column`` None when nothing fits.
    """
    rows = gdf["row"] if "row" in gdf else pd.Series(np.arange(1, len(gdf) + 1))
    rows = rows.reset_index(drop=True)
    frame = gdf.reset_index(drop=True)
    if id_col is not None:
        code = ColumnChoice(id_col if id_col in frame else None, f"{id_col} (given)")
    else:
        found = _candidates(frame.columns, ID_COLUMNS)
        code = _choose_code(frame, found, rows) if found else ColumnChoice(None, "none found")
    codes = _text(frame[code.column]) if code.column is not None else None
    if name_col is not None:
        name = ColumnChoice(name_col if name_col in frame else None, f"{name_col} (given)")
    else:
        found = _candidates(frame.columns, NAME_COLUMNS)
        name = _choose_name(frame, found, codes, rows) if found else ColumnChoice(None, "none")
    return AreaColumns(code=code, name=name)
