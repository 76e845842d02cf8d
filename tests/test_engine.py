"""The engine setting and the equality of the local and the Dask engines.

Equality is tested twice, as the national-scale issue asks: on the demo split by kabupaten
(Dask's synchronous scheduler, in this process) and on a small national sample (a real
two-worker ``LocalCluster``, in worker processes).  Both must give the same table, row for
row and bit for bit; the demo run must also equal the single-process pipeline.
"""

from __future__ import annotations

import sys
import types
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from infra_gap import io
from infra_gap.analysis.pipeline import PointFacts, indicator_table, place_and_cover
from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError
from infra_gap.layers import Layers
from infra_gap.national.engine import (
    EngineSpec,
    dask_client,
    describe_engine,
    engine_spec,
    local_cluster_size,
    run_partitions,
)
from infra_gap.national.generate import NationalParams
from infra_gap.national.partitions import workload_table
from infra_gap.national.workload import Workload, split_layers
from infra_gap.runs import national_workload

ROOT = Path(__file__).resolve().parents[1]


def test_engine_spec_accepts_the_documented_pairs() -> None:
    assert engine_spec() == EngineSpec("local", None)
    assert engine_spec("dask").scheduler is None
    assert engine_spec("dask", scheduler="tcp://10.0.0.5:8786").scheduler == "tcp://10.0.0.5:8786"
    assert engine_spec("dask", scheduler="").scheduler is None


@pytest.mark.parametrize(
    ("engine", "scheduler", "workers", "match"),
    [
        ("spark", None, None, "--engine must be one of local, dask"),
        ("local", "tcp://h:8786", None, "--scheduler needs --engine dask"),
        ("dask", None, 0, "at least 1"),
    ],
)
def test_engine_spec_refuses(
    engine: str, scheduler: str | None, workers: int | None, match: str
) -> None:
    with pytest.raises(DataError, match=match):
        engine_spec(engine, scheduler=scheduler, n_workers=workers)


def test_local_cluster_is_one_single_threaded_worker_per_core() -> None:
    assert local_cluster_size(cores=2, memory=24 * 2**30) == (2, 12 * 2**30)
    assert local_cluster_size(cores=2, memory=24 * 2**30, n_workers=1) == (1, 24 * 2**30)
    assert local_cluster_size(cores=16, memory=64 * 2**30, n_workers=4) == (4, 16 * 2**30)


def test_describe_engine_names_where_it_runs() -> None:
    assert describe_engine(engine_spec()) == "local engine (one process)"
    assert describe_engine(engine_spec("dask", scheduler="synchronous")).endswith(
        "synchronous scheduler"
    )
    assert "tcp://h:8786" in describe_engine(engine_spec("dask", scheduler="tcp://h:8786"))
    assert describe_engine(engine_spec("dask", n_workers=3)).startswith(
        "dask LocalCluster, 3 worker"
    )


# ---- run_partitions on a hand-made reader and kernel -------------------------------------


def _read(code: str) -> gpd.GeoDataFrame:
    """Partition ``code``: ``int(code)`` squares of 1 km side."""
    n = int(code)
    geoms = [box(i * 1000, 0, i * 1000 + 1000, 1000) for i in range(n)]
    return gpd.GeoDataFrame(
        {"kode": [f"{code}.{i}" for i in range(n)]}, geometry=geoms, crs=WORK_CRS
    )


def _kernel(areas: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame({"kode": areas["kode"].to_numpy(), "km2": areas.geometry.area / 1e6})


_READ_META = gpd.GeoDataFrame(
    {"kode": pd.Series(dtype="str")}, geometry=gpd.GeoSeries([], crs=WORK_CRS)
)
_META = pd.DataFrame({"kode": pd.Series(dtype="str"), "km2": pd.Series(dtype="float64")})


@pytest.mark.parametrize("spec", [engine_spec(), engine_spec("dask", scheduler="synchronous")])
def test_run_partitions_concatenates_in_code_order(spec: EngineSpec) -> None:
    out = run_partitions(
        _read, _kernel, ["2", "1", "3"], read_meta=_READ_META, meta=_META, spec=spec
    )
    assert out["kode"].tolist() == ["2.0", "2.1", "1.0", "3.0", "3.1", "3.2"]
    assert out["km2"].tolist() == [1.0] * 6
    assert out.index.tolist() == list(range(6))


def test_run_partitions_with_no_partition_is_the_meta() -> None:
    out = run_partitions(_read, _kernel, [], read_meta=_READ_META, meta=_META, spec=engine_spec())
    assert out.empty
    assert list(out.columns) == ["kode", "km2"]


# ---- equality on the demo ----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_split(demo_layers: Layers, tmp_path_factory: pytest.TempPathFactory) -> Workload:
    return split_layers(demo_layers, tmp_path_factory.mktemp("demo-kab"), by="kabupaten")


@pytest.fixture(scope="module")
def demo_facts(demo_layers: Layers) -> PointFacts:
    return place_and_cover(demo_layers, covered_min=1.0)


def test_demo_split_by_kabupaten_has_33_partitions(demo_split: Workload) -> None:
    assert len(demo_split.parts) == 33
    assert all(p.startswith("12.") and len(p) == 5 for p in demo_split.parts)
    assert demo_split.synthetic


def test_demo_dask_equals_local_equals_pipeline(
    demo_split: Workload, demo_layers: Layers, demo_facts: PointFacts
) -> None:
    local, local_acc = workload_table(demo_split, level="kecamatan", spec=engine_spec())
    dask, dask_acc = workload_table(
        demo_split, level="kecamatan", spec=engine_spec("dask", scheduler="synchronous")
    )
    pd.testing.assert_frame_equal(dask, local, check_exact=True)
    assert dask_acc == local_acc
    reference = indicator_table(demo_layers, demo_facts, level="kecamatan")
    assert list(local.columns) == list(reference.columns)
    pd.testing.assert_frame_equal(local, reference.reset_index(drop=True), check_exact=True)
    assert local_acc == demo_facts.accounts[: len(local_acc)]
    assert local["msme_total"].sum() == 1_166_918


def test_unknown_level_is_refused(demo_split: Workload) -> None:
    with pytest.raises(DataError, match="`level` must be one of"):
        workload_table(demo_split, level="provinsi", spec=engine_spec())


# ---- equality on a national sample, with real worker processes --------------------------


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Workload:
    out = tmp_path_factory.mktemp("national-0.01")
    wl, seconds = national_workload(out, data_dir=ROOT / "data", params=NationalParams(scale=0.01))
    assert seconds is not None
    return wl


def test_national_sample_two_workers_equal_local(
    national: Workload, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Worker processes are spawned, and spawn re-runs ``__main__``'s file; an AppTest earlier in
    # the same pytest process leaves app.py there.  A bare ``__main__`` keeps workers clean.
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    local, local_acc = workload_table(national, level="kecamatan", spec=engine_spec())
    spec = engine_spec("dask", n_workers=2, memory_limit=2 * 2**30)
    with dask_client(spec) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        dask, dask_acc = workload_table(national, level="kecamatan", spec=spec, client=client)
        pids = set(client.run(lambda: __import__("os").getpid()).values())
    assert len(pids) == 2  # two worker processes did the work
    pd.testing.assert_frame_equal(dask, local, check_exact=True)
    assert dask_acc == local_acc
    assert len(local) == io.read_json(national.root / "manifest.json")["counts"]["kecamatan"]
    assert local_acc[0].read == 650_000
    assert np.isfinite(local["msme_uncovered_share"]).any()
