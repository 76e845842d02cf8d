"""Command-line pieces of the national run, for :mod:`infra_gap.cli.main` to register.

``app.add_typer(national_app, name="national")`` gives::

    infra-gap national generate --scale 0.01 [--out DIR]     # the synthetic workload
    infra-gap national rank --engine dask [--scheduler ADDRESS] [--scale S | --workload DIR]

and ``rank --engine dask`` calls :func:`run_national_rank`.  The runs themselves are library
API (:mod:`infra_gap.runs`, used by the app too); their old names here still work.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    workload_root,
    write_output,
)
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
from infra_gap.config import LEVELS
from infra_gap.errors import InfraGapError
from infra_gap.paths import default_cache_dir, default_data_dir

__all__ = ["national_app", "run_national_rank"]

national_app = typer.Typer(
    no_args_is_help=True, help="The synthetic national workload (all of Indonesia) on Dask."
)
_SYNTHETIC_NOTE = "every layer of this workload is SYNTHETIC, boundaries included."
_DEMO_NOTE = "all layers except the boundaries are a SYNTHETIC DEMO."
_MOVED = (
    "EngineRun",
    "demo_workload",
    "engine_table",
    "national_dir",
    "national_workload",
    "rank_with_engine",
    "scenario_from_options",
)


def __getattr__(name: str) -> Any:
    """The names that moved to :mod:`infra_gap.runs`, loaded on first use (PEP 562)."""
    if name in _MOVED:
        from infra_gap import runs

        return getattr(runs, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


@national_app.command("generate")
def generate(
    ctx: typer.Context,
    scale: Annotated[float, typer.Option(help="1.0 = 83,218 desa, 65 million MSMEs.")] = 0.01,
    out: Annotated[
        Path | None, typer.Option(help="Workload folder (default <cache>/national-<scale>).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the generator (default 20240223).")
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Generate the synthetic national workload (partitioned GeoParquet + GeoTIFF)."""
    from infra_gap.cli.common import start_work

    if not 0 < scale <= 1:
        usage_error(f"--scale must be in (0, 1], got {scale:g}")
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose)
    start_work(ctx)
    try:
        from infra_gap import io
        from infra_gap.national.generate import NationalParams
        from infra_gap.runs import national_dir, national_workload

        params = NationalParams(scale=scale) if seed is None else NationalParams(scale, seed)
        folder = out or national_dir(default_cache_dir(), scale)
        with reporter.step(f"Generating the national workload at scale {scale:g}"):
            wl, seconds = national_workload(folder, data_dir=default_data_dir(), params=params)
        counts = io.read_json(folder / "manifest.json")["counts"]
    except InfraGapError as err:
        runtime_error(err)
    made = f"generated in {seconds:.1f} s" if seconds is not None else "already there"
    reporter.report(
        f"{folder}: {len(wl.parts)} provinces, {counts['kabupaten']:,} kabupaten/kota, "
        f"{counts['kecamatan']:,} kecamatan, {counts['desa']:,} desa, {counts['msme']:,} MSMEs, "
        f"{counts['towers']:,} towers ({made})"
    )
    reporter.note(_SYNTHETIC_NOTE)


def run_national_rank(
    *,
    level: str | None,
    out: str,
    sep: str,
    engine: str,
    scheduler: str | None,
    scale: float | None,
    workload: Path | str | None,
    workers: int | None,
    covered_min: float | None,
    weight: list[str] | None,
    preset: str | None,
    scenario: Path | None,
    top_n: int | None,
    stability: int | None,
    within: str | None,
    lang: str,
    excel_id: bool = False,
    unknown_as_need: bool | None = None,
    overwrite: bool,
    ctx: typer.Context,
    reporter: Reporter,
) -> None:
    """``national rank`` (and ``rank --engine dask``): check the options, run, write, report."""
    from infra_gap.cli.common import start_work

    check_choice("--engine", engine, ("local", "dask"))
    check_common(level=level, lang=lang, sep=sep)
    if out != "-" and Path(out).suffix.lower() == ".pdf":
        usage_error(
            "--out must end in .csv, .xlsx or .gpkg (a national run keeps no per-MSME facts, "
            "so it makes no PDF dossier)"
        )
    if within is not None and not (len(within) == 2 and within.isdigit()):
        usage_error(
            f"--within of a national run takes a province code (two digits), got {within!r}"
        )
    if scale is not None and not 0 < scale <= 1:
        usage_error(f"--scale must be in (0, 1], got {scale:g}")
    path = check_output(out, suffixes=(".csv", ".xlsx", ".gpkg"), overwrite=overwrite, stdout=True)
    chosen = scenario_or_exit(
        path=scenario, level=level, preset=preset, weight=weight, covered_min=covered_min,
        top_n=top_n, draws=stability, unknown_as_need=unknown_as_need,
    )  # fmt: skip
    start_work(ctx)
    try:
        from infra_gap.national.generate import NationalParams
        from infra_gap.national.view import workload_layers
        from infra_gap.outputs.formats import export_bytes, meta_for, write_ranked
        from infra_gap.runs import national_dir, national_workload, rank_with_engine

        if scale is not None and workload is None:
            workload = national_dir(default_cache_dir(), scale)
            with reporter.step(f"Generating the national workload at scale {scale:g}"):
                national_workload(
                    workload, data_dir=default_data_dir(), params=NationalParams(scale=scale)
                )
        with reporter.step(f"Ranking on the {engine} engine"):
            result, run = rank_with_engine(
                chosen, engine=engine, scheduler=scheduler, workload=workload, province=within,
                n_workers=workers,
            )  # fmt: skip
        with reporter.step(f"Writing {out}", "write"):
            layers = workload_layers(
                run.workload, level=chosen.level, province=within, accounts=run.accounts
            )
            meta = meta_for(result)
            if path is None:
                data = export_bytes(
                    result.ranked, layers, fmt=".csv", meta=meta, lang=lang, sep=sep,
                    excel_id=excel_id,
                )  # fmt: skip
                write_output(data, None)
            else:
                write_ranked(
                    result.ranked, layers, path, meta=meta, lang=lang, sep=sep,
                    excel_id=excel_id,
                )  # fmt: skip
    except InfraGapError as err:
        runtime_error(err)
    acc = run.accounts[0]
    reporter.report(
        f"rows: msme read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}; "
        f"{len(result.ranked):,} {chosen.level} areas -> {out} ({run.seconds:.1f} s, {run.engine})"
    )
    weights = ", ".join(f"{k}={v:.3g}" for k, v in result.weights.items())
    reporter.report(f"scenario: preset {chosen.preset}; weights {weights}")
    unknown = "on" if chosen.unknown_as_need else "off"
    reporter.report(f"no speed test counts as need (NTIA rule): {unknown}")
    if run.workload.synthetic:
        real = any(s.layer == "boundaries" and not s.synthetic for s in run.workload.sources)
        reporter.note(_DEMO_NOTE if real else _SYNTHETIC_NOTE)


@national_app.command("rank")
def rank(
    ctx: typer.Context,
    level: Annotated[
        str | None, typer.Option(help=f"One of {', '.join(LEVELS)} (default: the scenario's).")
    ] = None,
    out: Annotated[
        str,
        typer.Option(
            metavar="PATH",
            help="Output file: .csv, .xlsx or .gpkg (by extension); - writes the CSV to stdout.",
        ),
    ] = "ranking.csv",
    sep: SepOpt = ",",
    excel_id: Annotated[
        bool, typer.Option("--excel-id", help="CSV for Excel with Indonesian settings.")
    ] = False,
    engine: Annotated[str, typer.Option(help="local or dask.")] = "dask",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://host:8786); default: a LocalCluster."),
    ] = None,
    scale: Annotated[
        float | None, typer.Option(help="Run the national workload of this scale (made if new).")
    ] = None,
    workload: Annotated[
        str | None,
        typer.Option(metavar="DIR|URL", help="A workload folder or fsspec URL; default: the demo."),
    ] = None,
    workers: Annotated[int | None, typer.Option(help="LocalCluster workers.")] = None,
    covered_min: Annotated[
        float | None, typer.Option(help="Coverage value at or above which a pixel is covered.")
    ] = None,
    weight: WeightOpt = None,
    preset: PresetOpt = None,
    scenario: ScenarioOpt = None,
    top_n: TopNOpt = None,
    stability: StabilityOpt = None,
    unknown_as_need: UnknownAsNeedOpt = None,
    within: WithinOpt = None,
    province: Annotated[
        str | None, typer.Option(hidden=True, help="Old name of --within (a province code).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of labels and reasons: id or en.")] = "id",
    overwrite: OverwriteOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Rank the areas of a partitioned workload on the local or the Dask engine.

    --within (a two-digit province code) ranks only that province's areas.
    """
    run_national_rank(
        level=level, out=out, sep=sep, engine=engine, scheduler=scheduler, scale=scale,
        workload=workload_root(workload), workers=workers, covered_min=covered_min, weight=weight,
        preset=preset, scenario=scenario, top_n=top_n, stability=stability,
        within=merge_alias(within, province, name="--within", alias_name="--province"),
        lang=lang, excel_id=excel_id, overwrite=overwrite, ctx=ctx,
        unknown_as_need=unknown_as_need,
        reporter=Reporter.make(ctx, quiet=quiet, verbose=verbose, data_on_stdout=out == "-"),
    )  # fmt: skip
