"""AppTest: the planner's day (issue #19): no crash, work that lasts, the selection followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def at(demo_layers, tmp_path, monkeypatch):
    monkeypatch.setenv("INFRA_GAP_DB", f"sqlite:///{tmp_path / 'ws.sqlite'}")
    app = AppTest.from_file(APP, default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    return app


def test_search_pick_then_switch_language_and_back_does_not_crash(at):
    """The browser hands back the label a select box showed; after a language switch that
    label is no option of the new language's box (it crashed `_search_picked`)."""
    at.text_input(key="search").set_value("Idanogawo").run()
    box = next(s for s in at.selectbox if (s.key or "").startswith("search_pick"))
    value = next(o for o in box.options if "Idanogawo" in o)
    kode = value.split("(")[1].split(")")[0]
    box.set_value(f"kecamatan:{kode}").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="why_kecamatan").value == kode
    at.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    at.radio(key="lang").set_value("id").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="why_kecamatan").value == kode
