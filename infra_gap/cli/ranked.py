"""The ranked rows as the commands keep and report them (rank, dossier, rank on a workload).

BAKTI eligibility joined to the ranking, the rows a command keeps, the scenario's summary and
the files written beside a ranking.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from infra_gap.cli.common import Reporter, check_output
from infra_gap.cli.inputs import default_data_dir

if TYPE_CHECKING:
    import pandas as pd

    from infra_gap.ranking.scenario import ScenarioResult

__all__ = ["RANK_SUFFIXES", "check_companions", "eligible_rows", "summary"]

#: Output formats of ``rank``, by extension (``--out -``: CSV on stdout).
RANK_SUFFIXES = (".csv", ".xlsx", ".gpkg", ".pdf")


def summary(result: ScenarioResult) -> str:
    """The scenario lines of a ranking's report: weights, tiers, draws, warnings."""
    from infra_gap.ranking.uncertainty import correlation_warnings, cost_line

    s = result.scenario
    weights = ", ".join(f"{k}={v:.3g}" for k, v in result.weights.items())
    tiers = result.ranked["tier"].value_counts()
    counts = ", ".join(f"P{k} {int(tiers.get(k, 0)):,}" for k in (1, 2, 3))
    unknown = "on" if s.unknown_as_need else "off (--unknown-as-need turns it on)"
    lines = [
        f"scenario: preset {s.preset}, {s.normalisation}; weights {weights}; "
        f"top {s.stability.top_n}, {s.stability.draws:,} draws, concentration "
        f"{s.stability.concentration:g}, seed {s.stability.seed}; tiers {counts}",
        f"no speed test counts as need (NTIA rule): {unknown}",
        cost_line(s.stability.as_meta(), result.stability_seconds, "en"),
        *correlation_warnings(result.correlated, "en"),
    ]
    return "\n".join(lines)


def eligible_rows(
    result: ScenarioResult,
    priority_list: Path | None,
    eligible_only: bool,
    lang: str,
    reporter: Reporter,
) -> pd.DataFrame:
    """The ranked table with BAKTI eligibility (only the eligible rows with ``eligible_only``).

    Prints how many areas are eligible and on which lists.
    """
    from infra_gap.ranking.eligibility import (
        eligibility_summary,
        load_rules,
        only_eligible,
        with_eligibility,
    )

    rules = load_rules(default_data_dir(), priority_list=priority_list)
    full = with_eligibility(result.ranked, rules, lang=lang)
    ranked = only_eligible(full) if eligible_only else full
    reporter.report(eligibility_summary(ranked, full, rules))
    return ranked


def check_companions(path: Path | None, rejected: Path | None, *, overwrite: bool) -> None:
    """The files written beside the ranking: a CSV's data dictionary, the rejected rows."""
    from infra_gap.paths import schema_path

    if path is not None and path.suffix.lower() == ".csv":
        check_output(str(schema_path(path)), suffixes=(".json",), overwrite=overwrite)
    if rejected is not None:
        check_output(str(rejected), suffixes=(".csv",), overwrite=overwrite)
