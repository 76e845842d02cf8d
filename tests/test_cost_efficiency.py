"""The cost-efficiency indicator (MSMEs newly covered per Rp 1 billion) and its preset."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from shapely.geometry import box
from typer.testing import CliRunner

from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.cli import main as cli
from infra_gap.errors import SchemaError, ScoringError
from infra_gap.layers import Layers, Raster
from infra_gap.outputs.export import bare_column
from infra_gap.ranking.presets import PRESETS
from infra_gap.ranking.scenario import Scenario, run_scenario
from infra_gap.registry import INDICATORS, SITING_INDICATORS, uses_siting
from infra_gap.siting.costs import CostParams
from infra_gap.siting.plan import COST_EFFICIENCY, area_site_needs, with_cost_efficiency
from infra_gap.siting.problem import ReachParams, siting_problem

CRS = "EPSG:32647"
A, B, C = "12.01.01.2001", "12.01.01.2002", "12.01.02.2001"


@pytest.fixture(scope="module")
def three():
    """Desa A, B, C of 10 km x 10 km side by side; 4G covers C only; reach 2 km.

    A: 6 MSMEs at x = 1 km and 6 at x = 9 km (8 km apart: two sites of Rp 2.2 bn for 80%);
    B: 7 MSMEs at x = 15 km (one site); C: 3 MSMEs, all covered.
    """
    desa = gpd.GeoDataFrame(
        {"kode": [A, B, C], "nama": ["A", "B", "C"]},
        geometry=[box(i * 10_000, 0, (i + 1) * 10_000, 10_000) for i in range(3)],
        crs=CRS,
    )
    kec = gpd.GeoDataFrame(
        {"kode": ["12.01.01", "12.01.02"], "nama": ["K1", "K2"]},
        geometry=[box(0, 0, 20_000, 10_000), box(20_000, 0, 30_000, 10_000)],
        crs=CRS,
    )
    kab = gpd.GeoDataFrame(
        {"kode": ["12.01"], "nama": ["Kab"], "jenis": ["kabupaten"]},
        geometry=[box(0, 0, 30_000, 10_000)],
        crs=CRS,
    )
    xy = [(1_000, 5_000)] * 6 + [(9_000, 5_000)] * 6 + [(15_000, 5_000)] * 7
    xy += [(25_000, 5_000)] * 3
    msme = gpd.GeoDataFrame(
        {"row": [str(i + 2) for i in range(len(xy))]},
        geometry=gpd.points_from_xy(*zip(*xy, strict=True)),
        crs=CRS,
    )
    raster = Raster(
        np.array([[0, 0, 1]], dtype="uint8"), Affine(10_000, 0, 0, 0, -10_000, 10_000), CRS, 255
    )
    layers = Layers(
        areas={"desa": desa, "kecamatan": kec, "kabupaten": kab}, msme=msme, coverage=raster
    )
    facts = place_and_cover(layers, covered_min=1)
    # 2 km on flat land and round costs: Rp 2.2 bn a site, no backhaul cost, capex only
    simple = CostParams(
        capex_idr={"bakti_3t": 2.2e9}, vsat_usd=0.0, vsat_usd_per_mbps_year=0.0, opex_years=0
    )
    reach = ReachParams(radius_km=2.0, terrain="flat")
    return layers, facts, siting_problem(layers, facts, reach=reach, costs=simple)


def test_the_indicator_is_registered_for_the_siting_stage():
    ind = INDICATORS[COST_EFFICIENCY]
    assert ind.unit == "UMKM/Rp 1 M"
    assert ind.higher_is_need  # more MSMEs per rupiah = more priority
    assert ind.label_id == "UMKM baru terjangkau per Rp 1 miliar"
    assert SITING_INDICATORS == (COST_EFFICIENCY,)
    assert uses_siting({COST_EFFICIENCY: 0.5})
    assert not uses_siting({COST_EFFICIENCY: 0.0, "msme_uncovered": 1.0})


def test_efficiency_by_hand_per_desa_and_kecamatan(three):
    layers, facts, problem = three
    table = with_cost_efficiency(indicator_table(layers, facts, level="desa"), problem)
    got = table.set_index("kode")[COST_EFFICIENCY]
    assert got[A] == pytest.approx(12 / 4.4)  # two sites for 80% of 12: all 12 reached
    assert got[B] == pytest.approx(7 / 2.2)
    assert np.isnan(got[C])  # no uncovered MSMEs: missing, not 0
    kec = with_cost_efficiency(indicator_table(layers, facts, level="kecamatan"), problem)
    by = kec.set_index("kode")[COST_EFFICIENCY]
    # 19 uncovered, 80% = 15.2: B's site (7), then both of A's (6 + 6) = 19 for Rp 6.6 bn
    assert by["12.01.01"] == pytest.approx(19 / 6.6)
    assert np.isnan(by["12.01.02"])


def test_the_join_leaves_the_input_alone_and_needs_a_code(three):
    layers, facts, problem = three
    table = indicator_table(layers, facts, level="desa")
    joined = with_cost_efficiency(table, problem)
    assert COST_EFFICIENCY not in table
    pd.testing.assert_frame_equal(joined.drop(columns=COST_EFFICIENCY), table)
    with pytest.raises(SchemaError, match=r"missing required column\(s\) \['kode'\]"):
        with_cost_efficiency(table.drop(columns="kode"), problem)


def test_area_codes_match_whole_segments_only(three):
    _, _, problem = three
    needs = area_site_needs(problem, ["12.01.0", "12.01", A]).set_index("kode")
    assert needs["msme_uncovered"].tolist() == [0, 19, 12]  # 12.01.0 is no area's prefix
    assert np.isnan(needs.loc["12.01.0", "msme_new_per_billion_idr"])


def test_the_preset_ranks_by_msmes_per_billion(three):
    layers, facts, problem = three
    table = with_cost_efficiency(indicator_table(layers, facts, level="desa"), problem)
    preset = PRESETS["efisiensi_biaya"]
    result = run_scenario(table, Scenario(level="desa", preset=preset.key, weights=preset.weights))
    ranked = result.ranked.set_index("kode")
    assert result.ranked["kode"].tolist() == [B, A, C]  # 3.18 > 2.73 > missing
    assert ranked.loc[B, "score"] == pytest.approx(1.0)
    assert ranked.loc[A, "score"] == pytest.approx(0.0)
    assert result.dropped == ()
    impact = PRESETS["dampak_umkm"]
    by_count = run_scenario(table, Scenario(level="desa", weights=impact.weights))
    assert by_count.ranked["kode"].tolist()[0] == A  # 12 uncovered MSMEs beat B's 7


def test_without_the_column_the_preset_has_nothing_to_rank(three):
    layers, facts, _ = three
    preset = PRESETS["efisiensi_biaya"]
    scenario = Scenario(level="desa", preset=preset.key, weights=preset.weights)
    with pytest.raises(ScoringError, match=r"none of the weighted.*msme_new_per_billion_idr"):
        run_scenario(indicator_table(layers, facts, level="desa"), scenario)


@pytest.mark.slow
def test_rank_with_the_preset_on_the_demo(tmp_path):
    out = tmp_path / "kab.csv"
    args = ["rank", "--preset", "efisiensi_biaya", "--level", "kabupaten", "--stability", "0"]
    res = CliRunner().invoke(cli.app, [*args, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "preset efisiensi_biaya" in res.output
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"kode": str}).rename(columns=bare_column)
    assert len(table) == 33
    eff = table["msme_new_per_billion_idr"]
    has = table["msme_uncovered"] > 0
    assert has.sum() > 20
    assert (eff[has] > 0).all()
    assert eff[~has].isna().all()  # fully covered: missing, not 0
    assert (eff[has].diff().dropna() <= 1e-9).all()  # one weight: the rank follows it
    assert table["score"].iloc[0] == pytest.approx(1.0)
