"""Scenarios: every choice behind a ranking, in a readable TOML file, and their comparison.

A scenario holds the level, the preset, the weights, the normalisation, the coverage
threshold (``covered_min``) and the stability settings.  :func:`run_scenario` is the one
path from an indicator table to a ranked, explained, stability-checked table: the app and
the CLI both call it, so the same file gives the same numbers in both.

The scenario itself is :class:`~infra_gap.ranking.scenario_model.Scenario`; its file (TOML,
``version = 1``) is read and written by :mod:`infra_gap.ranking.scenario_file`.  This module
runs it and keeps those public names importable from here.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import pandas as pd

from infra_gap.analysis.unknown import presume_unknown
from infra_gap.errors import ScoringError
from infra_gap.ranking.compare import compare_rankings
from infra_gap.ranking.presets import CUSTOM, preset_weights
from infra_gap.ranking.scenario_file import (
    MAX_SCENARIO_BYTES,
    scenario_from_bytes,
    scenario_from_toml,
    scenario_to_toml,
)
from infra_gap.ranking.scenario_model import Scenario
from infra_gap.ranking.scoring import rank_areas, usable_weights
from infra_gap.ranking.stability import StabilityParams, assign_tiers, rank_stability
from infra_gap.ranking.uncertainty import correlated_pairs, need_classes
from infra_gap.registry import INDICATORS

__all__ = [
    "MAX_SCENARIO_BYTES",
    "Scenario",
    "ScenarioResult",
    "StabilityParams",
    "compare_rankings",
    "override",
    "parse_weight_options",
    "run_scenario",
    "scenario_from_bytes",
    "scenario_from_toml",
    "scenario_to_toml",
    "score_scenario",
]


@dataclass(frozen=True)
class ScenarioResult:
    """A ranked table and what went into it.

    Attributes
    ----------
    ranked
        :func:`infra_gap.ranking.scoring.rank_areas` output plus ``tier`` (1-3), ``rank_low``,
        ``rank_high``, ``top_n_share`` and ``need_class`` (the absolute class of the share
        of MSMEs without 4G, :func:`infra_gap.ranking.uncertainty.need_classes`).
    weights
        The weights used, re-balanced to sum to 1.
    dropped
        Weighted indicators absent from the data, dropped before re-balancing.
    scenario
        The scenario that was run.
    correlated
        Pairs of weighted indicators whose rank correlation is above 0.9, with it
        (:func:`infra_gap.ranking.uncertainty.correlated_pairs`): they count one thing twice.
    stability_seconds
        Time the stability draws took (shown with the number of draws).
    """

    ranked: pd.DataFrame
    weights: Mapping[str, float]
    dropped: tuple[str, ...]
    scenario: Scenario
    correlated: tuple[tuple[str, str, float], ...] = ()
    stability_seconds: float = field(default=0.0, compare=False)


def score_scenario(table: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Scores and ranks of ``table`` as ``scenario`` says, without the stability draws.

    The first step of :func:`run_scenario` (:func:`infra_gap.ranking.scoring.rank_areas`
    with the scenario's usable weights): enough to colour a map while the draws run.

    Raises
    ------
    ScoringError
        When no weighted indicator is usable.
    """
    weights, _ = usable_weights(scenario.weights, table.columns)
    return rank_areas(
        table, weights, method=scenario.normalisation, unknown_as_need=scenario.unknown_as_need
    )


def run_scenario(
    table: pd.DataFrame, scenario: Scenario, *, scores: pd.DataFrame | None = None
) -> ScenarioResult:
    """Rank ``table`` as ``scenario`` says, with stability and tiers.

    Parameters
    ----------
    table
        Indicator table at ``scenario.level`` (built with ``scenario.covered_min``).
    scenario
        The choices.
    scores
        :func:`score_scenario` of the same table and scenario, when already computed
        (copied, never changed); computed here when None.

    Raises
    ------
    ScoringError
        When no weighted indicator is usable.
    """
    weights, dropped = usable_weights(scenario.weights, table.columns)
    ranked = score_scenario(table, scenario) if scores is None else scores.copy()
    presumed = presume_unknown(table, unknown_as_need=scenario.unknown_as_need)
    params = scenario.stability
    t0 = time.perf_counter()
    stab = rank_stability(presumed, weights, method=scenario.normalisation, params=params)
    seconds = time.perf_counter() - t0
    stab = stab.set_index("kode").reindex(ranked["kode"].to_numpy())
    for col in ("rank_low", "rank_high", "top_n_share"):
        ranked[col] = stab[col].to_numpy()
    ranked.insert(0, "tier", assign_tiers(ranked, top_n=params.top_n))
    if "msme_uncovered_share" in ranked:
        ranked["need_class"] = need_classes(ranked["msme_uncovered_share"])
    return ScenarioResult(
        ranked=ranked,
        weights=MappingProxyType(weights),
        dropped=dropped,
        scenario=scenario,
        correlated=tuple(correlated_pairs(presumed, list(weights))),
        stability_seconds=seconds,
    )


def parse_weight_options(options: Iterable[str]) -> dict[str, float]:
    """``["msme_uncovered=0.7", ...]`` -> weights.

    Raises
    ------
    ScoringError
        For an option that is not ``NAME=NUMBER`` or names an unknown indicator.
    """
    weights: dict[str, float] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip()
        try:
            number = float(value) if sep else math.nan
        except ValueError:
            number = math.nan
        if not sep or not math.isfinite(number):
            msg = f"--weight must look like NAME=NUMBER, got {option!r}"
            raise ScoringError(msg)
        if name not in INDICATORS:
            msg = f"--weight {name}: unknown indicator; known: {sorted(INDICATORS)}"
            raise ScoringError(msg)
        weights[name] = number
    return weights


def override(
    base: Scenario,
    *,
    level: str | None = None,
    preset: str | None = None,
    weights: Mapping[str, float] | None = None,
    covered_min: float | None = None,
    top_n: int | None = None,
    draws: int | None = None,
    unknown_as_need: bool | None = None,
) -> Scenario:
    """``base`` with the options a user gave on top (the CLI's precedence rule).

    ``preset`` replaces the weights with the preset's.  ``weights`` then adjust the
    preset's weights when a preset is given, and replace the weights entirely when not;
    either way the scenario becomes ``"custom"``.  None leaves a setting as it is.
    """
    changes: dict[str, Any] = {}
    if level is not None:
        changes["level"] = level
    if covered_min is not None:
        changes["covered_min"] = covered_min
    if unknown_as_need is not None:
        changes["unknown_as_need"] = bool(unknown_as_need)
    if preset is not None:
        changes["preset"] = preset
        changes["weights"] = preset_weights(preset) if preset != CUSTOM else base.weights
    if weights:
        start = dict(changes["weights"]) if preset is not None else {}
        changes["weights"] = start | dict(weights)
        changes["preset"] = CUSTOM
    stab: dict[str, Any] = {}
    if top_n is not None:
        stab["top_n"] = top_n
    if draws is not None:
        stab["draws"] = draws
    if stab:
        changes["stability"] = replace(base.stability, **stab)
    return replace(base, **changes)
