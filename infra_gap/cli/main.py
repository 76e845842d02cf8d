"""The ``infra-gap`` command: the same pipeline as the app, for reproducible batch runs.

Exit codes: 0 success, 1 a failure while running, 2 a usage error (found before any work).
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Annotated

import typer

from infra_gap import __version__
from infra_gap.cli.app import app_command
from infra_gap.cli.common import (
    EXIT_RUNTIME,
    GC_PAUSED,
    QUICK_EXIT,
    SCRIPT,
    QuietOpt,
    VerboseOpt,
    resume_gc,
)
from infra_gap.cli.demo import demo_app
from infra_gap.cli.dossier import dossier
from infra_gap.cli.inputs import default_cache_dir, default_data_dir
from infra_gap.cli.national import national_app
from infra_gap.cli.rank import rank
from infra_gap.cli.sites import sites
from infra_gap.cli.workload import workload_app
from infra_gap.errors import InfraGapError

__all__ = ["app", "default_cache_dir", "default_data_dir", "main", "run"]

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help=__doc__, pretty_exceptions_enable=False
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"infra-gap {__version__}")
        raise typer.Exit


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Rank where small businesses lack usable internet, and write the request."""


# The order of ``infra-gap --help``.
app.command()(rank)
app.command()(dossier)
app.command("sites")(sites)
app.add_typer(demo_app, name="demo")
app.add_typer(national_app, name="national")
app.add_typer(workload_app, name="workload")
app.command("app")(app_command)


def run() -> None:
    """Entry point of the ``infra-gap`` script (and ``python -m infra_gap``): :func:`main`.

    A command that succeeded and said nothing outlives it
    (:func:`infra_gap.cli.common.may_end_quickly`: ``rank`` with the local engine, once its
    files are written and closed) ends the process at once, after flushing stdout and
    stderr, instead of through Python's teardown: freeing the boundaries' prepared
    polygons, the frames and every module took 0.3 s of CPU at the end of a desa ranking of
    the province (the figures: ``bench/bench_rank.py``).  In-process callers (tests) use
    :func:`main`, which always returns or raises.

    The cyclic garbage collector is paused while the command starts (imports make some
    100,000 long-lived objects, and three full collections over them cost 0.2 s of CPU
    in a desa ranking); :func:`infra_gap.cli.common.start_work` freezes them and resumes
    it before any data is read, and a command that never gets there resumes it on return.
    ``rank`` on the local engine also keeps NumPy to one OpenBLAS thread
    (:func:`infra_gap.cli.common.one_blas_thread`).
    """
    gc.disable()
    main(quick_exit=True, gc_paused=True)


def _end_now() -> None:
    """End the process with exit code 0 once stdout and stderr are flushed.

    Returns instead when a flush fails, so the normal exit reports it (as Python does).
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(0)


def main(*, quick_exit: bool = False, gc_paused: bool = False) -> None:
    """Run the command of ``sys.argv``.

    Applies the hardened GDAL/PROJ environment before any data library loads; each command
    checks it before reading data and refuses to run in an unsafe setup.  A failure that is
    not a library error (a bug) prints one line, and the traceback with ``-v``.
    ``quick_exit``, ``gc_paused`` (the caller disabled the collector): see :func:`run`.
    """
    from infra_gap.cli.option_values import quick_option_values
    from infra_gap.hardening import apply_hardened_env

    apply_hardened_env()
    quick_option_values()
    obj: dict[str, bool] = {"check_environment": True, GC_PAUSED: gc_paused, SCRIPT: quick_exit}
    try:
        app(obj=obj)
    except SystemExit as done:
        if quick_exit and done.code in (None, 0) and obj.get(QUICK_EXIT):
            _end_now()
        raise
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except InfraGapError as err:  # raised outside a command's own handling
        from infra_gap.text.safe import printable

        typer.echo(f"error [{err.code}]: {printable(str(err), limit=4000)}", err=True)
        sys.exit(EXIT_RUNTIME)
    except MemoryError:  # beyond the budgets: the machine's or the service's memory cap
        typer.echo(
            "error [E_LIMIT]: the run needs more memory than this process may use; give it "
            "more, or lower the rows held at once (INFRA_GAP_LIMITS=chunk_rows=..., see the "
            "README, 'Size limits')",
            err=True,
        )
        sys.exit(EXIT_RUNTIME)
    except Exception as err:
        if "-v" in sys.argv or "--verbose" in sys.argv:
            raise
        typer.echo(
            f"internal error: {type(err).__name__}: {err} (run again with -v for the "
            "traceback, and please report it)",
            err=True,
        )
        sys.exit(EXIT_RUNTIME)
    finally:
        if obj.get(GC_PAUSED):  # a command that read no data (help, a usage error)
            resume_gc(obj)
