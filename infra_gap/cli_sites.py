"""``infra-gap sites``: where to build towers, what they cost, and the MSMEs they reach.

Registered by :mod:`infra_gap.cli` as ``app.command("sites")(sites)``.  Takes the input
options of ``rank`` (``--areas``, ``--msme``, ``--coverage``, ... from
:mod:`infra_gap.cli_inputs`) and runs on the embedded demo without them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from infra_gap import io
from infra_gap.cli_inputs import (
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
    OperatorsAsOfOpt,
    SiteDistanceOpt,
    SourcesOpt,
    SpeedtestsOpt,
    TowersOpt,
    load_inputs,
    report_inputs,
)
from infra_gap.config import LEVEL_CODE_LENGTH, LEVELS, CoverageParams
from infra_gap.costs import CostParams, fmt_idr
from infra_gap.errors import InfraGapError
from infra_gap.export import REAL_LABEL, SYNTHETIC_LABEL, sites_csv
from infra_gap.i18n import LANGS
from infra_gap.pipeline import place_and_cover
from infra_gap.siteplan import SitePlan, area_site_needs, reach_discs, suggest_sites
from infra_gap.siting import ReachParams, siting_problem

__all__ = ["DEFAULT_BUDGET_IDR", "sites"]

#: Budget used when neither ``--budget-idr`` nor ``--count`` is given (the issue's example).
DEFAULT_BUDGET_IDR = 50e9
_OUT_SUFFIXES = (".csv", ".geojson", ".gpkg")


def _write(plan: SitePlan, out: Path, *, synthetic: bool, sep: str, excel_id: bool) -> None:
    suffix = out.suffix.lower()
    if suffix == ".csv":
        data = sites_csv(plan.sites, synthetic=synthetic, sep=sep, excel_id=excel_id)
        io.write_bytes(data, out)
        return
    gdf = plan.sites.copy()
    gdf["data_status"] = SYNTHETIC_LABEL if synthetic else REAL_LABEL
    if suffix == ".geojson":
        io.write_vector(gdf, out)
        return
    out.unlink(missing_ok=True)  # a fresh GeoPackage, not layers left from an older run
    io.write_vector(gdf, out, layer="sites")
    io.write_vector(reach_discs(gdf), out, layer="reach")


def _check(
    out: Path,
    budget_idr: float | None,
    count: int | None,
    terrain: str,
    level: str | None,
    sep: str,
    lang: str,
    method: str,
) -> str | None:
    """The first problem with the options, before any data is loaded."""
    rules = [
        (
            out.suffix.lower() not in _OUT_SUFFIXES,
            f"--out must end in {', '.join(_OUT_SUFFIXES)}, got {out.name!r}",
        ),
        (budget_idr is not None and count is not None, "give --budget-idr or --count, not both"),
        (terrain not in {"flat", "hilly"}, f"--terrain must be flat or hilly, got {terrain!r}"),
        (
            level not in (None, *LEVELS),
            f"--level must be one of {', '.join(LEVELS)}, got {level!r}",
        ),
        (sep not in {",", ";"}, f"--sep must be ',' or ';', got {sep!r}"),
        (lang not in LANGS, f"--lang must be one of {', '.join(LANGS)}, got {lang!r}"),
        (
            method not in {"auto", "greedy", "exact"},
            f"--method must be auto, greedy or exact, got {method!r}",
        ),
    ]
    return next((text for bad, text in rules if bad), None)


def sites(
    out: Annotated[Path, typer.Option(help="Output file: .csv, .geojson or .gpkg.")],
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
    area: Annotated[
        str | None, typer.Option(help="Only sites in this area: a Kemendagri code, any level.")
    ] = None,
    terrain: Annotated[
        str,
        typer.Option(
            help="Terrain of the candidates: hilly (4 km for a 42 m tower) or flat (8 km)."
        ),
    ] = ReachParams().terrain,
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
    sep: Annotated[str, typer.Option(help="CSV separator: ',' or ';'.")] = ",",
    excel_id: ExcelIdOpt = False,
    opex_years: Annotated[
        int,
        typer.Option(
            min=0,
            help="Years of opex in each site's cost and in what the budget must hold "
            "(default 6, Giga's cost model; 0: the budget buys capex only).",
        ),
    ] = CostParams().opex_years,
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
) -> None:
    """Suggest tower sites for a budget or a number of sites, with costs (demo: no --areas)."""
    opts = InputOptions(
        areas=areas, areas_layer=areas_layer, id_col=id_col, name_col=name_col, msme=msme,
        lat_col=lat_col, lon_col=lon_col, coverage=coverage, coverage_nodata=coverage_nodata,
        operators_as_of=operators_as_of, site_distance_m=site_distance_m, towers=towers,
        speedtests=speedtests, backbone=backbone, sources=sources,
    )  # fmt: skip
    problem_text = _check(out, budget_idr, count, terrain, level, sep, lang, method)
    if only_candidates and candidates is None:
        problem_text = "--only-candidates needs --candidates"
    if problem_text is not None:
        typer.echo(f"error: {problem_text}", err=True)
        raise typer.Exit(code=2)
    if budget_idr is None and count is None:
        budget_idr = DEFAULT_BUDGET_IDR
    t0 = time.perf_counter()
    try:
        layers, boundary = load_inputs(opts, level=level)
        level = next(iter(layers.areas)) if areas is not None else (level or "kecamatan")
        facts = place_and_cover(layers, covered_min=covered_min)
        reach = ReachParams(radius_km=radius_km, terrain=terrain)
        costs = CostParams(opex_years=opex_years)
        plots = None if candidates is None else io.read_vector(candidates)
        problem = siting_problem(
            layers, facts, reach=reach, costs=costs, grid_m=grid_km * 1000.0, area=area,
            uploaded=plots, generated=not only_candidates,
        )  # fmt: skip
        plan = suggest_sites(problem, count=count, budget_idr=budget_idr, method=method)
        _write(plan, out, synthetic=layers.synthetic, sep=sep, excel_id=excel_id)
        if per_area_out is not None:
            codes = layers.areas[level]["kode"]
            if area is not None:
                codes = codes[codes.str.startswith(area[: LEVEL_CODE_LENGTH[level]])]
            needs = area_site_needs(problem, codes.tolist(), share=share)
            data = sites_csv(needs, synthetic=layers.synthetic, sep=sep, excel_id=excel_id)
            io.write_bytes(data, per_area_out)
    except InfraGapError as err:
        typer.echo(f"error [{err.code}]: {err}", err=True)
        raise typer.Exit(code=2) from None
    if areas is not None:
        report_inputs(facts, boundary)
    typer.echo(
        f"demand: {problem.msme_uncovered:,} MSMEs not covered; {len(problem.candidates):,} "
        f"candidate sites ({grid_km:g} km grid + desa points); method {plan.method}"
        + ("" if plan.optimal is None else f" ({'optimal' if plan.optimal else 'not proven'})")
    )
    typer.echo(plan.summary(lang, synthetic=layers.synthetic))
    backhaul = plan.sites["backhaul"].value_counts()
    typer.echo(
        f"{len(plan.sites):,} sites -> {out}: capex {fmt_idr(plan.capex_idr, 'en')} + "
        f"{costs.opex_years} years x opex {fmt_idr(plan.opex_idr_per_year, 'en')}/year = "
        f"{fmt_idr(plan.cost_total_idr, 'en')} ({time.perf_counter() - t0:.1f} s); backhaul "
        + ", ".join(f"{k} {v}" for k, v in backhaul.items())
    )
    if budget_idr is not None:
        typer.echo(
            f"budget {fmt_idr(budget_idr, 'en')} holds capex + {costs.opex_years} years of opex; "
            f"left {fmt_idr(budget_idr - plan.cost_total_idr, 'en')}"
        )
    at_cap = int(plan.sites["at_capacity"].sum())
    typer.echo(
        f"costs: {costs.site_class} {fmt_idr(costs.capex_idr[costs.site_class], 'en')} a site "
        f"without backhaul, opex {costs.opex_share:.2%} of it a year; backhaul per site the "
        f"cheapest over {costs.opex_years} years of fibre (US${costs.fibre_usd_per_km:,.0f}/km, "
        f"x{costs.fibre_sea_factor:g} under sea, to {costs.fibre_max_km:g} km), microwave "
        f"(to {costs.microwave_max_km:g} km) or VSAT ({costs.backhaul_mbps:g} Mbps at "
        f"US${costs.vsat_usd_per_mbps_year:,.2f}/Mbps/year), at Rp {costs.idr_per_usd:,.0f}/US$; "
        f"reach {reach.flat_km:g} km flat, {reach.flat_km * reach.hilly_factor:g} km hilly "
        f"(terrain {terrain}); capacity {reach.capacity_msme or 0:,.0f} MSMEs a site"
        + (f" ({at_cap} at capacity)" if at_cap else "")
    )
    if layers.synthetic:
        typer.echo("note: all layers except the boundaries are a SYNTHETIC DEMO.")
