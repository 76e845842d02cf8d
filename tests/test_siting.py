import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import typer
from affine import Affine
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from shapely.geometry import box
from typer.testing import CliRunner

from infra_gap.analysis.indicators import desa_counts
from infra_gap.analysis.pipeline import place_and_cover
from infra_gap.cli.sites import sites
from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError, SchemaError
from infra_gap.layers import Layers, Raster
from infra_gap.outputs.export import bare_column
from infra_gap.siting.costs import CostParams
from infra_gap.siting.mclp import _substitute, exact_mclp, greedy_mclp, lazy_greedy, order_by_gain
from infra_gap.siting.plan import (
    SITE_COLUMNS,
    area_site_needs,
    msme_new_per_billion_idr,
    suggest_sites,
)
from infra_gap.siting.problem import ReachParams, siting_problem


def _matrix(rows, n_demand):
    indptr = np.r_[0, np.cumsum([len(r) for r in rows])]
    indices = np.array([j for r in rows for j in r], dtype="int32")
    return sparse.csr_array(
        (np.ones(len(indices), dtype="int8"), indices, indptr), shape=(len(rows), n_demand)
    )


def _covered_weight(rows, weight, chosen):
    reached = set().union(*(set(rows[j]) for j in chosen)) if len(chosen) else set()
    return sum(weight[k] for k in reached)


# ---- solvers on hand-checkable instances --------------------------------------------------

# B reaches demand 0-2, A reaches 1-4, C reaches 3-5 (weight 1 each).  Greedy takes A first
# (4) and can add only 1 more; the optimum for two sites is B + C = 6.
TRAP = [[1, 2, 3, 4], [0, 1, 2], [3, 4, 5]]


def test_greedy_and_exact_on_the_greedy_trap():
    reach, w = _matrix(TRAP, 6), np.ones(6)
    chosen, gains = lazy_greedy(reach, w, np.ones(3), count=2)
    assert chosen.tolist() == [0, 1]  # A, then B (ties go to the lower index)
    assert gains.tolist() == [4, 1]
    for steps in ({"enumerate_max": 0}, {"max_passes": 0}):  # substitution, enumeration
        chosen, gains = greedy_mclp(reach, w, count=2, **steps)
        assert sorted(chosen.tolist()) == [1, 2]
        assert gains.tolist() == [3, 3]
    plain = greedy_mclp(reach, w, count=2, enumerate_max=0, max_passes=0)
    assert plain[1].sum() == 5
    picked, optimal = exact_mclp(reach, w, count=2)
    assert optimal
    assert sorted(picked.tolist()) == [1, 2]
    order, ex_gains = order_by_gain(reach, w, picked)
    assert order.tolist() == [1, 2]
    assert ex_gains.tolist() == [3, 3]
    for p in (1, 3):  # one site: A; three sites: everything
        best = exact_mclp(reach, w, count=p)[0]
        assert _covered_weight(TRAP, w, best) == greedy_mclp(reach, w, count=p)[1].sum()


def test_budget_with_cost_effectiveness():
    reach, w = _matrix(TRAP, 6), np.ones(6)
    cost = np.array([3.0, 1.0, 1.0])
    chosen, gains = greedy_mclp(reach, w, budget=2.0, cost=cost)
    assert chosen.tolist() == [1, 2]
    assert gains.sum() == 6
    picked, optimal = exact_mclp(reach, w, budget=2.0, cost=cost)
    assert optimal
    assert sorted(picked.tolist()) == [1, 2]


def test_budget_safeguard_takes_the_best_single_site():
    # D: 2 MSMEs for 1; E: 15 MSMEs for 10; budget 10.  Ratio greedy alone buys D, then
    # cannot afford E (2 MSMEs); the best single site E reaches 15, the optimum.
    reach = _matrix([[0, 1], list(range(2, 17))], 17)
    w, cost = np.ones(17), np.array([1.0, 10.0])
    ratio_only = lazy_greedy(reach, w, cost, budget=10.0, cost_power=1.0)
    assert ratio_only[1].sum() == 2
    chosen, gains = greedy_mclp(reach, w, budget=10.0, cost=cost, enumerate_max=0, max_passes=0)
    assert chosen.tolist() == [1]
    assert gains.sum() == 15
    assert exact_mclp(reach, w, budget=10.0, cost=cost)[0].tolist() == [1]


def test_budget_is_not_stranded_by_a_slightly_dearer_site():
    # Five cheap sites (22 each, 10 MSMEs apiece) fit a budget of 110 exactly; a dearer one
    # (23, 12 MSMEs) has the best ratio, but after it only three cheap sites fit: 42 < 50.
    rows = [list(range(10 * i, 10 * i + 10)) for i in range(5)] + [list(range(50, 62))]
    reach, w = _matrix(rows, 62), np.ones(62)
    cost = np.array([22.0] * 5 + [23.0])
    ratio = lazy_greedy(reach, w, cost, budget=110.0, cost_power=1.0)
    assert ratio[0].tolist() == [5, 0, 1, 2]
    assert ratio[1].sum() == 42
    stretched = lazy_greedy(reach, w, cost, budget=110.0, count=5, reserve=22.0)
    assert stretched[1].sum() == 50
    chosen, gains = greedy_mclp(reach, w, budget=110.0, cost=cost, max_passes=0)
    assert sorted(chosen.tolist()) == [0, 1, 2, 3, 4]
    assert gains.sum() == 50
    # the local search alone: drop the dear site, refill the freed money with two cheap ones
    better = _substitute(reach, reach.T.tocsr(), w, cost, ratio[0], 110.0, 20)
    assert sorted(better.tolist()) == [0, 1, 2, 3, 4]
    assert sorted(exact_mclp(reach, w, budget=110.0, cost=cost)[0].tolist()) == [0, 1, 2, 3, 4]


def test_limits_are_checked():
    reach = _matrix(TRAP, 6)
    with pytest.raises(DataError, match="exactly one"):
        greedy_mclp(reach, np.ones(6), count=1, budget=5.0, cost=np.ones(3))
    with pytest.raises(DataError, match="exactly one"):
        greedy_mclp(reach, np.ones(6))
    with pytest.raises(DataError, match="at least 1"):
        greedy_mclp(reach, np.ones(6), count=0)


@st.composite
def instances(draw):
    n_cand = draw(st.integers(2, 7))
    n_dem = draw(st.integers(1, 14))
    rows = [sorted(draw(st.sets(st.integers(0, n_dem - 1), max_size=n_dem))) for _ in range(n_cand)]
    weight = np.array(draw(st.lists(st.integers(1, 5), min_size=n_dem, max_size=n_dem)))
    cost = np.array(draw(st.lists(st.integers(1, 5), min_size=n_cand, max_size=n_cand)))
    return rows, n_dem, weight.astype("float64"), cost.astype("float64")


@settings(max_examples=40, deadline=None)
@given(instances(), st.integers(1, 12), st.integers(1, 4))
def test_greedy_against_exact_on_random_instances(inst, budget, p):
    rows, n_dem, w, cost = inst
    reach = _matrix(rows, n_dem)
    chosen, gains = greedy_mclp(reach, w, budget=float(budget), cost=cost)
    assert cost[chosen].sum() <= budget
    assert len(set(chosen.tolist())) == len(chosen)
    assert gains.sum() == _covered_weight(rows, w, chosen)  # each MSME counted once
    picked, optimal = exact_mclp(reach, w, budget=float(budget), cost=cost)
    assert optimal
    assert cost[picked].sum() <= budget
    assert gains.sum() <= _covered_weight(rows, w, picked)
    chosen, gains = greedy_mclp(reach, w, count=p)
    best = _covered_weight(rows, w, exact_mclp(reach, w, count=p)[0])
    assert len(chosen) <= p
    assert best * (1 - 1 / math.e) <= gains.sum() <= best


# ---- candidates, reach and plans on a small map -------------------------------------------

DESA_A, DESA_B = "12.01.01.2001", "12.01.01.2002"
#: A 2 km reach on flat land, and round costs to count by hand: Rp 2.2 bn a site, no
#: backhaul cost (VSAT at 0), opex 10% a year and a budget that buys capex only.
FLAT2 = ReachParams(radius_km=2.0, terrain="flat")
SIMPLE = CostParams(
    capex_idr={"bakti_3t": 2.2e9, "commercial": 1.05e9},
    vsat_usd=0.0,
    vsat_usd_per_mbps_year=0.0,
    opex_share=0.1,
    opex_years=0,
)


@pytest.fixture
def small():
    """Desa A (0-10 km, covered) and B (10-20.3 km, not covered), one kecamatan, one kabupaten.

    MSMEs: 3 in A (covered); in B 5 at (12.5, 5) km, 4 at (18.5, 5), 1 at (15, 9.9) and 1 at
    (20.25, 5), beyond the raster (no data, so not covered).  11 uncovered in all.
    """
    desa = gpd.GeoDataFrame(
        {"kode": [DESA_A, DESA_B], "nama": ["A", "B"]},
        geometry=[box(0, 0, 10_000, 10_000), box(10_000, 0, 20_300, 10_000)],
        crs=WORK_CRS,
    )
    kec = gpd.GeoDataFrame(
        {"kode": ["12.01.01"], "nama": ["K"]}, geometry=[box(0, 0, 20_300, 10_000)], crs=WORK_CRS
    )
    kab = gpd.GeoDataFrame(
        {"kode": ["12.01"], "nama": ["Kab"]}, geometry=[box(0, 0, 20_300, 10_000)], crs=WORK_CRS
    )
    xy = [(5_000, 5_000)] * 3 + [(12_500, 5_000)] * 5 + [(18_500, 5_000)] * 4
    xy += [(15_000, 9_900), (20_250, 5_000)]
    msme = gpd.GeoDataFrame(
        {"row": [str(i + 2) for i in range(len(xy))]},
        geometry=gpd.points_from_xy(*zip(*xy, strict=True)),
        crs=WORK_CRS,
    )
    raster = Raster(
        np.array([[1, 0]], dtype="uint8"), Affine(10_000, 0, 0, 0, -10_000, 10_000), WORK_CRS, 255
    )
    layers = Layers(
        areas={"desa": desa, "kecamatan": kec, "kabupaten": kab}, msme=msme, coverage=raster
    )
    return layers, place_and_cover(layers, covered_min=1)


def test_reach_from_height_and_terrain():
    r = ReachParams()
    heights = np.array([42.0, 72.0, 25.0, 12.0, 10.0])
    assert (r.radius_m(heights, np.zeros(5, bool)) / 1000).tolist() == [8, 8, 4, 4, 2]
    assert r.radius_m(np.array([42.0]), np.array([True]))[0] == pytest.approx(4_000)  # hills
    assert r.terrain == "hilly"  # North Sumatra: 4 km unless the user says flat
    assert ReachParams(radius_km=5).radius_m(np.array([10.0]), np.array([False]))[0] == 5_000
    with pytest.raises(DataError, match="at least 9 m"):
        r.radius_m(np.array([8.0]), np.array([False]))


def test_candidates_and_plan_by_hand(small):
    layers, facts = small
    problem = siting_problem(layers, facts, reach=FLAT2, costs=SIMPLE)
    assert problem.msme_uncovered == 11
    assert problem.demand_weight.tolist() == [5, 1, 4, 1]  # identical points merged
    cand = problem.candidates
    grid = cand[cand["source"] == "grid"]
    xy = sorted(zip(grid.geometry.x, grid.geometry.y, strict=True))
    # cell centres, except (20.5, 5.5) km, outside every desa: moved onto its MSME
    assert xy == [(12_500, 5_500), (15_500, 9_500), (18_500, 5_500), (20_250, 5_000)]
    assert (cand["source"] == "desa").sum() == 1  # desa A has no uncovered MSME
    assert set(cand["kode_desa"]) == {DESA_B}
    assert cand["backhaul"].eq("vsat").all()  # no backbone layer
    plan = suggest_sites(problem, count=3, method="greedy")
    assert plan.sites["msme_new"].tolist() == [5, 5, 1]
    assert plan.msme_new == 11
    assert list(plan.sites.columns) == [*SITE_COLUMNS, "geometry"]
    assert plan.sites["site_id"].tolist() == ["S0001", "S0002", "S0003"]
    assert plan.sites["kode_kec"].eq("12.01.01").all()
    assert plan.sites["capex_idr"].tolist() == [2.2e9] * 3
    assert plan.sites["opex_idr_per_year"].tolist() == [2.2e8] * 3
    assert plan.summary("id") == "Rp 6,6 miliar \u2192 3 menara \u2192 11 UMKM baru terjangkau"
    budget = suggest_sites(problem, budget_idr=4.5e9, method="greedy")
    assert budget.sites["msme_new"].tolist() == [5, 5]
    exact = suggest_sites(problem, budget_idr=4.5e9, method="exact")
    assert exact.optimal
    assert exact.msme_new == 10


def test_default_reach_covers_the_desa_from_one_site(small):
    layers, facts = small
    plan = suggest_sites(siting_problem(layers, facts, reach=ReachParams(terrain="flat")), count=3)
    assert plan.method == "exact"  # small instance: HiGHS
    assert plan.sites["msme_new"].tolist() == [11]  # an 8 km site reaches all; no idle sites
    hills = suggest_sites(siting_problem(layers, facts), count=3)  # 4 km in hilly terrain
    assert hills.sites["radius_km"].eq(4.0).all()
    assert hills.msme_new == 11
    assert len(hills.sites) == 3  # (15, 9.9) and (20.25, 5) lie beyond 4 km of the rest


def test_recount_with_shapely_on_the_small_map(small):
    layers, facts = small
    plan = suggest_sites(siting_problem(layers, facts, reach=FLAT2), count=2)
    assert plan.msme_new == _recount(layers, facts, plan.sites)


def _recount(layers, facts, sites):
    """MSMEs within the radius of any site (GEOS distance), minus those already covered."""
    reached = set()
    pts = layers.msme[["geometry"]]
    for r_km, group in sites.groupby("radius_km"):
        near = gpd.sjoin(pts, group[["geometry"]], predicate="dwithin", distance=r_km * 1000)
        reached |= set(near.index)
    idx = np.array(sorted(reached), dtype="int64")
    return int((~facts.coverage.covered[idx] & (facts.area_index[idx] >= 0)).sum())


def test_uploaded_candidates(small):
    layers, facts = small
    plots = gpd.GeoDataFrame(
        {
            "nama": ["Lahan Pemda 1"],
            "terrain": ["hilly"],
            "no_road": ["ya"],
            "capex_class": ["commercial"],
        },
        geometry=gpd.points_from_xy([15_000], [5_000]),
        crs=WORK_CRS,
    )
    problem = siting_problem(layers, facts, uploaded=plots, generated=False, costs=SIMPLE)
    site = problem.candidates.iloc[0]
    assert len(problem.candidates) == 1
    assert site["radius_km"] == pytest.approx(4.0)  # 8 km x hilly 0.5
    assert site["capex_idr"] == pytest.approx(1.05e9 * 1.2)  # no road
    plan = suggest_sites(problem, count=1)
    assert plan.sites["label"].tolist() == ["Lahan Pemda 1"]
    assert plan.msme_new == 9  # (12.5, 5) and (18.5, 5) within 4 km


def test_uploaded_candidates_are_checked(small):
    layers, facts = small
    bad = gpd.GeoDataFrame(
        {"terrain": ["steep", "flat"], "capex_class": ["gold", "bakti_3t"]},
        geometry=gpd.points_from_xy([15_000, 16_000], [5_000, 5_000]),
        crs=WORK_CRS,
    )
    bad["no_road"] = ["maybe", "tidak"]
    bad["height_m"] = ["40", "tinggi"]
    with pytest.raises(SchemaError, match=r"terrain.*capex_class.*no_road.*height_m.*\[1\]"):
        siting_problem(layers, facts, uploaded=bad)
    with pytest.raises(SchemaError, match="CRS"):
        siting_problem(layers, facts, uploaded=bad[[]].set_geometry(bad.geometry).to_crs(4326))
    outside = gpd.GeoDataFrame(geometry=gpd.points_from_xy([99_000], [5_000]), crs=WORK_CRS)
    with pytest.raises(SchemaError, match="outside every desa"):
        siting_problem(layers, facts, uploaded=outside)


def test_area_filter_and_area_needs(small):
    layers, facts = small
    with pytest.raises(DataError, match="no candidate site"):
        siting_problem(layers, facts, area=DESA_A)
    with pytest.raises(DataError, match="Kemendagri code"):
        siting_problem(layers, facts, area="12.0")
    problem = siting_problem(layers, facts, reach=FLAT2, costs=SIMPLE)
    needs = area_site_needs(problem, [DESA_A, DESA_B, "12.01.01", "12.01"]).set_index("kode")
    assert needs["msme_uncovered"].tolist() == [0, 11, 11, 11]
    assert needs["sites_needed"].tolist() == [0, 2, 2, 2]  # 10 >= 80% of 11
    assert needs.loc[DESA_B, "msme_new"] == 10
    assert needs.loc[DESA_B, "cost_idr"] == 4.4e9
    assert np.isnan(needs.loc[DESA_A, "msme_new_per_billion_idr"])
    assert needs.loc["12.01", "msme_new_per_billion_idr"] == pytest.approx(10 / 4.4)
    all_of_it = area_site_needs(problem, [DESA_B], share=1.0)
    assert all_of_it["sites_needed"].tolist() == [3]
    series = msme_new_per_billion_idr(problem, [DESA_A, DESA_B])
    assert series.index.tolist() == [DESA_A, DESA_B]


# ---- the demo ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_layers):
    facts = place_and_cover(demo_layers, covered_min=1)
    return facts, siting_problem(demo_layers, facts, reach=ReachParams(capacity_msme=None))


def test_demo_budget_plan_matches_an_independent_recount(demo_layers, demo):
    facts, problem = demo
    plan = suggest_sites(problem, budget_idr=50e9)
    assert plan.method == "greedy"
    assert plan.sites["cost_idr"].sum() <= 50e9
    assert len(plan.sites) > 10
    assert (plan.sites["msme_new"] > 0).all()
    assert plan.msme_new == _recount(demo_layers, facts, plan.sites)
    assert plan.sites.geometry.is_unique


def test_demo_counts_are_conserved(demo_layers, demo):
    facts, problem = demo
    counts = desa_counts(facts.area_index, facts.coverage, len(demo_layers.areas["desa"]))
    assert problem.msme_uncovered == counts["msme_uncovered"].sum()
    kec = demo_layers.areas["kecamatan"]["kode"].tolist()
    needs = area_site_needs(problem, kec)
    assert needs["msme_uncovered"].sum() == problem.msme_uncovered
    has = needs["msme_uncovered"] > 0
    assert (needs.loc[has, "msme_new"] >= 0.8 * needs.loc[has, "msme_uncovered"]).all()
    assert (needs.loc[has, "sites_needed"] > 0).all()
    assert needs.loc[has, "msme_new_per_billion_idr"].gt(0).all()
    assert needs.loc[~has, "msme_new_per_billion_idr"].isna().all()
    everything = suggest_sites(problem, count=10_000)
    assert everything.msme_new == problem.msme_uncovered  # every uncovered MSME is reachable


def test_demo_exact_is_at_least_greedy_on_a_small_area(demo_layers, demo):
    facts, _ = demo
    uncapped = ReachParams(capacity_msme=None)
    problem = siting_problem(demo_layers, facts, area="12.25.01", reach=uncapped)
    for limit in ({"count": 3}, {"budget_idr": 12.2e9}):
        greedy = suggest_sites(problem, method="greedy", **limit)
        exact = suggest_sites(problem, method="exact", time_limit_s=300, **limit)
        assert exact.optimal
        assert exact.msme_new >= greedy.msme_new >= 0.95 * exact.msme_new
        assert exact.sites["cost_idr"].sum() <= limit.get("budget_idr", np.inf)
        assert exact.sites["kode_desa"].str.startswith("12.25.01").all()


# ---- the command ------------------------------------------------------------------------


def _app():
    app = typer.Typer()
    app.command("sites")(sites)
    app.command("other")(lambda: None)  # a second command keeps `sites` a sub-command
    return app


def test_cli_writes_sites_and_area_needs(tmp_path):
    out, per_area = tmp_path / "sites.csv", tmp_path / "kec.csv"
    args = ["sites", "--budget-idr", "20e9", "--area", "12.04", "--out", str(out)]
    res = CliRunner().invoke(_app(), [*args, "--per-area-out", str(per_area)])
    assert res.exit_code == 0, res.output
    assert "menara" in res.output
    assert "SYNTHETIC DEMO" in res.output
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"kode_desa": str})
    assert list(table.columns[:5]) == ["site_id", "lon", "lat", "kode_desa", "kode_kec"]
    assert {"msme_new", "capex_idr", "backhaul", "opex_idr_per_year"} <= set(table.columns)
    assert table["kode_desa"].str.startswith("12.04").all()
    assert table["cost_idr"].sum() <= 20e9
    assert table["data_status"].eq("synthetic demo / demo sintetis").all()
    needs = pd.read_csv(per_area, encoding="utf-8-sig", dtype={"kode": str}).rename(
        columns=bare_column
    )
    assert needs["kode"].str.startswith("12.04").all()


def test_cli_geopackage_has_sites_and_reach(tmp_path):
    out = tmp_path / "sites.gpkg"
    args = ["sites", "--count", "2", "--area", "12.04.10", "--out", str(out), "--lang", "en"]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    assert "towers" in res.output
    assert len(gpd.read_file(out, layer="sites")) == 2
    reach = gpd.read_file(out, layer="reach")
    assert reach.geom_type.eq("Polygon").all()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget-idr", "1e9", "--count", "2"], "not both"),
        (["--terrain", "steep"], "flat or hilly"),
        (["--lang", "fr"], "--lang"),
    ],
)
def test_cli_refuses_bad_options(tmp_path, args, message):
    res = CliRunner().invoke(_app(), ["sites", *args, "--out", str(tmp_path / "s.csv")])
    assert res.exit_code == 2
    assert message in res.output
    res = CliRunner().invoke(_app(), ["sites", "--out", str(tmp_path / "s.xlsx")])
    assert res.exit_code == 2


def test_geopackage_carries_the_sites_and_their_reach(small, tmp_path):
    from infra_gap.analysis.pipeline import indicator_table
    from infra_gap.outputs.geopackage import ranked_geopackage

    layers, facts = small
    plan = suggest_sites(siting_problem(layers, facts, reach=FLAT2), count=2)
    ranked = indicator_table(layers, facts, level="desa")[["kode", "nama", "msme_uncovered"]]
    path = tmp_path / "out.gpkg"
    path.write_bytes(ranked_geopackage(ranked, layers, level="desa", sites=plan.sites))
    sites = gpd.read_file(path, layer="proposed_sites")
    reach = gpd.read_file(path, layer="proposed_sites_reach")
    assert sites["site_id"].tolist() == ["S0001", "S0002"]
    assert sites["msme_new"].sum() == plan.msme_new
    assert reach.geom_type.eq("Polygon").all()
    # a 2 km disc, measured in the work CRS: pi r^2 within the polygonal approximation
    assert reach.to_crs(WORK_CRS).area.iloc[0] == pytest.approx(math.pi * 2_000**2, rel=0.01)


# ---- capacity and whole-life costs ------------------------------------------------------


def test_capacity_caps_a_site_and_a_second_site_serves_the_rest():
    """One candidate reaches 6 + 4 MSMEs; a site serves 5: two sites on the spot serve 10."""
    reach = sparse.csr_array(np.array([[1, 1, 0], [0, 0, 1]], dtype="float32"))
    w = np.array([6.0, 4.0, 3.0])
    chosen, gains = lazy_greedy(reach, w, np.ones(2), count=3, capacity=5.0)
    assert chosen.tolist() == [0, 0, 1]
    assert gains.tolist() == [5.0, 5.0, 3.0]
    one, got = lazy_greedy(reach, w, np.ones(2), count=1, capacity=5.0)
    assert (one.tolist(), got.tolist()) == ([0], [5.0])
    chosen, gains = greedy_mclp(reach, w, count=2, capacity=5.0)
    assert gains.sum() == 10.0  # not 13: the capacity binds
    assert greedy_mclp(reach, w, count=2)[1].sum() == 13.0  # without it, as before
    with pytest.raises(DataError, match="capacity"):
        lazy_greedy(reach, w, np.ones(2), count=1, capacity=0.0)


def test_capacity_in_a_plan_on_the_small_map(small):
    layers, facts = small
    capped = ReachParams(terrain="flat", capacity_msme=4.0)
    plan = suggest_sites(siting_problem(layers, facts, reach=capped, costs=SIMPLE), count=3)
    assert plan.method == "greedy"  # the capacity binds: the integer programme has none
    assert plan.sites["msme_new"].tolist() == [4, 4, 3]
    assert plan.sites["at_capacity"].tolist() == [True, True, False]


def test_demo_sites_cost_total_is_capex_plus_six_years_of_opex(tmp_path):
    out = tmp_path / "s.csv"
    res = CliRunner().invoke(
        _app(), ["sites", "--count", "5", "--opex-years", "6", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert len(table) == 5
    total = table["capex_idr"] + 6 * table["opex_idr_per_year"]
    assert table["cost_total_idr"].tolist() == total.tolist()
    assert (
        table["backhaul_cost_idr"].tolist()
        == (table["backhaul_idr"] + 6 * table["backhaul_opex_idr_per_year"]).tolist()
    )
    assert set(table["backhaul"]) <= {"fibre", "microwave", "vsat"}
    options = table[["backhaul_fibre_idr", "backhaul_microwave_idr", "backhaul_vsat_idr"]]
    assert (table["backhaul_cost_idr"] <= options.min(axis=1) + 1).all()  # the cheapest


def test_demo_budget_holds_capex_and_opex(tmp_path):
    out = tmp_path / "s.csv"
    args = ["sites", "--budget-idr", "50000000000", "--opex-years", "6", "--out", str(out)]
    res = CliRunner().invoke(_app(), args)
    assert res.exit_code == 0, res.output
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert table["cost_total_idr"].sum() <= 50e9
    assert (table["cost_total_idr"] == table["capex_idr"] + 6 * table["opex_idr_per_year"]).all()
    assert 8 <= len(table) <= 13  # about Rp 4 bn a site over 6 years, not Rp 2.2 bn
    assert "holds capex + 6 years of opex" in res.output
