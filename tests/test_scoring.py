import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_gap.errors import ScoringError
from infra_gap.scoring import normalise, normalised_weights, rank_areas


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
        normalise(pd.Series([1.0]), higher_is_need=True, method="zscore")


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
