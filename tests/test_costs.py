from dataclasses import fields, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_gap.costs import CostParams, cost_table, fmt_idr, site_costs, summary_line
from infra_gap.errors import SchemaError

FIBRE_IDR_PER_KM = 5_500 * 15_400  # Rp 84.7 million


def _costs(km, *, island=None, no_road=None, klass=None, params=None):
    n = len(km)
    return site_costs(
        capex_class=np.array(klass or ["bakti_3t"] * n),
        island=np.array(island or [False] * n),
        no_road=np.array(no_road or [False] * n),
        backbone_km=np.array(km, dtype="float64"),
        params=params or CostParams(),
    )


def test_backhaul_by_distance_and_costs_by_hand():
    out = _costs([2.0, 5.0, 30.0, 65.0, 100.0, np.nan])
    assert out["backhaul"].tolist() == ["fibre", "fibre", "microwave", "microwave", "vsat", "vsat"]
    assert out["backhaul_idr"].tolist() == [2 * FIBRE_IDR_PER_KM, 5 * FIBRE_IDR_PER_KM, 0, 0, 0, 0]
    assert out["capex_idr"].iloc[0] == 2_200_000_000 + 169_400_000
    assert out["capex_idr"].iloc[2] == 2_200_000_000
    assert out["opex_idr_per_year"].iloc[2] == 220_000_000
    assert (out["cost_idr"] == out["capex_idr"]).all()  # opex_years = 0: a budget buys capex


def test_logistics_multipliers_and_classes():
    out = _costs(
        [30.0, 30.0, 30.0, 30.0],
        island=[False, True, False, True],
        no_road=[False, False, True, True],
        klass=["bakti_3t", "bakti_3t", "bakti_3t", "commercial"],
    )
    assert out["capex_idr"].tolist() == [2.2e9, 2.64e9, 2.64e9, round(1.05e9 * 1.44)]


def test_opex_years_count_against_the_budget():
    out = _costs([30.0], params=CostParams(opex_years=3, opex_share=0.125))
    assert out["opex_idr_per_year"].iloc[0] == 275_000_000
    assert out["cost_idr"].iloc[0] == 2_200_000_000 + 3 * 275_000_000


def test_unknown_class_is_refused():
    with pytest.raises(SchemaError, match="unknown capex class"):
        _costs([1.0, 1.0], klass=["bakti_3t", "gold_plated"])


@settings(deadline=None)  # the machine is shared: a slow example is not a failure
@given(st.floats(0, 200), st.floats(0, 200))
def test_fibre_cost_grows_with_distance(a, b):
    out = _costs([min(a, b), max(a, b)])
    fibre = out["backhaul"] == "fibre"
    if fibre.all():
        assert out["capex_idr"].iloc[0] <= out["capex_idr"].iloc[1]
    assert (out["capex_idr"] >= 2.2e9).all()
    assert (out["capex_idr"] % 1 == 0).all()  # whole rupiah, so budget sums are exact


def test_cost_table_has_a_source_for_every_figure():
    table = cost_table(CostParams())
    names = set(table["parameter"])
    assert {f.name for f in fields(CostParams)} - {"capex_idr"} <= names
    assert {"capex_idr[bakti_3t]", "capex_idr[commercial]"} <= names
    assert table["source"].str.len().gt(5).all()
    assert not table["source"].str.contains("edited").any()
    edited = cost_table(replace(CostParams(), opex_share=0.125)).set_index("parameter")
    assert edited.loc["opex_share", "source"] == "edited by the user"
    assert edited.loc["opex_share", "value"] == 0.125


def test_money_in_indonesian_and_english():
    assert fmt_idr(50e9, "id") == "Rp 50 miliar"
    assert fmt_idr(2.2e9, "id") == "Rp 2,2 miliar"
    assert fmt_idr(2.2e9, "en") == "Rp 2.2 billion"
    assert fmt_idr(1.5e12, "id") == "Rp 1,5 triliun"
    assert fmt_idr(833e6, "en") == "Rp 833 million"
    assert fmt_idr(5_000, "id") == "Rp 5.000"


def test_summary_line_matches_the_issue():
    line = summary_line(money_idr=50e9, sites=19, msme_new=48_210, lang="id")
    assert line == "Rp 50 miliar \u2192 19 menara \u2192 48.210 UMKM baru terjangkau"
    en = summary_line(money_idr=50e9, sites=19, msme_new=48_210, lang="en", synthetic=True)
    assert en == "Rp 50 billion \u2192 19 towers \u2192 48,210 MSMEs newly covered (synthetic demo)"
