"""Runs both front ends share: scenario from options, engine tables, national workloads.

The CLI (``infra-gap rank``, ``infra-gap national``) and the app's national page call these;
without a workload, the engines run on the demo, split by kabupaten into a partitioned
workload cached in :func:`infra_gap.paths.default_cache_dir`.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from infra_gap.config import DemoParams
from infra_gap.errors import DataError, InputFileError
from infra_gap.paths import default_cache_dir, default_data_dir
from infra_gap.ranking.scenario import (
    Scenario,
    ScenarioResult,
    override,
    parse_weight_options,
    run_scenario,
    scenario_from_bytes,
)

if TYPE_CHECKING:  # the engines load Dask and the national generator: only when run
    import pandas as pd

    from infra_gap.io.partitioned import Root
    from infra_gap.layers import RowAccount
    from infra_gap.national.generate import NationalParams
    from infra_gap.national.workload import Workload

__all__ = [
    "EngineRun",
    "demo_workload",
    "engine_table",
    "national_dir",
    "national_workload",
    "rank_with_engine",
    "scenario_from_options",
]

_SPLIT_VERSION = "1"


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
    from infra_gap import io
    from infra_gap.national.generate import generate_national
    from infra_gap.national.workload import read_workload
    from infra_gap.synthetic.demo import BOUNDARY_FILES

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
    from infra_gap import io
    from infra_gap.national.workload import read_workload, split_layers
    from infra_gap.synthetic.demo import BOUNDARY_FILES, load_demo

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
        The indicator table at the run's level
        (as :func:`infra_gap.analysis.pipeline.indicator_table`).
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
    workload: Root | None = None,
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
        ``--engine`` and ``--scheduler`` (:func:`infra_gap.national.engine.engine_spec`).
    workload
        A workload folder (``national generate``); None runs the demo split by kabupaten.
    covered_min
        Coverage threshold.
    n_workers
        Workers of the LocalCluster (None: one per core).
    data_dir, cache_dir
        The ``data/`` and ``.cache/`` folders (``INFRA_GAP_DATA``/``INFRA_GAP_CACHE``).
    """
    from infra_gap.national.engine import describe_engine, engine_spec
    from infra_gap.national.partitions import workload_table
    from infra_gap.national.workload import read_workload

    spec = engine_spec(engine, scheduler=scheduler, n_workers=n_workers)
    t0 = time.perf_counter()
    if workload is not None:
        wl = read_workload(workload)
    else:
        wl = demo_workload(data_dir or default_data_dir(), cache_dir or default_cache_dir())
    table, accounts = workload_table(wl, level=level, spec=spec, covered_min=covered_min)
    return EngineRun(table, accounts, wl, describe_engine(spec), time.perf_counter() - t0)


def rank_with_engine(
    scenario: Scenario,
    *,
    engine: str = "dask",
    scheduler: str | None = None,
    workload: Root | None = None,
    province: str | None = None,
    n_workers: int | None = None,
    data_dir: Path | None = None,
    cache_dir: Path | None = None,
) -> tuple[ScenarioResult, EngineRun]:
    """:func:`engine_table` at the scenario's level, then :func:`.scenario.run_scenario`.

    ``province`` (two digits) ranks only that province's areas; the engine still runs
    every partition, so the table is the one a national run gives, cut before scoring.
    """
    from infra_gap.national.view import province_subset

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
    unknown_as_need: bool | None = None,
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
        unknown_as_need=unknown_as_need,
    )
