"""The script's start-up: the collector paused while it imports, resumed before any data."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from infra_gap.cli import main as cli
from infra_gap.cli.common import GC_PAUSED, start_work


@pytest.fixture
def paused_gc():
    gc.disable()
    yield
    gc.unfreeze()
    gc.enable()


def test_start_work_freezes_the_start_up_and_resumes_the_collector(paused_gc):
    obj = {"check_environment": False, GC_PAUSED: True}
    ctx = SimpleNamespace(find_root=lambda: SimpleNamespace(obj=obj))
    start_work(ctx)  # type: ignore[arg-type]
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # the objects made so far are never traversed again
    assert obj[GC_PAUSED] is False


def test_a_command_that_reads_no_data_resumes_the_collector(paused_gc, monkeypatch):
    monkeypatch.setattr("sys.argv", ["infra-gap", "rank", "--top", "0"])  # a usage error
    with pytest.raises(SystemExit) as done:
        cli.main(gc_paused=True)
    assert done.value.code == 2
    assert gc.isenabled()


def test_in_process_callers_keep_the_collector_running(monkeypatch):
    monkeypatch.setattr("sys.argv", ["infra-gap", "--version"])
    with pytest.raises(SystemExit):
        cli.main()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def _blas_threads_after_rank(env_value: str | None) -> str:
    code = (
        "import os, sys\n"
        "from infra_gap.cli import main as cli\n"
        "sys.argv = ['infra-gap', 'rank', '--top', '0']\n"  # a usage error: no data read
        "try:\n    cli.main(quick_exit=True)\nexcept SystemExit:\n    pass\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_the_script_ranks_with_one_blas_thread_unless_the_user_chose(monkeypatch):
    assert _blas_threads_after_rank(None) == "1 False"  # set before NumPy loads
    assert _blas_threads_after_rank("3") == "3 False"
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setattr("sys.argv", ["infra-gap", "rank", "--top", "0"])
    with pytest.raises(SystemExit):
        cli.main()  # in-process callers keep their environment
    assert "OPENBLAS_NUM_THREADS" not in os.environ
