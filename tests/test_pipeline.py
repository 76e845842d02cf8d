"""End to end on the demo, and a cross-check against an independent geopandas path."""

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio.sample  # noqa: F401  (the independent coverage path)

from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.config import ScoringParams
from infra_gap.ranking.levels import rank_level

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_ROWS = {"desa": 6110, "kecamatan": 455, "kabupaten": 33}


@pytest.fixture(scope="module")
def facts(demo_layers):
    return place_and_cover(demo_layers, covered_min=1)


@pytest.mark.parametrize("level", list(EXPECTED_ROWS))
def test_levels_agree_on_totals(demo_layers, facts, level):
    ranked = rank_level(demo_layers, facts, level=level, weights=ScoringParams().weights)
    assert len(ranked) == EXPECTED_ROWS[level]
    assert ranked["kode"].is_unique
    assert ranked["msme_total"].sum() == 1_166_918
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["score"].is_monotonic_decreasing


def test_threshold_change_keeps_the_placement(demo_layers, facts):
    from infra_gap.analysis.pipeline import with_coverage

    strict = with_coverage(demo_layers, facts, covered_min=2)  # binary raster: nothing covered
    assert strict.area_index is facts.area_index  # the point-to-desa assignment is reused
    assert strict.tower_km is facts.tower_km
    assert not strict.coverage.covered.any()
    assert strict.covered_min == 2
    again = with_coverage(demo_layers, strict, covered_min=1)
    assert (again.coverage.covered == facts.coverage.covered).all()
    assert (again.coverage.unknown == facts.coverage.unknown).all()


def test_row_accounting(demo_layers, facts):
    by_source = {a.source: a for a in facts.accounts}
    assert set(by_source) == {"msme", "towers", "speed_tiles"}
    assert by_source["msme"].read == 1_166_918
    assert by_source["towers"].read == len(demo_layers.towers)
    assert by_source["speed_tiles"].read == len(demo_layers.speed_tiles)
    for source, acc in by_source.items():
        assert acc.read == acc.used + acc.rejected
        listed = facts.rejected[facts.rejected["source"] == source]
        assert len(listed) == acc.rejected
        assert listed["row"].is_unique
        assert (listed["reason"] == "outside every area").all()


def test_counts_match_independent_sjoin(demo_layers, facts):
    desa = demo_layers.areas["desa"]
    msme = demo_layers.msme[["geometry"]]
    joined = gpd.sjoin(msme, desa[["kode", "geometry"]], predicate="intersects", how="left")
    first = joined.groupby(level=0)["kode"].min()  # the stated rule: lowest code wins
    # independent coverage: rasterio's own sampling from an in-memory dataset
    cov = demo_layers.coverage
    x, y = msme.geometry.x.to_numpy(), msme.geometry.y.to_numpy()
    inv = ~cov.transform
    col = np.floor(inv.a * x + inv.b * y + inv.c).astype(int)
    row = np.floor(inv.d * x + inv.e * y + inv.f).astype(int)
    value = cov.array[row, col]
    ind = indicator_table(demo_layers, facts, level="desa").set_index("kode")
    expect_total = first.value_counts().reindex(ind.index).fillna(0).astype(int)
    expect_unc = first[value != 1].value_counts().reindex(ind.index).fillna(0).astype(int)
    pd.testing.assert_series_equal(ind["msme_total"], expect_total, check_names=False)
    pd.testing.assert_series_equal(ind["msme_uncovered"], expect_unc, check_names=False)
    overlap_points = joined.index.duplicated().sum()
    assert overlap_points > 0, "the real desa overlap: some points must sit in two polygons"


@pytest.mark.parametrize("level", list(EXPECTED_ROWS))
def test_cli_rank(tmp_path, level, demo_layers):
    out = tmp_path / f"{level}.csv"
    proc = subprocess.run(
        [sys.executable, "-m", "infra_gap", "rank", "--level", level, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "read 1,166,918, placed 1,166,918, rejected 0" in proc.stdout
    assert "SYNTHETIC DEMO" in proc.stderr  # a note: stderr, apart from the results
    df = pd.read_csv(out, encoding="utf-8-sig", dtype={"kode": str})
    assert df.columns[:7].tolist() == [
        "rank",
        "kode",
        "nama",
        "score",
        "msme_total",
        "msme_uncovered",
        "msme_uncovered_share",
    ]
    # plain headers are the contract; units live in the sidecar data dictionary
    schema = json.loads(out.with_name(f"{level}.schema.json").read_text(encoding="utf-8"))
    units = {f["name"]: f.get("unit") for f in schema["fields"]}
    assert [f["name"] for f in schema["fields"]] == df.columns.tolist()
    assert units["speed_down_mbps"] == "Mbps"
    assert units["msme_tower_km"] == "km"
    assert units["island"] == "0/1"
    assert len(df) == EXPECTED_ROWS[level]
    assert df["msme_total"].sum() == 1_166_918
    assert df["kode"].str.len().eq({"desa": 13, "kecamatan": 8, "kabupaten": 5}[level]).all()
    assert (df["data_status"] == "synthetic demo / demo sintetis").all()


def test_cli_bad_level(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "infra_gap",
            "rank",
            "--level",
            "provinsi",
            "--out",
            str(tmp_path / "x.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "--level must be one of" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_indicator_table_every_level_has_every_indicator(demo_layers, facts):
    from infra_gap.registry import INDICATORS

    every_table = {
        k
        for k, v in INDICATORS.items()
        if getattr(v, "stage", "indicators") == "indicators"
        and not k.startswith("podes_")
        and "operator_coverage" not in k
        and k != "operators_covering"
    }
    # 22 + cell_count + operators_reaching, msme_no_operator(_share) (#16); the demo has no
    # Podes table and no operator coverage rasters, so no podes_* or *operator_coverage* column
    assert len(every_table) == 26
    for level in EXPECTED_ROWS:
        table = indicator_table(demo_layers, facts, level=level)
        missing = every_table - set(table.columns)
        assert not missing, (level, missing)
        assert table["cell_count"].sum() == by_source(facts)["towers"].used
        # the synthetic demo's towers are sites already (one row each)
        assert table["tower_count"].sum() == table["cell_count"].sum()
        assert (
            table["speed_tests"].sum()
            == demo_layers.speed_tiles["tests"].to_numpy()[facts.tile_index >= 0].sum()
        )
        assert set(table["operator_class"]) <= {"none", "single", "several"}
        assert table["area_uncovered_share"].between(0, 1).all()
        assert table["island"].isin([0, 1]).all()
        empty = table["msme_total"] == 0
        assert table.loc[empty, "msme_uncovered_share"].isna().all()


def by_source(facts):
    return {a.source: a for a in facts.accounts}


def test_nias_is_island_and_medan_is_capital(demo_layers, facts):
    kab = indicator_table(demo_layers, facts, level="kabupaten").set_index("kode")
    assert kab.loc["12.04", "island"] == 1  # Kabupaten Nias
    assert kab.loc["12.78", "island"] == 1  # Kota Gunungsitoli, on Nias
    assert kab.loc["12.71", "island"] == 0
    assert kab.loc["12.71", "capital_km"] < 5
    assert kab["island"].sum() == 5


@pytest.mark.catalogue("C8")
def test_coverage_matches_rasterio_sample(demo_layers, facts):
    """Independent coverage path: rasterio's own sample() on a GTiff of the raster."""
    import rasterio

    from infra_gap import io

    rng = np.random.default_rng(7)
    pick = rng.choice(len(demo_layers.msme), 20_000, replace=False)
    pts = demo_layers.msme.geometry.iloc[pick]
    with io.memory_raster(demo_layers.coverage) as ds:
        assert isinstance(ds, rasterio.io.DatasetReader)
        values = np.array([v[0] for v in ds.sample(zip(pts.x, pts.y, strict=True))])
    assert (facts.coverage.covered[pick] == (values == 1)).all()
    assert (facts.coverage.unknown[pick] == (values == 255)).all()
