"""Command-line pieces of the national run, for :mod:`infra_gap.cli` to register.

``app.add_typer(national_app, name="national")`` gives::

    infra-gap national generate --scale 0.01 [--out DIR]     # the synthetic workload
    infra-gap national rank --engine dask [--scheduler ADDRESS] [--scale S | --workload DIR]

and ``rank --engine dask`` can call :func:`engine_table` where it now calls ``load_demo`` +
``place_and_cover`` + ``indicator_table``.  Without a workload, the engines run on the
demo, split by kabupaten into a partitioned workload cached under ``.cache/``.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from infra_gap import io
from infra_gap.cli_export import meta_for, write_ranked
from infra_gap.config import LEVELS, DemoParams
from infra_gap.demo import BOUNDARY_FILES, load_demo
from infra_gap.engine import describe_engine, engine_spec
from infra_gap.errors import DataError, InfraGapError, InputFileError
from infra_gap.layers import RowAccount
from infra_gap.national import NationalParams, generate_national
from infra_gap.national_view import province_subset, workload_layers
from infra_gap.partitions import workload_table
from infra_gap.presets import CUSTOM, PRESETS
from infra_gap.scenario import (
    Scenario,
    ScenarioResult,
    override,
    parse_weight_options,
    run_scenario,
    scenario_from_bytes,
)
from infra_gap.workload import Workload, read_workload, split_layers

__all__ = [
    "EngineRun",
    "demo_workload",
    "engine_table",
    "national_app",
    "national_dir",
    "national_workload",
    "rank_with_engine",
    "scenario_from_options",
]

national_app = typer.Typer(
    no_args_is_help=True, help="The synthetic national workload (all of Indonesia) on Dask."
)
_SPLIT_VERSION = "1"
_SYNTHETIC_NOTE = "note: every layer of this workload is SYNTHETIC, boundaries included."
_DEMO_NOTE = "note: all layers except the boundaries are a SYNTHETIC DEMO."


def _data_dir() -> Path:
    env = os.environ.get("INFRA_GAP_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data"


def _cache_dir() -> Path:
    env = os.environ.get("INFRA_GAP_CACHE")
    return Path(env) if env else Path(__file__).resolve().parents[1] / ".cache"


def national_dir(cache_dir: Path, scale: float) -> Path:
    """The default folder of the national workload at ``scale``: ``national-<scale>``."""
    return cache_dir / f"national-{scale:g}"


def national_workload(
    out: Path, *, data_dir: Path, params: NationalParams
) -> tuple[Workload, float | None]:
    """The national workload in ``out``: read if its manifest is there, else generated.

    Returns the workload and the generation time in seconds (None when it was read).

    Raises
    ------
    DataError
        For a scale outside (0, 1].
    """
    if not 0 < params.scale <= 1:
        msg = f"--scale must be in (0, 1], got {params.scale:g}"
        raise DataError(msg)
    if (out / "manifest.json").is_file():
        return read_workload(out), None
    t0 = time.perf_counter()
    desa = io.read_areas(data_dir / BOUNDARY_FILES["desa"])
    kab = io.read_areas(data_dir / BOUNDARY_FILES["kabupaten"])
    wl = generate_national(desa, kab, out, params=params)
    return wl, time.perf_counter() - t0


def demo_workload(data_dir: Path, cache_dir: Path, *, by: str = "kabupaten") -> Workload:
    """The demo as a workload partitioned ``by`` kabupaten or province, cached.

    The cache key hashes the boundary files, the demo parameters and the split version.
    """
    h = hashlib.sha256(f"{_SPLIT_VERSION}|{by}|{sorted(asdict(DemoParams()).items())}".encode())
    for name in sorted(BOUNDARY_FILES.values()):
        h.update(io.file_sha256(data_dir / name).encode())
    root = cache_dir / f"demo-parts-{by}-{h.hexdigest()[:16]}"
    if (root / "manifest.json").is_file():
        return read_workload(root)
    return split_layers(load_demo(data_dir, cache_dir), root, by=by)


@dataclass(frozen=True)
class EngineRun:
    """One indicator run on an engine.

    Attributes
    ----------
    table
        The indicator table at the run's level (as :func:`infra_gap.pipeline.indicator_table`).
    accounts
        Row accounting of each point layer.
    workload
        The workload that was run.
    engine
        A one-line description of the engine.
    seconds
        Wall time of the run.
    """

    table: pd.DataFrame
    accounts: tuple[RowAccount, ...]
    workload: Workload
    engine: str
    seconds: float


def engine_table(
    *,
    level: str,
    engine: str = "dask",
    scheduler: str | None = None,
    workload: Path | None = None,
    covered_min: float = 1.0,
    n_workers: int | None = None,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> EngineRun:
    """The indicator table of a workload (the demo when None) on the chosen engine.

    Parameters
    ----------
    level
        ``desa``, ``kecamatan`` or ``kabupaten``.
    engine, scheduler
        ``--engine`` and ``--scheduler`` (:func:`infra_gap.engine.engine_spec`).
    workload
        A workload folder (``national generate``); None runs the demo split by kabupaten.
    covered_min
        Coverage threshold.
    n_workers
        Workers of the LocalCluster (None: one per core).
    data_dir, cache_dir
        The ``data/`` and ``.cache/`` folders (``INFRA_GAP_DATA``/``INFRA_GAP_CACHE``).
    """
    spec = engine_spec(engine, scheduler=scheduler, n_workers=n_workers)
    t0 = time.perf_counter()
    if workload is not None:
        wl = read_workload(workload)
    else:
        wl = demo_workload(data_dir or _data_dir(), cache_dir or _cache_dir())
    table, accounts = workload_table(wl, level=level, spec=spec, covered_min=covered_min)
    return EngineRun(table, accounts, wl, describe_engine(spec), time.perf_counter() - t0)


def rank_with_engine(
    scenario: Scenario,
    *,
    engine: str = "dask",
    scheduler: str | None = None,
    workload: Path | None = None,
    province: str | None = None,
    n_workers: int | None = None,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> tuple[ScenarioResult, EngineRun]:
    """:func:`engine_table` at the scenario's level, then :func:`infra_gap.scenario.run_scenario`.

    ``province`` (two digits) ranks only that province's areas; the engine still runs
    every partition, so the table is the one a national run gives, cut before scoring.
    """
    run = engine_table(
        level=scenario.level,
        engine=engine,
        scheduler=scheduler,
        workload=workload,
        covered_min=scenario.covered_min,
        n_workers=n_workers,
        data_dir=data_dir,
        cache_dir=cache_dir,
    )
    return run_scenario(province_subset(run.table, province), scenario), run


def scenario_from_options(
    *,
    path: Path | None,
    level: str | None,
    preset: str | None,
    weight: list[str] | None,
    covered_min: float | None,
    top_n: int | None,
    draws: int | None,
) -> Scenario:
    """The scenario of a run: a TOML file (or the defaults), with the options on top."""
    base = Scenario()
    if path is not None:
        try:
            data = path.read_bytes()
        except OSError as err:
            msg = f"cannot read scenario file {path}: {err.strerror}"
            raise InputFileError(msg) from err
        base = scenario_from_bytes(data)
    return override(
        base,
        level=level,
        preset=preset,
        weights=parse_weight_options(weight or ()),
        covered_min=covered_min,
        top_n=top_n,
        draws=draws,
    )


def _fail(err: InfraGapError) -> None:
    typer.echo(f"error [{err.code}]: {err}", err=True)
    raise typer.Exit(code=2)


@national_app.command("generate")
def generate(
    scale: Annotated[float, typer.Option(help="1.0 = 83,218 desa, 65 million MSMEs.")] = 0.01,
    out: Annotated[
        Path | None, typer.Option(help="Workload folder (default .cache/national-<scale>).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generator.")] = NationalParams().seed,
) -> None:
    """Generate the synthetic national workload (partitioned GeoParquet + GeoTIFF)."""
    folder = out or national_dir(_cache_dir(), scale)
    try:
        wl, seconds = national_workload(
            folder, data_dir=_data_dir(), params=NationalParams(scale=scale, seed=seed)
        )
        counts = io.read_json(folder / "manifest.json")["counts"]
    except InfraGapError as err:
        _fail(err)
        return
    made = f"generated in {seconds:.1f} s" if seconds is not None else "already there"
    typer.echo(
        f"{folder}: {len(wl.parts)} provinces, {counts['kabupaten']:,} kabupaten/kota, "
        f"{counts['kecamatan']:,} kecamatan, {counts['desa']:,} desa, {counts['msme']:,} MSMEs, "
        f"{counts['towers']:,} towers ({made})"
    )
    typer.echo(_SYNTHETIC_NOTE)


@national_app.command("rank")
def rank(
    level: Annotated[
        str | None, typer.Option(help=f"One of {', '.join(LEVELS)} (default: the scenario's).")
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Output file: .csv, .xlsx or .gpkg (by extension).")
    ] = Path("ranking.csv"),
    sep: Annotated[str, typer.Option(help="CSV separator: ',' or ';'.")] = ",",
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
        Path | None, typer.Option(help="A workload folder; default: the demo.")
    ] = None,
    workers: Annotated[int | None, typer.Option(help="LocalCluster workers.")] = None,
    covered_min: Annotated[
        float | None, typer.Option(help="Coverage value at or above which a pixel is covered.")
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(metavar="NAME=VALUE", help="Weight of an indicator; repeat for more."),
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help=f"Weight preset: {', '.join([*PRESETS, CUSTOM])}.")
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option(exists=True, dir_okay=False, help="Scenario TOML file.")
    ] = None,
    top_n: Annotated[int | None, typer.Option(help="N of 'top N' (default 10).")] = None,
    stability: Annotated[
        int | None, typer.Option(metavar="DRAWS", help="Weight draws (default 1000).")
    ] = None,
    province: Annotated[
        str | None, typer.Option(help="Rank only this province's areas (two-digit code).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of labels and reasons: id or en.")] = "id",
) -> None:
    """Rank the areas of a partitioned workload on the local or the Dask engine."""
    if level is not None and level not in LEVELS:
        typer.echo(f"error: --level must be one of {', '.join(LEVELS)}, got {level!r}", err=True)
        raise typer.Exit(code=2)
    if out.suffix.lower() not in {".csv", ".xlsx", ".gpkg"}:
        typer.echo("error: --out must end in .csv, .xlsx or .gpkg (a national run keeps no "
                   "per-MSME facts, so it makes no PDF dossier)", err=True)  # fmt: skip
        raise typer.Exit(code=2)
    try:
        chosen = scenario_from_options(
            path=scenario, level=level, preset=preset, weight=weight, covered_min=covered_min,
            top_n=top_n, draws=stability,
        )  # fmt: skip
        if scale is not None and workload is None:
            workload = national_dir(_cache_dir(), scale)
            national_workload(workload, data_dir=_data_dir(), params=NationalParams(scale=scale))
        result, run = rank_with_engine(
            chosen, engine=engine, scheduler=scheduler, workload=workload, province=province,
            n_workers=workers,
        )  # fmt: skip
        layers = workload_layers(
            run.workload, level=chosen.level, province=province, accounts=run.accounts
        )
        write_ranked(
            result.ranked, layers, out, meta=meta_for(result), lang=lang, sep=sep,
            excel_id=excel_id,
        )  # fmt: skip
    except InfraGapError as err:
        _fail(err)
        return
    acc = run.accounts[0]
    typer.echo(
        f"rows: msme read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}; "
        f"{len(result.ranked):,} {chosen.level} areas -> {out} ({run.seconds:.1f} s, {run.engine})"
    )
    weights = ", ".join(f"{k}={v:.3g}" for k, v in result.weights.items())
    typer.echo(f"scenario: preset {chosen.preset}; weights {weights}")
    if run.workload.synthetic:
        real = any(s.layer == "boundaries" and not s.synthetic for s in run.workload.sources)
        typer.echo(_DEMO_NOTE if real else _SYNTHETIC_NOTE)
