"""What every command shares: output checks before work, messages, progress, exit codes.

Conventions (as ``rio`` and ``ogr2ogr`` users expect; README "The command line"):

* exit code 0 on success, **1** for a failure while running (an unreadable input file, data
  that cannot be ranked, an output that cannot be written), **2** for a usage error (an
  unknown option or value, a bad combination); usage errors are found before any work;
* the result goes to the ``--out`` file; with ``--out -`` a CSV goes to stdout and every
  message to stderr, so the output can be piped;
* the summary lines (row accounting, what was written) go to stdout, warnings and notes to
  stderr; ``-q`` keeps only warnings and errors, ``-v`` adds each step's time and details;
* a progress display (rich, on stderr, only on a terminal) for the steps;
* an existing output is refused unless ``--overwrite`` is given; files are written to a
  temporary name and renamed, with the user's umask.

This module loads no data library: importing the CLI stays fast.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from infra_gap.errors import InfraGapError, OutputFileError, UsageError

__all__ = [
    "EXIT_RUNTIME",
    "EXIT_USAGE",
    "GC_PAUSED",
    "QUICK_EXIT",
    "SCRIPT",
    "STDOUT",
    "OverwriteOpt",
    "QuietOpt",
    "Reporter",
    "VerboseOpt",
    "check_output",
    "may_end_quickly",
    "merge_alias",
    "one_blas_thread",
    "resume_gc",
    "runtime_error",
    "start_work",
    "usage_error",
    "write_output",
]

EXIT_RUNTIME = 1
EXIT_USAGE = 2
#: The ``--out`` value that writes the result to stdout.
STDOUT = "-"

QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only warnings and errors.")]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also print each step's time and details.")
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace the output file if it exists.")
]


def usage_error(message: str) -> NoReturn:
    """Print a usage error (stable code ``E_USAGE``) and exit with code 2, before any work."""
    typer.echo(f"error [{UsageError.code}]: {message} (see --help)", err=True)
    raise typer.Exit(EXIT_USAGE)


def runtime_error(err: InfraGapError) -> NoReturn:
    """Print a library error with its stable code and exit with code 1."""
    from infra_gap.text.safe import printable

    typer.echo(f"error [{err.code}]: {printable(str(err), limit=4000)}", err=True)
    raise typer.Exit(EXIT_RUNTIME)


def merge_alias(value: str | None, alias: str | None, *, name: str, alias_name: str) -> str | None:
    """The value of an option given under its name or its old (hidden) alias, not both."""
    if value is not None and alias is not None and value != alias:
        usage_error(f"give {name} or {alias_name} (its old name), not both")
    return value if value is not None else alias


def _first_existing(path: Path) -> Path:
    for parent in path.parents:
        if parent.exists():
            return parent
    return Path(path.anchor or ".")


def workload_root(text: str | None) -> Path | str | None:
    """``--workload``: an fsspec URL (``s3://...``) stays text; anything else is a path."""
    if text is None:
        return None
    return text if "://" in text else Path(text)


def check_output(
    out: str, *, suffixes: Sequence[str], overwrite: bool, stdout: bool = False
) -> Path | None:
    """Check ``--out`` before any work; return its path (None for stdout).

    A wrong extension or ``-`` where stdout is not offered is a usage error (exit 2); an
    existing file without ``--overwrite``, a folder in the way or a parent that is a file
    or not writable is an :class:`~infra_gap.errors.OutputFileError` (exit 1).
    """
    if out == STDOUT:
        if not stdout:
            usage_error("this command cannot write to stdout; give --out FILE")
        return None
    path = Path(out)
    if path.suffix.lower() not in suffixes:
        usage_error(f"--out must end in {', '.join(suffixes)}, got {path.name!r}")
    problem = None
    if path.is_dir():
        problem = "is a folder"
    elif path.exists() and not overwrite:
        problem = "exists; add --overwrite to replace it"
    else:
        parent = _first_existing(path.resolve())
        if not parent.is_dir():
            problem = f"cannot be created: {parent} is not a folder"
        elif not os.access(parent, os.W_OK | os.X_OK):
            problem = f"cannot be created: no permission to write in {parent}"
    if problem is not None:
        runtime_error(OutputFileError(f"{path}: {problem}"))
    return path


def write_output(data: bytes, path: Path | None) -> None:
    """Write the result to ``path`` atomically (the user's umask), or to stdout when None."""
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    from infra_gap import io  # loads the readers: only when writing

    io.write_bytes(data, path)


@dataclass
class Reporter:
    """Where a command's messages go, by verbosity and by where the result goes.

    Attributes
    ----------
    quiet, verbose
        ``-q`` / ``-v`` (of the command or of ``infra-gap`` itself).
    data_on_stdout
        The result goes to stdout (``--out -``): the summary moves to stderr.
    clock
        (step, wall seconds, CPU seconds of all threads) of each step run.
    """

    quiet: bool = False
    verbose: bool = False
    data_on_stdout: bool = False
    clock: list[tuple[str, float, float]] = field(default_factory=list)

    @classmethod
    def make(
        cls, ctx: typer.Context, *, quiet: bool, verbose: bool, data_on_stdout: bool = False
    ) -> Reporter:
        """The reporter of a command, with ``infra-gap -q/-v`` given before it."""
        root = ctx.find_root().params
        return cls(
            quiet=quiet or bool(root.get("quiet")),
            verbose=verbose or bool(root.get("verbose")),
            data_on_stdout=data_on_stdout,
        )

    def report(self, text: str) -> None:
        """A summary line: stdout (stderr when stdout carries the data); none with -q."""
        if not self.quiet:
            typer.echo(text, err=self.data_on_stdout)

    def note(self, text: str) -> None:
        """A note (e.g. the synthetic-data label): stderr; none with -q."""
        if not self.quiet:
            typer.echo(f"note: {text}", err=True)

    def warn(self, text: str) -> None:
        """A warning: stderr, always."""
        typer.echo(f"warning: {text}", err=True)

    def detail(self, text: str) -> None:
        """A detail for -v: stderr."""
        if self.verbose and not self.quiet:
            typer.echo(text, err=True)

    @contextmanager
    def step(self, label: str, name: str | None = None) -> Iterator[None]:
        """One step of the work: a spinner with the elapsed time on a terminal's stderr.

        ``name`` is the step's short name in :meth:`timing` (``label`` when None).
        """
        t0, c0 = time.perf_counter(), time.process_time()
        show = not self.quiet and sys.stderr.isatty()
        if show:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
                redirect_stdout=False,
                redirect_stderr=False,
            ) as progress:
                progress.add_task(label, total=None)
                yield
        else:
            yield
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        self.clock.append((name or label.lower(), wall, cpu))
        self.detail(f"  {label}: {wall:.1f} s (CPU {cpu:.1f} s)")

    def timing(self) -> str:
        """Where the command's time went: wall and CPU (all threads) per step.

        On a shared machine the CPU figures are the steadier ones.
        """
        start = time.process_time() - sum(c for _, _, c in self.clock)
        parts = [f"start-up and imports (CPU {start:.2f})"]
        parts += [f"{name} {w:.2f} s (CPU {c:.2f})" for name, w, c in self.clock]
        return "time: " + ", ".join(parts)


#: Key of the root context's object: the command is done and holds nothing to release.
QUICK_EXIT = "quick_exit"


def may_end_quickly(ctx: typer.Context) -> None:
    """Tell :func:`infra_gap.cli.main.run` that the command is done and its output closed.

    The script then ends the process without Python's teardown (see ``run``); a command
    says so only when nothing outlives it (no worker processes, no server).
    """
    obj = ctx.find_root().obj
    if isinstance(obj, dict):
        obj[QUICK_EXIT] = True


#: Key of the root context's object: the cyclic garbage collector is paused for start-up.
GC_PAUSED = "gc_paused"
#: Key of the root context's object: the process is the ``infra-gap`` script (not a caller
#: in the same process, such as a test), so its environment is the command's own.
SCRIPT = "script"


def one_blas_thread(ctx: typer.Context) -> None:
    """In the script, before NumPy loads: one OpenBLAS thread unless the user chose a number.

    NumPy starts a pool of OpenBLAS threads as it loads, one per core (0.06 s of CPU of the
    0.21-0.24 s NumPy takes to import, six runs each on a busy 2-core machine); the local
    engine's only matrix products are small ones (the stability draws: draws x a few
    indicators, ranked on threads of their own).  ``OPENBLAS_NUM_THREADS`` set by the user
    is kept; in-process callers and a process where NumPy is loaded already are left alone.
    """
    obj = ctx.find_root().obj
    if isinstance(obj, dict) and obj.get(SCRIPT) and "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def start_work(ctx: typer.Context) -> None:
    """Before the first data is read: the hardened-environment check of :func:`main`.

    Then, when :func:`infra_gap.cli.main.run` paused the cyclic garbage collector for the
    start-up, the objects made so far (modules, classes: the imports, long-lived) are frozen
    (``gc.freeze``: never traversed again) and the collector runs again for the work.
    """
    obj = ctx.find_root().obj
    if isinstance(obj, dict) and obj.get("check_environment"):
        from infra_gap.hardening import check_environment

        try:
            check_environment()
        except InfraGapError as err:
            runtime_error(err)
    if isinstance(obj, dict) and obj.get(GC_PAUSED):
        resume_gc(obj)


def resume_gc(obj: dict[str, bool]) -> None:
    """End the start-up pause of the collector: freeze what exists, then collect again."""
    import gc

    gc.freeze()
    gc.enable()
    obj[GC_PAUSED] = False
