"""The ``infra-gap`` command: the same pipeline as the app, for reproducible batch runs."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from infra_gap import io
from infra_gap.config import LEVELS, CoverageParams, ScoringParams
from infra_gap.demo import export_demo, load_demo
from infra_gap.errors import InfraGapError
from infra_gap.export import ranked_csv
from infra_gap.pipeline import place_and_cover, rank_level

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


@app.command()
def rank(
    level: Annotated[str, typer.Option(help=f"One of {', '.join(LEVELS)}.")] = "kecamatan",
    out: Annotated[Path, typer.Option(help="Output CSV file.")] = Path("ranking.csv"),
    sep: Annotated[str, typer.Option(help="CSV separator: ',' or ';'.")] = ",",
    covered_min: Annotated[
        float, typer.Option(help="Coverage value at or above which a pixel is covered.")
    ] = CoverageParams().covered_min,
) -> None:
    """Rank areas on the embedded demo and write the priority list."""
    if level not in LEVELS:
        typer.echo(f"error: --level must be one of {', '.join(LEVELS)}, got {level!r}", err=True)
        raise typer.Exit(code=2)
    try:
        t0 = time.perf_counter()
        layers = load_demo(default_data_dir(), default_cache_dir())
        facts = place_and_cover(layers, covered_min=covered_min)
        ranked = rank_level(layers, facts, level=level, weights=ScoringParams().weights)
        io.write_bytes(ranked_csv(ranked, synthetic=layers.synthetic, sep=sep), out)
    except InfraGapError as err:
        _fail(err)
        return
    acc = facts.account
    typer.echo(
        f"rows: msme read {acc.read:,}, placed {acc.used:,}, rejected {acc.rejected:,}; "
        f"{len(ranked):,} {level} areas -> {out} ({time.perf_counter() - t0:.1f} s)"
    )
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


def main() -> None:
    """Entry point of the ``infra-gap`` script."""
    sys.exit(app())
