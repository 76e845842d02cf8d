"""AppTest: the app as a user drives it, without a browser."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from infra_gap.i18n import TEXT

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def at(demo_layers):  # demo_layers: make sure the cache exists before the app starts
    app = AppTest.from_file(APP, default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    return app


def _table(app):
    return app.dataframe[0].value


def test_opens_on_kecamatan_in_indonesian_with_banner(at):
    assert at.title[0].value == TEXT["app_title"]["id"]
    assert any("DEMO SINTETIS" in w.value for w in at.warning)
    table = _table(at)
    assert len(table) == 455
    assert table["Peringkat"].tolist()[:3] == [1, 2, 3]
    assert at.metric[0].value == "1.166.918"
    assert at.get("download_button")


def test_language_switch_changes_labels(at):
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == TEXT["app_title"]["en"]
    assert "Rank" in _table(at).columns
    assert at.metric[0].value == "1,166,918"
    assert any("SYNTHETIC DEMO" in w.value for w in at.warning)


def test_level_selector(at):
    at.selectbox(key="level").set_value("desa").run()
    assert len(_table(at)) == 6110
    at.selectbox(key="level").set_value("kabupaten").run()
    assert len(_table(at)) == 33


def test_weight_change_changes_order(at):
    before = _table(at)["Kode"].tolist()[:10]
    at.slider(key="w_msme_uncovered").set_value(0.0).run()
    at.slider(key="w_msme_uncovered_share").set_value(1.0).run()
    after = _table(at)["Kode"].tolist()[:10]
    assert before != after


def test_all_zero_weights_is_an_error_not_a_crash(at):
    at.slider(key="w_msme_uncovered").set_value(0.0).run()
    at.slider(key="w_msme_uncovered_share").set_value(0.0).run()
    assert not at.exception
    assert at.error
    assert "E_SCORING" in at.error[0].value
