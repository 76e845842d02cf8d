"""``infra-gap dossier``: the PDF of chosen areas, ready to attach to a BAKTI request.

Takes the input options of ``rank`` (``--areas``, ``--msme``, ``--coverage``, ... from
:mod:`infra_gap.cli.inputs`) and the same scenario options, and runs on the embedded demo
without them.  The export functions this module used to hold are library API now
(:mod:`infra_gap.outputs.formats`); their old names here still work.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from infra_gap.cli.common import (
    OverwriteOpt,
    QuietOpt,
    Reporter,
    VerboseOpt,
    check_output,
    runtime_error,
    usage_error,
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
from infra_gap.cli.options import (
    PresetOpt,
    ScenarioOpt,
    StabilityOpt,
    TopNOpt,
    UnknownAsNeedOpt,
    WeightOpt,
    WithinOpt,
    check_common,
    scenario_or_exit,
)
from infra_gap.config import LEVELS
from infra_gap.errors import InfraGapError

if TYPE_CHECKING:
    from infra_gap.ranking.scenario import Scenario

__all__ = ["dossier"]

_MOVED = {  # old name here -> the library module that holds it now
    "DEMO_REGION": "infra_gap.synthetic.demo",
    "FORMATS": "infra_gap.outputs.formats",
    "export_bytes": "infra_gap.outputs.formats",
    "meta_for": "infra_gap.outputs.formats",
    "schema_for": "infra_gap.outputs.formats",
    "schema_path": "infra_gap.outputs.formats",
    "select_codes": "infra_gap.outputs.formats",
    "write_ranked": "infra_gap.outputs.formats",
}


def __getattr__(name: str) -> Any:
    """The names that moved to the library, loaded on first use (PEP 562)."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def _checklist(path: Path | None) -> dict[str, dict[str, str]]:
    from infra_gap import io
    from infra_gap.outputs.dossier.checklist import checklist_entries

    if path is None:
        return {}
    return checklist_entries(io.read_checklist(path), source=str(path))


def dossier(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Output PDF file.")],
    codes: Annotated[str, typer.Option(help="Area codes, comma-separated (CODE[,CODE...]).")] = "",
    level: Annotated[
        str | None,
        typer.Option(
            help=f"One of {', '.join(LEVELS)}: the level ranked, and of --areas "
            "(default: the scenario's, else kecamatan)."
        ),
    ] = None,
    lang: Annotated[str, typer.Option(help="id (Bahasa Indonesia) or en.")] = "id",
    within: WithinOpt = None,
    top: Annotated[
        int,
        typer.Option(
            help="Without --codes: how many areas (the best ranked with MSMEs without 4G)."
        ),
    ] = 5,
    checklist: Annotated[
        Path | None,
        typer.Option(
            help="Readiness checklist, TOML: [[area]] kode = ..., lahan, lahan_hibah, lahan_pbg, "
            "lahan_pinjam_pakai, listrik, akses, penjaga, surat_usulan, blank_spot, status_3t "
            "(a JSON {code: {field: text}} also works)."
        ),
    ] = None,
    areas: AreasOpt = None,
    areas_layer: AreasLayerOpt = None,
    id_col: IdColOpt = None,
    name_col: NameColOpt = None,
    msme: MsmeOpt = None,
    lat_col: LatColOpt = None,
    lon_col: LonColOpt = None,
    coverage: CoverageOpt = None,
    coverage_nodata: CoverageNodataOpt = None,
    towers: TowersOpt = None,
    speedtests: SpeedtestsOpt = None,
    backbone: BackboneOpt = None,
    podes: PodesOpt = None,
    operator_coverage: OperatorCoverageOpt = None,
    sources: SourcesOpt = None,
    covered_min: Annotated[
        float | None,
        typer.Option(help="Coverage value at or above which a pixel is covered."),
    ] = None,
    weight: WeightOpt = None,
    preset: PresetOpt = None,
    scenario: ScenarioOpt = None,
    top_n: TopNOpt = None,
    stability: StabilityOpt = None,
    unknown_as_need: UnknownAsNeedOpt = None,
    region: Annotated[
        str | None,
        typer.Option(help="Region on the cover (default: the demo's province, else none)."),
    ] = None,
    operators_as_of: OperatorsAsOfOpt = None,
    site_distance_m: SiteDistanceOpt = None,
    priority_list: PriorityListOpt = None,
    eligible_only: Annotated[
        bool,
        typer.Option(
            help="Without --codes: take only BAKTI-eligible areas (3T or priority location, "
            "with MSMEs without 4G)."
        ),
    ] = False,
    workload: Annotated[
        str | None,
        typer.Option(
            metavar="DIR|URL",
            help="A workload (infra-gap workload build): ranked on Dask; only the partitions "
            "of the chosen areas are read for their MSMEs. A folder or an fsspec URL.",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help="With --workload: Dask scheduler address (else a LocalCluster)."),
    ] = None,
    overwrite: OverwriteOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Write the PDF dossier of chosen areas (of the demo, or of --areas), ready for BAKTI."""
    from infra_gap.cli.common import start_work

    check_common(level=level, lang=lang)
    if top < 1:
        usage_error(f"--top must be at least 1, got {top}")
    opts = InputOptions(
        areas=areas, areas_layer=areas_layer, id_col=id_col, name_col=name_col, msme=msme,
        lat_col=lat_col, lon_col=lon_col, coverage=coverage, coverage_nodata=coverage_nodata,
        towers=towers, speedtests=speedtests, backbone=backbone, sources=sources, podes=podes,
        operators_as_of=operators_as_of, site_distance_m=site_distance_m,
        operator_coverage=tuple(operator_coverage) if operator_coverage else None,
    )  # fmt: skip
    own = any(v is not None for v in vars(opts).values())
    if workload is not None and own:
        usage_error("give either your files (--areas, --msme, ...) or --workload DIR, not both")
    if workload is None and scheduler is not None:
        usage_error("--scheduler is for --workload")
    check_inputs(opts)
    path = check_output(str(out), suffixes=(".pdf",), overwrite=overwrite)
    check_not_an_input(opts, path)
    chosen_scenario = scenario_or_exit(
        path=scenario, level=level, preset=preset, weight=weight, covered_min=covered_min,
        top_n=top_n, draws=stability, unknown_as_need=unknown_as_need,
    )  # fmt: skip
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose)
    if workload is not None:
        assert path is not None
        _workload_dossier(
            ctx, workload, chosen_scenario, path=path, level=level, codes=codes, lang=lang,
            within=within or "", top=top, entries_path=checklist, region=region or "",
            scheduler=scheduler, reporter=reporter, priority_list=priority_list,
            eligible_only=eligible_only,
        )  # fmt: skip
        return
    start_work(ctx)
    t0 = time.perf_counter()
    try:
        from infra_gap.cli.dossier_workload import choose_codes
        from infra_gap.cli.pipeline import run_local
        from infra_gap.cli.ranked import eligible_rows
        from infra_gap.outputs.dossier.document import dossier_pdf
        from infra_gap.outputs.dossier.proposal import proposal_sites
        from infra_gap.outputs.formats import meta_for
        from infra_gap.synthetic.demo import DEMO_REGION

        entries = _checklist(checklist)
        run = run_local(opts, chosen_scenario, reporter, level=level, scenario_file=scenario)
        # every area with its BAKTI eligibility (the 3T line of each section reads it)
        ranked = eligible_rows(run.result, priority_list, False, lang, reporter)
        chosen = choose_codes(
            ranked, codes, within=within or "", top=top, eligible_only=eligible_only
        )
        cover = region if region is not None else (DEMO_REGION if areas is None else "")
        at = run.result.scenario.level
        sites = proposal_sites(run.layers, run.facts, chosen) if at != "kabupaten" else None
        with reporter.step(f"Writing {out}", "write"):
            data = dossier_pdf(
                ranked, run.layers, run.facts, codes=chosen, meta=meta_for(run.result),
                lang=lang, checklist=entries, sites=sites, region=cover,
            )  # fmt: skip
            write_output(data, path)
    except InfraGapError as err:
        runtime_error(err)
    if areas is not None:
        report_inputs(run.facts, run.boundary, reporter)
    level_ = run.result.scenario.level
    reporter.report(
        f"dossier: {len(chosen)} {level_} area(s) ({', '.join(chosen)}) -> {out} "
        f"({time.perf_counter() - t0:.1f} s)"
    )
    report_sources(run.layers, reporter=reporter)
    if run.layers.synthetic:
        reporter.note("all layers except the boundaries are a SYNTHETIC DEMO.")


def _workload_dossier(
    ctx: typer.Context,
    workload: str,
    chosen_scenario: Scenario,
    *,
    path: Path,
    level: str | None,
    codes: str,
    lang: str,
    within: str,
    top: int,
    entries_path: Path | None,
    region: str,
    scheduler: str | None,
    reporter: Reporter,
    priority_list: Path | None,
    eligible_only: bool,
) -> None:
    """``dossier --workload``: ranked on Dask, the chosen areas' partitions read."""
    from infra_gap.cli.common import start_work, workload_root

    root = workload_root(workload)
    assert root is not None
    start_work(ctx)
    t0 = time.perf_counter()
    try:
        from infra_gap.cli.dossier_workload import area_facts, choose_codes, rank_workload
        from infra_gap.cli.ranked import eligible_rows
        from infra_gap.outputs.dossier.document import dossier_pdf
        from infra_gap.outputs.dossier.proposal import proposal_sites
        from infra_gap.outputs.formats import meta_for

        entries = _checklist(entries_path)
        with reporter.step("Ranking the workload on the dask engine", "rank"):
            wl, result, run = rank_workload(root, chosen_scenario, level=level, scheduler=scheduler)
        # every area with its BAKTI eligibility (the 3T line of each section reads it)
        ranked = eligible_rows(result, priority_list, False, lang, reporter)
        chosen = choose_codes(ranked, codes, within=within, top=top, eligible_only=eligible_only)
        with reporter.step("Reading the chosen areas' partitions", "read"):
            layers, facts = area_facts(wl, result, run, chosen)
        at = result.scenario.level
        sites = proposal_sites(layers, facts, chosen) if at != "kabupaten" else None
        with reporter.step(f"Writing {path}", "write"):
            data = dossier_pdf(
                ranked, layers, facts, codes=chosen, meta=meta_for(result), lang=lang,
                checklist=entries, sites=sites, region=region,
            )  # fmt: skip
            write_output(data, path)
    except InfraGapError as err:
        runtime_error(err)
    for acc in run.accounts:
        reporter.report(
            f"rows: {acc.source} read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}"
        )
    from infra_gap.national.area_facts import partitions_near, reach_limit_m

    parts = partitions_near(wl, chosen, layers.areas[wl.finest], within_m=reach_limit_m())
    reporter.report(
        f"dossier: {len(chosen)} {at} area(s) ({', '.join(chosen)}) -> {path} "
        f"({time.perf_counter() - t0:.1f} s; MSMEs read from partition(s) {', '.join(parts)})"
    )
    report_sources(layers, reporter=reporter)
