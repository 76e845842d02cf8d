"""Each row of a point layer placed in a finest area, or rejected with its reason.

MSMEs go by the placement rule (:mod:`infra_gap.analysis.placement`), by their desa code when
they have no coordinates, and are reported as swapped when latitude and longitude, swapped,
fall in an area; Podes rows go by their desa code's prefix.  :func:`account_rows` turns the
unplaced rows of any layer into a row account and rejected rows (rows in = used + rejected).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.analysis.join_crs import JoinSpace
from infra_gap.analysis.point_chunks import place_in_chunks
from infra_gap.layers import REJECTED_COLUMNS, Layers, RowAccount

__all__ = ["OUTSIDE", "account_rows", "place_msme", "place_podes"]

#: Why a point in no area is left out.
OUTSIDE = "outside every area"


def account_rows(
    source: str, frame: pd.DataFrame, index: np.ndarray, reasons: np.ndarray | str, prior: int
) -> tuple[RowAccount, pd.DataFrame]:
    """Row accounting of one point layer.

    ``reasons`` says why each unplaced row is out: one text for all, or one per unplaced
    row in row order.  Only the unplaced rows' ids are turned into text.
    """
    out = np.flatnonzero(index < 0)
    if "row" in frame:
        rows = frame["row"].iloc[out].astype("str").to_numpy()
    else:
        rows = (out + 1).astype("str")
    why = np.full(len(out), reasons, dtype=object) if isinstance(reasons, str) else reasons
    rejected = pd.DataFrame(
        {"source": source, "row": rows, "reason": why}, columns=list(REJECTED_COLUMNS)
    )
    account = RowAccount(
        source, read=len(index) + prior, used=len(index) - len(out), rejected=len(out) + prior
    )
    return account, rejected


def place_msme(
    layers: Layers, finest: gpd.GeoDataFrame, space: JoinSpace, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Desa index of each MSME, and the reason for each one left out (in row order).

    ``x``, ``y`` are in the join's CRS (``space``).  Points go by the placement rule.
    Rows without coordinates but with a desa code (``kode_area``) go to that desa.  A
    point outside every area whose latitude and longitude, swapped, fall in an area is
    reported as swapped, with the fix.
    """
    msme, grid = layers.msme, space.grid
    has_xy = np.isfinite(x) & np.isfinite(y)
    every = bool(has_xy.all())
    index = place_in_chunks(x, y, grid) if every else np.full(len(msme), -1, dtype="int64")
    unknown = np.empty(0, dtype="int64")
    if not every:
        index[has_xy] = place_in_chunks(x[has_xy], y[has_xy], grid)
    if "kode_area" in msme and not every:
        by_code = ~has_xy
        lookup = pd.Series(np.arange(len(finest)), index=finest["kode"].to_numpy())
        found = msme["kode_area"].map(lookup).to_numpy()
        known = by_code & ~pd.isna(found)
        index[known] = found[known].astype("int64")
        unknown = np.flatnonzero(by_code & ~known)
    out = np.flatnonzero(index < 0)
    reasons = np.full(len(out), OUTSIDE, dtype=object)
    reasons[np.searchsorted(out, unknown)] = "unknown area code (no coordinates)"
    lost = np.flatnonzero((index < 0) & has_xy)
    if len(lost) and {"lat", "lon"} <= set(msme.columns):
        lat, lon = msme["lat"].to_numpy()[lost], msme["lon"].to_numpy()[lost]
        sx, sy = space.from_degrees(lat, lon)  # latitude as longitude and back
        ok = np.isfinite(sx) & np.isfinite(sy)
        swapped = np.full(len(lost), -1)
        swapped[ok] = place_in_chunks(sx[ok], sy[ok], grid)
        reasons[np.searchsorted(out, lost[swapped >= 0])] = (
            "latitude and longitude look swapped (the swapped point falls in an area): "
            "swap the columns or pass --lat-col/--lon-col"
        )
    return index, reasons


def _digits(codes: np.ndarray) -> np.ndarray:
    """Area codes as their digits alone (``12.71.01.1001`` and ``1271011001`` match)."""
    return pd.Series(codes, dtype="str").str.replace(r"\D", "", regex=True).to_numpy(dtype=str)


#: Columns of :func:`code_conflicts`' table.
CONFLICT_COLUMNS = ("row", "kode_given", "kode_area")


def code_conflicts(
    msme: pd.DataFrame, finest: gpd.GeoDataFrame, index: np.ndarray, has_xy: np.ndarray
) -> pd.DataFrame | None:
    """MSMEs whose point falls in an area other than the code they give (F8).

    Policy (reliability.md F8): the coordinates decide where a business is counted, and
    each disagreement is flagged, not corrected.  A row's code and the area's agree when
    one's digits begin the other's: a kecamatan code given in a register placed at desa
    level agrees with every desa of that kecamatan.  Rows without a code, unplaced rows
    and rows placed by code are not compared.

    Returns
    -------
    One row per disagreement, in file order: ``row`` (the file line), ``kode_given`` (the
    row's code as written), ``kode_area`` (the code of the area its point is in); None
    when the register has no area code column.
    """
    if "kode_area" not in msme:
        return None
    given = msme["kode_area"].to_numpy(dtype=object)
    both = np.flatnonzero(has_xy & (index >= 0) & pd.notna(given) & (given != ""))
    own = _digits(given[both])
    area_codes = finest["kode"].to_numpy()[index[both]]
    area = _digits(area_codes)
    agree = np.char.startswith(own, area) | np.char.startswith(area, own)
    off = ~agree & (np.char.str_len(own) > 0)
    rows = msme["row"].to_numpy()[both[off]] if "row" in msme else both[off] + 1
    return pd.DataFrame(
        {"row": rows.astype("str"), "kode_given": given[both[off]].astype("str"),
         "kode_area": area_codes[off].astype("str")},
        columns=list(CONFLICT_COLUMNS),
    )  # fmt: skip


def conflict_warning(conflicts: pd.DataFrame) -> str:
    """The warning for :func:`code_conflicts`' rows (the first three named), for every caller."""
    shown = "; ".join(
        f"row {c.row}: code {c.kode_given}, point in {c.kode_area}"
        for c in conflicts.head(3).itertuples()
    )
    more = " ..." if len(conflicts) > 3 else ""
    return (
        f"msme: {len(conflicts):,} rows give an area code that disagrees with the "
        f"area their coordinates fall in ({shown}{more}); counted where the coordinates "
        "say (code_point_conflict)"
    )


def place_podes(podes: pd.DataFrame, finest: gpd.GeoDataFrame) -> np.ndarray:
    """Finest-area position of each Podes desa (by its code's prefix; ``-1``: none)."""
    width = int(finest["kode"].str.len().max()) if len(finest) else 0
    lookup = pd.Series(np.arange(len(finest)), index=finest["kode"].to_numpy())
    found = podes["kode"].astype("str").str.slice(0, width).map(lookup)
    return found.fillna(-1).to_numpy(dtype="int64")
