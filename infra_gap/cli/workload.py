"""Own files on the Dask engine: ``workload build``, and ``rank`` on a built workload.

``app.add_typer(workload_app, name="workload")`` gives::

    infra-gap workload build --areas kec.gpkg --msme umkm.csv --coverage cov.tif --out DIR

and ``rank --engine dask`` with ``--areas ...`` (a temporary workload) or with
``--workload DIR`` of a built workload calls :func:`run_workload_rank`, which writes what
``rank`` writes on the local engine (eligibility, ``--within``, ``--top``, ``--rejected``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infra_gap.cli.common import (
    QuietOpt,
    Reporter,
    VerboseOpt,
    check_output,
    runtime_error,
    usage_error,
    workload_root,
    write_output,
)
from infra_gap.cli.inputs import (
    AreasLayerOpt,
    AreasOpt,
    BackboneOpt,
    CoverageNodataOpt,
    CoverageOpt,
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
    check_inputs,
    report_sources,
    site_params,
)
from infra_gap.cli.options import check_choice, check_common
from infra_gap.config import LEVELS
from infra_gap.errors import InfraGapError

if TYPE_CHECKING:
    import pandas as pd

    from infra_gap.analysis.inputs import InputPaths
    from infra_gap.layers import Layers
    from infra_gap.national.build import BuildResult
    from infra_gap.national.workload import Workload
    from infra_gap.ranking.scenario import Scenario, ScenarioResult
    from infra_gap.runs import EngineRun

__all__ = ["RankOptions", "build_paths", "run_workload_rank", "workload_app"]


@dataclass(frozen=True)
class RankOptions:
    """The output options of ``rank`` that a workload run honours as the local one does."""

    sep: str = ","
    excel_id: bool = False
    lang: str = "id"
    within: str | None = None
    top: int | None = None
    priority_list: Path | None = None
    eligible_only: bool = False
    evidence: str = "clip"
    engine: str = "dask"


workload_app = typer.Typer(
    no_args_is_help=True, help="Own files as a partitioned workload, for the Dask engine."
)
BY = ("auto", "provinsi", "kabupaten")


def build_paths(opts: InputOptions, level: str | None) -> InputPaths:
    """The input options as :class:`~.inputs.InputPaths` (as ``rank`` reads them)."""
    from infra_gap.analysis.inputs import InputPaths

    assert opts.areas is not None
    assert opts.msme is not None
    return InputPaths(
        areas=opts.areas, level=level or "auto", msme=opts.msme, coverage=opts.coverage,
        coverage_nodata=opts.coverage_nodata, sites=site_params(opts), towers=opts.towers,
        speed_tiles=opts.speedtests, backbone=opts.backbone, areas_layer=opts.areas_layer,
        id_col=opts.id_col, name_col=opts.name_col, lat_col=opts.lat_col, lon_col=opts.lon_col,
    )  # fmt: skip


def build_with_progress(
    opts: InputOptions, out: Path, *, level: str | None, by: str, chunk_mb: int, reporter: Reporter
) -> BuildResult:
    """:func:`infra_gap.national.build.build_workload`, its progress on stderr."""
    from infra_gap.io import read_sources
    from infra_gap.national.build import build_workload

    provenance = read_sources(opts.sources) if opts.sources is not None else None
    t0 = time.perf_counter()

    def progress(read: int, placed: int) -> None:
        if not reporter.quiet:
            typer.echo(
                f"  {read:,} register rows read, {placed:,} placed "
                f"({time.perf_counter() - t0:.1f} s)",
                err=True,
            )

    result = build_workload(
        build_paths(opts, level), out, by=by, chunk_bytes=chunk_mb << 20,
        provenance=provenance, progress=progress,
    )  # fmt: skip
    for note in result.notes:
        typer.echo(note, err=True)
    return result


def report_build(result: BuildResult, reporter: Reporter) -> None:
    """Row accounting and rejection reasons, as ``rank`` prints them."""
    for acc in result.accounts:
        reporter.report(
            f"rows: {acc.source} read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}"
        )
    reasons = result.rejected.groupby(["source", "reason"]).size().reset_index(name="n")
    for r in reasons.itertuples():
        reporter.report(f"  rejected {r.source}: {r.n:,} x {r.reason}")


def _empty_folder(out: Path | str) -> None:
    from infra_gap.io import partitioned

    if not partitioned.is_empty_folder(out):
        usage_error(f"--out must be a new or empty folder, got {out}")


@workload_app.command("build")
def build(
    ctx: typer.Context,
    out: Annotated[
        str,
        typer.Option(
            metavar="DIR|URL",
            help="The workload folder to write (new or empty), or an fsspec URL such as "
            "s3://bucket/wl (built on local disk, then uploaded; credentials from the "
            "environment).",
        ),
    ],
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
    level: Annotated[
        str | None,
        typer.Option(help=f"Level of --areas: one of {', '.join(LEVELS)} (default: from codes)."),
    ] = None,
    by: Annotated[
        str,
        typer.Option(
            help="Partitions by provinsi or kabupaten code; auto: kabupaten when a province's "
            "share of the register is over 256 MB."
        ),
    ] = "auto",
    chunk_mb: Annotated[
        int, typer.Option(help="Megabytes of the MSME register read at a time.")
    ] = 64,
    rejected: Annotated[
        Path | None, typer.Option(help="Also write the rejected rows (source,row,reason) here.")
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Build a partitioned workload from your own files (the MSME register read in chunks).

    Takes rank's input options; validates and accounts for rows as rank does, writes the
    rejected rows (rejected.parquet in the folder; --rejected as CSV) and a manifest.
    """
    from infra_gap.cli.common import start_work

    check_common(level=level)
    check_choice("--by", by, BY)
    if chunk_mb < 1:
        usage_error(f"--chunk-mb must be at least 1, got {chunk_mb}")
    opts = InputOptions(
        areas=areas, areas_layer=areas_layer, id_col=id_col, name_col=name_col, msme=msme,
        lat_col=lat_col, lon_col=lon_col, coverage=coverage, coverage_nodata=coverage_nodata,
        operators_as_of=operators_as_of, site_distance_m=site_distance_m, towers=towers,
        speedtests=speedtests, backbone=backbone, sources=sources,
    )  # fmt: skip
    if areas is None:
        usage_error("workload build needs --areas and --msme (your own files)")
    check_inputs(opts)
    root = workload_root(out)
    assert root is not None
    _empty_folder(root)
    if rejected is not None:
        check_output(str(rejected), suffixes=(".csv",), overwrite=False)
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose)
    start_work(ctx)
    try:
        from infra_gap.io import partitioned
        from infra_gap.outputs.export import rejected_csv

        with partitioned.scratch_folder("infra-gap-build-") as scratch:
            local = root if isinstance(root, Path) else scratch
            with reporter.step(f"Building the workload {out}", "build"):
                result = build_with_progress(
                    opts, local, level=level, by=by, chunk_mb=chunk_mb, reporter=reporter
                )
            if isinstance(root, str):
                with reporter.step(f"Uploading to {root}", "upload"):
                    partitioned.upload(scratch, root)
        if rejected is not None:
            write_output(rejected_csv(result.rejected), rejected)
    except InfraGapError as err:
        runtime_error(err)
    report_build(result, reporter)
    wl = result.workload
    reporter.report(
        f"{out}: {len(wl.parts)} {wl.partition_level} partition(s), {wl.finest} areas, "
        f"layers {', '.join(wl.layers) or 'none'} ({result.seconds:.1f} s)"
    )
    reporter.report(f"rejected rows ({len(result.rejected):,}) -> {out}/rejected.parquet")
    if rejected is not None:
        reporter.report(f"rejected rows -> {rejected}")


def _scenario_level(chosen: Scenario, wl_levels: tuple[str, ...], finest: str, *, own: bool,
                    level: str | None, scenario_file: Path | None) -> Scenario:  # fmt: skip
    """The level ranked: the areas' own with own files, else ``--level`` or the finest."""
    from dataclasses import replace

    if own or level is None:
        if scenario_file is not None and chosen.level != finest:
            typer.echo(
                f"warning: {scenario_file.name} says level {chosen.level}, but the areas are "
                f"{finest}; ranking {finest} (give --level to choose)",
                err=True,
            )
        return replace(chosen, level=finest)
    if level not in wl_levels:
        usage_error(f"--level {level}: the workload holds {', '.join(wl_levels)}")
    return chosen


def run_workload_rank(
    ctx: typer.Context,
    *,
    opts: InputOptions,
    workload: Path | str | None,
    level: str | None,
    chosen: Scenario,
    scenario_file: Path | None,
    scheduler: str | None,
    out: str,
    path: Path | None,
    rejected: Path | None,
    options: RankOptions,
    reporter: Reporter,
) -> None:
    """``rank --engine dask`` on own files (a temporary workload) or on a built workload.

    ``options``: the output options as ``rank`` takes them.
    """
    from infra_gap.cli.common import start_work

    start_work(ctx)
    t0 = time.perf_counter()
    own = opts.areas is not None
    try:
        from infra_gap.io import partitioned
        from infra_gap.national.workload import read_workload

        with partitioned.scratch_folder("infra-gap-workload-") as scratch:
            if own:
                with reporter.step("Building a temporary workload", "build"):
                    built = build_with_progress(
                        opts, scratch, level=level, by="auto", chunk_mb=64, reporter=reporter
                    )
                wl = built.workload
            else:
                assert workload is not None
                wl = read_workload(workload)
            scenario = _scenario_level(
                chosen, wl.levels, wl.finest, own=own, level=level, scenario_file=scenario_file
            )
            written = _rank_and_write(
                wl, scenario, scheduler=scheduler, out=out, path=path, rejected=rejected,
                options=options, reporter=reporter,
            )  # fmt: skip
    except InfraGapError as err:
        runtime_error(err)
    run, result, rows, rejected_rows, layers = written
    for acc in run.accounts:
        reporter.report(
            f"rows: {acc.source} read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}"
        )
    if rejected_rows is not None:
        reasons = rejected_rows.groupby(["source", "reason"]).size().reset_index(name="n")
        for r in reasons.itertuples():
            reporter.report(f"  rejected {r.source}: {r.n:,} x {r.reason}")
    reporter.report(
        f"{rows:,} {result.scenario.level} areas -> {out} "
        f"({time.perf_counter() - t0:.1f} s; ranked in {run.seconds:.1f} s on {run.engine})"
    )
    if rejected is not None and rejected_rows is not None:
        reporter.report(f"rejected rows ({len(rejected_rows):,}) -> {rejected}")
    from infra_gap.cli.ranked import summary as _summary

    reporter.report(_summary(result))
    report_sources(layers, out=path, reporter=reporter)


def _rank_and_write(
    wl: Workload,
    scenario: Scenario,
    *,
    scheduler: str | None,
    out: str,
    path: Path | None,
    rejected: Path | None,
    options: RankOptions,
    reporter: Reporter,
) -> tuple[EngineRun, ScenarioResult, int, pd.DataFrame | None, Layers]:
    """Rank ``wl`` on Dask and write what ``rank`` writes; inside the scratch folder's life."""
    from infra_gap.cli.ranked import eligible_rows
    from infra_gap.errors import DataError
    from infra_gap.io import partitioned
    from infra_gap.national.view import workload_layers
    from infra_gap.outputs.export import rejected_csv
    from infra_gap.outputs.formats import export_bytes, meta_for, select_codes, write_ranked
    from infra_gap.registry import uses_siting
    from infra_gap.runs import rank_with_engine

    if uses_siting(scenario.weights):
        msg = (
            "the cost-efficiency indicator is solved per area from each MSME's facts: "
            "use --engine local for it"
        )
        raise DataError(msg)
    with reporter.step(f"Ranking on the {options.engine} engine", "rank"):
        result, run = rank_with_engine(
            scenario, engine=options.engine, scheduler=scheduler, workload=wl.root
        )
    layers = workload_layers(run.workload, level=scenario.level, accounts=run.accounts)
    ranked = eligible_rows(
        result, options.priority_list, options.eligible_only, options.lang, reporter
    )
    sep, excel_id, lang = options.sep, options.excel_id, options.lang
    within, top = options.within or "", options.top
    rejected_rows = partitioned.read_rejected(wl.root)
    with reporter.step(f"Writing {out}", "write"):
        if path is None:
            data = export_bytes(
                ranked, layers, fmt=".csv", meta=meta_for(result), lang=lang, sep=sep,
                excel_id=excel_id, codes=select_codes(ranked, within=within, top=top),
            )  # fmt: skip
            write_output(data, None)
        elif path.suffix.lower() == ".pdf":  # the dossier, its MSMEs from their partitions
            from infra_gap.national.area_facts import workload_area_facts

            chosen = select_codes(ranked, within=within, top=top)
            codes = list(chosen) if chosen is not None else ranked["kode"].head(5).tolist()
            pdf_layers, facts = workload_area_facts(
                wl, codes, level=scenario.level, covered_min=scenario.covered_min,
                accounts=run.accounts,
            )  # fmt: skip
            write_ranked(
                ranked, pdf_layers, path, meta=meta_for(result), facts=facts, lang=lang,
                within=within, top=top,
            )  # fmt: skip
        else:
            write_ranked(
                ranked, layers, path, meta=meta_for(result), lang=lang, sep=sep,
                excel_id=excel_id, evidence=options.evidence, within=within, top=top,
                rejected=rejected_rows, accounts=run.accounts,
            )  # fmt: skip
        if rejected is not None and rejected_rows is not None:
            write_output(rejected_csv(rejected_rows, sep=sep, excel_id=excel_id), rejected)
    return run, result, len(ranked), rejected_rows, layers
