import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_gap.errors import DataError, ScoringError
from infra_gap.ranking.scoring import normalised_weights, rank_areas
from infra_gap.ranking.stability import (
    StabilityParams,
    TierRule,
    assign_tiers,
    draw_ranks,
    percentile_index,
    rank_stability,
    weight_draws,
)

W2 = {"msme_uncovered": 1.0, "msme_uncovered_share": 1.0}
ONLY_WEIGHTS = ("weights",)


def _weights_only(**kwargs):
    """The weight draws alone (the rule the reference loop below re-computes)."""
    return StabilityParams(factors=ONLY_WEIGHTS, **kwargs)


def _cross():
    """a is strong on one indicator, b on the other, c in between but lower, d empty.

    With equal weights a and b tie at 0.5 (a first by code); c scores 0.4, d 0.
    """
    return pd.DataFrame(
        {
            "kode": ["a", "b", "c", "d"],
            "msme_uncovered": [10, 0, 4, 0],
            "msme_uncovered_share": [0.0, 1.0, 0.4, 0.0],
        }
    )


def _loop(table, weights, params):
    """The straightforward reference: rank_areas once per draw."""
    w = normalised_weights(weights)
    draws = weight_draws(
        w, draws=params.draws, concentration=params.concentration, seed=params.seed
    )
    ranks = np.array(
        [
            rank_areas(table, dict(zip(w, d, strict=True)))
            .set_index("kode")["rank"]
            .reindex(table["kode"])
            .to_numpy()
            for d in draws
        ]
    )
    return pd.DataFrame(
        {
            "kode": table["kode"].to_numpy(),
            "rank_low": np.quantile(ranks, 0.05, axis=0, method="inverted_cdf").astype("int64"),
            "rank_high": np.quantile(ranks, 0.95, axis=0, method="inverted_cdf").astype("int64"),
            "top_n_share": (ranks <= params.top_n).mean(axis=0),
        },
        index=table.index,
    )


def test_swing_between_two_leaders_by_hand():
    out = rank_stability(_cross(), W2, params=_weights_only(top_n=1, draws=1000)).set_index("kode")
    # The first weight is Beta(10, 10): above 1/2 about half the time, so a and b share rank 1.
    assert 0.4 < out.loc["a", "top_n_share"] < 0.6
    assert out.loc["a", "top_n_share"] + out.loc["b", "top_n_share"] == pytest.approx(1.0)
    assert out.loc["c", "top_n_share"] == 0.0  # 0.4 < max(a, b) under every weighting
    # a scores w1 and c 0.4, so a falls to 3rd when w1 < 0.4: P = 0.18 for Beta(10, 10)
    assert (out.loc["a", "rank_low"], out.loc["a", "rank_high"]) == (1, 3)
    assert (out.loc["d", "rank_low"], out.loc["d", "rank_high"]) == (4, 4)


def test_single_weight_is_perfectly_stable():
    table = _cross()
    out = rank_stability(table, {"msme_uncovered": 1}, params=_weights_only(top_n=2))
    ranked = rank_areas(table, {"msme_uncovered": 1}).set_index("kode")["rank"]
    by = out.set_index("kode")
    assert (by["rank_low"] == ranked.reindex(by.index)).all()
    assert (by["rank_high"] == ranked.reindex(by.index)).all()
    assert by["top_n_share"].to_dict() == {"a": 1.0, "b": 0.0, "c": 1.0, "d": 0.0}


def test_zero_draws_reports_the_chosen_ranking():
    table = _cross()
    out = rank_stability(table, W2, params=_weights_only(top_n=1, draws=0)).set_index("kode")
    assert out["rank_low"].to_dict() == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert out["rank_high"].to_dict() == out["rank_low"].to_dict()
    assert out["top_n_share"].to_dict() == {"a": 1.0, "b": 0.0, "c": 0.0, "d": 0.0}


def test_result_keeps_the_table_index_and_order():
    table = _cross().iloc[::-1].set_index(pd.Index([10, 11, 12, 13]))
    out = rank_stability(table, W2, params=_weights_only(draws=10))
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out["kode"].tolist() == ["d", "c", "b", "a"]


@pytest.mark.parametrize("n", [1, 2, 3, 19, 20, 21, 99, 100, 1000, 1001])
def test_percentile_index_is_inverted_cdf(n):
    values = np.arange(n)
    for q in (5, 95):
        expected = np.quantile(values, q / 100, method="inverted_cdf")
        assert values[percentile_index(q, n)] == expected


def test_weight_draws_centred_seeded_and_spread_by_concentration():
    w = {"msme_uncovered": 0.7, "msme_uncovered_share": 0.3}
    a = weight_draws(w, draws=4000, concentration=20, seed=1)
    assert a.shape == (4000, 2)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.mean(axis=0), [0.7, 0.3], atol=0.01)
    np.testing.assert_array_equal(a, weight_draws(w, draws=4000, concentration=20, seed=1))
    tight = weight_draws(w, draws=4000, concentration=200, seed=1)
    assert tight[:, 0].std() < a[:, 0].std() / 2
    # the docstring's figure: 0.7 moves to about 0.53-0.85 (5-95%) at concentration 20
    assert np.quantile(a[:, 0], [0.05, 0.95]) == pytest.approx([0.53, 0.85], abs=0.02)


def test_tier_rule_by_hand():
    ranked = pd.DataFrame(
        {
            "rank": [1, 2, 3, 4, 5, 6],
            "score": [0.9, 0.8, 0.7, 0.6, 0.5, 0.0],
            "rank_low": [1, 1, 2, 3, 5, 6],
            "top_n_share": [1.0, 0.8, 0.79, 0.3, 0.0, 0.0],
        }
    )
    # N = 3: rows 1-2 robust top 3; row 3 in the top 3 but only 79% of draws; row 4 out of
    # the top 3 but its p5 rank is 3; row 5 never in it; row 6 scores 0.
    assert assign_tiers(ranked, top_n=3).tolist() == [1, 1, 2, 2, 3, 3]
    assert assign_tiers(ranked, top_n=3, rule=TierRule(robust_share=0.5)).tolist()[2] == 1
    zero = ranked.assign(score=0.0)
    assert set(assign_tiers(zero, top_n=3)) == {3}  # no evidence of need: never a priority


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"top_n": 0}, "`top_n`"),
        ({"draws": -1}, "`draws`"),
        ({"draws": 10**6}, "`draws`"),
        ({"draws": True}, "`draws`"),
        ({"concentration": 0.0}, "`concentration`"),
        ({"concentration": float("inf")}, "`concentration`"),
        ({"seed": -3}, "`seed`"),
        ({"seed": 1.5}, "`seed`"),
    ],
)
def test_bad_params(kwargs, match):
    with pytest.raises(ScoringError, match=match):
        StabilityParams(**kwargs)


def test_duplicate_codes_refused():
    table = pd.concat([_cross(), _cross().iloc[[0]]])
    with pytest.raises(DataError, match="duplicate"):
        rank_stability(table, W2)


def test_many_areas_use_wide_ranks_and_still_match_the_loop():
    rng = np.random.default_rng(3)
    n = 40_000  # over the int16 limit
    table = pd.DataFrame(
        {
            "kode": [f"{i:05d}" for i in range(n)],
            "msme_uncovered": rng.integers(0, 50, n),  # many ties
            "msme_uncovered_share": rng.random(n).round(2),
        }
    )
    params = _weights_only(top_n=100, draws=3, seed=5)
    out = rank_stability(table, W2, params=params)
    pd.testing.assert_frame_equal(out, _loop(table, W2, params))


@st.composite
def tables(draw):
    n = draw(st.integers(1, 25))
    ints = st.lists(st.integers(0, 6), min_size=n, max_size=n)  # small ranges: ties
    return pd.DataFrame(
        {
            "kode": [f"{i:03d}" for i in draw(st.permutations(range(n)))],
            "msme_uncovered": draw(ints),
            "msme_uncovered_share": [v / 6 for v in draw(ints)],
            "msme_online_share": draw(
                st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=n, max_size=n)
            ),
        }
    ).astype({"msme_online_share": "float64"})


weight_sets = st.dictionaries(
    st.sampled_from(["msme_uncovered", "msme_uncovered_share", "msme_online_share"]),
    st.floats(0.05, 5),
    min_size=1,
)


@pytest.mark.slow  # 50 examples of up to 40 draws each: make test, not test-fast
@settings(max_examples=50, deadline=None)
@given(
    tables(),
    weight_sets,
    st.integers(1, 5),
    st.integers(1, 40),
    st.floats(0.5, 200),
    st.integers(0, 99),
)
def test_vectorised_equals_the_loop_over_rank_areas(table, weights, top_n, draws, conc, seed):
    params = _weights_only(top_n=top_n, draws=draws, concentration=conc, seed=seed)
    pd.testing.assert_frame_equal(
        rank_stability(table, weights, params=params), _loop(table, weights, params)
    )


@settings(max_examples=30, deadline=None)
@given(tables(), weight_sets, st.integers(1, 5))
def test_ranges_bracket_plausible_ranks(table, weights, top_n):
    out = rank_stability(table, weights, params=StabilityParams(top_n=top_n, draws=50))
    n = len(table)
    assert ((out["rank_low"] >= 1) & (out["rank_low"] <= out["rank_high"])).all()
    assert (out["rank_high"] <= n).all()
    assert out["top_n_share"].between(0, 1).all()
    # every draw puts exactly min(N, n) areas in the top N
    assert out["top_n_share"].sum() == pytest.approx(min(top_n, n))


def test_threads_do_not_change_the_ranks():
    rng = np.random.default_rng(8)
    matrix = rng.integers(0, 4, (500, 3)) / 3  # many equal rows: ties broken by position
    draws = rng.dirichlet([2.0, 1.0, 1.0], size=700)  # three blocks of draws
    one = draw_ranks(matrix, draws, workers=1)
    assert np.array_equal(one, draw_ranks(matrix, draws, workers=3))
    assert one.shape == (500, 700)
    assert sorted(one[:, 0]) == list(range(1, 501))  # each draw's ranks are a permutation
    scores = draws[5] @ matrix.T
    order = np.lexsort((np.arange(500), -np.round(scores, 12)))
    assert (one[order, 5] == np.arange(1, 501)).all()


def test_ranks_written_into_given_rows_are_the_same_ranks():
    rng = np.random.default_rng(9)
    matrix = rng.integers(0, 4, (300, 2)) / 3  # ties: broken by position either way
    draws = rng.dirichlet([2.0, 1.0], size=40)
    alone = draw_ranks(matrix, draws, workers=1)
    assert alone.flags.c_contiguous  # by area
    out = np.zeros((100, 300), dtype=alone.dtype)
    rows = rng.permutation(100)[:40]
    returned = draw_ranks(matrix, draws, workers=1, out=out, rows=rows)
    assert returned is out
    assert np.array_equal(out[rows].T, alone)
    untouched = np.setdiff1d(np.arange(100), rows)
    assert not out[untouched].any()
