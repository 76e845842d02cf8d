"""Parse untrusted uploads in a worker process with a memory and a time limit.

The budgets of :mod:`infra_gap.io.budget` refuse what they can see before parsing; a file
that slips past them (a GDAL or Arrow path nobody sized) must not take the server, and
every planner's session, with it.  :func:`run_isolated` runs one call in a fresh Python
process (``python -m infra_gap.io.worker``: no copy of the server's threads or memory)
whose address space is capped with ``resource.setrlimit(RLIMIT_AS)`` and whose wall-clock
time is capped by the parent.  Not ``multiprocessing``'s spawn: Streamlit replaces
``__main__`` with the app script, and spawn would run the whole app again in the child.
The call and its result travel as pickles over the child's stdin and a private copy of
its stdout (fd 1 itself is pointed at stderr, so no library output can mix in).  A
worker that runs out of memory, crashes or overruns ends alone; the caller gets
:class:`~infra_gap.errors.LimitError` (``E_LIMIT``).  This is the sandbox GDAL's security
page recommends for services that open files from users (reliability.md §1.1, §4).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

from infra_gap.config import Limits
from infra_gap.errors import InfraGapError, InputFileError, LimitError
from infra_gap.io.budget import current_limits

__all__ = ["run_isolated"]

T = TypeVar("T")


def _limit_memory(max_bytes: int) -> None:
    """Cap the address space at what the worker holds after start-up plus ``max_bytes``.

    The libraries' own mappings (about 0.5 GB of address space for GDAL, PROJ, Arrow and
    numpy, little of it resident) are already there; the cap bounds what the file adds.
    """
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the time limit still holds
        return
    try:
        with open("/proc/self/statm") as fh:
            start = int(fh.read().split()[0]) * resource.getpagesize()
    except OSError:  # pragma: no cover - not Linux
        start = 0
    cap = start + max_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def worker_main() -> None:
    """Child body: read the call from stdin, cap memory, run, write ``(kind, value)``."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything a library prints goes to stderr, never into the result
    max_bytes, func, args, kwargs = pickle.load(sys.stdin.buffer)
    _limit_memory(max_bytes)
    try:
        result: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except InfraGapError as err:
        result = ("error", err)
    except MemoryError:
        result = ("memory", None)
    except BaseException as err:
        result = ("crash", "".join(traceback.format_exception_only(err)).strip()[:500])
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    out.write(data)
    out.close()


def run_isolated(
    func: Callable[..., T],
    /,
    *args: Any,
    limits: Limits | None = None,
    slots: threading.Semaphore | None = None,
    **kwargs: Any,
) -> T:
    """``func(*args, **kwargs)`` in a worker process with ``limits``' memory and time caps.

    ``func`` and its arguments and result must pickle (a module-level function such as
    :func:`infra_gap.analysis.inputs.load_layers` with an
    :class:`~infra_gap.analysis.inputs.InputPaths`).

    Parameters
    ----------
    func
        The call to isolate.
    limits
        ``worker_memory_bytes`` (address space) and ``worker_seconds`` (wall clock);
        :func:`infra_gap.io.budget.current_limits` when None.
    slots
        The server's worker slots (``Limits.max_workers`` of them, shared by every session):
        the worker starts when one is free, waiting up to ``worker_seconds``.  None: no wait.

    Raises
    ------
    LimitError
        The worker ran out of memory, died (a crash in a native library) or overran; or no
        worker slot came free in time (limit ``max_workers``).
    InfraGapError
        Whatever coded error ``func`` raised, unchanged; any other exception of ``func``
        becomes an :class:`~infra_gap.errors.InputFileError` with its one-line summary.
    """
    limits = limits or current_limits()
    if slots is None:
        return _run_worker(limits, func, args, kwargs)
    if not slots.acquire(timeout=limits.worker_seconds):
        msg = (
            f"the server is already reading {limits.max_workers} uploads and none finished "
            f"within {limits.worker_seconds:g} s; try again later (limit max_workers)"
        )
        raise LimitError(msg, limit="max_workers", value=limits.max_workers)
    try:
        return _run_worker(limits, func, args, kwargs)
    finally:
        slots.release()


def _run_worker(limits: Limits, func: Callable[..., T], args: Any, kwargs: Any) -> T:
    """One worker process for one call (see :func:`run_isolated`).

    The worker's temporary files (``TMPDIR`` for Python, ``CPL_TMPDIR`` for GDAL) go to a
    folder of its own, removed when it ends, however it ends: a worker killed for its time
    or memory, or whose session's tab was closed, leaves no copy of an upload on disk
    (reliability.md K5).
    """
    call = pickle.dumps((limits.worker_memory_bytes, func, args, kwargs))
    with tempfile.TemporaryDirectory(prefix="infra-gap-worker-", ignore_cleanup_errors=True) as tmp:
        proc = subprocess.Popen(
            [sys.executable, "-m", "infra_gap.io.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            # the worker imports what the server imports (``func`` is pickled by reference)
            env={
                **os.environ,
                "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
                "TMPDIR": tmp,
                "CPL_TMPDIR": tmp,
            },
        )
        try:
            data, _ = proc.communicate(call, timeout=limits.worker_seconds)
        except subprocess.TimeoutExpired as err:
            proc.kill()
            proc.communicate()
            msg = (
                f"reading the file took over {limits.worker_seconds:g} s and was stopped "
                "(limit worker_seconds)"
            )
            raise LimitError(msg, limit="worker_seconds", value=limits.worker_seconds) from err
    kind: str
    value: Any
    kind, value = pickle.loads(data) if data else ("died", proc.returncode)
    if kind == "ok":
        return value
    if kind == "error" and isinstance(value, InfraGapError):
        raise value
    if kind == "crash":
        msg = f"the file could not be read: the reader failed ({value})"
        raise InputFileError(msg)
    msg = (
        f"reading the file needed more than {limits.worker_memory_bytes / 2**30:.1f} GiB of "
        f"memory or crashed the reader (exit {value}); it was stopped "
        "(limit worker_memory_bytes)"
    )
    raise LimitError(msg, limit="worker_memory_bytes", value=value)
