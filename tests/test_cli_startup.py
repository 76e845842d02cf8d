"""The script's start-up: the collector paused while it imports, resumed before any data."""

from __future__ import annotations

import gc
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
