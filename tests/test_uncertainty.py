"""The OECD/JRC uncertainty factors, the correlation check and the absolute need classes."""

import numpy as np
import pandas as pd
import pytest

from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.errors import ScoringError
from infra_gap.ranking.scenario import Scenario, run_scenario, scenario_from_toml, scenario_to_toml
from infra_gap.ranking.scoring import need_matrix, normalise, rank_areas
from infra_gap.ranking.stability import StabilityParams, rank_stability
from infra_gap.ranking.uncertainty import (
    correlated_pairs,
    correlation_warnings,
    cost_line,
    factor_lines,
    need_class_label,
    need_classes,
    perturb_counts,
)

W2 = {"msme_uncovered": 0.5, "msme_uncovered_share": 0.5}


def _skewed():
    """One outlier count: min-max, percentile and z-score order these areas differently."""
    return pd.DataFrame(
        {
            "kode": ["a", "b", "c", "d", "e"],
            "msme_uncovered": [1000, 60, 50, 40, 0],
            "msme_uncovered_share": [0.10, 0.50, 0.90, 0.95, 0.20],
        }
    )


def _ranks(table, weights, method):
    return rank_areas(table, weights, method=method).set_index("kode")["rank"]


def test_zscore_by_hand_and_ranks_like_the_sum_of_zscores():
    z = normalise(pd.Series([1.0, 2.0, 3.0]), higher_is_need=True, method="zscore")
    np.testing.assert_allclose(z, [-1.224745, 0.0, 1.224745], atol=1e-6)
    flipped = normalise(pd.Series([1.0, 2.0, 3.0]), higher_is_need=False, method="zscore")
    np.testing.assert_allclose(flipped, -z)
    const = normalise(pd.Series([4.0, 4.0, np.nan]), higher_is_need=True, method="zscore")
    assert const.iloc[:2].tolist() == [0.0, 0.0]
    assert np.isnan(const.iloc[2])
    t = _skewed()
    m = need_matrix(t, list(W2), method="zscore")
    assert m.min() == 0.0
    assert m.max() == 1.0
    z_sum = sum(0.5 * normalise(t[k], higher_is_need=True, method="zscore").to_numpy() for k in W2)
    assert np.argsort(-(m @ [0.5, 0.5])).tolist() == np.argsort(-z_sum).tolist()


def test_missing_zscore_is_the_column_minimum():
    t = pd.DataFrame({"kode": list("abc"), "msme_uncovered_share": [0.2, np.nan, 0.8]})
    m = need_matrix(t, ["msme_uncovered_share"], method="zscore")
    assert m[:, 0].tolist() == [0.0, 0.0, 1.0]


def test_normalisation_factor_spans_the_three_rankings():
    t = _skewed()
    by = {m: _ranks(t, W2, m) for m in ("minmax", "percentile", "zscore")}
    assert by["minmax"].to_dict() != by["percentile"].to_dict()  # the case is not trivial
    out = rank_stability(
        t, W2, params=StabilityParams(factors=("normalisation",), draws=300)
    ).set_index("kode")
    ranks = pd.DataFrame(by)
    # each normalisation is drawn about 1/3 of the time: p5 and p95 are the extremes
    assert out["rank_low"].to_dict() == ranks.min(axis=1).to_dict()
    assert out["rank_high"].to_dict() == ranks.max(axis=1).to_dict()


def test_leave_one_out_spans_each_indicator_alone():
    t = _skewed()
    ranks = pd.DataFrame(
        {
            "both": _ranks(t, W2, "minmax"),
            "count": _ranks(t, {"msme_uncovered": 1}, "minmax"),
            "share": _ranks(t, {"msme_uncovered_share": 1}, "minmax"),
        }
    )
    out = rank_stability(
        t, W2, params=StabilityParams(factors=("leave_one_out",), draws=300)
    ).set_index("kode")
    assert out["rank_low"].to_dict() == ranks.min(axis=1).to_dict()
    assert out["rank_high"].to_dict() == ranks.max(axis=1).to_dict()
    # with one indicator there is nothing to leave out
    single = rank_stability(
        t, {"msme_uncovered": 1}, params=StabilityParams(factors=("leave_one_out",))
    ).set_index("kode")
    assert (single["rank_low"] == single["rank_high"]).all()


def test_data_error_swaps_close_counts_only():
    t = pd.DataFrame({"kode": list("abc"), "msme_uncovered": [100, 95, 50]})
    w = {"msme_uncovered": 1}
    out = rank_stability(
        t, w, params=StabilityParams(factors=("data_error",), draws=400)
    ).set_index("kode")
    # 100 x 0.9 = 90 < 95 x 1.1: a and b swap in some copies; 95 x 0.9 > 50 x 1.1: c never moves
    assert out.loc["a", ["rank_low", "rank_high"]].tolist() == [1, 2]
    assert out.loc["b", ["rank_low", "rank_high"]].tolist() == [1, 2]
    assert out.loc["c", ["rank_low", "rank_high"]].tolist() == [3, 3]
    exact = rank_stability(
        t, w, params=StabilityParams(factors=("data_error",), data_margin=0.0)
    ).set_index("kode")
    assert exact["rank_high"].tolist() == [1, 2, 3]


def test_perturb_counts_keeps_shares_and_stays_in_the_margin():
    t = _skewed().assign(msme_uncovered=lambda f: f["msme_uncovered"].astype(float))
    out = perturb_counts(t, list(W2), margin=0.1, rng=np.random.default_rng(0))
    ratio = out["msme_uncovered"].iloc[:4] / t["msme_uncovered"].iloc[:4]
    assert ratio.between(0.9, 1.1).all()
    assert (ratio != 1).all()
    assert out["msme_uncovered_share"].equals(t["msme_uncovered_share"])
    assert t["msme_uncovered"].iloc[0] == 1000  # the input is not changed


def test_all_factors_are_seeded_and_bounded():
    t = _skewed()
    a = rank_stability(t, W2, params=StabilityParams(draws=200, seed=3))
    pd.testing.assert_frame_equal(
        a, rank_stability(t, W2, params=StabilityParams(draws=200, seed=3))
    )
    assert (a["rank_low"] <= a["rank_high"]).all()
    assert a["top_n_share"].sum() == pytest.approx(5)  # N = 10 > 5 areas


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"factors": ("weights", "moods")}, "`factors`"),
        ({"factors": "weights"}, "`factors`"),
        ({"data_margin": 1.0}, "`data_margin`"),
        ({"data_margin": -0.1}, "`data_margin`"),
        ({"data_replicates": 0}, "`data_replicates`"),
        ({"data_replicates": 101}, "`data_replicates`"),
    ],
)
def test_bad_factor_params(kwargs, match):
    with pytest.raises(ScoringError, match=match):
        StabilityParams(**kwargs)


def test_correlated_pairs_in_the_direction_of_need():
    t = pd.DataFrame(
        {
            "msme_uncovered": [1, 2, 3, 4, 5],
            "msme_uncovered_share": [0.1, 0.2, 0.3, 0.5, 0.4],  # rho 0.9: not above
            "msme_online_share": [0.9, 0.8, 0.7, 0.6, 0.5],  # lower = more need: rho 1
            "tower_count": [5, 5, 5, 5, 5],  # constant: not judged
        }
    )
    pairs = correlated_pairs(t, list(t.columns))
    assert [(a, b) for a, b, _ in pairs] == [("msme_uncovered", "msme_online_share")]
    assert pairs[0][2] == pytest.approx(1.0)
    text = correlation_warnings(pairs, "id", labels={"msme_uncovered": "UMKM tanpa 4G"})
    assert text[0].startswith("Peringatan: UMKM tanpa 4G dan msme_online_share")
    assert "1,00 (> 0,9)" in text[0]


def test_need_classes_by_hand():
    share = pd.Series([1.0, 0.8, 0.75, 0.5, 0.3, 0.01, 0.0, np.nan])
    codes = need_classes(share).tolist()
    assert codes == ["100", "75-99", "75-99", "50-74", "25-49", "1-24", "0", "na"]
    assert need_class_label("100", "id") == "100% tanpa 4G"
    assert need_class_label("na", "en") == "no MSME"
    assert need_class_label("?", "id") == ""


def test_factor_lines_state_each_factor():
    meta = StabilityParams(data_margin=0.15).as_meta()
    text = "\n".join(factor_lines(meta, "id", indicators=2))
    for part in (
        "1.000 undian",
        "Dirichlet",
        "skor-z",
        "persentil",
        "0..2",
        "+/-15%",
        "20 salinan",
    ):
        assert part in text
    off = StabilityParams(factors=("weights",)).as_meta()
    lines = factor_lines(off, "en", indicators=2)
    assert "- normalisation: not varied" in lines
    assert "- data error: not varied" in lines
    assert cost_line(meta, 0.5, "en") == (
        "Stability: 1,000 draws (weights, normalisation, leave one indicator out, data error) "
        "in 0.50 s."
    )


def test_scenario_file_keeps_the_factors():
    s = Scenario(stability=StabilityParams(factors=("weights", "data_error"), data_margin=0.2))
    back = scenario_from_toml(scenario_to_toml(s))
    assert back.stability == s.stability
    with pytest.raises(ScoringError, match=r"stability\.factors"):
        scenario_from_toml("[stability]\nfactors = 'weights'\n")
    with pytest.raises(ScoringError, match="`factors`"):
        scenario_from_toml("[stability]\nfactors = ['luck']\n")


@pytest.fixture(scope="module")
def demo_kecamatan(demo_layers):
    facts = place_and_cover(demo_layers, covered_min=1.0)
    table = indicator_table(demo_layers, facts, level="kecamatan")
    return table, run_scenario(table, Scenario(level="kecamatan"))


def test_done_when_percentile_rank_inside_the_reported_range(demo_kecamatan):
    table, result = demo_kecamatan
    top = result.ranked.head(10).set_index("kode")
    percentile = _ranks(table, result.weights, "percentile")
    moved = (percentile.reindex(top.index) != top["rank"]).sum()
    assert moved >= 3  # the two normalisations really disagree on the demo
    for kode, row in top.iterrows():
        assert row["rank_low"] <= percentile[kode] <= row["rank_high"], kode


def test_demo_flags_the_default_pair_and_classes_absolute_need(demo_kecamatan):
    _, result = demo_kecamatan
    assert [(a, b) for a, b, _ in result.correlated] == [("msme_uncovered", "msme_uncovered_share")]
    ranked = result.ranked
    full = ranked["msme_uncovered_share"] == 1.0
    assert (ranked.loc[full, "need_class"] == "100").all()
    assert set(ranked["need_class"]) <= {"100", "75-99", "50-74", "25-49", "1-24", "0", "na"}
