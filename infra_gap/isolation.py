"""Parse untrusted uploads in a worker process with a memory and a time limit.

The budgets of :mod:`infra_gap.io.budget` refuse what they can see before parsing; a file
that slips past them (a GDAL or Arrow path nobody sized) must not take the server, and
every planner's session, with it.  :func:`run_isolated` runs one call in a fresh process
(``spawn``: no copy of the server's threads or memory) whose address space is capped with
``resource.setrlimit(RLIMIT_AS)`` and whose wall-clock time is capped by the parent.  A
worker that runs out of memory, crashes or overruns ends alone; the caller gets
:class:`~infra_gap.errors.LimitError` (``E_LIMIT``).  This is the sandbox GDAL's security
page recommends for services that open files from users (reliability.md §1.1, §4).
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from infra_gap.config import Limits
from infra_gap.errors import InfraGapError, InputFileError, LimitError
from infra_gap.io.budget import current_limits

__all__ = ["run_isolated"]

T = TypeVar("T")


def _limit_memory(max_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: the time limit still holds
        return
    resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _child(
    conn: Connection, max_bytes: int, func: Callable[..., Any], args: tuple[Any, ...], kwargs: Any
) -> None:
    """Worker body: cap memory, run, send ``(kind, value)`` back."""
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
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def run_isolated(
    func: Callable[..., T], /, *args: Any, limits: Limits | None = None, **kwargs: Any
) -> T:
    """``func(*args, **kwargs)`` in a worker process with ``limits``' memory and time caps.

    ``func`` and its arguments and result must pickle (a module-level function such as
    :func:`infra_gap.inputs.load_layers` with an :class:`~infra_gap.inputs.InputPaths`).

    Parameters
    ----------
    func
        The call to isolate.
    limits
        ``worker_memory_bytes`` (address space) and ``worker_seconds`` (wall clock);
        :func:`infra_gap.io.budget.current_limits` when None.

    Raises
    ------
    LimitError
        The worker ran out of memory, died (a crash in a native library) or overran.
    InfraGapError
        Whatever coded error ``func`` raised, unchanged; any other exception of ``func``
        becomes an :class:`~infra_gap.errors.InputFileError` with its one-line summary.
    """
    limits = limits or current_limits()
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(send, limits.worker_memory_bytes, func, args, kwargs), daemon=True
    )
    proc.start()
    send.close()
    try:
        if not receive.poll(limits.worker_seconds):
            msg = (
                f"reading the file took over {limits.worker_seconds:g} s and was stopped "
                "(limit worker_seconds)"
            )
            raise LimitError(msg, limit="worker_seconds", value=limits.worker_seconds)
        try:
            kind, value = receive.recv()
        except (EOFError, OSError):
            proc.join(5)
            kind, value = "died", proc.exitcode
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join()
    if kind == "ok":
        return value
    if kind == "error":
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
