"""Options several commands share (one name, one help text, one check), and their checks.

The code filter is ``--within CODE`` in every command; the names it had before
(``sites --area``, ``national rank --province``) stay as hidden aliases: options are a
contract.  Every check here runs before any data is read (usage errors, exit 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infra_gap.cli.common import usage_error
from infra_gap.config import LEVELS
from infra_gap.errors import InfraGapError
from infra_gap.ranking.presets import CUSTOM, PRESETS
from infra_gap.text.i18n import LANGS

if TYPE_CHECKING:
    from infra_gap.ranking.scenario import Scenario

__all__ = [
    "SEPARATORS",
    "PresetOpt",
    "ScenarioOpt",
    "SepOpt",
    "StabilityOpt",
    "TopNOpt",
    "UnknownAsNeedOpt",
    "WeightOpt",
    "WithinOpt",
    "check_choice",
    "check_common",
    "scenario_or_exit",
]

#: CSV separators offered: the machine CSV's comma, and the semicolon Excel uses in Indonesia.
SEPARATORS = (",", ";")

SepOpt = Annotated[str, typer.Option(help="CSV separator: ',' or ';'.")]
WithinOpt = Annotated[
    str | None,
    typer.Option(
        "--within",
        metavar="CODE",
        help="Only areas whose Kemendagri code starts with CODE (e.g. 12.14, a kabupaten).",
    ),
]
WeightOpt = Annotated[
    list[str] | None,
    typer.Option(
        metavar="NAME=VALUE",
        help="Weight of an indicator; repeat for more.  Alone, these are the weights; "
        "with --preset, they adjust the preset's.",
    ),
]
PresetOpt = Annotated[
    str | None, typer.Option(help=f"Weight preset: {', '.join([*PRESETS, CUSTOM])}.")
]
ScenarioOpt = Annotated[
    Path | None,
    typer.Option(exists=True, dir_okay=False, help="Scenario TOML file (from the app or by hand)."),
]
TopNOpt = Annotated[int | None, typer.Option(help="N of 'top N' (default 10).")]
StabilityOpt = Annotated[
    int | None,
    typer.Option(
        "--stability",
        "--draws",
        metavar="DRAWS",
        help="Weight draws for rank stability (default 1000; 0 skips them; the time they "
        "take is printed).",
    ),
]
UnknownAsNeedOpt = Annotated[
    bool | None,
    typer.Option(
        "--unknown-as-need/--no-unknown-as-need",
        help="Whether areas with no speed test count as need (NTIA BEAD rule: no evidence of "
        "service means unserved; default: the scenario's, else on).  Stated in every export.",
    ),
]


def check_choice(name: str, value: str | None, choices: tuple[str, ...] | list[str]) -> None:
    """A usage error unless ``value`` is None or one of ``choices``."""
    if value is not None and value not in choices:
        usage_error(f"{name} must be one of {', '.join(choices)}, got {value!r}")


def check_common(
    *, level: str | None = None, lang: str | None = None, sep: str | None = None
) -> None:
    """The checks of ``--level``, ``--lang`` and ``--sep``, before any work."""
    check_choice("--level", level, LEVELS)
    check_choice("--lang", lang, LANGS)
    if sep is not None and sep not in SEPARATORS:
        usage_error(f"--sep must be ',' or ';', got {sep!r}")


def scenario_or_exit(
    *,
    path: Path | None,
    level: str | None,
    preset: str | None,
    weight: list[str] | None,
    covered_min: float | None,
    top_n: int | None,
    draws: int | None,
    unknown_as_need: bool | None = None,
) -> Scenario:
    """The scenario of the options (:func:`infra_gap.runs.scenario_from_options`).

    An unknown preset or indicator, a bad weight or an unreadable scenario file is a usage
    error, reported with its stable code before any data is read (exit 2).
    """
    from infra_gap.runs import scenario_from_options

    try:
        return scenario_from_options(
            path=path, level=level, preset=preset, weight=weight, covered_min=covered_min,
            top_n=top_n, draws=draws, unknown_as_need=unknown_as_need,
        )  # fmt: skip
    except InfraGapError as err:
        typer.echo(f"error [{err.code}]: {err}", err=True)
        raise typer.Exit(2) from None
