"""The ``infra-gap`` command: the same pipeline as the app, for reproducible batch runs."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from infra_gap import io
from infra_gap.cli_export import DEMO_REGION, dossier, meta_for, write_ranked
from infra_gap.cli_national import national_app
from infra_gap.cli_national import rank as national_rank
from infra_gap.cli_sites import sites
from infra_gap.config import LEVELS, CoverageParams
from infra_gap.demo import export_demo, load_demo
from infra_gap.errors import InfraGapError, InputFileError
from infra_gap.export import rejected_csv
from infra_gap.hardening import check_environment
from infra_gap.i18n import LANGS
from infra_gap.inputs import InputPaths, load_layers
from infra_gap.layers import Layers
from infra_gap.pipeline import PointFacts, indicator_table, place_and_cover
from infra_gap.presets import CUSTOM, PRESETS
from infra_gap.scenario import (
    Scenario,
    ScenarioResult,
    override,
    parse_weight_options,
    run_scenario,
    scenario_from_bytes,
)
from infra_gap.validate import BoundaryReport

__all__ = ["app", "default_cache_dir", "default_data_dir", "main"]

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
demo_app = typer.Typer(no_args_is_help=True, help="The embedded North Sumatra demo.")
app.add_typer(demo_app, name="demo")


def default_data_dir() -> Path:
    """``INFRA_GAP_DATA``, else the ``data/`` folder beside the package."""
    env = os.environ.get("INFRA_GAP_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data"


def default_cache_dir() -> Path:
    """``INFRA_GAP_CACHE``, else ``.cache/`` beside the package."""
    env = os.environ.get("INFRA_GAP_CACHE")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".cache"


def _fail(err: InfraGapError) -> None:
    typer.echo(f"error [{err.code}]: {err}", err=True)
    raise typer.Exit(code=2)


def _summary(result: ScenarioResult) -> str:
    s = result.scenario
    weights = ", ".join(f"{k}={v:.3g}" for k, v in result.weights.items())
    tiers = result.ranked["tier"].value_counts()
    counts = ", ".join(f"P{k} {int(tiers.get(k, 0)):,}" for k in (1, 2, 3))
    return (
        f"scenario: preset {s.preset}, {s.normalisation}; weights {weights}; "
        f"top {s.stability.top_n}, {s.stability.draws:,} draws, concentration "
        f"{s.stability.concentration:g}, seed {s.stability.seed}; tiers {counts}"
    )


PathOpt = Annotated[Path | None, typer.Option(exists=True, dir_okay=False)]


def _load(
    areas: Path | None, level: str, opts: dict[str, object]
) -> tuple[Layers, BoundaryReport | None]:
    """The demo without ``--areas``; the user's files with it (same readers as the app)."""
    if areas is None:
        given = [k for k, v in opts.items() if v is not None and k not in {"covered_min"}]
        if given:
            msg = f"--{given[0].replace('_', '-')} needs --areas (without --areas the demo is used)"
            raise InputFileError(msg)
        return load_demo(default_data_dir(), default_cache_dir()), None
    if opts["msme"] is None:
        msg = "--areas needs --msme (the MSME register)"
        raise InputFileError(msg)
    loaded = load_layers(
        InputPaths(
            areas=areas,
            level=level,
            msme=opts["msme"],  # type: ignore[arg-type]
            coverage=opts["coverage"],  # type: ignore[arg-type]
            towers=opts["towers"],  # type: ignore[arg-type]
            speed_tiles=opts["speedtests"],  # type: ignore[arg-type]
            backbone=opts["backbone"],  # type: ignore[arg-type]
            areas_layer=opts["areas_layer"],  # type: ignore[arg-type]
            id_col=opts["id_col"],  # type: ignore[arg-type]
            name_col=opts["name_col"],  # type: ignore[arg-type]
            lat_col=opts["lat_col"],  # type: ignore[arg-type]
            lon_col=opts["lon_col"],  # type: ignore[arg-type]
        )
    )
    return loaded.layers, loaded.boundary


def _report(facts: PointFacts, boundary: BoundaryReport | None) -> None:
    for acc in facts.accounts:
        typer.echo(
            f"rows: {acc.source} read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}"
        )
    reasons = facts.rejected.groupby(["source", "reason"]).size().reset_index(name="n")
    for r in reasons.itertuples():
        typer.echo(f"  rejected {r.source}: {r.n:,} x {r.reason}")
    if boundary is not None:
        overlaps = boundary.overlaps()
        typer.echo(
            f"areas: {boundary.features:,} read from {boundary.name}; {len(boundary.repairs)} "
            f"repaired; {len(overlaps):,} overlapping pairs ({overlaps['overlap_km2'].sum():,.1f} "
            f"km2); gaps {boundary.gap_km2():,.1f} km2"
        )
        for r in boundary.repairs.itertuples():
            typer.echo(
                f"  repaired row {r.row} ({r.kode}): {r.action}, {r.area_change_pct:+.2f}% area"
            )
    typer.echo(f"rule: {facts.rule}")


@app.command()
def rank(
    level: Annotated[
        str | None,
        typer.Option(
            help=f"One of {', '.join(LEVELS)}: the level ranked, and of --areas "
            "(default: the scenario's, else kecamatan)."
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Output file: .csv, .xlsx, .gpkg or .pdf (by extension).")
    ] = Path("ranking.csv"),
    areas: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Boundaries (else the demo).")
    ] = None,
    areas_layer: Annotated[str | None, typer.Option(help="GeoPackage layer of --areas.")] = None,
    id_col: Annotated[str | None, typer.Option(help="Area code column (else detected).")] = None,
    name_col: Annotated[str | None, typer.Option(help="Area name column (else detected).")] = None,
    msme: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="MSME register.")
    ] = None,
    lat_col: Annotated[str | None, typer.Option(help="Latitude column (else detected).")] = None,
    lon_col: Annotated[str | None, typer.Option(help="Longitude column (else detected).")] = None,
    coverage: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Coverage GeoTIFF.")
    ] = None,
    towers: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Towers (OpenCelliD CSV).")
    ] = None,
    speedtests: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Ookla-schema speed tiles.")
    ] = None,
    backbone: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Backbone lines and PoPs.")
    ] = None,
    rejected: Annotated[
        Path | None, typer.Option(help="Write the rejected rows (source,row,reason) here.")
    ] = None,
    sep: Annotated[str, typer.Option(help="CSV separator: ',' or ';'.")] = ",",
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
        typer.Option(metavar="DRAWS", help="Weight draws for rank stability (default 1000)."),
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
) -> None:
    """Rank areas and write the priority list (the embedded demo without --areas)."""
    if engine not in {"local", "dask"}:
        typer.echo(f"error: --engine must be local or dask, got {engine!r}", err=True)
        raise typer.Exit(code=2)
    if engine == "dask" or workload is not None:
        if areas is not None or scenario is not None or weight or preset:
            typer.echo(
                "error: --engine dask / --workload run the default weights on the demo or a "
                "workload; --areas, --scenario, --weight and --preset are for the local engine",
                err=True,
            )
            raise typer.Exit(code=2)
        national_rank(
            level=level or "kecamatan", out=out, sep=sep, engine=engine, scheduler=scheduler,
            scale=None, workload=workload, workers=None,
            covered_min=CoverageParams().covered_min if covered_min is None else covered_min,
        )  # fmt: skip
        return
    if level is not None and level not in LEVELS:
        typer.echo(f"error: --level must be one of {', '.join(LEVELS)}, got {level!r}", err=True)
        raise typer.Exit(code=2)
    if lang not in LANGS:
        typer.echo(f"error: --lang must be one of {', '.join(LANGS)}, got {lang!r}", err=True)
        raise typer.Exit(code=2)
    try:
        t0 = time.perf_counter()
        base = Scenario()
        if scenario is not None:
            try:
                data = scenario.read_bytes()
            except OSError as err:
                msg = f"cannot read scenario file {scenario}: {err.strerror}"
                raise InputFileError(msg) from err
            base = scenario_from_bytes(data)
        chosen = override(
            base,
            level=level,
            preset=preset,
            weights=parse_weight_options(weight or ()),
            covered_min=covered_min,
            top_n=top_n,
            draws=stability,
        )
        opts: dict[str, object] = {
            "areas_layer": areas_layer, "id_col": id_col, "name_col": name_col, "msme": msme,
            "lat_col": lat_col, "lon_col": lon_col, "coverage": coverage, "towers": towers,
            "speedtests": speedtests, "backbone": backbone,
        }  # fmt: skip
        layers, boundary = _load(areas, chosen.level, opts)
        facts = place_and_cover(layers, covered_min=chosen.covered_min)
        result = run_scenario(indicator_table(layers, facts, level=chosen.level), chosen)
        region = DEMO_REGION if areas is None else ""
        write_ranked(
            result.ranked, layers, out, meta=meta_for(result), facts=facts, lang=lang,
            sep=sep, within=within, top=top, region=region,
        )  # fmt: skip
        if rejected is not None:
            io.write_bytes(rejected_csv(facts.rejected), rejected)
    except InfraGapError as err:
        _fail(err)
        return
    _report(facts, boundary)
    typer.echo(
        f"{len(result.ranked):,} {chosen.level} areas -> {out} ({time.perf_counter() - t0:.1f} s)"
    )
    if rejected is not None:
        typer.echo(f"rejected rows ({len(facts.rejected):,}) -> {rejected}")
    if result.dropped:
        typer.echo(
            f"warning: weighted indicator(s) not in this data, dropped and the other weights "
            f"re-balanced: {', '.join(result.dropped)}"
        )
    typer.echo(_summary(result))
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
