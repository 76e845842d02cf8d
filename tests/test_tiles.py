import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_gap.analysis.tiles import lonlat_to_tile, quadkey_to_tile, tile_bounds, tile_to_quadkey


def test_bing_reference_example():
    # Bing Maps Tile System docs: tile (3, 5) at level 3 is quadkey "213"
    assert tile_to_quadkey(np.array([3]), np.array([5]), 3).tolist() == ["213"]
    tx, ty, zoom = quadkey_to_tile(np.array(["213"]))
    assert (tx.tolist(), ty.tolist(), zoom) == ([3], [5], 3)


@pytest.mark.catalogue("G1")
def test_leading_zero_kept_and_bounds_contain_point():
    tx, ty = lonlat_to_tile(np.array([-170.0]), np.array([80.0]), 16)
    qk = tile_to_quadkey(tx, ty, 16)[0]
    assert qk.startswith("0")
    assert len(qk) == 16
    w, s, e, n = tile_bounds(tx, ty, 16)
    assert w[0] <= -170.0 < e[0]
    assert s[0] <= 80.0 < n[0]


@pytest.mark.catalogue("G1")
def test_non_quadkey_digits_rejected():
    with pytest.raises(ValueError, match="0-3"):
        quadkey_to_tile(np.array(["0124"]))


@settings(max_examples=100, deadline=None)
@given(st.floats(-179.9, 179.9), st.floats(-80, 80), st.integers(1, 20))
def test_round_trip(lon, lat, zoom):
    tx, ty = lonlat_to_tile(np.array([lon]), np.array([lat]), zoom)
    qk = tile_to_quadkey(tx, ty, zoom)
    back = quadkey_to_tile(qk)
    assert (int(back[0][0]), int(back[1][0]), back[2]) == (int(tx[0]), int(ty[0]), zoom)
