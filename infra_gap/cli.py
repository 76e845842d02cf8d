"""The ``infra-gap`` command: the same pipeline as the app, for reproducible batch runs."""

from __future__ import annotations

import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from infra_gap import io
from infra_gap.cli_export import DEMO_REGION, dossier, meta_for, write_ranked
from infra_gap.cli_inputs import (
    AreasLayerOpt,
    AreasOpt,
    BackboneOpt,
    CoverageNodataOpt,
    CoverageOpt,
    ExcelIdOpt,
    GpkgEvidence,
    GpkgEvidenceOpt,
    IdColOpt,
    InputOptions,
    LatColOpt,
    LonColOpt,
    MsmeOpt,
    NameColOpt,
    OperatorsAsOfOpt,
    SiteDistanceOpt,
    SourcesOpt,
    SpeedtestsOpt,
    TowersOpt,
    default_cache_dir,
    default_data_dir,
    load_inputs,
    report_inputs,
    report_sources,
)
from infra_gap.cli_national import national_app, scenario_from_options
from infra_gap.cli_national import rank as national_rank
from infra_gap.cli_sites import sites
from infra_gap.config import LEVELS, CoverageParams
from infra_gap.demo import export_demo, load_demo
from infra_gap.eligibility import (
    eligibility_summary,
    load_rules,
    only_eligible,
    with_eligibility,
)
from infra_gap.errors import InfraGapError
from infra_gap.export import rejected_csv
from infra_gap.hardening import check_environment
from infra_gap.i18n import LANGS
from infra_gap.layers import Layers
from infra_gap.pipeline import PointFacts, indicator_table, place_and_cover
from infra_gap.presets import CUSTOM, PRESETS
from infra_gap.registry import uses_siting
from infra_gap.scenario import (
    Scenario,
    ScenarioResult,
    run_scenario,
)
from infra_gap.siteplan import with_cost_efficiency
from infra_gap.siting import siting_problem
from infra_gap.uncertainty import correlation_warnings, cost_line

__all__ = ["app", "default_cache_dir", "default_data_dir", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
demo_app = typer.Typer(no_args_is_help=True, help="The embedded North Sumatra demo.")
app.add_typer(demo_app, name="demo")


def _fail(err: InfraGapError) -> None:
    typer.echo(f"error [{err.code}]: {err}", err=True)
    raise typer.Exit(code=2)


def _summary(result: ScenarioResult) -> str:
    s = result.scenario
    weights = ", ".join(f"{k}={v:.3g}" for k, v in result.weights.items())
    tiers = result.ranked["tier"].value_counts()
    counts = ", ".join(f"P{k} {int(tiers.get(k, 0)):,}" for k in (1, 2, 3))
    lines = [
        f"scenario: preset {s.preset}, {s.normalisation}; weights {weights}; "
        f"top {s.stability.top_n}, {s.stability.draws:,} draws, concentration "
        f"{s.stability.concentration:g}, seed {s.stability.seed}; tiers {counts}",
        cost_line(s.stability.as_meta(), result.stability_seconds, "en"),
        *correlation_warnings(result.correlated, "en"),
    ]
    return "\n".join(lines)


def _tick(clock: list[tuple[str, float, float]], name: str) -> None:
    clock.append((name, time.perf_counter(), time.process_time()))


def _timing(clock: list[tuple[str, float, float]], result: ScenarioResult) -> str:
    """Where the command's time went: wall and CPU (all threads) per stage.

    The stability draws are named with their time; on a shared machine the CPU figures
    are the steadier ones.
    """
    parts = [
        f"{name} {b - a:.2f} s (CPU {cb - ca:.2f})"
        for (_, a, ca), (name, b, cb) in itertools.pairwise(clock)
    ]
    parts.insert(0, f"start-up and imports (CPU {clock[0][2]:.2f})")
    draws = result.scenario.stability.draws
    parts.append(f"of which {draws:,} stability draws {result.stability_seconds:.2f} s (--draws N)")
    return "time: " + ", ".join(parts)


def _indicators(layers: Layers, facts: PointFacts, scenario: Scenario) -> pd.DataFrame:
    """The indicator table; with the cost-efficiency indicator when a weight uses it."""
    table = indicator_table(layers, facts, level=scenario.level)
    if uses_siting(scenario.weights):  # solved per area: only when it is used
        table = with_cost_efficiency(table, siting_problem(layers, facts))
    return table


def _check_level_lang(level: str | None, lang: str) -> None:
    """Stop (exit 2) on an unknown ``--level`` or ``--lang``."""
    if level is not None and level not in LEVELS:
        typer.echo(f"error: --level must be one of {', '.join(LEVELS)}, got {level!r}", err=True)
        raise typer.Exit(code=2)
    if lang not in LANGS:
        typer.echo(f"error: --lang must be one of {', '.join(LANGS)}, got {lang!r}", err=True)
        raise typer.Exit(code=2)


def _own_level(chosen: Scenario, layers: Layers, *, own: bool, from_file: Path | None) -> Scenario:
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


def _eligible_rows(
    result: ScenarioResult, priority_list: Path | None, eligible_only: bool, lang: str
) -> pd.DataFrame:
    """The ranked table with BAKTI eligibility (only the eligible rows with ``eligible_only``).

    Prints how many areas are eligible and on which lists.
    """
    rules = load_rules(default_data_dir(), priority_list=priority_list)
    full = with_eligibility(result.ranked, rules, lang=lang)
    ranked = only_eligible(full) if eligible_only else full
    typer.echo(eligibility_summary(ranked, full, rules))
    return ranked


@app.command()
def rank(
    level: Annotated[
        str | None,
        typer.Option(
            help=f"One of {', '.join(LEVELS)}: the level ranked, and of --areas "
            "(default: with --areas, read from its codes; else the scenario's, else "
            "kecamatan)."
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Output file: .csv, .xlsx, .gpkg or .pdf (by extension).")
    ] = Path("ranking.csv"),
    areas: AreasOpt = None,
    areas_layer: AreasLayerOpt = None,
    id_col: IdColOpt = None,
    name_col: NameColOpt = None,
    msme: MsmeOpt = None,
    lat_col: LatColOpt = None,
    lon_col: LonColOpt = None,
    coverage: CoverageOpt = None,
    coverage_nodata: CoverageNodataOpt = None,
    operators_as_of: OperatorsAsOfOpt = None,
    site_distance_m: SiteDistanceOpt = None,
    towers: TowersOpt = None,
    speedtests: SpeedtestsOpt = None,
    backbone: BackboneOpt = None,
    sources: SourcesOpt = None,
    rejected: Annotated[
        Path | None, typer.Option(help="Write the rejected rows (source,row,reason) here.")
    ] = None,
    sep: Annotated[str, typer.Option(help="CSV separator: ',' or ';'.")] = ",",
    excel_id: ExcelIdOpt = False,
    gpkg_evidence: GpkgEvidenceOpt = GpkgEvidence.clip,
    covered_min: Annotated[
        float | None,
        typer.Option(
            help="Coverage value at or above which a pixel is covered "
            f"(default: the scenario's, else {CoverageParams().covered_min:g})."
        ),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            metavar="NAME=VALUE",
            help="Weight of an indicator; repeat for more.  Alone, these are the weights; "
            "with --preset, they adjust the preset's.",
        ),
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help=f"Weight preset: {', '.join([*PRESETS, CUSTOM])}.")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            exists=True, dir_okay=False, help="Scenario TOML file (from the app or by hand)."
        ),
    ] = None,
    top_n: Annotated[int | None, typer.Option(help="N of 'top N' (default 10).")] = None,
    stability: Annotated[
        int | None,
        typer.Option(
            "--stability",
            "--draws",
            metavar="DRAWS",
            help="Weight draws for rank stability (default 1000; 0 skips them; the time "
            "they take is printed).",
        ),
    ] = None,
    within: Annotated[
        str, typer.Option(help="Export only areas whose code starts with this (e.g. 12.14).")
    ] = "",
    top: Annotated[int | None, typer.Option(help="Export only the first N of those.")] = None,
    lang: Annotated[str, typer.Option(help="Language of the reason column: id or en.")] = "id",
    engine: Annotated[
        str, typer.Option(help="local, or dask (partitioned by administrative code).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="With --engine dask: scheduler address (else a LocalCluster)."),
    ] = None,
    workload: Annotated[
        Path | None,
        typer.Option(help="A partitioned workload folder (infra-gap national generate)."),
    ] = None,
    priority_list: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Priority locations for BAKTI eligibility (CSV/XLSX: kode at any level, "
            "sumber for each row, nama optional), besides the 3T list of Perpres 63/2020.",
        ),
    ] = None,
    eligible_only: Annotated[
        bool,
        typer.Option(
            help="Write only BAKTI-eligible areas (3T or priority location, with MSMEs "
            "without 4G); ranks stay those of all areas."
        ),
    ] = False,
) -> None:
    """Rank areas and write the priority list (the embedded demo without --areas)."""
    if engine not in {"local", "dask"}:
        typer.echo(f"error: --engine must be local or dask, got {engine!r}", err=True)
        raise typer.Exit(code=2)
    if engine == "dask" or workload is not None:
        if areas is not None or msme is not None:
            typer.echo(
                "error: --engine dask / --workload run the demo or a partitioned workload "
                "(infra-gap national generate); --areas and --msme are for the local engine",
                err=True,
            )
            raise typer.Exit(code=2)
        national_rank(
            level=level, out=out, sep=sep, engine=engine, scheduler=scheduler, scale=None,
            workload=workload, workers=None, covered_min=covered_min, weight=weight,
            preset=preset, scenario=scenario, top_n=top_n, stability=stability, province=None,
            lang=lang, excel_id=excel_id,
        )  # fmt: skip
        return
    _check_level_lang(level, lang)
    try:
        t0 = time.perf_counter()
        chosen = scenario_from_options(
            path=scenario, level=level, preset=preset, weight=weight, covered_min=covered_min,
            top_n=top_n, draws=stability,
        )  # fmt: skip
        opts = InputOptions(
            areas=areas, areas_layer=areas_layer, id_col=id_col, name_col=name_col, msme=msme,
            lat_col=lat_col, lon_col=lon_col, coverage=coverage,
            coverage_nodata=coverage_nodata, operators_as_of=operators_as_of,
            site_distance_m=site_distance_m, towers=towers, speedtests=speedtests,
            backbone=backbone, sources=sources,
        )  # fmt: skip
        clock: list[tuple[str, float, float]] = []
        _tick(clock, "start")
        layers, boundary = load_inputs(opts, level=level)
        chosen = _own_level(chosen, layers, own=areas is not None, from_file=scenario)
        _tick(clock, "read")
        facts = place_and_cover(layers, covered_min=chosen.covered_min)
        _tick(clock, "place and cover")
        table = _indicators(layers, facts, chosen)
        _tick(clock, "indicators")
        result = run_scenario(table, chosen)
        _tick(clock, "score and stability")
        ranked = _eligible_rows(result, priority_list, eligible_only, lang)
        write_ranked(
            ranked, layers, out, meta=meta_for(result), facts=facts, lang=lang,
            sep=sep, excel_id=excel_id, evidence=gpkg_evidence.value, within=within, top=top,
            region=DEMO_REGION if areas is None else "",
        )  # fmt: skip
        if rejected is not None:
            io.write_bytes(rejected_csv(facts.rejected, sep=sep, excel_id=excel_id), rejected)
        _tick(clock, "write")
        report_inputs(facts, boundary)
        _tick(clock, "report")
    except InfraGapError as err:
        _fail(err)
        return
    typer.echo(f"{len(ranked):,} {chosen.level} areas -> {out} ({time.perf_counter() - t0:.1f} s)")
    typer.echo(_timing(clock, result))
    if rejected is not None:
        typer.echo(f"rejected rows ({len(facts.rejected):,}) -> {rejected}")
    if result.dropped:
        typer.echo(
            f"warning: weighted indicator(s) not in this data, dropped and the other weights "
            f"re-balanced: {', '.join(result.dropped)}"
        )
    typer.echo(_summary(result))
    report_sources(layers, out=out)
    if layers.synthetic:
        typer.echo("note: all layers except the boundaries are a SYNTHETIC DEMO.")


@demo_app.command("export")
def demo_export(
    out: Annotated[Path, typer.Option(help="Folder to write the demo layers into.")],
) -> None:
    """Write every demo layer in the real formats a user would bring."""
    try:
        layers = load_demo(default_data_dir(), default_cache_dir())
        paths = export_demo(layers, out)
    except InfraGapError as err:
        _fail(err)
        return
    for p in paths:
        typer.echo(f"wrote {p}")
    typer.echo("note: these layers are a SYNTHETIC DEMO, except the boundaries (areas.gpkg).")


app.command()(dossier)
app.add_typer(national_app, name="national")
app.command("sites")(sites)


def main() -> None:
    """Entry point of the ``infra-gap`` script: refuses to run in an unsafe GDAL setup."""
    try:
        check_environment()
    except InfraGapError as err:
        typer.echo(f"error [{err.code}]: {err}", err=True)
        sys.exit(2)
    sys.exit(app())
