"""End to end on the demo, and a cross-check against an independent geopandas path."""

import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio.sample  # noqa: F401  (the independent coverage path)

from infra_gap.config import ScoringParams
from infra_gap.pipeline import indicator_table, place_and_cover, rank_level

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


def test_row_accounting(facts):
    acc = facts.account
    assert acc.read == acc.used + acc.rejected == 1_166_918
    assert len(facts.rejected) == acc.rejected


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
    assert "SYNTHETIC DEMO" in proc.stdout
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
