import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_gap.errors import DataError, ScoringError
from infra_gap.outputs.views import compare_view, contribution_view, reason, with_reasons
from infra_gap.ranking.presets import PRESETS
from infra_gap.ranking.scenario import (
    MAX_SCENARIO_BYTES,
    Scenario,
    compare_rankings,
    override,
    parse_weight_options,
    run_scenario,
    scenario_from_bytes,
    scenario_from_toml,
    scenario_to_toml,
)
from infra_gap.ranking.stability import StabilityParams

CUSTOM_TOML = """
name = "Uji"
level = "desa"
preset = "custom"
normalisation = "percentile"
covered_min = -100

[weights]
msme_uncovered = 3
backbone_km = 1

[stability]
top_n = 5
draws = 200
concentration = 50
seed = 7
"""


def _table():
    return pd.DataFrame(
        {
            "kode": ["12.01", "12.02", "12.03", "12.04"],
            "nama": ["Satu", "Dua", "Tiga", "Empat"],
            "msme_uncovered": [4812, 100, 2000, 0],
            "msme_uncovered_share": [0.5, 1.0, 0.25, np.nan],
            "backbone_km": [41.0, 2.0, 0.0, 5.0],
        }
    )


def test_parse_a_hand_written_file():
    s = scenario_from_toml(CUSTOM_TOML)
    assert s.level == "desa"
    assert s.preset == "custom"
    assert s.normalisation == "percentile"
    assert s.covered_min == -100.0
    assert dict(s.weights) == {"msme_uncovered": 3.0, "backbone_km": 1.0}
    assert s.stability == StabilityParams(top_n=5, draws=200, concentration=50.0, seed=7)


def test_defaults_and_preset_only_file():
    assert scenario_from_toml("") == Scenario()
    s = scenario_from_toml('preset = "daerah_terpencil"')
    assert dict(s.weights) == dict(PRESETS["daerah_terpencil"].weights)


def test_weights_without_preset_are_custom():
    s = scenario_from_toml("[weights]\nisland = 1")
    assert s.preset == "custom"


def test_written_file_is_readable_toml():
    text = scenario_to_toml(scenario_from_toml(CUSTOM_TOML))
    assert 'level = "desa"' in text
    assert "[weights]\nmsme_uncovered = 3.0\nbackbone_km = 1.0\n" in text
    assert "draws = 200" in text
    assert text.startswith("# infra-gap scenario")


names = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
weight_maps = st.dictionaries(
    st.sampled_from(["msme_uncovered", "island", "backbone_km", "speed_down_mbps"]),
    st.floats(0.0, 100.0),
    min_size=1,
).filter(lambda w: sum(w.values()) > 0)


@settings(max_examples=80, deadline=None)
@given(
    names,
    st.sampled_from(["desa", "kecamatan", "kabupaten"]),
    weight_maps,
    st.sampled_from(["minmax", "percentile"]),
    st.floats(-200, 200),
    st.integers(1, 500),
    st.integers(0, 5000),
    st.floats(0.01, 1e4),
    st.integers(0, 2**40),
)
def test_round_trip(name, level, weights, method, covered, top_n, draws, conc, seed):
    s = Scenario(
        name=name,
        level=level,
        preset="custom",
        weights=weights,
        normalisation=method,
        covered_min=covered,
        stability=StabilityParams(top_n=top_n, draws=draws, concentration=conc, seed=seed),
    )
    assert scenario_from_toml(scenario_to_toml(s)) == s
    assert scenario_from_bytes(scenario_to_toml(s).encode()) == s


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("colour = 1", DataError, r"unknown key\(s\) \['colour'\] in the top level"),
        ("[stability]\nruns = 5", DataError, r"unknown key\(s\) \['runs'\] in \[stability\]"),
        ("[weights]\nnope = 1", ScoringError, r"`weights.nope`: unknown indicator"),
        ('level = "provinsi"', DataError, "`level` must be one of"),
        ("level = 3", DataError, "`level` must be str"),
        ("covered_min = 'x'", DataError, "`covered_min` must be float"),
        ("[stability]\ndraws = -1", ScoringError, r"`draws` must be an integer from 0"),
        ("[stability]\ndraws = 10.0", ScoringError, "`stability.draws` must be int"),
        ("[stability]\ntop_n = true", ScoringError, "`stability.top_n` must be int"),
        ("[stability]\nconcentration = 0", ScoringError, "`concentration` must be a finite"),
        ("[weights]\nisland = 'heavy'", ScoringError, "`weights.island` must be float"),
        ("[weights]\nisland = -1", ScoringError, ">= 0"),
        ("[weights]\nisland = 0", ScoringError, "all weights are zero"),
        ("weights = 3", ScoringError, "`weights` must be a table"),
        ('normalisation = "zscore"', ScoringError, "`normalisation` must be one of"),
        ("version = 2", DataError, "`version` must be 1"),
        ("level = [", DataError, "not valid TOML"),
        ('preset = "fast"', ScoringError, "unknown preset 'fast'"),
        (
            'preset = "dampak_umkm"\n[weights]\nmsme_uncovered = 1',
            ScoringError,
            r"differ from preset 'dampak_umkm'.*preset = \"custom\"",
        ),
    ],
)
def test_bad_files_name_the_key(text, error, match):
    with pytest.raises(error, match=match) as info:
        scenario_from_toml(text)
    assert str(info.value).startswith("scenario")


def test_preset_weights_on_another_scale_still_match():
    s = scenario_from_toml(
        'preset = "dampak_umkm"\n[weights]\nmsme_uncovered = 7\nmsme_uncovered_share = 3'
    )
    assert s.preset == "dampak_umkm"


def test_bytes_limits():
    with pytest.raises(DataError, match="limit is 64,000"):
        scenario_from_bytes(b"#" * (MAX_SCENARIO_BYTES + 1))
    with pytest.raises(DataError, match="not UTF-8"):
        scenario_from_bytes(b'name = "\xff"')
    assert scenario_from_bytes('\ufeffname = "ñ"'.encode()).name == "ñ"  # Excel-style BOM


def test_run_scenario_adds_stability_tiers_and_contributions():
    s = Scenario(
        preset="custom",
        weights={"msme_uncovered": 3, "backbone_km": 1},
        stability=StabilityParams(top_n=2, draws=300),
    )
    result = run_scenario(_table(), s)
    r = result.ranked
    assert list(r.columns[:2]) == ["tier", "rank"]
    assert {"rank_low", "rank_high", "top_n_share"} <= set(r.columns)
    assert result.dropped == ()
    assert dict(result.weights) == {"msme_uncovered": 0.75, "backbone_km": 0.25}
    # Satu 0.75 + 0.25 = 1; Tiga 0.75 * 2000/4812 = 0.312; Empat 0.25 * 5/41 = 0.030;
    # Dua 0.75 * 100/4812 + 0.25 * 2/41 = 0.028
    assert r["kode"].tolist() == ["12.01", "12.03", "12.04", "12.02"]
    np.testing.assert_allclose(r.filter(like="contrib_").sum(axis=1), r["score"])
    assert r.loc[0, "tier"] == 1
    assert r["top_n_share"].sum() == pytest.approx(2.0)


def test_reason_line_by_hand():
    result = run_scenario(
        _table(), Scenario(preset="custom", weights={"msme_uncovered": 3, "backbone_km": 1})
    )
    row = result.ranked.iloc[0]
    assert reason(row, "id") == "Peringkat 1: 4.812 UMKM tanpa sinyal 4G, 41 km dari backbone"
    assert reason(row, "en") == "Rank 1: 4,812 MSMEs without 4G signal, 41 km from the backbone"
    empat = result.ranked.iloc[2]  # no MSMEs: only the backbone contributes
    assert reason(empat, "id") == "Peringkat 3: 5,0 km dari backbone"
    dua = result.ranked.iloc[3]
    assert reason(dua, "id") == "Peringkat 4: 100 UMKM tanpa sinyal 4G, 2,0 km dari backbone"
    zero = result.ranked.iloc[-1].copy()
    zero[["contrib_msme_uncovered", "contrib_backbone_km"]] = 0.0
    assert reason(zero, "en") == "Rank 4: no weighted indicator stands out"
    exported = with_reasons(result.ranked, "id")
    assert exported["reason"].iloc[0] == reason(row, "id")


def test_exported_reasons_are_each_rows_reason_with_ties_zeros_and_gaps():
    weights = {"msme_uncovered": 1, "msme_uncovered_share": 1, "backbone_km": 1}
    ranked = run_scenario(_table(), Scenario(preset="custom", weights=weights)).ranked
    contrib = ["contrib_msme_uncovered", "contrib_msme_uncovered_share", "contrib_backbone_km"]
    ranked[contrib] = [[0.2, 0.2, 0.2], [0.0, 0.1, 0.3], [np.nan, 0.0, 0.1], [0.0, 0.0, -0.1]]
    for lang in ("id", "en"):
        exported = with_reasons(ranked, lang)["reason"].tolist()
        assert exported == [reason(row, lang) for _, row in ranked.iterrows()]
    # Ties keep registry order; two parts at most; none when nothing adds.
    assert with_reasons(ranked, "en")["reason"].iloc[3].endswith("no weighted indicator stands out")


def test_contribution_view_adds_up_to_the_score():
    result = run_scenario(
        _table(), Scenario(preset="custom", weights={"msme_uncovered": 3, "backbone_km": 1})
    )
    row = result.ranked.iloc[1]
    view = contribution_view(row, result.weights, "en")
    assert view["Indicator"].tolist()[0].startswith("MSMEs without 4G")
    assert view["Contribution to score"].sum() == pytest.approx(row["score"])
    assert view["Value"].tolist() == ["2,000", "0.0"]


def _ranked(order):
    return pd.DataFrame(
        {"kode": order, "nama": [k.upper() for k in order], "rank": range(1, len(order) + 1)}
    )


def test_compare_rankings_statuses_and_arrows():
    before = _ranked(["a", "b", "c", "d", "e"])
    after = _ranked(["c", "b", "a", "e", "d"])
    out = compare_rankings(before, after, top=3)
    assert out["kode"].tolist() == ["c", "b", "a"]
    assert out["status"].tolist() == ["up", "same", "down"]
    assert out["change"].tolist() == [2, 0, -2]
    out = compare_rankings(before, _ranked(["e", "a", "b", "c", "d"]), top=2)
    assert out[["kode", "status"]].to_numpy().tolist() == [
        ["e", "new"],
        ["a", "down"],
        ["b", "out"],
    ]
    view = compare_view(out, "id")
    assert view["Perubahan"].tolist() == ["baru", "\u2193 1", "\u2193 1"]
    same = compare_view(compare_rankings(before, before, top=1), "en")
    assert same["Change"].tolist() == ["\u2192"]
    up = compare_view(compare_rankings(before, _ranked(["c", "a", "b", "d", "e"]), top=3), "en")
    assert up["Change"].tolist() == ["\u2191 2", "\u2193 1", "\u2193 1"]
    assert compare_view(out, "en")["Change"].tolist()[0] == "new"


def test_compare_refuses_different_areas():
    with pytest.raises(DataError, match="different areas"):
        compare_rankings(_ranked(["a", "b"]), _ranked(["a", "b", "c"]), top=1)


def test_parse_weight_options():
    assert parse_weight_options(["island=1", " kota_km = 0.5"]) == {"island": 1.0, "kota_km": 0.5}
    for bad, match in [("island", "NAME=NUMBER"), ("island=x", "NAME=NUMBER"), ("nope=1", "nope")]:
        with pytest.raises(ScoringError, match=match):
            parse_weight_options([bad])


def test_override_precedence():
    base = scenario_from_toml(CUSTOM_TOML)
    assert override(base) == base
    alone = override(base, weights={"island": 1})
    assert (alone.preset, dict(alone.weights)) == ("custom", {"island": 1.0})
    preset = override(base, preset="daerah_terpencil")
    assert dict(preset.weights) == dict(PRESETS["daerah_terpencil"].weights)
    assert preset.preset == "daerah_terpencil"
    tweaked = override(base, preset="daerah_terpencil", weights={"island": 0})
    assert tweaked.preset == "custom"
    assert "island" not in tweaked.weights  # weight 0: not used
    assert tweaked.weights["kota_km"] == 0.2
    other = override(base, level="kabupaten", covered_min=1, top_n=3, draws=0)
    assert (other.level, other.covered_min, other.stability.top_n) == ("kabupaten", 1, 3)
    assert (other.stability.draws, other.stability.seed) == (0, 7)
    with pytest.raises(DataError, match="`level`"):
        override(base, level="pulau")


def test_map_tooltip_shows_tier_range_and_top_share():
    import geopandas as gpd
    from shapely.geometry import box

    from infra_gap.outputs.views import TOOLTIP_COLUMNS, map_frame

    result = run_scenario(
        _table(),
        Scenario(
            preset="custom",
            weights={"msme_uncovered": 3, "backbone_km": 1},
            stability=StabilityParams(top_n=1, draws=0),
        ),
    )
    display = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.04"], "nama": ["Satu", "Empat"]},
        geometry=[box(98, 2, 98.1, 2.1), box(99, 2, 99.1, 2.1)],
        crs="EPSG:4326",
    )
    frame = map_frame(display, result.ranked, "id").set_index("kode")
    assert {col for col, _ in TOOLTIP_COLUMNS} <= set(frame.columns)
    assert frame.loc["12.01", ["tt_tier", "tt_rank", "tt_range", "tt_top"]].tolist() == [
        "Prioritas 1",
        "1",
        "1",
        "100%",
    ]
    assert frame.loc["12.04", ["tt_tier", "tt_range", "tt_top"]].tolist() == [
        "Prioritas 3",
        "3",
        "0%",
    ]
