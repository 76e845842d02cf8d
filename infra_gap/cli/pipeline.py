"""The local pipeline as the data commands run it (``rank``, ``dossier``), step by step.

Inputs (the demo or the user's files), placement and coverage, the indicator table (with
the cost-efficiency indicator only when a weight uses it), the scenario's ranking: each a
step of the command's progress display.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from infra_gap.cli.common import Reporter
from infra_gap.cli.inputs import InputOptions, default_cache_dir, load_inputs

if TYPE_CHECKING:
    import pandas as pd

    from infra_gap.analysis.pipeline import PointFacts
    from infra_gap.analysis.validate import BoundaryReport
    from infra_gap.layers import Layers
    from infra_gap.ranking.scenario import Scenario, ScenarioResult

__all__ = ["LocalRun", "indicators_for", "own_level", "run_local"]


@dataclass(frozen=True)
class LocalRun:
    """One local run: the layers, what loading found, the per-MSME facts and the ranking."""

    layers: Layers
    boundary: BoundaryReport | None
    facts: PointFacts
    result: ScenarioResult


def indicators_for(
    layers: Layers,
    facts: PointFacts,
    scenario: Scenario,
    *,
    area_frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The indicator table; with the cost-efficiency indicator when a weight uses it.

    ``area_frame``: :func:`infra_gap.analysis.pipeline.area_facts` of the scenario's level and
    threshold when the caller has it (computed here otherwise).
    """
    from infra_gap.analysis.pipeline import indicator_table
    from infra_gap.registry import uses_siting

    table = indicator_table(layers, facts, level=scenario.level, area_frame=area_frame)
    if uses_siting(scenario.weights):  # solved per area: only when it is used
        from infra_gap.siting.plan import with_cost_efficiency
        from infra_gap.siting.problem import siting_problem

        table = with_cost_efficiency(table, siting_problem(layers, facts))
    return table


def own_level(chosen: Scenario, layers: Layers, *, own: bool, from_file: Path | None) -> Scenario:
    """The scenario at the level of the user's areas (their only level)."""
    level = next(iter(layers.areas))
    if not own or chosen.level == level:
        return chosen
    if from_file is not None:
        typer.echo(
            f"warning: {from_file.name} says level {chosen.level}, but the areas are {level}; "
            f"ranking {level} (give --level to choose)",
            err=True,
        )
    return replace(chosen, level=level)


def run_local(
    opts: InputOptions,
    scenario: Scenario,
    reporter: Reporter,
    *,
    level: str | None = None,
    scenario_file: Path | None = None,
) -> LocalRun:
    """Load, place, compute and rank, each a step shown by ``reporter``.

    ``level`` is ``--level``: with the user's areas, None reads it from their codes and the
    scenario follows the areas' level; ``scenario_file`` names the scenario in a warning
    when its level is overruled.

    Raises
    ------
    InfraGapError
        From any step, naming the file, row and column where known.
    """
    from infra_gap.analysis import pipeline
    from infra_gap.ranking.scenario import run_scenario

    own = opts.areas is not None
    with reporter.step("Reading the inputs", "read"):
        layers, boundary = load_inputs(opts, level=level if own else scenario.level)
    scenario = own_level(scenario, layers, own=own, from_file=scenario_file)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The areas' own indicators (zonal coverage, distances; kept per boundaries and
        # raster) are computed beside the placement of the points.
        area_job = (
            pool.submit(
                pipeline.area_facts,
                layers,
                level=scenario.level,
                covered_min=scenario.covered_min,
                cache_dir=default_cache_dir(),
            )
            if scenario.level in layers.areas  # else indicator_table names the level
            else None
        )
        with reporter.step("Placing MSMEs and looking up coverage", "place and cover"):
            facts = pipeline.place_and_cover(layers, covered_min=scenario.covered_min)
        with reporter.step("Computing the indicators", "indicators"):
            area_frame = area_job.result() if area_job is not None else None
            table = indicators_for(layers, facts, scenario, area_frame=area_frame)
    with reporter.step(f"Ranking ({scenario.stability.draws:,} stability draws)", "score"):
        result = run_scenario(table, scenario)
    return LocalRun(layers, boundary, facts, result)
