"""``infra-gap rank``: rank areas and write the priority list, on the demo or own files.

Registered by :mod:`infra_gap.cli.main`.  With ``--engine dask`` or ``--workload`` the run goes
to :mod:`infra_gap.cli.national` or :mod:`infra_gap.cli.workload`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from infra_gap.cli.common import (
    OverwriteOpt,
    QuietOpt,
    Reporter,
    VerboseOpt,
    check_output,
    may_end_quickly,
    one_blas_thread,
    runtime_error,
    start_work,
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
    ExcelIdOpt,
    GpkgEvidence,
    GpkgEvidenceOpt,
    IdColOpt,
    InputOptions,
    LatColOpt,
    LonColOpt,
    MsmeOpt,
    NameColOpt,
    OperatorCoverageOpt,
    OperatorsAsOfOpt,
    PodesOpt,
    PriorityListOpt,
    SiteDistanceOpt,
    SourcesOpt,
    SpeedtestsOpt,
    TowersOpt,
    check_inputs,
    check_not_an_input,
    report_inputs,
    report_sources,
)
from infra_gap.cli.national import run_national_rank
from infra_gap.cli.options import (
    PresetOpt,
    ScenarioOpt,
    SepOpt,
    StabilityOpt,
    TopNOpt,
    UnknownAsNeedOpt,
    WeightOpt,
    WithinOpt,
    check_choice,
    check_common,
    scenario_or_exit,
)
from infra_gap.cli.ranked import RANK_SUFFIXES, check_companions, eligible_rows, summary
from infra_gap.cli.workload import RankOptions
from infra_gap.config import LEVELS, CoverageParams
from infra_gap.errors import InfraGapError

if TYPE_CHECKING:
    from infra_gap.cli.pipeline import LocalRun

__all__ = ["rank"]

_DEMO_NOTE = "all layers except the boundaries are a SYNTHETIC DEMO."


def rank(
    ctx: typer.Context,
    level: Annotated[
        str | None,
        typer.Option(
            help=f"One of {', '.join(LEVELS)}: the level ranked, and of --areas "
            "(default: with --areas, read from its codes; else the scenario's, else "
            "kecamatan)."
        ),
    ] = None,
    out: Annotated[
        str,
        typer.Option(
            metavar="PATH",
            help="Output file: .csv, .xlsx, .gpkg or .pdf (by extension); - writes the CSV "
            "to stdout.",
        ),
    ] = "ranking.csv",
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
    podes: PodesOpt = None,
    operator_coverage: OperatorCoverageOpt = None,
    sources: SourcesOpt = None,
    rejected: Annotated[
        Path | None, typer.Option(help="Write the rejected rows (source,row,reason) here.")
    ] = None,
    sep: SepOpt = ",",
    excel_id: ExcelIdOpt = False,
    gpkg_evidence: GpkgEvidenceOpt = GpkgEvidence.clip,
    covered_min: Annotated[
        float | None,
        typer.Option(
            help="Coverage value at or above which a pixel is covered "
            f"(default: the scenario's, else {CoverageParams().covered_min:g})."
        ),
    ] = None,
    weight: WeightOpt = None,
    preset: PresetOpt = None,
    scenario: ScenarioOpt = None,
    top_n: TopNOpt = None,
    stability: StabilityOpt = None,
    unknown_as_need: UnknownAsNeedOpt = None,
    within: WithinOpt = None,
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
        str | None,
        typer.Option(
            metavar="DIR|URL",
            help="A partitioned workload (infra-gap workload build, or national generate): a "
            "folder or an fsspec URL such as s3://bucket/wl (credentials from the environment).",
        ),
    ] = None,
    priority_list: PriorityListOpt = None,
    eligible_only: Annotated[
        bool,
        typer.Option(
            help="Write only BAKTI-eligible areas (3T or priority location, with MSMEs "
            "without 4G); ranks stay those of all areas."
        ),
    ] = False,
    overwrite: OverwriteOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Rank areas and write the priority list (the embedded demo without --areas)."""
    if engine == "local" and workload is None:
        one_blas_thread(ctx)
    check_choice("--engine", engine, ("local", "dask"))
    check_common(level=level, lang=lang, sep=sep)
    if top is not None and top < 1:
        usage_error(f"--top must be at least 1, got {top}")
    opts = InputOptions(
        areas=areas, areas_layer=areas_layer, id_col=id_col, name_col=name_col, msme=msme,
        lat_col=lat_col, lon_col=lon_col, coverage=coverage, coverage_nodata=coverage_nodata,
        operators_as_of=operators_as_of, site_distance_m=site_distance_m, towers=towers,
        speedtests=speedtests, backbone=backbone, sources=sources, podes=podes,
        operator_coverage=tuple(operator_coverage) if operator_coverage else None,
    )  # fmt: skip
    root = workload_root(workload)
    national = engine == "dask" or root is not None
    own = any(v is not None for v in vars(opts).values())
    if national and own and root is not None:
        usage_error("give either your files (--areas, --msme, ...) or --workload DIR, not both")
    if national and podes is not None:
        usage_error(
            "--podes works with the local engine only: a partitioned workload carries no "
            "Podes table"
        )
    if national and operator_coverage:
        usage_error(
            "--operator-coverage works with the local engine only: a partitioned workload "
            "carries no operator coverage rasters"
        )
    if national and (own or _built(root)):
        _workload_rank(ctx, opts=opts, workload=root, level=level, out=out,
                       rejected=rejected, scenario=scenario, scheduler=scheduler,
                       overwrite=overwrite, quiet=quiet, verbose=verbose, chosen=(
                           preset, weight, covered_min, top_n, stability, unknown_as_need),
                       options=RankOptions(sep=sep, excel_id=excel_id, lang=lang, within=within,
                           top=top, priority_list=priority_list, eligible_only=eligible_only,
                           evidence=gpkg_evidence.value, engine=engine))  # fmt: skip
        return
    if national:
        run_national_rank(
            level=level, out=out, sep=sep, engine=engine, scheduler=scheduler, scale=None,
            workload=root, workers=None, covered_min=covered_min, weight=weight,
            preset=preset, scenario=scenario, top_n=top_n, stability=stability, within=None,
            unknown_as_need=unknown_as_need, lang=lang, excel_id=excel_id, overwrite=overwrite,
            ctx=ctx, reporter=Reporter.make(ctx,
                quiet=quiet, verbose=verbose, data_on_stdout=out == "-"
            ),
        )  # fmt: skip
        return
    check_inputs(opts)
    path = check_output(out, suffixes=RANK_SUFFIXES, overwrite=overwrite, stdout=True)
    check_not_an_input(opts, path)
    check_companions(path, rejected, overwrite=overwrite)
    chosen = scenario_or_exit(
        path=scenario, level=level, preset=preset, weight=weight, covered_min=covered_min,
        top_n=top_n, draws=stability, unknown_as_need=unknown_as_need,
    )  # fmt: skip
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose, data_on_stdout=path is None)
    start_work(ctx)
    t0 = time.perf_counter()
    try:
        from infra_gap.cli.pipeline import run_local
        from infra_gap.outputs.export import rejected_csv
        from infra_gap.outputs.formats import export_bytes, meta_for, select_codes, write_ranked
        from infra_gap.synthetic.demo import DEMO_REGION

        run = run_local(opts, chosen, reporter, level=level, scenario_file=scenario)
        result, layers, facts = run.result, run.layers, run.facts
        region = DEMO_REGION if areas is None else ""
        ranked = eligible_rows(result, priority_list, eligible_only, lang, reporter)
        with reporter.step(f"Writing {out}", "write"):
            if path is None:  # the CSV on stdout
                data = export_bytes(
                    ranked, layers, fmt=".csv", meta=meta_for(result), facts=facts,
                    lang=lang, sep=sep, excel_id=excel_id, region=region,
                    codes=select_codes(ranked, within=within or "", top=top),
                )  # fmt: skip
                write_output(data, None)
            else:
                write_ranked(
                    ranked, layers, path, meta=meta_for(result), facts=facts, lang=lang,
                    sep=sep, excel_id=excel_id, evidence=gpkg_evidence.value, within=within or "",
                    top=top, region=region,
                )  # fmt: skip
            if rejected is not None:
                write_output(rejected_csv(facts.rejected, sep=sep, excel_id=excel_id), rejected)
    except InfraGapError as err:
        runtime_error(err)
    _report_rank(
        run, rows=len(ranked), out=out, path=path, rejected=rejected, reporter=reporter, t0=t0
    )
    may_end_quickly(ctx)  # the files are written and closed; no worker outlives the run


def _built(workload: Path | str | None) -> bool:
    """True when ``workload`` is a folder made by ``workload build`` (own files)."""
    if workload is None:
        return False
    from infra_gap.national.workload import is_built

    return is_built(workload)


def _workload_rank(
    ctx: typer.Context,
    *,
    opts: InputOptions,
    workload: Path | str | None,
    level: str | None,
    out: str,
    rejected: Path | None,
    scenario: Path | None,
    scheduler: str | None,
    overwrite: bool,
    quiet: bool,
    verbose: bool,
    chosen: tuple[str | None, list[str] | None, float | None, int | None, int | None, bool | None],
    options: RankOptions,
) -> None:
    """``rank --engine dask`` with own files or a built workload: checks, then the run."""
    from infra_gap.cli.workload import run_workload_rank

    if opts.areas is not None or workload is None:
        check_inputs(opts)
    path = check_output(out, suffixes=RANK_SUFFIXES, overwrite=overwrite, stdout=True)
    check_companions(path, rejected, overwrite=overwrite)
    preset, weight, covered_min, top_n, draws, unknown_as_need = chosen
    picked = scenario_or_exit(
        path=scenario, level=level, preset=preset, weight=weight, covered_min=covered_min,
        top_n=top_n, draws=draws, unknown_as_need=unknown_as_need,
    )  # fmt: skip
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose, data_on_stdout=path is None)
    run_workload_rank(
        ctx, opts=opts, workload=workload, level=level, chosen=picked, scenario_file=scenario,
        scheduler=scheduler, out=out, path=path, rejected=rejected, options=options,
        reporter=reporter,
    )  # fmt: skip


def _report_rank(
    run: LocalRun,
    *,
    rows: int,
    out: str,
    path: Path | None,
    rejected: Path | None,
    reporter: Reporter,
    t0: float,
) -> None:
    """The summary of ``rank``: row accounting, what was written, warnings and notes."""
    result = run.result
    report_inputs(run.facts, run.boundary, reporter)
    reporter.report(
        f"{rows:,} {result.scenario.level} areas -> {out} ({time.perf_counter() - t0:.1f} s)"
    )
    draws = result.scenario.stability.draws
    reporter.report(
        f"{reporter.timing()}, of which {draws:,} stability draws "
        f"{result.stability_seconds:.2f} s (--draws N)"
    )
    if rejected is not None:
        reporter.report(f"rejected rows ({len(run.facts.rejected):,}) -> {rejected}")
    if result.dropped:
        reporter.warn(
            f"weighted indicator(s) not in this data, dropped and the other weights "
            f"re-balanced: {', '.join(result.dropped)}"
        )
    reporter.report(summary(result))
    report_sources(run.layers, out=path, reporter=reporter)
    if run.layers.synthetic:
        reporter.note(_DEMO_NOTE)
