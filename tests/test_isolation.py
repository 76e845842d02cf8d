"""Uploads parsed in a worker process: a memory bomb, a crash or a hang ends only the worker."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

import numpy as np
import pytest
import rasterio
from affine import Affine

from infra_gap import io
from infra_gap.config import Limits
from infra_gap.errors import LimitError, SchemaError

SMALL = Limits(worker_memory_bytes=300 << 20, worker_seconds=120.0)


def _sparse_float_raster() -> bytes:
    """7,000 x 7,000 float64 declared in a few hundred bytes: 392 MB when read whole.

    Under every budget (49 M pixels), so only the worker's memory cap stops it.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.tif"
        with rasterio.open(
            path, "w", driver="GTiff", width=7_000, height=7_000, count=1, dtype="float64",
            crs="EPSG:32647", transform=Affine(10, 0, 400_000, 0, -10, 300_000),
            tiled=True, blockxsize=512, blockysize=512, sparse_ok=True,
        ):  # fmt: skip
            pass
        return path.read_bytes()


def _allocate(n_bytes: int) -> int:
    return int(np.ones(n_bytes, dtype="uint8").sum())


def _abort() -> None:
    os.abort()  # a native crash (a C++ abort in a parser library)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


@pytest.mark.catalogue("C4")
def test_a_memory_bomb_parse_gives_e_limit_and_the_parent_lives():
    data = _sparse_float_raster()
    assert len(data) < 100_000
    with pytest.raises(LimitError) as err:
        io.run_isolated(io.read_geotiff, data, name="bomb.tif", limits=SMALL)
    assert (err.value.code, err.value.limit) == ("E_LIMIT", "worker_memory_bytes")
    # the parent process is untouched and the next upload is read as usual
    assert io.run_isolated(_allocate, 1000, limits=SMALL) == 1000


@pytest.mark.catalogue("C4")
def test_a_native_crash_kills_only_the_worker():
    with pytest.raises(LimitError) as err:
        io.run_isolated(_abort, limits=SMALL)
    assert err.value.code == "E_LIMIT"
    assert "exit -6" in str(err.value)  # SIGABRT, in the worker


def test_a_worker_over_its_time_is_stopped():
    quick = Limits(worker_seconds=15.0)
    started = time.monotonic()
    with pytest.raises(LimitError) as err:
        io.run_isolated(_sleep, 600, limits=quick)
    assert (err.value.code, err.value.limit) == ("E_LIMIT", "worker_seconds")
    assert time.monotonic() - started < 300  # stopped, not waited for


def test_a_coded_error_in_the_worker_arrives_unchanged(tmp_path):
    with rasterio.open(
        tmp_path / "nocrs.tif", "w", driver="GTiff", width=2, height=2, count=1, dtype="uint8",
        transform=Affine(10, 0, 0, 0, -10, 20),
    ) as dst:  # fmt: skip
        dst.write(np.ones((1, 2, 2), dtype="uint8"))
    data = (tmp_path / "nocrs.tif").read_bytes()
    with pytest.raises(SchemaError, match="no CRS"):
        io.run_isolated(io.read_geotiff, data, name="nocrs.tif", limits=SMALL)


def test_an_upload_waits_for_a_free_worker_slot_and_gives_it_back():
    slots = threading.BoundedSemaphore(1)
    slots.acquire()  # another session's upload holds the server's only slot
    with pytest.raises(LimitError) as err:
        io.run_isolated(_allocate, 10, limits=Limits(worker_seconds=0.5), slots=slots)
    assert (err.value.code, err.value.limit) == ("E_LIMIT", "max_workers")
    slots.release()
    assert io.run_isolated(_allocate, 10, limits=SMALL, slots=slots) == 10
    with pytest.raises(LimitError):  # a worker that dies gives its slot back too
        io.run_isolated(_abort, limits=SMALL, slots=slots)
    assert slots.acquire(blocking=False)


def _leave_a_temp_folder_then_abort() -> None:
    folder = Path(tempfile.mkdtemp(prefix="upload-copy-"))
    (folder / "upload.gpkg").write_bytes(b"a planner's data")
    os.abort()  # killed mid-read: nothing of its own cleans up


@pytest.mark.catalogue("K5")
def test_a_worker_killed_mid_read_leaves_no_temporary_files(tmp_path, monkeypatch):
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setenv("TMPDIR", str(root))  # where a worker would write without its own
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    with pytest.raises(LimitError):
        io.run_isolated(_leave_a_temp_folder_then_abort, limits=SMALL)
    assert list(root.iterdir()) == []


@pytest.mark.catalogue("K6")
def test_two_clicks_on_the_same_files_read_them_once(monkeypatch):
    from infra_gap.app.ui import cached

    calls: list[int] = []
    entered, release = threading.Event(), threading.Event()

    def slow_read(func, paths, *, slots):
        calls.append(1)
        entered.set()
        release.wait(60)
        return ("loaded", paths)

    monkeypatch.setattr(cached.io, "run_isolated", slow_read)
    cached.own_data.clear()
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(cached.own_data, "own-k6", "paths")
        assert entered.wait(60)
        second = pool.submit(cached.own_data, "own-k6", "paths")  # the double click
        done, _ = wait([second], timeout=1.0)  # it waits for the first, not reads again
        assert not done
        release.set()
        assert first.result() is second.result()
    assert calls == [1]
    cached.own_data.clear()
