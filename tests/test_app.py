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
    assert _reason(at).startswith("**Rank 1: ")
    assert "In top 10 (% of draws)" in _table(at).columns


def test_level_selector(at):
    at.selectbox(key="level_id").set_value("desa").run()
    assert len(_table(at)) == 6110
    at.selectbox(key="level_id").set_value("kabupaten").run()
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


def _reason(app):
    return next(m.value for m in app.markdown if m.value.startswith("**"))


def _upload(app, key, text, name="skenario.toml"):
    app.file_uploader(key=key).set_value((name, text.encode("utf-8"), "application/toml")).run()
    assert not app.exception, app.exception
    return app


def test_preset_sets_the_sliders_and_shows_its_rationale(at):
    before = _table(at)["Kode"].tolist()[:10]
    at.selectbox(key="preset_id").set_value("daerah_terpencil").run()
    assert not at.exception
    assert at.slider(key="w_island").value == 0.2
    assert at.slider(key="w_backbone_km").value == 0.2
    assert at.slider(key="w_msme_uncovered").value == 0.0
    assert any(c.value == TEXT["preset_daerah_terpencil_why"]["id"] for c in at.caption)
    assert _table(at)["Kode"].tolist()[:10] != before


def test_moving_a_weight_makes_the_preset_custom(at):
    at.selectbox(key="preset_id").set_value("siap_usul_bakti").run()
    at.slider(key="w_operator_count").set_value(0.5).run()
    assert at.selectbox(key="preset_id").value == "custom"
    assert at.slider(key="w_operator_count").value == 0.5
    assert at.slider(key="w_msme_uncovered").value == 0.4  # the rest stay as they were


def test_cost_efficiency_preset_is_shown_disabled_with_the_reason(at):
    assert "efisiensi_biaya" not in at.selectbox(key="preset_id").options
    button = at.button(key="preset_na_efisiensi_biaya")
    assert button.disabled
    assert "Efisiensi biaya" in button.label
    assert any(c.value == TEXT["preset_needs_siting"]["id"] for c in at.caption)


def test_stability_columns_tiers_and_the_rule(at):
    table = _table(at)
    assert set(table["Prioritas"]) <= {1, 2, 3}
    assert table["Prioritas"].iloc[0] == 1
    assert table["Di 10 besar (% undian)"].sum() == pytest.approx(1000.0)  # 10 per draw
    assert "Peringkat p5-p95" in table.columns
    assert any(c.value == TEXT["tier_rule"]["id"].format(n=10) for c in at.caption)
    at.number_input(key="top_n").set_value(5).run()
    table = _table(at)
    assert table["Di 5 besar (% undian)"].sum() == pytest.approx(500.0)
    assert (table.loc[table["Prioritas"] == 1, "Peringkat"] <= 5).all()


def test_why_panel_defaults_to_rank_1_and_keeps_a_pick(at):
    table = _table(at)
    assert _reason(at).startswith("**Peringkat 1: ")
    contrib = at.dataframe[1].value
    assert contrib["Kontribusi ke skor"].sum() == pytest.approx(table["Skor"].iloc[0])
    third = table["Kode"].iloc[2]
    at.selectbox(key="why_kecamatan").set_value(third).run()
    assert _reason(at).startswith("**Peringkat 3: ")
    assert at.metric[3].label == "Prioritas"
    at.slider(key="w_msme_uncovered_share").set_value(0.9).run()
    assert at.selectbox(key="why_kecamatan").value == third
    rank = _table(at).set_index("Kode").loc[third, "Peringkat"]
    assert _reason(at).startswith(f"**Peringkat {rank}: ")


def test_save_load_round_trip_matches_the_library(at, demo_layers):
    from infra_gap.pipeline import indicator_table, place_and_cover
    from infra_gap.scenario import run_scenario, scenario_from_toml

    saved = at.code[0].value
    assert scenario_from_toml(saved).preset == "dampak_umkm"
    text = (
        saved.replace('level = "kecamatan"', 'level = "kabupaten"')
        .replace('name = ""', 'name = "Uji muat"')
        .replace("top_n = 10", "top_n = 5")
    )
    _upload(at, "scenario_file", text)
    assert any("Uji muat" in s.value for s in at.success)
    assert at.selectbox(key="level_id").value == "kabupaten"
    assert at.number_input(key="top_n").value == 5
    assert scenario_from_toml(at.code[0].value) == scenario_from_toml(text)
    scenario = scenario_from_toml(text)
    facts = place_and_cover(demo_layers, covered_min=scenario.covered_min)
    expected = run_scenario(indicator_table(demo_layers, facts, level="kabupaten"), scenario)
    table = _table(at)
    assert table["Kode"].tolist() == expected.ranked["kode"].tolist()
    assert table["Skor"].tolist() == pytest.approx(expected.ranked["score"].tolist())
    assert (table["Di 5 besar (% undian)"] / 100).tolist() == pytest.approx(
        expected.ranked["top_n_share"].tolist()
    )


def test_bad_scenario_file_is_an_error_not_a_crash(at):
    _upload(at, "scenario_file", 'level = "kecamatan"\ncolour = "merah"\n')
    assert any("E_DATA" in e.value and "colour" in e.value for e in at.error)
    assert len(_table(at)) == 455  # the current ranking stays


def test_compare_two_scenarios_with_arrows(at):
    _upload(at, "compare_file", 'name = "Terpencil"\npreset = "daerah_terpencil"\n')
    view = at.dataframe[2].value
    arrows = set(view["Perubahan"])
    assert arrows - {"\u2192"}
    assert all(a == "baru" or a[0] in "\u2191\u2193\u2192" for a in arrows)
    assert view["Peringkat (saat ini)"].tolist()[:10] == list(range(1, 11))
    assert any("Terpencil" in c.value for c in at.caption)


def test_compare_with_another_level_is_an_error(at):
    _upload(at, "compare_file", 'level = "kabupaten"\n')
    assert any("different areas" in e.value for e in at.error)


def test_absent_weighted_indicator_is_dropped_with_a_warning(at, monkeypatch):
    import infra_gap.pipeline

    real = infra_gap.pipeline.indicator_table

    def without_backbone(*args, **kwargs):
        return real(*args, **kwargs).drop(columns="backbone_km")

    monkeypatch.setattr(infra_gap.pipeline, "indicator_table", without_backbone)
    at.number_input(key="covered_min").set_value(0.25).run()  # a threshold no other test caches
    at.selectbox(key="preset_id").set_value("daerah_terpencil").run()
    assert not at.exception
    assert at.slider(key="w_backbone_km").disabled
    assert any(
        w.value.startswith("Indikator berbobot ini tidak ada") and "backbone" in w.value
        for w in at.warning
    )
    assert _table(at)["Skor"].max() > 0.5


def test_language_switch_keeps_level_preset_and_normalisation(at):
    at.selectbox(key="level_id").set_value("kabupaten").run()
    at.selectbox(key="preset_id").set_value("daerah_terpencil").run()
    at.radio(key="method_id").set_value("percentile").run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.selectbox(key="level_en").value == "kabupaten"
    assert at.selectbox(key="preset_en").value == "daerah_terpencil"
    assert at.radio(key="method_en").value == "percentile"
    assert len(_table(at)) == 33
    at.selectbox(key="preset_en").set_value("siap_usul_bakti").run()
    at.radio(key="lang").set_value("id").run()
    assert at.selectbox(key="preset_id").value == "siap_usul_bakti"
    assert at.slider(key="w_operator_count").value == 0.2
