"""A cache that proves itself: hashes checked on read, rebuilt once when damaged, locked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infra_gap import io
from infra_gap.io.cache import MANIFEST, cache_problem, load_or_build
from infra_gap.synthetic.demo import load_demo

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
FILES = ("a.bin", "b.bin")


def _read(directory: Path) -> tuple[bytes, bytes]:
    return (directory / "a.bin").read_bytes(), (directory / "b.bin").read_bytes()


def _builder(log: Path, pause: float = 0.0):
    def build(directory: Path) -> tuple[bytes, bytes]:
        with open(log, "a") as fh:
            fh.write("built\n")
        time.sleep(pause)  # a slow build, so a second process arrives while it runs
        io.write_bytes(b"A" * 100_000, directory / "a.bin")
        io.write_bytes(b"B" * 100_000, directory / "b.bin")
        return _read(directory)

    return build


def test_built_once_then_read_and_verified(tmp_path):
    log = tmp_path / "log"
    cache = tmp_path / "cache"
    first = load_or_build(cache, FILES, read=_read, build=_builder(log))
    again = load_or_build(cache, FILES, read=_read, build=_builder(log))
    assert first == again
    assert log.read_text().count("built") == 1
    recorded = json.loads((cache / MANIFEST).read_text())["sha256"]
    assert set(recorded) == set(FILES)
    assert cache_problem(cache, FILES) is None


def test_a_truncated_file_warns_once_and_is_rebuilt(tmp_path):
    log = tmp_path / "log"
    cache = tmp_path / "cache"
    load_or_build(cache, FILES, read=_read, build=_builder(log))
    data = (cache / "b.bin").read_bytes()
    (cache / "b.bin").write_bytes(data[: len(data) // 2])
    assert "b.bin" in cache_problem(cache, FILES)
    with pytest.warns(io.CacheWarning, match=r"b\.bin does not match its recorded SHA-256"):
        value = load_or_build(cache, FILES, read=_read, build=_builder(log))
    assert value[1] == b"B" * 100_000
    assert log.read_text().count("built") == 2
    # rebuilt and recorded: the next run reads it, with no warning (warnings are errors here)
    assert load_or_build(cache, FILES, read=_read, build=_builder(log)) == value
    assert log.read_text().count("built") == 2


def test_a_build_stopped_half_way_is_rebuilt_quietly(tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "a.bin").write_bytes(b"half")  # no manifest: never finished
    value = load_or_build(cache, FILES, read=_read, build=_builder(tmp_path / "log"))
    assert value[0] == b"A" * 100_000


def _build_in_a_process(cache: str, log: str) -> None:
    load_or_build(Path(cache), FILES, read=_read, build=_builder(Path(log), pause=1.0))


def test_two_processes_building_the_same_cache_leave_it_valid(tmp_path):
    cache, log = tmp_path / "cache", tmp_path / "log"
    # plain interpreters, not multiprocessing's spawn: after an AppTest, this process's
    # __main__ is app.py, and spawn would start each child by running the app
    child = (
        "import sys; from tests.test_cache import _build_in_a_process; "
        "_build_in_a_process(sys.argv[1], sys.argv[2])"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", child, str(cache), str(log)], cwd=ROOT, stderr=subprocess.PIPE
        )
        for _ in "ab"
    ]
    errors = [proc.communicate(timeout=300)[1].decode(errors="replace") for proc in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert cache_problem(cache, FILES) is None
    assert log.read_text().count("built") == 1  # the second waited, then read the first's
    assert not [p.name for p in cache.iterdir() if p.name.startswith(".a.") or ".b." in p.name]


@pytest.mark.slow
def test_a_truncated_demo_cache_file_is_rebuilt(tmp_path, demo_layers):
    built = next(p for p in (DATA.parent / ".cache").glob("demo-*") if (p / MANIFEST).is_file())
    cache = tmp_path / built.name
    shutil.copytree(built, cache)
    msme = cache / "msme.parquet"
    msme.write_bytes(msme.read_bytes()[:1000])
    with pytest.warns(io.CacheWarning, match="msme.parquet"):
        layers = load_demo(DATA, tmp_path)
    assert len(layers.msme) == len(demo_layers.msme)
    assert (cache / "msme.parquet").read_bytes() == (built / "msme.parquet").read_bytes()
