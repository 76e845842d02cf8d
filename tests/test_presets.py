import pandas as pd
import pytest

from infra_gap.config import ScoringParams
from infra_gap.errors import ScoringError
from infra_gap.ranking.presets import CUSTOM, DEFAULT_PRESET, PRESETS, preset_weights
from infra_gap.ranking.scenario import Scenario, run_scenario
from infra_gap.registry import INDICATORS
from infra_gap.siting.plan import with_cost_efficiency
from infra_gap.siting.problem import siting_problem
from infra_gap.text.i18n import LANGS, TEXT


def test_the_four_presets_of_the_issue():
    assert list(PRESETS) == [
        "dampak_umkm",
        "daerah_terpencil",
        "siap_usul_bakti",
        "efisiensi_biaya",
    ]
    assert DEFAULT_PRESET == "dampak_umkm"
    assert dict(PRESETS["dampak_umkm"].weights) == dict(ScoringParams().weights)


@pytest.mark.parametrize("key", list(PRESETS))
def test_weights_sum_to_one_on_the_slider_grid(key):
    weights = PRESETS[key].weights
    assert sum(weights.values()) == pytest.approx(1.0)
    assert all(round(v / 0.05, 9).is_integer() and 0 < v <= 1 for v in weights.values())


@pytest.mark.parametrize("key", [*PRESETS, CUSTOM])
def test_name_and_rationale_in_both_languages(key):
    for suffix in ("", "_why"):
        assert set(TEXT[f"preset_{key}{suffix}"]) == set(LANGS)
    assert TEXT["preset_dampak_umkm"]["id"] == "Dampak UMKM"
    assert TEXT["preset_daerah_terpencil"]["en"] == "Remote equity"


def test_available_presets_name_registry_indicators_only():
    for p in PRESETS.values():
        if p.available:
            assert set(p.weights) <= set(INDICATORS)
            assert preset_weights(p.key) == dict(p.weights)


def test_cost_efficiency_is_available_and_computed_by_siting():
    p = PRESETS["efisiensi_biaya"]
    assert p.available
    assert p.missing == ()
    assert p.needs == "siting"
    assert INDICATORS["msme_new_per_billion_idr"].stage == "siting"
    assert set(TEXT[f"preset_needs_{p.needs}"]) == set(LANGS)
    assert preset_weights("efisiensi_biaya") == {"msme_new_per_billion_idr": 1.0}
    assert Scenario(preset="efisiensi_biaya", weights=p.weights).preset == "efisiensi_biaya"


@pytest.mark.parametrize(("key", "match"), [("custom", "no weights"), ("nope", "unknown preset")])
def test_preset_weights_errors(key, match):
    with pytest.raises(ScoringError, match=match):
        preset_weights(key)


def test_preset_weights_is_a_copy():
    w = preset_weights("dampak_umkm")
    w["msme_uncovered"] = 0
    assert PRESETS["dampak_umkm"].weights["msme_uncovered"] == 0.7


def test_absent_preset_indicators_are_dropped_reported_and_rebalanced():
    table = pd.DataFrame(
        {
            "kode": ["a", "b", "c"],
            "nama": ["A", "B", "C"],
            "kota_km": [10.0, 50.0, 30.0],
            "msme_uncovered_share": [0.5, 0.0, 1.0],
        }
    )
    scenario = Scenario(preset="daerah_terpencil", weights=PRESETS["daerah_terpencil"].weights)
    result = run_scenario(table, scenario)
    assert result.dropped == ("island", "backbone_km", "msme_tower_km")
    assert dict(result.weights) == pytest.approx(
        {"kota_km": 0.2 / 0.45, "msme_uncovered_share": 0.25 / 0.45}
    )
    by = result.ranked.set_index("kode")
    # kota_km norm a=0, b=1, c=0.5; share norm a=.5, b=0, c=1
    assert by.loc["c", "score"] == pytest.approx((0.2 * 0.5 + 0.25) / 0.45)
    assert by.loc["b", "score"] == pytest.approx(0.2 / 0.45)
    assert result.ranked["kode"].tolist() == ["c", "b", "a"]


def test_every_available_preset_runs_on_the_demo(demo_layers):
    from infra_gap.analysis.pipeline import indicator_table, place_and_cover

    facts = place_and_cover(demo_layers, covered_min=1.0)
    table = indicator_table(demo_layers, facts, level="kabupaten")
    for p in PRESETS.values():
        assert p.available
        if p.needs == "siting":  # the front ends join the indicator on when it is used
            table = with_cost_efficiency(table, siting_problem(demo_layers, facts))
        result = run_scenario(table, Scenario(level="kabupaten", preset=p.key, weights=p.weights))
        assert len(result.ranked) == 33
        assert set(result.dropped) <= set(p.weights)
        assert result.ranked["score"].between(0, 1).all()
        if p.needs == "siting":
            assert result.dropped == ()
            assert result.ranked["score"].iloc[0] == pytest.approx(1.0)
