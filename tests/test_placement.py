import numpy as np
import pytest

from infra_gap.errors import DataError
from infra_gap.placement import place_points


def test_each_point_in_exactly_one_area_lowest_code_wins(squares):
    # inside A, inside B only, in the B/C overlap, inside C only, on the A|B edge, outside
    x = np.array([5_000, 12_000, 17_000, 22_000, 10_000, 30_000])
    y = np.array([5_000, 5_000, 5_000, 5_000, 5_000, 5_000])
    assert place_points(x, y, squares).tolist() == [0, 1, 1, 2, 0, -1]


def test_point_on_outer_boundary_is_placed(squares):
    assert place_points(np.array([0.0]), np.array([0.0]), squares).tolist() == [0]


def test_unsorted_areas_are_refused(squares):
    with pytest.raises(DataError, match="sorted by `kode`"):
        place_points(np.array([1.0]), np.array([1.0]), squares.iloc[::-1])


def test_length_mismatch_is_refused(squares):
    with pytest.raises(DataError, match="differ in length"):
        place_points(np.array([1.0, 2.0]), np.array([1.0]), squares)
