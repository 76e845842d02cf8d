"""How ranks change from one ranking to another.

Re-exported by :mod:`infra_gap.ranking.scenario`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from infra_gap.errors import DataError

__all__ = ["compare_rankings"]


def compare_rankings(before: pd.DataFrame, after: pd.DataFrame, *, top: int) -> pd.DataFrame:
    """How ranks change from one ranking to another, for the areas in either top list.

    Parameters
    ----------
    before, after
        Ranked tables (``kode``, ``nama``, ``rank``) of the same areas.
    top
        Length of the top lists compared.

    Returns
    -------
    DataFrame sorted by ``rank_after``: ``kode``, ``nama``, ``rank_before``, ``rank_after``,
    ``change`` (places moved up; negative = down) and ``status``: ``"new"`` (entered the
    top list), ``"out"`` (left it), ``"up"``, ``"down"`` or ``"same"``.

    Raises
    ------
    DataError
        When the two tables do not rank the same areas (e.g. different levels).
    """
    if set(before["kode"]) != set(after["kode"]):
        msg = (
            f"the two rankings cover different areas ({len(before):,} vs {len(after):,}); "
            "compare scenarios of the same level"
        )
        raise DataError(msg)
    rb = before.set_index("kode")["rank"]
    out = after[["kode", "nama", "rank"]].rename(columns={"rank": "rank_after"})
    out.insert(2, "rank_before", rb.reindex(out["kode"]).to_numpy())
    keep = (out["rank_after"] <= top) | (out["rank_before"] <= top)
    out = out[keep].sort_values(["rank_after", "kode"]).reset_index(drop=True)
    out["change"] = out["rank_before"] - out["rank_after"]
    out["status"] = np.select(
        [
            out["rank_before"] > top,
            out["rank_after"] > top,
            out["change"] > 0,
            out["change"] < 0,
        ],
        ["new", "out", "up", "down"],
        default="same",
    )
    return out
