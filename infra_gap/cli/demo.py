"""``infra-gap demo``: the embedded North Sumatra demo, written in the formats a user brings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from infra_gap.cli.common import (
    QuietOpt,
    Reporter,
    VerboseOpt,
    runtime_error,
    start_work,
    usage_error,
)
from infra_gap.cli.inputs import default_cache_dir, default_data_dir
from infra_gap.errors import InfraGapError

__all__ = ["demo_app"]

demo_app = typer.Typer(no_args_is_help=True, help="The embedded North Sumatra demo.")


@demo_app.command("export")
def demo_export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Folder to write the demo layers into.")],
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Write every demo layer in the real formats a user would bring."""
    if out.exists() and not out.is_dir():
        usage_error(f"--out must be a folder, got the file {out}")
    reporter = Reporter.make(ctx, quiet=quiet, verbose=verbose)
    start_work(ctx)
    try:
        from infra_gap.synthetic.demo import export_demo, load_demo

        with reporter.step("Loading the demo"):
            layers = load_demo(default_data_dir(), default_cache_dir())
        with reporter.step(f"Writing {out}", "write"):
            paths = export_demo(layers, out)
    except InfraGapError as err:
        runtime_error(err)
    for p in paths:
        reporter.report(f"wrote {p}")
    reporter.note("these layers are a SYNTHETIC DEMO, except the boundaries (areas.gpkg).")
