from dataclasses import fields, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_gap.errors import DataError, SchemaError
from infra_gap.siting.costs import CostParams, cost_table, fmt_idr, site_costs, summary_line

#: Round figures for hand computation: US$ 1 = Rp 10,000, so US$ 1,000 = Rp 10 million.
HAND = CostParams(
    capex_idr={"a": 1e9, "b": 2e9},
    site_class="a",
    idr_per_usd=10_000.0,
    fibre_usd_per_km=1_000.0,
    fibre_sea_factor=5.0,
    fibre_usd_per_km_year=100.0,
    fibre_usd_per_mbps_year=100.0,
    microwave_usd=4_000.0,
    microwave_usd_per_mbps_year=100.0,
    vsat_usd=500.0,
    vsat_usd_per_mbps_year=500.0,
    backhaul_mbps=2.0,
    opex_share=0.1,
    opex_years=6,
)


def _costs(km, *, sea=None, island=None, no_road=None, klass=None, params=HAND):
    n = len(km)
    return site_costs(
        capex_class=np.array(klass or [params.site_class] * n),
        island=np.array(island or [False] * n),
        no_road=np.array(no_road or [False] * n),
        backbone_km=np.array(km, dtype="float64"),
        sea_km=None if sea is None else np.array(sea, dtype="float64"),
        params=params,
    )


def test_each_backhaul_option_costed_by_hand():
    """Over 6 years: fibre = km x Rp 16 M + sea km x Rp 40 M + Rp 12 M; microwave Rp 52 M;
    VSAT Rp 65 M (Rp 5 M terminal + 6 x Rp 10 M bandwidth)."""
    out = _costs([1.0, 3.0, 3.0, 50.0, 100.0, np.nan], sea=[0, 1, 0, 0, 0, 0])
    assert out["backhaul_fibre_idr"].tolist()[:3] == [28e6, 100e6, 60e6]
    assert np.isnan(out["backhaul_fibre_idr"].iloc[3:]).all()  # beyond 47 km, or no backbone
    assert out["backhaul_microwave_idr"].tolist()[:4] == [52e6] * 4
    assert np.isnan(out["backhaul_microwave_idr"].iloc[4:]).all()  # beyond one 65 km hop
    assert (out["backhaul_vsat_idr"] == 65e6).all()
    assert out["backhaul"].tolist() == [
        "fibre",
        "microwave",
        "microwave",
        "microwave",
        "vsat",
        "vsat",
    ]
    assert out["backhaul_idr"].tolist() == [10e6, 40e6, 40e6, 40e6, 5e6, 5e6]
    assert out["backhaul_opex_idr_per_year"].tolist() == [3e6, 2e6, 2e6, 2e6, 10e6, 10e6]
    assert out["backhaul_cost_idr"].tolist() == [28e6, 52e6, 52e6, 52e6, 65e6, 65e6]


def test_whole_life_cost_of_a_site_by_hand():
    out = _costs([1.0])
    assert out["base_capex_idr"].iloc[0] == 1e9
    assert out["capex_idr"].iloc[0] == 1e9 + 10e6  # base + fibre spur
    assert out["opex_idr_per_year"].iloc[0] == 100e6 + 3e6  # 10% of base + fibre upkeep/bw
    assert out["cost_total_idr"].iloc[0] == 1.01e9 + 6 * 103e6
    assert out["cost_idr"].iloc[0] == out["cost_total_idr"].iloc[0]  # what a budget holds


def test_the_cheapest_over_the_plans_life_not_at_purchase():
    """1 km of fibre costs Rp 10 M against a Rp 5 M terminal, but the terminal's bandwidth
    (Rp 10 M a year) makes VSAT dearer over 6 years; over 0 years it is the cheapest."""
    assert _costs([1.0])["backhaul"].iloc[0] == "fibre"
    capex_only = _costs([1.0], params=replace(HAND, opex_years=0))
    assert capex_only["backhaul"].iloc[0] == "vsat"
    assert capex_only["cost_total_idr"].iloc[0] == 1e9 + 5e6


def test_logistics_multipliers_and_classes():
    out = _costs(
        [np.nan] * 4,
        island=[False, True, False, True],
        no_road=[False, False, True, True],
        klass=["a", "a", "a", "b"],
    )
    assert out["base_capex_idr"].tolist() == [1e9, 1.2e9, 1.2e9, 2e9 * 1.44]
    assert out["capex_idr"].tolist() == [1.005e9, 1.205e9, 1.205e9, 2.885e9]  # + VSAT Rp 5 M


def test_defaults_are_bakti_figures():
    d = CostParams()
    # Rp 12.045 trillion / 5,618 sites to on-air, less a Giga VSAT terminal (US$467)
    assert d.capex_idr["bakti_3t"] == round(12.045e12 / 5618 - 467 * 15_439, -6) == 2.137e9
    # Rp 144.878 bn a month for the same 5,618 sites: 14.43% of capex a year
    assert d.opex_share == pytest.approx(144.878e9 * 12 / 12.045e12, abs=5e-5)
    assert d.opex_years == 6  # Giga's years_opex
    assert _costs([np.nan], params=d)["backhaul"].iloc[0] == "vsat"


def test_bad_figures_and_unknown_class_are_refused():
    with pytest.raises(SchemaError, match="unknown capex class"):
        _costs([1.0, 1.0], klass=["a", "gold_plated"])
    with pytest.raises(DataError, match="opex_share"):
        CostParams(opex_share=-0.1)
    with pytest.raises(DataError, match="whole number"):
        CostParams(opex_years=2.5)  # type: ignore[arg-type]


@settings(deadline=None)  # the machine is shared: a slow example is not a failure
@given(st.floats(0, 200), st.floats(0, 200), st.integers(0, 10))
def test_backhaul_never_dearer_than_any_option(a, b, years):
    params = replace(HAND, opex_years=years)
    out = _costs([min(a, b), max(a, b)], params=params)
    options = out[["backhaul_fibre_idr", "backhaul_microwave_idr", "backhaul_vsat_idr"]]
    assert (out["backhaul_cost_idr"] <= options.min(axis=1) + 1).all()
    assert (out["cost_total_idr"] == out["capex_idr"] + years * out["opex_idr_per_year"]).all()
    assert (out["capex_idr"] % 1 == 0).all()  # whole rupiah, so budget sums are exact


def test_cost_table_has_a_source_for_every_figure():
    table = cost_table(CostParams())
    names = set(table["parameter"])
    assert {f.name for f in fields(CostParams)} - {"capex_idr"} <= names
    assert {"capex_idr[bakti_3t]", "capex_idr[commercial]"} <= names
    assert table["source"].str.len().gt(5).all()
    assert not table["source"].str.contains("edited|domain.md").any()
    dated = r"20\d\d|@[0-9a-f]{7}|^assumption|^default class"  # a date, a commit or a flag
    assert table["source"].str.contains(dated).all()
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
