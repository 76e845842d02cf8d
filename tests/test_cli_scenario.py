"""`infra-gap rank` with weights, presets, scenarios, top N and stability, on the demo."""

import io as _io

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.cli import main as cli
from infra_gap.cli.dossier import export_bytes, meta_for
from infra_gap.outputs.export import bare_column
from infra_gap.ranking.eligibility import load_rules, with_eligibility
from infra_gap.ranking.presets import PRESETS
from infra_gap.ranking.scenario import Scenario, run_scenario, scenario_from_toml, scenario_to_toml
from infra_gap.ranking.stability import StabilityParams
from tests.conftest import DATA

runner = CliRunner()
NEW_COLUMNS = ["tier", "rank_low", "rank_high", "top_n_share"]


@pytest.fixture(scope="module")
def facts(demo_layers):
    return place_and_cover(demo_layers, covered_min=1.0)


@pytest.fixture
def fast(monkeypatch, demo_layers, facts):
    """Reuse the session's demo and point facts; the rest of the CLI path runs as is."""
    monkeypatch.setattr("infra_gap.synthetic.demo.load_demo", lambda *_: demo_layers)
    monkeypatch.setattr(
        "infra_gap.analysis.pipeline.place_and_cover", lambda *_, covered_min: facts
    )


def _rank(tmp_path, *args):
    out = tmp_path / "out.csv"
    result = runner.invoke(cli.app, ["rank", "--out", str(out), *args])
    return result, out


def _csv(path):
    return pd.read_csv(path, dtype={"kode": "str"}, encoding="utf-8-sig").rename(
        columns=bare_column
    )


def test_scenario_file_gives_the_same_bytes_as_the_app_path(tmp_path, demo_layers):
    scenario = Scenario(
        name="Terpencil, 7 besar",
        level="kecamatan",
        preset="daerah_terpencil",
        weights=PRESETS["daerah_terpencil"].weights,
        stability=StabilityParams(top_n=7, draws=300, concentration=10.0, seed=3),
    )
    path = tmp_path / "skenario.toml"
    path.write_text(scenario_to_toml(scenario), encoding="utf-8")
    result, out = _rank(tmp_path, "--scenario", str(path))  # the real CLI, nothing patched
    assert result.exit_code == 0, result.output
    assert "rows: msme read 1,166,918, placed 1,166,918, rejected 0" in result.output
    assert "455 kecamatan areas ->" in result.output
    assert "preset daerah_terpencil" in result.output
    assert "top 7, 300 draws, concentration 10, seed 3" in result.output
    # The app's path: the TOML it would download, parsed, run on the cached tables.
    loaded = scenario_from_toml(path.read_text(encoding="utf-8"))
    facts = place_and_cover(demo_layers, covered_min=loaded.covered_min)
    app_result = run_scenario(indicator_table(demo_layers, facts, level=loaded.level), loaded)
    # The app's CSV download (ui/cached.ranked_csv_bytes) is this call.
    ranked = with_eligibility(app_result.ranked, load_rules(DATA), lang="id")
    expected = export_bytes(ranked, demo_layers, fmt=".csv", meta=meta_for(app_result), lang="id")
    assert out.read_bytes() == expected
    table = _csv(out)
    assert {*NEW_COLUMNS, "reason"} <= set(table.columns)
    assert table["top_n_share"].sum() == pytest.approx(7.0)  # 7 areas in the top 7 per draw


def test_single_weight_orders_by_that_indicator_ties_by_code(tmp_path, fast):
    result, out = _rank(tmp_path, "--weight", "msme_uncovered=1", "--level", "kecamatan")
    assert result.exit_code == 0, result.output
    table = _csv(out)
    expected = table.sort_values(["msme_uncovered", "kode"], ascending=[False, True])["kode"]
    assert table["kode"].tolist() == expected.tolist()
    assert table["msme_uncovered"].duplicated().any()  # there are ties to break
    assert [c for c in table.columns if c.startswith("contrib_")] == ["contrib_msme_uncovered"]
    np.testing.assert_allclose(table["contrib_msme_uncovered"], table["score"], atol=1e-5)
    # one weight: no normalisation changes one indicator's order and there is nothing to
    # leave out; only the +/-10% error on the counts moves areas, and not far
    assert ((table["rank_low"] <= table["rank"]) & (table["rank"] <= table["rank_high"])).all()
    assert (table["rank_high"] - table["rank_low"]).max() < 30
    assert table["top_n_share"].sum() == pytest.approx(10.0)
    assert table["reason"][0].startswith("Peringkat 1: ")


def test_preset_top_n_and_stability_options(tmp_path, fast):
    args = ["--preset", "siap_usul_bakti", "--top-n", "5", "--stability", "200"]
    result, out = _rank(tmp_path, *args, "--level", "kabupaten", "--lang", "en")
    assert result.exit_code == 0, result.output
    table = _csv(out)
    assert len(table) == 33
    contrib = [c for c in table.columns if c.startswith("contrib_")]
    assert {c.removeprefix("contrib_") for c in contrib} <= set(PRESETS["siap_usul_bakti"].weights)
    np.testing.assert_allclose(table[contrib].sum(axis=1), table["score"], atol=1e-5)
    assert table["top_n_share"].sum() == pytest.approx(5.0)
    assert (table.loc[table["tier"] == 1, "rank"] <= 5).all()
    assert (table["rank_low"] <= table["rank_high"]).all()
    assert table["reason"][0].startswith("Rank 1: ")
    assert "200 draws" in result.output


def test_weight_adjusts_a_preset_and_stability_zero_is_the_plain_ranking(tmp_path, fast):
    args = ["--preset", "daerah_terpencil", "--weight", "island=0", "--stability", "0"]
    result, out = _rank(tmp_path, *args, "--level", "kabupaten")
    assert result.exit_code == 0, result.output
    table = _csv(out)
    assert "contrib_island" not in table.columns
    assert "contrib_kota_km" in table.columns
    assert (table["rank_low"] == table["rank"]).all()
    assert (table["rank_high"] == table["rank"]).all()
    assert "preset custom" in result.output


def test_absent_indicator_is_dropped_and_reported(tmp_path, fast, monkeypatch):
    def without_backbone(*args, **kwargs):
        return indicator_table(*args, **kwargs).drop(columns="backbone_km")

    monkeypatch.setattr("infra_gap.analysis.pipeline.indicator_table", without_backbone)
    result, out = _rank(tmp_path, "--preset", "daerah_terpencil", "--level", "kabupaten")
    assert result.exit_code == 0, result.output
    assert "warning: weighted indicator(s) not in this data" in result.output
    assert "backbone_km" in result.output
    table = _csv(out)
    assert "contrib_backbone_km" not in table.columns
    np.testing.assert_allclose(table.filter(like="contrib_").sum(axis=1), table["score"], atol=1e-5)
    assert table.loc[0, "score"] > 0.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--preset", "fastest"], "unknown preset"),
        (["--weight", "bogus=1"], "--weight bogus: unknown indicator"),
        (["--weight", "island"], "NAME=NUMBER"),
        (["--stability", "-5"], "`draws` must be an integer"),
        (["--top-n", "0"], "`top_n` must be an integer"),
        (["--weight", "island=0"], "all weights are zero"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(tmp_path, fast, args, message):
    result, out = _rank(tmp_path, *args)
    assert result.exit_code == 2
    assert "error [E_SCORING]" in result.output
    assert message in result.output
    assert not out.exists()


def test_bad_scenario_file_names_the_key(tmp_path, fast):
    path = tmp_path / "bad.toml"
    path.write_text('level = "kecamatan"\ncolour = "blue"\n', encoding="utf-8")
    result, _ = _rank(tmp_path, "--scenario", str(path))
    assert result.exit_code == 2
    assert "error [E_DATA]" in result.output
    assert "colour" in result.output


def test_scenario_level_and_cli_override(tmp_path, fast):
    path = tmp_path / "kab.toml"
    path.write_text('level = "kabupaten"\n[stability]\ndraws = 50\n', encoding="utf-8")
    result, out = _rank(tmp_path, "--scenario", str(path))
    assert result.exit_code == 0, result.output
    assert len(_csv(out)) == 33
    result, out = _rank(tmp_path, "--scenario", str(path), "--level", "kecamatan", "--overwrite")
    assert result.exit_code == 0, result.output
    assert len(_csv(out)) == 455
    assert "50 draws" in result.output


def test_semicolon_csv_still_parses(tmp_path, fast):
    result, out = _rank(tmp_path, "--level", "kabupaten", "--sep", ";", "--stability", "20")
    assert result.exit_code == 0, result.output
    text = out.read_bytes().decode("utf-8-sig")
    table = pd.read_csv(_io.StringIO(text), sep=";", decimal=",", dtype={"kode": "str"}).rename(
        columns=bare_column
    )
    assert table["top_n_share"].between(0, 1).all()
    assert len(table) == 33
