"""``infra-gap dossier --workload DIR|URL``: the PDF of chosen areas of a workload.

The ranking is the workload's (every partition, on the Dask engine, as ``rank --engine dask
--workload`` ranks it); the areas are ``--codes``, or the best ranked with MSMEs without 4G
(``--within``, ``--top``), as the local ``dossier`` chooses them; the per-MSME facts behind
their sections (maps, desa tables, proposed sites) are read from the partitions holding
those areas only (:func:`infra_gap.national.area_facts.workload_area_facts`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from infra_gap.analysis.pipeline import PointFacts
    from infra_gap.layers import Layers
    from infra_gap.national.workload import Workload
    from infra_gap.ranking.scenario import Scenario, ScenarioResult
    from infra_gap.runs import EngineRun

__all__ = ["area_facts", "choose_codes", "rank_workload", "scenario_for"]


def choose_codes(
    ranked: pd.DataFrame, codes: str, *, within: str, top: int, eligible_only: bool = False
) -> list[str]:
    """``--codes``, else the ``top`` best ranked with MSMEs without 4G (``dossier``'s choice).

    A proposal for an area without need would be sent back; an area named in ``--codes`` is
    always included.

    Raises
    ------
    DataError
        With ``eligible_only`` and no eligible area.
    """
    from infra_gap.errors import DataError
    from infra_gap.outputs.formats import select_codes

    chosen = [c.strip() for c in codes.split(",") if c.strip()]
    pool = ranked[ranked["eligible"]] if eligible_only else ranked
    needy = pool[pool["msme_uncovered"] > 0] if (pool["msme_uncovered"] > 0).any() else pool
    if needy.empty:
        msg = "no area is eligible for BAKTI (--eligible-only): give --codes"
        raise DataError(msg)
    return chosen or select_codes(needy, within=within, top=top) or []


def scenario_for(wl: Workload, chosen: Scenario, *, level: str | None) -> Scenario:
    """The level of a workload's dossier: ``--level`` when the workload holds it.

    Else the finest (a built workload holds only its areas' own level).
    """
    from infra_gap.errors import DataError

    if level is None:
        return replace(chosen, level=wl.finest)
    if level not in wl.levels:
        msg = f"--level {level}: the workload holds {', '.join(wl.levels)}"
        raise DataError(msg)
    return chosen


def rank_workload(
    root: Path | str, chosen: Scenario, *, level: str | None, scheduler: str | None
) -> tuple[Workload, ScenarioResult, EngineRun]:
    """The workload's ranking on Dask (every partition), as ``rank --workload`` ranks it.

    Raises
    ------
    InfraGapError
        From reading or ranking the workload; the cost-efficiency indicator (per MSME).
    """
    from infra_gap.errors import DataError
    from infra_gap.national.workload import read_workload
    from infra_gap.registry import uses_siting
    from infra_gap.runs import rank_with_engine

    wl = read_workload(root)
    scenario = scenario_for(wl, chosen, level=level)
    if uses_siting(scenario.weights):
        msg = (
            "the cost-efficiency indicator is solved per area from each MSME's facts: "
            "use the local dossier (--areas ...) for it"
        )
        raise DataError(msg)
    result, run = rank_with_engine(scenario, engine="dask", scheduler=scheduler, workload=root)
    return wl, result, run


def area_facts(
    wl: Workload, result: ScenarioResult, run: EngineRun, codes: list[str]
) -> tuple[Layers, PointFacts]:
    """The chosen areas' layers and per-MSME facts, read from their partitions only.

    Raises
    ------
    DataError
        For a code not in the ranking.
    """
    from infra_gap.errors import DataError
    from infra_gap.national.area_facts import workload_area_facts

    level = result.scenario.level
    unknown = [c for c in codes if c not in set(result.ranked["kode"])]
    if unknown:
        msg = f"area code(s) {unknown[:5]} not in the {level} ranking of {wl.root}"
        raise DataError(msg)
    return workload_area_facts(
        wl, codes, level=level, covered_min=result.scenario.covered_min, accounts=run.accounts
    )
