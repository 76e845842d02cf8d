import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from shapely.geometry import LineString, Point, box

from infra_gap.analysis.context import area_context, area_uncovered_share, distance_km
from infra_gap.config import WORK_CRS
from infra_gap.layers import Raster


def test_zonal_share_with_partial_pixels_and_nodata():
    # 4 pixels of 1 km across x 0-4 km: covered, not, no data, covered
    r = Raster(
        np.array([[1, 0, 255, 1]], dtype="uint8"), Affine(1000, 0, 0, 0, -1000, 1000), WORK_CRS, 255
    )
    areas = gpd.GeoDataFrame(
        {"kode": ["a", "b", "c"]},
        geometry=[box(0, 0, 2000, 1000), box(500, 0, 2500, 1000), box(3000, 0, 5000, 1000)],
        crs=WORK_CRS,
    )
    share = area_uncovered_share(areas, r, covered_min=1)
    # a: half covered; b: 0.5 covered + 1 not + 0.5 no data -> 1.5/2; c: 1 covered + 1 km² outside
    assert share.tolist() == pytest.approx([0.5, 0.75, 0.5])


def test_distance_to_lines_and_points():
    areas = gpd.GeoDataFrame(
        {"kode": ["a", "b"]},
        geometry=[box(0, 0, 1000, 1000), box(5000, 0, 6000, 1000)],
        crs=WORK_CRS,
    )
    targets = np.array([LineString([(0, 3000), (1000, 3000)]), Point(6000, 1500)])
    assert distance_km(areas, targets).tolist() == pytest.approx([2.0, 0.5])
    assert np.isnan(distance_km(areas, np.array([]))).all()


def test_area_context_by_hand():
    kab = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.71", "12.78"], "jenis": ["kabupaten", "kota", "kota"]},
        geometry=[
            box(0, 0, 100_000, 100_000),
            box(100_000, 0, 110_000, 10_000),
            box(-60_000, 0, -50_000, 10_000),
        ],
        crs=WORK_CRS,
    )
    areas = gpd.GeoDataFrame(
        {"kode": ["12.01.01", "12.78.01"]},
        geometry=[box(0, 0, 10_000, 10_000), box(-60_000, 0, -50_000, 10_000)],
        crs=WORK_CRS,
    )
    stats = pd.DataFrame({"kode": ["12.01", "12.78"], "kepadatan_jiwa_per_km2": [80.0, 900.0]})
    ctx = area_context(areas, kabupaten=kab, kab_stats=stats, backbone=None)
    assert ctx["area_km2"].tolist() == pytest.approx([100.0, 100.0])
    assert ctx["island"].tolist() == [0, 1]  # 12.78 is off the largest land mass
    assert ctx["kota_km"].iloc[1] == pytest.approx(0.0)
    assert ctx["capital_km"].iloc[0] == pytest.approx(100.0)  # (5,5) km to (105,5) km
    assert ctx["pop_density_km2"].tolist() == [80.0, 900.0]
    assert "backbone_km" not in ctx


def test_zonal_share_kept_fractions_follow_values_and_threshold():
    # The pixel fractions are kept per boundary layer and grid; the values and the
    # threshold are applied on every call, and the shares equal exactextract's own sums.
    rng = np.random.default_rng(7)
    values = rng.integers(-120, -60, size=(40, 60)).astype("float64")
    values[5:9, 10:20] = -9999.0  # no data
    t = Affine(250, 0, 1000, 0, -250, 20_000)
    areas = gpd.GeoDataFrame(
        {"kode": ["a", "b", "c"]},
        geometry=[
            box(1100, 12_000, 9_300, 19_900),
            box(8_000, 10_000, 16_500, 17_000).buffer(900),
            box(14_000, 9_000, 18_000, 13_000),  # partly outside the raster
        ],
        crs=WORK_CRS,
    )
    for threshold in (-110.0, -90.0, -70.0):
        r = Raster(values, t, WORK_CRS, -9999.0)
        kept = area_uncovered_share(areas, r, covered_min=threshold)
        once = area_uncovered_share(areas, r, covered_min=threshold, keep=False)
        assert kept.tolist() == once.tolist()  # to the last bit
    other = Raster(-values, t, WORK_CRS, 9999.0)  # new values on the same grid
    assert (
        area_uncovered_share(areas, other, covered_min=100.0).tolist()
        == area_uncovered_share(areas, other, covered_min=100.0, keep=False).tolist()
    )


def test_large_rasters_keep_no_pixel_fractions(monkeypatch):
    from infra_gap.analysis import context

    values = np.zeros((10, 10))
    r = Raster(values, Affine(100, 0, 0, 0, -100, 1000), WORK_CRS, None)
    areas = gpd.GeoDataFrame({"kode": ["a"]}, geometry=[box(50, 50, 650, 950)], crs=WORK_CRS)
    context._pixel_fractions.cache_clear()
    area_uncovered_share(areas, r, covered_min=1.0)
    assert context._pixel_fractions.cache_info().currsize == 1
    context._pixel_fractions.cache_clear()
    monkeypatch.setattr(context, "KEEP_MAX_CELLS", 99)  # the raster has 100 cells
    share = area_uncovered_share(areas, r, covered_min=1.0)
    assert context._pixel_fractions.cache_info().currsize == 0
    assert share.tolist() == pytest.approx([1.0])  # nothing reaches 1: all not covered


def test_distance_ignores_missing_and_empty_targets():
    areas = gpd.GeoDataFrame({"kode": ["a"]}, geometry=[box(0, 0, 1000, 1000)], crs=WORK_CRS)
    targets = np.array([None, Point(), Point(1000, 4000)], dtype=object)
    assert distance_km(areas, targets).tolist() == pytest.approx([3.0])
    assert np.isnan(distance_km(areas, np.array([None, Point()], dtype=object))).all()


def test_zonal_shares_kept_on_disk_per_boundaries_raster_and_threshold(tmp_path):
    from infra_gap.analysis import context

    values = np.array([[1, 0, 255, 1]], dtype="uint8")
    t = Affine(1000, 0, 0, 0, -1000, 1000)
    areas = gpd.GeoDataFrame(
        {"kode": ["a", "b"]},
        geometry=[box(0, 0, 2000, 1000), box(500, 0, 2500, 1000)],
        crs=WORK_CRS,
    )
    r = Raster(values, t, WORK_CRS, 255)
    first = area_uncovered_share(areas, r, covered_min=1, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("zonal-share-*"))) == 1
    context._pixel_fractions.cache_clear()
    again = area_uncovered_share(areas, r, covered_min=1, cache_dir=tmp_path)  # from disk
    assert context._pixel_fractions.cache_info().currsize == 0
    assert again.tolist() == first.tolist() == pytest.approx([0.5, 0.75])
    # Another threshold, other pixel values or other boundaries: new entries, new shares.
    assert area_uncovered_share(areas, r, covered_min=0, cache_dir=tmp_path).tolist() == (
        pytest.approx([0.0, 0.25])
    )
    other = Raster(np.array([[1, 1, 1, 1]], dtype="uint8"), t, WORK_CRS, 255)
    assert area_uncovered_share(areas, other, covered_min=1, cache_dir=tmp_path).tolist() == [0, 0]
    moved = areas.set_geometry([box(2000, 0, 3000, 1000), box(0, 0, 1000, 1000)], crs=WORK_CRS)
    assert area_uncovered_share(moved, r, covered_min=1, cache_dir=tmp_path).tolist() == [1, 0]
    assert len(list(tmp_path.glob("zonal-share-*"))) == 4
    # A damaged entry is rebuilt with a warning, not trusted.
    for entry in tmp_path.glob("zonal-share-*/share.npy"):
        entry.write_bytes(entry.read_bytes()[:-8])
    with pytest.warns(UserWarning, match="SHA-256"):
        rebuilt = area_uncovered_share(areas, r, covered_min=1, cache_dir=tmp_path)
    assert rebuilt.tolist() == first.tolist()
