"""Unknown speed evidence, and whether it counts as need (the NTIA presumption).

An area whose speed tiles hold no test at all has **unknown** speed evidence
(``speed_evidence = "unknown"``; ``"known"`` with one test or more): its mean speeds are
missing and no MSME of it can be shown below the 4G tier, although the darkest places are
exactly those without tests.

**The switch** (``unknown_as_need``, default on; ``rank --unknown-as-need/
--no-unknown-as-need``, the scenario key ``unknown_as_need``, the app's toggle) follows the
NTIA rule: under the BEAD Notice of Funding Opportunity (NTIA-BEAD-2022, released 13 May
2022, Section I.C, definitions of *Unserved Location* and *Reliable Broadband Service*) a
location counts as unserved unless there is evidence that it has reliable service, so no
evidence means no service.  With the switch on, for the ranking only:

* ``msme_below_4g_speed`` also counts the MSMEs in tiles with no test (``msme_no_tests``):
  each such MSME is presumed below the 4G tier;
* ``speed_down_mbps`` and ``speed_up_mbps`` of an area with unknown evidence take the
  lowest value measured in any area, ``speed_latency_ms`` the highest: the area counts as
  the worst measured one (normalised need 1 under min-max).

The table's own columns keep the measured values; only the score, its contributions, the
stability draws and the correlation check see the presumed ones.  With the switch off, a
missing value adds no need (the score rule of :mod:`infra_gap.ranking.scoring`).  Coverage no-data
pixels always count as not covered (:class:`infra_gap.config.CoverageParams`), whatever
the switch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "EVIDENCE_KNOWN",
    "EVIDENCE_UNKNOWN",
    "PRESUMED_COLUMNS",
    "presume_unknown",
    "speed_evidence",
    "unknown_areas",
]

EVIDENCE_KNOWN = "known"
EVIDENCE_UNKNOWN = "unknown"
#: Indicators whose values the switch changes for the ranking.
PRESUMED_COLUMNS = ("msme_below_4g_speed", "speed_down_mbps", "speed_up_mbps", "speed_latency_ms")
#: Mean speeds and how an unknown area takes the worst measured value (min or max).
_WORST = {"speed_down_mbps": "min", "speed_up_mbps": "min", "speed_latency_ms": "max"}


def speed_evidence(speed_tests: pd.Series | np.ndarray) -> np.ndarray:
    """``"unknown"`` where an area has no speed test, else ``"known"``."""
    tests = np.asarray(speed_tests, dtype="float64")
    return np.where(np.nan_to_num(tests, nan=0.0) > 0, EVIDENCE_KNOWN, EVIDENCE_UNKNOWN)


def unknown_areas(table: pd.DataFrame) -> np.ndarray:
    """True for the rows with unknown speed evidence (all False without speed tiles)."""
    if "speed_evidence" in table:
        return table["speed_evidence"].astype("str").to_numpy() == EVIDENCE_UNKNOWN
    if "speed_tests" in table:
        return speed_evidence(table["speed_tests"]) == EVIDENCE_UNKNOWN
    return np.zeros(len(table), dtype=bool)


def presume_unknown(table: pd.DataFrame, *, unknown_as_need: bool) -> pd.DataFrame:
    """The values the ranking sees: ``table`` itself when off, the presumed ones when on.

    Parameters
    ----------
    table
        An indicator table; columns it lacks are left alone.
    unknown_as_need
        The switch (module docstring).

    Returns
    -------
    ``table`` unchanged (the same object) when the switch is off or nothing is presumed,
    else a copy with the presumed values in :data:`PRESUMED_COLUMNS`.

    Examples
    --------
    >>> t = pd.DataFrame({"kode": ["a", "b"], "speed_tests": [9, 0],
    ...                   "speed_down_mbps": [3.0, np.nan],
    ...                   "msme_below_4g_speed": [2, 0], "msme_no_tests": [1, 5]})
    >>> p = presume_unknown(t, unknown_as_need=True)
    >>> p["speed_down_mbps"].tolist(), p["msme_below_4g_speed"].tolist()
    ([3.0, 3.0], [3, 5])
    """
    if not unknown_as_need:
        return table
    out = table.copy()
    changed = False
    if {"msme_below_4g_speed", "msme_no_tests"} <= set(out.columns):
        out["msme_below_4g_speed"] = out["msme_below_4g_speed"] + out["msme_no_tests"]
        changed = True
    unknown = unknown_areas(out)
    for col, how in _WORST.items():
        if col not in out or not unknown.any():
            continue
        values = out[col].astype("float64")
        measured = values[~unknown].dropna()
        if not len(measured):
            continue
        worst = float(measured.min() if how == "min" else measured.max())
        out[col] = values.where(~(unknown & values.isna().to_numpy()), worst)
        changed = True
    return out if changed else table
