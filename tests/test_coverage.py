import numpy as np
import pytest
from pyproj import Transformer

from infra_gap.analysis.coverage import model_coverage, point_coverage, sample_raster
from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError


@pytest.mark.catalogue("C6", "C7")
def test_covered_unknown_and_outside(half_covered):
    # bottom-left covered, bottom-right 0, top-right no data, outside the raster
    x = np.array([5_000, 15_000, 15_000, 25_000])
    y = np.array([5_000, 5_000, 15_000, 5_000])
    cov = point_coverage(half_covered, x, y, xy_crs=WORK_CRS, covered_min=1)
    assert cov.covered.tolist() == [True, False, False, False]
    assert cov.unknown.tolist() == [False, False, True, True]


def test_threshold_applies_to_signal_strength(half_covered):
    x, y = np.array([5_000, 15_000]), np.array([5_000, 5_000])
    cov = point_coverage(half_covered, x, y, xy_crs=WORK_CRS, covered_min=2)
    assert cov.covered.tolist() == [False, False]


@pytest.mark.catalogue("C8")
def test_points_in_other_crs_are_reprojected(half_covered):
    lon, lat = Transformer.from_crs(WORK_CRS, "EPSG:4326", always_xy=True).transform(
        [5_000.0, 15_000.0], [5_000.0, 5_000.0]
    )
    values, inside = sample_raster(half_covered, np.array(lon), np.array(lat), xy_crs="EPSG:4326")
    assert inside.all()
    assert values.tolist() == [1.0, 0.0]


def test_model_coverage_disc_and_mask():
    from shapely.geometry import box

    r = model_coverage(
        np.array([5_000.0]),
        np.array([5_000.0]),
        np.array([2_000.0]),
        bounds=(0, 0, 10_000, 10_000),
        pixel_m=1_000,
        crs=WORK_CRS,
        mask=box(0, 0, 10_000, 8_000),
    )
    assert r.array.shape == (10, 10)
    covered = r.array == 1
    # a 2 km disc on a 1 km grid: the 4x4 pixel block around the centre (pixel centres within 2 km)
    assert covered.sum() == 12
    assert (r.array[:2] == 255).all()  # top 2 km outside the mask
    assert r.nodata == 255


def test_bad_pixel_size():
    with pytest.raises(DataError, match="pixel_m"):
        model_coverage(
            np.array([]), np.array([]), np.array([]), bounds=(0, 0, 1, 1), pixel_m=0, crs=WORK_CRS
        )
