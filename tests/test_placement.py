import numpy as np
import pytest

from infra_gap.analysis.placement import place_points
from infra_gap.errors import DataError


@pytest.mark.catalogue("D8", "F5")
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


def _stress_points(areas, rng):
    """Vertices, edge midpoints and points a hair off them, plus random points."""
    import shapely

    xy = shapely.get_coordinates(shapely.boundary(areas.geometry.to_numpy()))
    mid = (xy[:-1] + xy[1:]) / 2
    minx, miny, maxx, maxy = areas.total_bounds
    rand = rng.uniform([minx - 50, miny - 50], [maxx + 50, maxy + 50], (20_000, 2))
    base = np.vstack([xy, mid])
    jitter = [base + rng.choice([-1, 0, 1], base.shape) * eps for eps in (1e-9, 1e-6, 1e-3)]
    pts = np.vstack([base, *jitter, rand])
    return pts[:, 0], pts[:, 1]


@pytest.mark.catalogue("F5")
@pytest.mark.parametrize("cell_m", [1000.0, 333.3, 7.0])
def test_label_grid_agrees_with_exact_test_on_edges_and_corners(squares, cell_m):
    from infra_gap.analysis.placement import build_label_grid, place_points_indexed

    grid = build_label_grid(squares, cell_m=cell_m)
    rng = np.random.default_rng(1)
    x, y = _stress_points(squares, rng)
    # grid lines themselves, and their crossings with the squares' edges
    lines = grid.transform.c + np.arange(-1, 40) * cell_m
    gx, gy = np.meshgrid(lines, np.linspace(-10, 10_010, 41))
    x, y = np.r_[x, gx.ravel(), gy.ravel()], np.r_[y, gy.ravel(), gx.ravel()]
    assert (place_points_indexed(x, y, grid) == place_points(x, y, squares)).all()
    assert not grid.labels.flags.writeable


def test_label_grid_agrees_with_exact_test_on_demo_boundaries(demo_layers):
    from infra_gap.analysis.placement import label_grid, place_points_indexed

    desa = demo_layers.areas["desa"]
    x, y = _stress_points(desa, np.random.default_rng(2))
    grid = label_grid(desa)
    got = place_points_indexed(x, y, grid)
    assert (got == place_points(x, y, desa)).all()
    assert grid.exact.mean() < 0.1  # only cells a boundary touches get the exact test


def test_label_grid_is_kept_per_boundary_layer(squares):
    from infra_gap.analysis.placement import label_grid

    first = label_grid(squares)
    assert label_grid(squares.copy()) is first  # same content: the same grid
    assert label_grid(squares, cell_m=50.0) is not first
    moved = squares.copy()
    moved.loc[0, "geometry"] = moved.geometry.iloc[0].buffer(1.0)
    assert label_grid(moved) is not first  # an edited layer gets its own
    x, y = np.array([-0.5]), np.array([5_000.0])
    assert place_points(x, y, moved).tolist() == [0]
    from infra_gap.analysis.placement import place_points_indexed

    assert place_points_indexed(x, y, label_grid(moved)).tolist() == [0]
    assert place_points_indexed(x, y, first).tolist() == [-1]
