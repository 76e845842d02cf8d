import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from infra_gap.analysis.coverage import PointCoverage
from infra_gap.analysis.evidence import nearest_distance, tile_values_at
from infra_gap.analysis.indicators import desa_counts, finish_ratios, speed_sums
from infra_gap.analysis.tiles import lonlat_to_tile, tile_to_quadkey


def test_nearest_distance_by_hand():
    d = nearest_distance(
        np.array([0.0, 10.0]), np.array([0.0, 0.0]), np.array([3.0, 10.0]), np.array([4.0, 1.0])
    )
    assert d.tolist() == pytest.approx([5.0, 1.0])
    assert np.isnan(
        nearest_distance(np.array([0.0]), np.array([0.0]), np.array([]), np.array([]))
    ).all()


def test_nearest_distance_equals_brute_force():
    rng = np.random.default_rng(4)
    tx, ty = rng.uniform(0, 20_000, 60), rng.uniform(0, 20_000, 60)
    tx, ty = np.r_[tx, tx[:10]], np.r_[ty, ty[:10]]  # co-located towers
    x, y = rng.uniform(-2_000, 22_000, 50_000), rng.uniform(-2_000, 22_000, 50_000)
    x[:600] = np.repeat(np.arange(0, 30_000, 500.0), 10)[:600]  # on cell edges
    x[-5:] = np.nan
    got = nearest_distance(x, y, tx, ty)
    dx, dy = tx[None, :] - x[:-5, None], ty[None, :] - y[:-5, None]
    brute = np.sqrt(dx * dx + dy * dy).min(axis=1)
    np.testing.assert_array_equal(got[:-5], brute)  # the same float, not just close
    assert np.isnan(got[-5:]).all()


def test_tile_lookup_keeps_quadkey_text():
    lon, lat = np.array([98.67, 98.70, 99.5]), np.array([3.59, 3.59, 1.0])
    tx, ty = lonlat_to_tile(lon[:2], lat[:2], 16)
    tiles = gpd.GeoDataFrame(
        pd.DataFrame({"quadkey": tile_to_quadkey(tx, ty, 16), "avg_d_kbps": [800, 12_000]})
    )
    assert tiles["quadkey"].str.len().eq(16).all()
    got = tile_values_at(lon, lat, tiles, "avg_d_kbps")
    assert got[:2].tolist() == [800, 12_000]
    assert np.isnan(got[2])


def test_tile_lookup_dense_and_scattered_tiles_agree():
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(98.0, 99.0, 5_000), rng.uniform(1.0, 2.0, 5_000)
    tx, ty = lonlat_to_tile(lon, lat, 16)
    keep = rng.random(len(tx)) < 0.5
    near = pd.DataFrame(
        {"quadkey": tile_to_quadkey(tx[keep], ty[keep], 16), "avg_d_kbps": np.arange(keep.sum())}
    )
    # one tile far away makes the tiles' extent too sparse for a dense table
    far = pd.DataFrame({"quadkey": tile_to_quadkey([0], [0], 16), "avg_d_kbps": [-1]})
    dense = tile_values_at(lon, lat, near, "avg_d_kbps")
    scattered = tile_values_at(lon, lat, pd.concat([near, far], ignore_index=True), "avg_d_kbps")
    np.testing.assert_array_equal(dense, scattered)
    assert np.isnan(dense[~keep]).sum() > 0
    # a repeated tile gives its first row's value
    twice = pd.concat([near.iloc[:1].assign(avg_d_kbps=-5), near], ignore_index=True)
    first = np.flatnonzero(keep)[0]
    assert tile_values_at(lon[[first]], lat[[first]], twice, "avg_d_kbps").tolist() == [-5]


def test_evidence_counts_and_speed_means_by_hand():
    # 4 MSMEs in desa 0: covered+fast, covered+slow, covered+no tests, uncovered+slow
    idx = np.array([0, 0, 0, 0])
    cov = PointCoverage(np.array([True, True, True, False]), np.array([False] * 4))
    counts = desa_counts(idx, cov, 2, tile_down_kbps=np.array([20_000, 2_000, np.nan, 1_000]))
    row = counts.iloc[0]
    assert (row["msme_below_4g_speed"], row["msme_no_tests"], row["msme_evidence_conflict"]) == (
        2,
        1,
        2,
    )
    tiles = pd.DataFrame(
        {
            "avg_d_kbps": [10_000, 2_000],
            "avg_u_kbps": [2_000, 500],
            "avg_lat_ms": [20, 80],
            "tests": [30, 10],
            "devices": [5, 2],
        }
    )
    sums = speed_sums(tiles, np.array([0, 0]), 2)
    out = finish_ratios(pd.concat([counts, sums], axis=1))
    # test-weighted: (10000*30 + 2000*10) / 40 / 1000 = 8 Mbps
    assert out.loc[0, "speed_down_mbps"] == pytest.approx(8.0)
    assert out.loc[0, "speed_up_mbps"] == pytest.approx((2000 * 30 + 500 * 10) / 40 / 1000)
    assert out.loc[0, "speed_latency_ms"] == pytest.approx((20 * 30 + 80 * 10) / 40)
    assert out.loc[0, "speed_tests"] == 40
    assert np.isnan(out.loc[1, "speed_down_mbps"])  # no tests: missing, not 0
    assert "_speed_down_sum" not in out
