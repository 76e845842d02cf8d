"""``infra-gap sites``: where to build towers, what they cost, and the MSMEs they reach.

Registered by :mod:`infra_gap.cli.main` as ``app.command("sites")(sites)``.  Takes the input
options of ``rank`` (``--areas``, ``--msme``, ``--coverage``, ... from
:mod:`infra_gap.cli.inputs`) and runs on the embedded demo without them.
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
    merge_alias,
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
    ExcelIdOpt,
    IdColOpt,
    InputOptions,
    LatColOpt,
    LonColOpt,
    MsmeOpt,
    NameColOpt,
    OperatorCoverageOpt,
    OperatorsAsOfOpt,
    SiteDistanceOpt,
    SourcesOpt,
    SpeedtestsOpt,
    TowersOpt,
    check_inputs,
    check_not_an_input,
    load_inputs,
    report_inputs,
)
from infra_gap.cli.options import SepOpt, WithinOpt, check_common
from infra_gap.config import LEVEL_CODE_LENGTH, LEVELS, CoverageParams
from infra_gap.errors import InfraGapError

if TYPE_CHECKING:
    from infra_gap.analysis.pipeline import PointFacts
    from infra_gap.analysis.validate import BoundaryReport
    from infra_gap.layers import Layers
    from infra_gap.siting.costs import CostParams
    from infra_gap.siting.plan import SitePlan
    from infra_gap.siting.problem import ReachParams, SitingProblem

__all__ = ["DEFAULT_BUDGET_IDR", "sites"]

#: Budget used when neither ``--budget-idr`` nor ``--count`` is given (the issue's example).
DEFAULT_BUDGET_IDR = 50e9
_OUT_SUFFIXES = (".csv", ".geojson", ".gpkg")


def _write(plan: SitePlan, out: Path | None, *, synthetic: bool, sep: str, excel_id: bool) -> None:
    """The sites as CSV (also to stdout when ``out`` is None), GeoJSON or GeoPackage."""
    from infra_gap import io
    from infra_gap.outputs.export import REAL_LABEL, SYNTHETIC_LABEL, sites_csv
    from infra_gap.siting.plan import reach_discs

    suffix = ".csv" if out is None else out.suffix.lower()
    if suffix == ".csv":
        write_output(sites_csv(plan.sites, synthetic=synthetic, sep=sep, excel_id=excel_id), out)
        return
    assert out is not None
    gdf = plan.sites.copy()
    gdf["data_status"] = SYNTHETIC_LABEL if synthetic else REAL_LABEL
    if suffix == ".geojson":
        io.write_vector(gdf, out)
        return
    # A fresh GeoPackage written whole, then renamed: no layers from an older run, and
    # nothing half-written under the final name.
    write_output(io.geopackage_bytes({"sites": gdf, "reach": reach_discs(gdf)}), out)


def _check(
    budget_idr: float | None,
    count: int | None,
    terrain: str,
    level: str | None,
    sep: str,
    lang: str,
    method: str,
) -> None:
    """Usage errors of the options, before any data is loaded (exit 2)."""
    check_common(level=level, lang=lang, sep=sep)
    rules = [
        (budget_idr is not None and count is not None, "give --budget-idr or --count, not both"),
        (terrain not in {"flat", "hilly"}, f"--terrain must be flat or hilly, got {terrain!r}"),
        (
            method not in {"auto", "greedy", "exact"},
            f"--method must be auto, greedy or exact, got {method!r}",
        ),
    ]
    problem = next((text for bad, text in rules if bad), None)
    if problem is not None:
        usage_error(problem)


def sites(
    ctx: typer.Context,
    out: Annotated[
        str,
        typer.Option(
            metavar="PATH", help="Output file: .csv, .geojson or .gpkg; - writes the CSV to stdout."
        ),
    ],
    budget_idr: Annotated[
        float | None,
        typer.Option(help="Budget in rupiah (default Rp 50 billion when --count is not given)."),
    ] = None,
    count: Annotated[int | None, typer.Option(help="Number of sites, instead of a budget.")] = None,
    radius_km: Annotated[
        float | None,
        typer.Option(
            help="Flat-land reach of a site, km (default: 8 km for a 42 m BAKTI tower; "
            "hilly sites reach half)."
        ),
    ] = None,
    within: WithinOpt = None,
    area: Annotated[
        str | None,
        typer.Option(hidden=True, help="Old name of --within (sites in this area), kept."),
    ] = None,
    terrain: Annotated[
        str,
        typer.Option(
            help="Terrain of the candidates: hilly (4 km for a 42 m tower) or flat (8 km)."
        ),
    ] = "hilly",
    grid_km: Annotated[float, typer.Option(help="Spacing of the candidate grid, km.")] = 1.0,
    method: Annotated[str, typer.Option(help="auto, greedy or exact (ILP with HiGHS).")] = "auto",
    per_area_out: Annotated[
        Path | None,
        typer.Option(help="Also write, per area of --level, the sites needed for --share."),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            help=f"Level of --per-area-out and of --areas: {', '.join(LEVELS)} (default: with "
            "--areas, read from its codes; else kecamatan)."
        ),
    ] = None,
    share: Annotated[
        float, typer.Option(help="Share of an area's uncovered MSMEs to reach (per area).")
    ] = 0.8,
    covered_min: Annotated[
        float, typer.Option(help="Coverage value at or above which a pixel is covered.")
    ] = CoverageParams().covered_min,
    lang: Annotated[str, typer.Option(help="Language of the summary line: id or en.")] = "id",
    sep: SepOpt = ",",
    excel_id: ExcelIdOpt = False,
    opex_years: Annotated[
        int,
        typer.Option(
            min=0,
            help="Years of opex in each site's cost and in what the budget must hold "
            "(default 6, Giga's cost model; 0: the budget buys capex only).",
        ),
    ] = 6,
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
    operator_coverage: OperatorCoverageOpt = None,
    candidates: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="Candidate plots (points: GeoJSON, GeoPackage, zipped Shapefile, Parquet), e.g. "
            "land the local government can grant; columns nama, height_m, terrain, no_road, "
            "capex_class are optional.",
        ),
    ] = None,
    only_candidates: Annotated[
        bool, typer.Option(help="Use only the --candidates plots, not the generated grid.")
    ] = False,
    workload: Annotated[
        str | None,
        typer.Option(
            metavar="DIR|URL",
            help="A workload (infra-gap workload build) instead of --areas ...: reads the "
            "MSMEs of the partitions of --within and of those within a site's reach "
            "(without --within: every partition). A folder or an fsspec URL.",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Suggest tower sites for a budget or a number of sites, with costs (demo: no --areas)."""
    from infra_gap.cli.common import start_work

    opts = InputOptions(
        areas=areas, areas_layer=areas_layer, id_col=id_col, name_col=name_col, msme=msme,
        lat_col=lat_col, lon_col=lon_col, coverage=coverage, coverage_nodata=coverage_nodata,
        operators_as_of=operators_as_of, site_distance_m=site_distance_m, towers=towers,
        speedtests=speedtests, backbone=backbone, sources=sources,
        operator_coverage=tuple(operator_coverage) if operator_coverage else None,
    )  # fmt: skip
    _check(budget_idr, count, terrain, level, sep, lang, method)
    if only_candidates and candidates is None:
        usage_error("--only-candidates needs --candidates")
    within = merge_alias(within, area, name="--within", alias_name="--area")
    if workload is not None and any(v is not None for v in vars(opts).values()):
        usage_error("give either your files (--areas, --msme, ...) or --workload DIR, not both")
    check_inputs(opts)
    path = check_output(out, suffixes=_OUT_SUFFIXES, overwrite=overwrite, stdout=True)
    check_not_an_input(opts, path)
    if per_area_out is not None:
        check_output(str(per_area_out), suffixes=(".csv",), overwrite=overwrite)
    if budget_idr is None and count is None:
        budget_idr = DEFAULT_BUDGET_IDR
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose, data_on_stdout=path is None)
    start_work(ctx)
    t0 = time.perf_counter()
    try:
        from infra_gap import io
        from infra_gap.outputs.export import sites_csv
        from infra_gap.siting.costs import CostParams
        from infra_gap.siting.plan import area_site_needs, suggest_sites
        from infra_gap.siting.problem import ReachParams, siting_problem

        reach = ReachParams(radius_km=radius_km, terrain=terrain)
        layers, boundary, facts, level = _load(
            opts, workload, level=level, within=within, covered_min=covered_min, reach=reach,
            reporter=reporter,
        )  # fmt: skip
        plots = None if candidates is None else io.read_vector(candidates)
        costs = CostParams(opex_years=opex_years)
        with reporter.step("Choosing sites"):
            problem = siting_problem(
                layers, facts, reach=reach, costs=costs, grid_m=grid_km * 1000.0, area=within,
                uploaded=plots, generated=not only_candidates,
            )  # fmt: skip
            plan = suggest_sites(problem, count=count, budget_idr=budget_idr, method=method)
        with reporter.step(f"Writing {out}", "write"):
            _write(plan, path, synthetic=layers.synthetic, sep=sep, excel_id=excel_id)
            if per_area_out is not None:
                codes = layers.areas[level]["kode"]
                if within is not None:
                    codes = codes[codes.str.startswith(within[: LEVEL_CODE_LENGTH[level]])]
                needs = area_site_needs(problem, codes.tolist(), share=share)
                data = sites_csv(needs, synthetic=layers.synthetic, sep=sep, excel_id=excel_id)
                write_output(data, per_area_out)
    except InfraGapError as err:
        runtime_error(err)
    _report(plan, problem, costs, reach, budget_idr=budget_idr, out=out, grid_km=grid_km,
            lang=lang, reporter=reporter,
            synthetic=layers.synthetic, seconds=time.perf_counter() - t0,
            accounts=(facts, boundary) if areas is not None else None)  # fmt: skip
    if workload is not None:
        reporter.report(f"MSMEs read from {len(layers.msme):,} rows of the workload {workload}")


def _load(
    opts: InputOptions,
    workload: str | None,
    *,
    level: str | None,
    within: str | None,
    covered_min: float,
    reach: ReachParams,
    reporter: Reporter,
) -> tuple[Layers, BoundaryReport | None, PointFacts, str]:
    """Layers, what loading found, per-MSME facts and the level: files, demo or workload."""
    from infra_gap.analysis.pipeline import place_and_cover

    if workload is not None:
        with reporter.step("Reading the workload's partitions"):
            layers, facts = _from_workload(workload, within, covered_min, reach)
        return layers, None, facts, next(iter(layers.areas))
    with reporter.step("Reading the inputs"):
        layers, boundary = load_inputs(opts, level=level)
        own = opts.areas is not None
        level = next(iter(layers.areas)) if own else (level or "kecamatan")
    with reporter.step("Placing MSMEs and looking up coverage"):
        facts = place_and_cover(layers, covered_min=covered_min)
    return layers, boundary, facts, level


def _from_workload(
    workload: str, within: str | None, covered_min: float, reach: ReachParams
) -> tuple[Layers, PointFacts]:
    """The layers and per-MSME facts ``sites`` needs, from a workload's partitions.

    Those of ``within`` and those within a site's farthest reach (demand crosses borders,
    as in the local run); every partition without ``within``.
    """
    from infra_gap.cli.common import workload_root
    from infra_gap.national.area_facts import workload_area_facts
    from infra_gap.national.workload import read_workload

    root = workload_root(workload)
    assert root is not None
    wl = read_workload(root)
    codes = [within] if within else list(wl.parts)
    return workload_area_facts(
        wl, codes, level=wl.finest, covered_min=covered_min, accounts=(), reach=reach
    )


def _report(
    plan: SitePlan,
    problem: SitingProblem,
    costs: CostParams,
    reach: ReachParams,
    *,
    budget_idr: float | None,
    out: str,
    grid_km: float,
    lang: str,
    reporter: Reporter,
    synthetic: bool,
    seconds: float,
    accounts: tuple[PointFacts, BoundaryReport | None] | None,
) -> None:
    from infra_gap.siting.costs import fmt_idr

    if accounts is not None:
        report_inputs(*accounts, reporter)
    reporter.report(
        f"demand: {problem.msme_uncovered:,} MSMEs not covered; {len(problem.candidates):,} "
        f"candidate sites ({grid_km:g} km grid + desa points); method {plan.method}"
        + ("" if plan.optimal is None else f" ({'optimal' if plan.optimal else 'not proven'})")
    )
    reporter.report(plan.summary(lang, synthetic=synthetic))
    backhaul = plan.sites["backhaul"].value_counts()
    reporter.report(
        f"{len(plan.sites):,} sites -> {out}: capex {fmt_idr(plan.capex_idr, 'en')} + "
        f"{costs.opex_years} years x opex {fmt_idr(plan.opex_idr_per_year, 'en')}/year = "
        f"{fmt_idr(plan.cost_total_idr, 'en')} ({seconds:.1f} s); backhaul "
        + ", ".join(f"{k} {v}" for k, v in backhaul.items())
    )
    if budget_idr is not None:
        reporter.report(
            f"budget {fmt_idr(budget_idr, 'en')} holds capex + {costs.opex_years} years of opex; "
            f"left {fmt_idr(budget_idr - plan.cost_total_idr, 'en')}"
        )
    at_cap = int(plan.sites["at_capacity"].sum())
    reporter.report(
        f"costs: {costs.site_class} {fmt_idr(costs.capex_idr[costs.site_class], 'en')} a site "
        f"without backhaul, opex {costs.opex_share:.2%} of it a year; backhaul per site the "
        f"cheapest over {costs.opex_years} years of fibre (US${costs.fibre_usd_per_km:,.0f}/km, "
        f"x{costs.fibre_sea_factor:g} under sea, to {costs.fibre_max_km:g} km), microwave "
        f"(to {costs.microwave_max_km:g} km) or VSAT ({costs.backhaul_mbps:g} Mbps at "
        f"US${costs.vsat_usd_per_mbps_year:,.2f}/Mbps/year), at Rp {costs.idr_per_usd:,.0f}/US$; "
        f"reach {reach.flat_km:g} km flat, {reach.flat_km * reach.hilly_factor:g} km hilly "
        f"(terrain {reach.terrain}); capacity {reach.capacity_msme or 0:,.0f} MSMEs a site"
        + (f" ({at_cap} at capacity)" if at_cap else "")
    )
    if synthetic:
        reporter.note("all layers except the boundaries are a SYNTHETIC DEMO.")
