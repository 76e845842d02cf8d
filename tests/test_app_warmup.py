"""The background build of the demo's other levels (infra_gap.app.ui.warmup), without a server."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from infra_gap.app.ui import warmup


@pytest.fixture
def calls(monkeypatch):
    """Every cached builder the warm-up calls, recorded as (name, level) in call order."""
    made: list[tuple[str, str]] = []

    def recorder(name):
        def call(key, *args):
            assert key == "demo"
            level = next((a for a in args if isinstance(a, str)), "")
            made.append((name, level))

        return call

    for name in ("indicators", "display_areas", "map_shapes", "province_map_bytes"):
        monkeypatch.setattr(warmup, name, recorder(name))
    monkeypatch.setattr(warmup, "label_points", lambda key, layers: made.append(("labels", "")))
    return made


def _layers(*levels):
    return SimpleNamespace(areas=dict.fromkeys(levels))


def test_builds_every_other_level_and_the_desa_size_check(calls):
    warmup._build(_layers("desa", "kecamatan", "kabupaten"), "kecamatan")
    assert ("indicators", "desa") in calls
    assert ("indicators", "kabupaten") in calls
    assert ("display_areas", "desa") in calls
    assert ("map_shapes", "kabupaten") in calls
    assert ("province_map_bytes", "desa") in calls
    assert not [c for c in calls if c[1] == "kecamatan"]  # the page built it already
    # every level's table before the slow desa outlines
    assert calls.index(("indicators", "kabupaten")) < calls.index(("display_areas", "desa"))


def test_a_failure_is_logged_not_raised(calls, monkeypatch, caplog):
    def broken(*args):
        msg = "boom"
        raise RuntimeError(msg)

    monkeypatch.setattr(warmup, "display_areas", broken)
    with caplog.at_level(logging.ERROR, logger=warmup.LOG.name):
        warmup._build(_layers("kecamatan", "kabupaten"), "kecamatan")
    assert "warming the demo's caches failed" in caplog.text
    assert ("indicators", "kabupaten") in calls


def test_a_server_stopping_mid_warm_up_prints_no_traceback(calls, monkeypatch, caplog):
    """Seen in CI's wheel check: the app stopped while the warm-up still ran, and its
    indicator pool refused work ("cannot schedule new futures after interpreter shutdown")."""

    def refused(*args):
        msg = "cannot schedule new futures after interpreter shutdown"
        raise RuntimeError(msg)

    monkeypatch.setattr(warmup, "indicators", refused)
    with caplog.at_level(logging.DEBUG, logger=warmup.LOG.name):
        warmup._build(_layers("kecamatan", "kabupaten"), "kecamatan")
    assert "shutting down" in caplog.text
    assert "failed" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info]


def test_no_thread_without_a_server_or_when_switched_off(monkeypatch):
    started = []
    monkeypatch.setattr(warmup, "_started", lambda *a: started.append(a))
    warmup.warm_demo(_layers("kecamatan"), first="kecamatan")  # no Streamlit runtime here
    assert started == []
    monkeypatch.setattr(warmup.runtime, "exists", lambda: True)
    monkeypatch.setenv("INFRA_GAP_WARMUP", "0")
    warmup.warm_demo(_layers("kecamatan"), first="kecamatan")
    assert started == []
    monkeypatch.delenv("INFRA_GAP_WARMUP")
    warmup.warm_demo(_layers("kecamatan"), first="kecamatan")
    assert len(started) == 1
