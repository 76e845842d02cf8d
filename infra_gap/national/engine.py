"""One engine setting: the same partition function, run in a plain loop or on Dask.

``--engine local`` runs the partition function of a partitioned workload
(:mod:`infra_gap.national.generate`) over the partitions one after the other, in this process.
``--engine dask`` builds a Dask collection with one partition per administrative code
(``dask.dataframe.from_map`` over the codes, a dask-geopandas frame of each partition's
desa) and maps the *same* function over it with ``map_partitions``: Dask only schedules
the existing kernels (placement, coverage, counts), it computes nothing of its own.
Partitions follow codes (province or kabupaten), never a spatial shuffle, so no row moves
between workers; each worker reads its partition's files itself, so the workload folder
must be visible to every worker (a shared path).

Where Dask runs:

- ``--scheduler tcp://host:8786`` (any address ``distributed.Client`` accepts): an existing
  dask.distributed cluster;
- ``--scheduler synchronous|threads|processes``: Dask's single-machine schedulers (the
  synchronous one is for debugging and tests);
- no ``--scheduler``: a ``LocalCluster`` sized to the machine, one single-threaded worker
  process per usable core, the machine's memory shared between them.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd

from infra_gap.errors import DataError, EngineError

__all__ = [
    "ENGINES",
    "LOCAL_SCHEDULERS",
    "EngineError",
    "EngineSpec",
    "dask_client",
    "describe_engine",
    "engine_spec",
    "local_cluster_size",
    "machine_resources",
    "run_partitions",
]

ENGINES = ("local", "dask")
#: ``--scheduler`` values that name Dask's own single-machine schedulers, not an address.
LOCAL_SCHEDULERS = ("synchronous", "threads", "processes")


@dataclass(frozen=True)
class EngineSpec:
    """Where partitions run.

    Attributes
    ----------
    name
        ``"local"`` (a plain loop in this process) or ``"dask"``.
    scheduler
        For ``"dask"``: an address of an existing dask.distributed scheduler, one of
        :data:`LOCAL_SCHEDULERS`, or None for a ``LocalCluster`` sized to the machine.
    n_workers
        Workers of the ``LocalCluster``; None: one per usable core.
    memory_limit
        Memory limit per ``LocalCluster`` worker, bytes; None: the machine's memory divided
        by the number of workers (Dask's own default).
    """

    name: str = "local"
    scheduler: str | None = None
    n_workers: int | None = None
    memory_limit: int | None = None


def engine_spec(
    engine: str = "local",
    *,
    scheduler: str | None = None,
    n_workers: int | None = None,
    memory_limit: int | None = None,
) -> EngineSpec:
    """Check the ``--engine``/``--scheduler`` pair and return the spec.

    Raises
    ------
    DataError
        For an unknown engine, a scheduler given to the local engine, or fewer than one
        worker.
    """
    if engine not in ENGINES:
        msg = f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}"
        raise DataError(msg)
    if engine == "local" and scheduler is not None:
        msg = "--scheduler needs --engine dask (the local engine runs in this process)"
        raise DataError(msg)
    if n_workers is not None and n_workers < 1:
        msg = f"the number of workers must be at least 1, got {n_workers}"
        raise DataError(msg)
    return EngineSpec(engine, scheduler or None, n_workers, memory_limit)


def machine_resources() -> tuple[int, int]:
    """Usable cores (CPU affinity, else ``os.cpu_count``) and total memory in bytes."""
    import psutil

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(cores, 1), int(psutil.virtual_memory().total)


def local_cluster_size(*, cores: int, memory: int, n_workers: int | None = None) -> tuple[int, int]:
    """Workers and memory per worker of a ``LocalCluster`` on this machine.

    One single-threaded worker process per core (the kernels are numpy/GEOS code that
    holds the GIL in places, so processes scale where threads would not), and the memory
    shared evenly.
    """
    n = n_workers or cores
    return n, memory // n


def describe_engine(spec: EngineSpec) -> str:
    """A one-line description of ``spec`` for the command line."""
    if spec.name == "local":
        return "local engine (one process)"
    if spec.scheduler in LOCAL_SCHEDULERS:
        return f"dask, {spec.scheduler} scheduler"
    if spec.scheduler:
        return f"dask cluster at {spec.scheduler}"
    cores, memory = machine_resources()
    n, per = local_cluster_size(cores=cores, memory=memory, n_workers=spec.n_workers)
    per = spec.memory_limit or per
    return f"dask LocalCluster, {n} worker(s) x 1 thread, {per / 2**30:.1f} GiB each"


@contextmanager
def dask_client(spec: EngineSpec) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec``, closed (with its LocalCluster) on exit.

    Yields None for the local engine and for Dask's single-machine schedulers.

    Raises
    ------
    EngineError
        When the scheduler cannot be reached or the cluster does not start.
    """
    if spec.name == "local" or spec.scheduler in LOCAL_SCHEDULERS:
        yield None
        return
    distributed = importlib.import_module("distributed")  # optional dependency, untyped
    Client, LocalCluster = distributed.Client, distributed.LocalCluster

    try:
        if spec.scheduler:
            client = Client(spec.scheduler, timeout="10s")
            cluster = None
        else:
            cores, memory = machine_resources()
            n, per = local_cluster_size(cores=cores, memory=memory, n_workers=spec.n_workers)
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                memory_limit=spec.memory_limit or per,
                dashboard_address=":0",
            )
            client = Client(cluster)
    except (OSError, TimeoutError, RuntimeError) as err:
        where = spec.scheduler or "a LocalCluster"
        msg = f"cannot use the Dask scheduler at {where}: {err}"
        raise EngineError(msg) from err
    try:
        try:  # import the kernels on every worker now: a clear error, and warm workers
            client.run(importlib.import_module, __name__)
        except ImportError as err:
            msg = f"the Dask workers cannot import infra_gap ({err}); install it on every worker"
            raise EngineError(msg) from err
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_partitions(
    read: Callable[[str], Any],
    kernel: Callable[[Any], pd.DataFrame],
    items: Sequence[str],
    *,
    read_meta: Any,
    meta: pd.DataFrame,
    spec: EngineSpec,
    client: Any = None,
) -> pd.DataFrame:
    """``kernel(read(item))`` for every item, concatenated in item order.

    Parameters
    ----------
    read
        Reads one partition (module-level function or ``functools.partial``, so Dask can
        send it to workers).
    kernel
        The partition function; its output must have the columns and dtypes of ``meta``.
    items
        Partition codes.
    read_meta, meta
        Empty frames shaped like the output of ``read`` and of ``kernel``.
    spec
        The engine.
    client
        A client from :func:`dask_client`, reused across runs; one is made when None.
    """
    if spec.name == "local":
        frames = [kernel(read(item)) for item in items]
        return pd.concat(frames, ignore_index=True) if frames else meta.copy()
    dd = importlib.import_module("dask.dataframe")  # optional dependency, untyped
    importlib.import_module("dask_geopandas")  # GeoDataFrame partitions: a dask-geopandas frame

    collection = dd.from_map(read, list(items), meta=read_meta, enforce_metadata=False)
    mapped = collection.map_partitions(kernel, meta=meta)
    if spec.scheduler in LOCAL_SCHEDULERS:
        out = mapped.compute(scheduler=spec.scheduler)
    elif client is not None:
        out = client.compute(mapped, sync=True)
    else:
        with dask_client(spec) as own:
            out = own.compute(mapped, sync=True)
    return out.reset_index(drop=True)


# ---- The partitioned indicator run (a candidate for its own module) ---------------------

#: Sums per desa, rolled up by code, in the pipeline's column order.
