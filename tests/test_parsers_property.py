"""Property tests for the parsers the project writes itself (reliability.md §5.2)."""

import io as stdio
import zipfile

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infra_gap.analysis.tiles import quadkey_to_tile, tile_to_quadkey
from infra_gap.errors import InfraGapError, SecurityError
from infra_gap.hardening import ZipLimits, guard_zip
from infra_gap.io import parse_coordinate, read_msme_table
from infra_gap.io.coordinates import coordinate_array

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.catalogue("F2")
@FAST
@given(st.floats(-180, 180, allow_nan=False), st.integers(0, 8), st.booleans())
def test_decimal_comma_and_point_parse_the_same(value, decimals, comma):
    text = f"{value:.{decimals}f}"
    if comma:
        text = text.replace(".", ",")
    got = parse_coordinate(pd.Series([text])).iloc[0]
    assert got == pytest.approx(round(value, decimals), abs=10**-decimals)


@FAST
@given(st.text(max_size=20))
def test_any_text_parses_to_a_finite_number_or_nan(text):
    got = parse_coordinate(pd.Series([text])).iloc[0]
    assert np.isnan(got) or np.isfinite(got)


coordinate_texts = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(-1e3, 1e3).map(lambda v: f"{v:.5f}"),
    st.sampled_from(["nan", "NaN", "-nan", "inf", "-Infinity", "1e400", " 2.5", "2,5", "", "x"]),
    st.text(max_size=8),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(coordinate_texts, min_size=1, max_size=8))
def test_a_column_parses_as_each_text_alone(texts):
    # Whichever path a column takes (Arrow's cast of the whole column, the plain-decimal
    # test, the rule), each value is what the rule gives for that text alone.
    got = coordinate_array(pd.Series(texts, dtype="str"))
    alone = [parse_coordinate(pd.Series([text], dtype="str")).iloc[0] for text in texts]
    np.testing.assert_array_equal(got, np.array(alone, dtype="float64"))


@FAST
@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=12)), min_size=1, max_size=25))
def test_every_msme_row_is_kept_or_rejected(rows):
    lines = ["lat;lon"] + [
        f"{a};{b}".replace("\n", " ").replace("\r", " ").replace('"', "") for a, b in rows
    ]
    data = "\n".join(lines).encode("utf-8")
    try:
        gdf, rejected = read_msme_table(data, name="x.csv")
    except InfraGapError:  # a clear error is fine; anything else fails the test
        return
    assert len(gdf) + len(rejected) == len(rows)
    assert set(gdf["row"]).isdisjoint(set(rejected["row"]))


@pytest.mark.catalogue("G1")
@FAST
@given(st.text(alphabet="0123", min_size=1, max_size=23))
def test_quadkey_text_round_trip(qk):
    tx, ty, zoom = quadkey_to_tile(np.array([qk]))
    assert tile_to_quadkey(tx, ty, zoom).tolist() == [qk]


@pytest.mark.catalogue("D12", "F7")
@FAST
@given(st.text(alphabet="0123456789.", min_size=1, max_size=16))
def test_village_codes_stay_text(code):
    data = f"kode_desa,lat,lon\n{code},,\n".encode()
    gdf, rejected = read_msme_table(data, name="x.csv")
    assert len(gdf) + len(rejected) == 1
    if len(gdf):
        assert gdf["kode_area"].iloc[0] == code.strip()


names = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30
)


@pytest.mark.catalogue("A3", "A5")
@FAST
@given(
    st.lists(
        st.tuples(names, st.binary(max_size=200)), min_size=1, max_size=6, unique_by=lambda e: e[0]
    )
)
def test_zip_guard_never_crashes_and_refuses_unsafe_names(entries):
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in entries:
            z.writestr(name, data)
    unsafe = any(
        n.startswith(("/", "\\"))
        or "\\" in n
        or ".." in n.split("/")
        or (len(n) > 1 and n[1] == ":" and n[0].isalpha())
        or n.lower().endswith((".zip", ".gz", ".7z", ".rar", ".tar"))
        for n, _ in entries
    )
    try:
        guard_zip(buf.getvalue(), name="t.zip", limits=ZipLimits())
    except SecurityError:
        return
    assert not unsafe
