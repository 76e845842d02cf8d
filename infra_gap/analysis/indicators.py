"""Indicators per area.

Counts and sums are made once per desa (the finest level) and rolled up the Kemendagri
code hierarchy (desa -> kecamatan -> kabupaten), so the levels always agree even though
their source polygons do not nest exactly.  Ratios and means are computed after the
roll-up from the rolled-up sums.  Empty areas: counts are 0, ratios and means are missing
(NaN).  The registry of names, units and directions is :mod:`infra_gap.registry`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.unknown import speed_evidence
from infra_gap.codes import code_levels
from infra_gap.config import LEVEL_CODE_LENGTH, EvidenceParams
from infra_gap.errors import DataError
from infra_gap.registry import INDICATORS, Indicator

__all__ = [
    "INDICATORS",
    "Indicator",
    "add_area_context",
    "area_indicators",
    "desa_counts",
    "finish_ratios",
    "podes_counts",
    "speed_sums",
    "tower_counts",
]

#: Sum columns whose ratios are made after the roll-up; dropped from the final table.
_HIDDEN_SUMS = ("_speed_down_sum", "_speed_up_sum", "_speed_latency_sum", "_podes_weak_or_none")


def desa_counts(
    area_index: np.ndarray,
    coverage: PointCoverage,
    n_areas: int,
    *,
    online: np.ndarray | None = None,
    tile_down_kbps: np.ndarray | None = None,
    slow_down_kbps: float = 5_000.0,
) -> pd.DataFrame:
    """Counts per finest-level area from per-point facts.

    Parameters
    ----------
    area_index
        Positional area index of each point (``-1`` for unplaced points, which are skipped).
    coverage
        Covered and unknown flags of each point.
    n_areas
        Number of areas.
    online
        Optional boolean ``online`` flag of each point.
    tile_down_kbps
        Optional mean download of each point's speed tile, NaN where the tile has no tests.
    slow_down_kbps
        Download under which a tile is below the 4G tier.

    Returns
    -------
    DataFrame with one row per area position: ``msme_total``, ``msme_uncovered``,
    ``msme_coverage_unknown`` and, with their inputs, ``msme_online``,
    ``msme_below_4g_speed``, ``msme_no_tests`` and ``msme_evidence_conflict``.
    """
    placed = area_index >= 0
    idx = area_index[placed]

    def count(mask: np.ndarray | None = None) -> np.ndarray:
        if mask is None:
            return np.bincount(idx, minlength=n_areas)
        return np.bincount(idx[mask[placed]], minlength=n_areas)

    out = pd.DataFrame(
        {
            "msme_total": count(),
            "msme_uncovered": count(~coverage.covered),
            "msme_coverage_unknown": count(coverage.unknown),
            "msme_covered": count(coverage.covered),
        }
    )
    if online is not None:
        out["msme_online"] = count(np.asarray(online, dtype="bool"))
    if tile_down_kbps is not None:
        no_tests = np.isnan(tile_down_kbps)
        slow = np.zeros(len(tile_down_kbps), dtype=bool)
        slow[~no_tests] = tile_down_kbps[~no_tests] < slow_down_kbps
        out["msme_below_4g_speed"] = count(slow)
        out["msme_no_tests"] = count(no_tests)
        out["msme_evidence_conflict"] = count(coverage.covered & (slow | no_tests))
    return out


def speed_sums(tiles: pd.DataFrame, area_index: np.ndarray, n_areas: int) -> pd.DataFrame:
    """Test-weighted sums of speed tiles per finest-level area (tiles placed by centre)."""
    ok = area_index >= 0
    idx = area_index[ok]
    tests = tiles["tests"].to_numpy(dtype="float64")[ok]

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(idx, weights=values, minlength=n_areas)

    return pd.DataFrame(
        {
            "_speed_down_sum": total(tiles["avg_d_kbps"].to_numpy(dtype="float64")[ok] * tests),
            "_speed_up_sum": total(tiles["avg_u_kbps"].to_numpy(dtype="float64")[ok] * tests),
            "_speed_latency_sum": total(tiles["avg_lat_ms"].to_numpy(dtype="float64")[ok] * tests),
            "speed_tests": total(tests).astype("int64"),
            "speed_devices": total(tiles["devices"].to_numpy(dtype="float64")[ok]).astype("int64"),
        }
    )


def tower_counts(towers: pd.DataFrame, area_index: np.ndarray, n_areas: int) -> pd.DataFrame:
    """Tower sites and cells per finest-level area.

    ``tower_count`` counts each site once, in the area of its first row (``site_first``,
    :func:`infra_gap.analysis.towers.prepare_towers`; every row is a site without it);
    ``cell_count`` counts the rows placed.
    """
    ok = area_index >= 0
    if "site_first" in towers:
        first = towers["site_first"].to_numpy(dtype=bool)
    else:
        first = np.ones(len(area_index), dtype=bool)
    return pd.DataFrame(
        {
            "tower_count": np.bincount(area_index[ok & first], minlength=n_areas),
            "cell_count": np.bincount(area_index[ok], minlength=n_areas),
        }
    )


def podes_counts(podes: pd.DataFrame, area_index: np.ndarray, n_areas: int) -> pd.DataFrame:
    """Podes desa per finest-level area: answered, no signal, weak or no signal (hidden sum).

    ``podes`` as :func:`infra_gap.io.read_podes` returns it; ``area_index`` the area of
    each row (``-1``: in no area, skipped).
    """
    ok = area_index >= 0
    signal = podes["signal"].astype("str").to_numpy()[ok]
    idx = area_index[ok]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(idx[mask], minlength=n_areas).astype("int64")

    return pd.DataFrame(
        {
            "podes_desa": np.bincount(idx, minlength=n_areas).astype("int64"),
            "podes_no_signal": count(signal == "tidak_ada"),
            "_podes_weak_or_none": count(np.isin(signal, ["lemah", "tidak_ada"])),
        }
    )


def area_indicators(
    finest: gpd.GeoDataFrame, counts: pd.DataFrame, areas: gpd.GeoDataFrame, *, level: str
) -> pd.DataFrame:
    """Roll finest-level sums up to ``level`` (before ratios; see :func:`finish_ratios`).

    Parameters
    ----------
    finest
        The finest-level areas (``kode`` column), row-aligned with ``counts``.
    counts
        Sums per finest-level area (:func:`desa_counts`, :func:`speed_sums`, ...).
    areas
        The areas of ``level`` (``kode``, ``nama``).
    level
        ``"desa"``, ``"kecamatan"`` or ``"kabupaten"``.

    Returns
    -------
    DataFrame indexed like ``areas``, with ``kode``, ``nama`` and the summed columns, and
    the ratios made by :func:`finish_ratios`.

    Raises
    ------
    DataError
        If some finest-level area has no parent in ``areas`` (its MSMEs would vanish).
    """
    if level not in LEVEL_CODE_LENGTH:
        msg = f"`level` must be one of {list(LEVEL_CODE_LENGTH)}, got {level!r}"
        raise DataError(msg)
    parent = finest["kode"].str.slice(0, LEVEL_CODE_LENGTH[level]).to_numpy()
    rolled = counts.groupby(parent, sort=False).sum()
    orphans = sorted(rolled.index[rolled.sum(axis=1).to_numpy() > 0].difference(areas["kode"]))
    if orphans:
        raise DataError(_orphan_message(finest, areas, orphans, level=level))
    table = areas[["kode", "nama"]].copy()
    joined = rolled.reindex(table["kode"].to_numpy()).fillna(0)
    for col in rolled.columns:
        values = joined[col].to_numpy()
        is_int = pd.api.types.is_integer_dtype(rolled[col])
        table[col] = values.astype("int64") if is_int else values
    return finish_ratios(table)


def _orphan_message(
    finest: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, orphans: list[str], *, level: str
) -> str:
    """Why finest-level areas have no parent at ``level``, and how to fix it."""
    width = LEVEL_CODE_LENGTH[level]
    found = code_levels(finest["kode"])
    text = (
        f"MSMEs or tiles are placed in areas whose {level} code (the first {width} "
        f"characters of their code) is not among the {len(areas):,} {level} areas: "
        f"{orphans[:10]}; the areas' codes are {found.describe()}"
    )
    if found.level is not None and found.level != level and areas is finest:
        return (
            f"{text}: the boundaries are {found.level}, not {level}; rank them as "
            f"{found.level} (--level {found.level}, or leave --level out to read it from "
            "the codes)"
        )
    return (
        f"{text}; expected each {level} code to be a prefix of its areas' codes (Kemendagri "
        f"12.01.01 for 12.01.01.2001): give {level} boundaries with such codes, or choose "
        "the code column with --id-col"
    )


def finish_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Make the ratio and mean columns from rolled-up sums; drop the helper sums."""
    out = table.copy()

    def ratio(num: str, den: str, scale: float = 1.0) -> np.ndarray:
        d = out[den].to_numpy(dtype="float64")
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(d > 0, out[num].to_numpy(dtype="float64") / d * scale, np.nan)

    out["msme_uncovered_share"] = ratio("msme_uncovered", "msme_total")
    if "msme_no_operator" in out:
        out["msme_no_operator_share"] = ratio("msme_no_operator", "msme_total")
    if "msme_no_operator_coverage" in out:
        out["msme_no_operator_coverage_share"] = ratio("msme_no_operator_coverage", "msme_total")
    if "podes_desa" in out:
        out["podes_no_signal_share"] = ratio("podes_no_signal", "podes_desa")
        out["podes_weak_or_no_signal_share"] = ratio("_podes_weak_or_none", "podes_desa")
    if "msme_online" in out:
        out["msme_online_share"] = ratio("msme_online", "msme_total")
    if "speed_tests" in out:
        out["speed_down_mbps"] = ratio("_speed_down_sum", "speed_tests", 1 / 1000)
        out["speed_up_mbps"] = ratio("_speed_up_sum", "speed_tests", 1 / 1000)
        out["speed_latency_ms"] = ratio("_speed_latency_sum", "speed_tests")
    return out.drop(columns=[c for c in _HIDDEN_SUMS if c in out])


def add_area_context(table: pd.DataFrame, context: pd.DataFrame, *, params: EvidenceParams) -> None:
    """Add the area context (rows in ``table``'s order), MSME density and the evidence flags.

    Shared by the province pipeline and the partitioned engine, so both tables agree.
    ``speed_low_evidence``: fewer than ``params.min_tests`` tests; ``speed_evidence``:
    ``unknown`` with no test at all, else ``known`` (:mod:`infra_gap.analysis.unknown`);
    ``evidence_conflict``:
    coverage says covered for MSMEs of which more than ``params.conflict_share`` sit in
    tiles under the slow-down speed or with no tests.
    """
    table["msme_density_km2"] = table["msme_total"] / context["area_km2"].to_numpy()
    for col in context.columns:
        table[col] = context[col].to_numpy()
    if "speed_tests" in table:
        table["speed_low_evidence"] = table["speed_tests"] < params.min_tests
        table["speed_evidence"] = speed_evidence(table["speed_tests"])
    if "msme_evidence_conflict" in table:
        covered = table["msme_covered"].to_numpy(dtype="float64")
        conflict = table["msme_evidence_conflict"].to_numpy(dtype="float64")
        table["evidence_conflict"] = (covered > 0) & (conflict > params.conflict_share * covered)
