import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_gap.errors import DataError, ScoringError
from infra_gap.ranking.scoring import (
    need_matrix,
    normalise,
    normalise_array,
    normalised_weights,
    rank_areas,
    tie_keys,
    usable_weights,
)


def _table():
    return pd.DataFrame(
        {
            "kode": ["a", "b", "c", "d"],
            "msme_uncovered": [10, 0, 5, 5],
            "msme_uncovered_share": [0.5, 1.0, np.nan, 0.0],
            "msme_online_share": [0.1, 0.3, 0.2, 0.2],
        }
    )


def test_scores_and_contributions_by_hand():
    out = rank_areas(_table(), {"msme_uncovered": 3, "msme_uncovered_share": 1})
    by = out.set_index("kode")
    # weights -> 0.75 / 0.25; uncovered norm a=1, b=0, c=d=0.5; share norm a=.5, b=1, c=NaN->0, d=0
    assert by.loc["a", "score"] == pytest.approx(0.75 + 0.125)
    assert by.loc["b", "score"] == pytest.approx(0.25)
    assert by.loc["c", "score"] == pytest.approx(0.375)
    assert by.loc["d", "score"] == pytest.approx(0.375)
    assert out["kode"].tolist() == ["a", "c", "d", "b"]  # c/d tie broken by code
    contrib = out.filter(like="contrib_").sum(axis=1)
    np.testing.assert_allclose(contrib, out["score"])


def test_lower_is_need_direction():
    out = rank_areas(_table(), {"msme_online_share": 1})
    assert out["kode"].tolist()[0] == "a"  # least online = most need


def test_all_zero_weights_is_a_clear_error():
    with pytest.raises(ScoringError, match="all weights are zero"):
        rank_areas(_table(), {"msme_uncovered": 0, "msme_uncovered_share": 0})


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ({"nope": 1}, "unknown indicator"),
        ({"msme_uncovered": -1}, ">= 0"),
        ({"msme_uncovered": float("nan")}, "finite"),
    ],
)
def test_bad_weights(weights, match):
    with pytest.raises(ScoringError, match=match):
        normalised_weights(weights)


def test_constant_column_maps_to_zero_and_percentile():
    assert normalise(pd.Series([3.0, 3.0]), higher_is_need=True).tolist() == [0.0, 0.0]
    assert normalise(
        pd.Series([1.0, 10.0, 100.0]), higher_is_need=True, method="percentile"
    ).tolist() == [0, 0.5, 1]
    with pytest.raises(ScoringError, match="method"):
        normalise(pd.Series([1.0]), higher_is_need=True, method="rank")


values = st.lists(st.integers(0, 10_000), min_size=2, max_size=30)


@st.composite
def tables(draw):
    v = draw(values)
    shares = draw(st.lists(st.floats(0, 1), min_size=len(v), max_size=len(v)))
    return pd.DataFrame(
        {
            "kode": [f"{i:03d}" for i in range(len(v))],
            "msme_uncovered": v,
            "msme_uncovered_share": shares,
        }
    )


weights_st = st.tuples(st.floats(0.01, 10), st.floats(0.01, 10))


@settings(max_examples=60, deadline=None)
@given(tables(), weights_st, st.floats(0.1, 100))
def test_properties(table, w, factor):
    weights = {"msme_uncovered": w[0], "msme_uncovered_share": w[1]}
    out = rank_areas(table, weights)
    assert out["score"].between(0, 1).all()
    assert sorted(out["rank"]) == list(range(1, len(table) + 1))
    scaled = rank_areas(table, {k: v * factor for k, v in weights.items()})
    assert scaled["kode"].tolist() == out["kode"].tolist()


@settings(max_examples=60, deadline=None)
@given(tables(), weights_st, st.data())
def test_raising_need_never_lowers_rank(table, w, data):
    weights = {"msme_uncovered": w[0], "msme_uncovered_share": w[1]}
    i = data.draw(st.integers(0, len(table) - 1))
    before = rank_areas(table, weights).set_index("kode")["rank"]
    raised = table.copy()
    raised.loc[i, "msme_uncovered"] += data.draw(st.integers(1, 5000))
    after = rank_areas(raised, weights).set_index("kode")["rank"]
    assert after[table.loc[i, "kode"]] <= before[table.loc[i, "kode"]]


@settings(max_examples=40, deadline=None)
@given(tables())
def test_single_weight_equals_descending_indicator_ties_by_code(table):
    out = rank_areas(table, {"msme_uncovered": 1})
    expected = table.sort_values(["msme_uncovered", "kode"], ascending=[False, True])[
        "kode"
    ].tolist()
    assert out["kode"].tolist() == expected


def test_usable_weights_drop_absent_and_rebalance():
    kept, dropped = usable_weights(
        {"msme_uncovered": 2, "backbone_km": 1, "island": 1, "kota_km": 0},
        ["kode", "msme_uncovered", "island"],
    )
    assert dropped == ("backbone_km",)  # kota_km has weight 0: not "dropped"
    assert kept == pytest.approx({"msme_uncovered": 2 / 3, "island": 1 / 3})


def test_usable_weights_all_absent_is_a_clear_error():
    with pytest.raises(ScoringError, match=r"none of the weighted indicators.*backbone_km"):
        usable_weights({"backbone_km": 1}, ["kode", "msme_uncovered"])


def test_need_matrix_missing_is_zero_and_direction_applied():
    m = need_matrix(_table(), ["msme_uncovered_share", "msme_online_share"], method="minmax")
    np.testing.assert_allclose(m[:, 0], [0.5, 1.0, 0.0, 0.0])  # c is NaN -> 0
    np.testing.assert_allclose(m[:, 1], [1.0, 0.0, 0.5, 0.5])  # lower online share = more need
    with pytest.raises(ScoringError, match="lacks weighted column"):
        need_matrix(_table(), ["backbone_km"], method="minmax")


def test_float_noise_is_a_tie_broken_by_code():
    table = pd.DataFrame({"kode": ["b", "a", "c"], "msme_uncovered_share": [0.3, 0.3 - 1e-15, 0.0]})
    out = rank_areas(table, {"msme_uncovered_share": 1})
    assert out["kode"].tolist() == ["a", "b", "c"]
    assert tie_keys(np.array([0.5, 0.5 + 1e-11])).tolist() == [500_000_000_000, 500_000_000_010]


def test_duplicate_codes_refused():
    table = pd.DataFrame({"kode": ["a", "a"], "msme_uncovered": [1, 2]})
    with pytest.raises(DataError, match="duplicate `kode`"):
        rank_areas(table, {"msme_uncovered": 1})


def test_percentile_method_ranks_by_order_only():
    table = pd.DataFrame({"kode": list("abc"), "msme_uncovered": [1, 10, 10_000]})
    out = rank_areas(table, {"msme_uncovered": 1}, method="percentile").set_index("kode")
    assert out["score"].to_dict() == pytest.approx({"a": 0.0, "b": 0.5, "c": 1.0})


@settings(max_examples=60, deadline=None)
@given(tables(), weights_st)
def test_contributions_add_up_to_score(table, w):
    out = rank_areas(table, {"msme_uncovered": w[0], "msme_uncovered_share": w[1]})
    np.testing.assert_allclose(out.filter(like="contrib_").sum(axis=1), out["score"], atol=1e-12)
    assert (out.filter(like="contrib_") >= 0).all().all()


@pytest.mark.parametrize("method", ["minmax", "percentile", "zscore"])
@pytest.mark.parametrize("higher", [True, False])
def test_normalise_array_gives_the_numbers_of_normalise(method, higher):
    rng = np.random.default_rng(7)
    columns = [np.array([]), np.array([np.nan, np.nan]), np.array([2.0, 2.0, np.nan])]
    columns += [np.array([0.0, -0.0, 1.0]), np.array([1.0, np.inf, 3.0])]
    for _ in range(60):
        x = np.round(rng.exponential(50, size=int(rng.integers(1, 80))), int(rng.integers(0, 3)))
        x[rng.random(len(x)) < 0.2] = np.nan  # missing values, and ties from the rounding
        columns.append(x)
    for x in columns:
        with np.errstate(invalid="ignore"):  # inf - inf in the z-scores of [1, inf, 3]
            expected = normalise(
                pd.Series(x, dtype="float64"), higher_is_need=higher, method=method
            )
            got = normalise_array(x, higher_is_need=higher, method=method)
        np.testing.assert_array_equal(got, expected.to_numpy(dtype="float64"))
