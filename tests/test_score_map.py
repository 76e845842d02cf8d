"""Outlines serialised once, coloured per rerun: escaping, errors, the shipped data."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from infra_gap.errors import DataError, SchemaError
from infra_gap.score_map import add_score_layer, area_shapes, safe_json


def test_safe_json_cannot_close_a_script_and_round_trips() -> None:
    value = {"a": "</script><script>alert(1)</script>", "b": "x & y > z", "c": "\u2028"}
    text = safe_json(value)
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == value


def test_area_shapes_keep_drawn_rows_round_and_bound() -> None:
    frame = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.02", "12.03"]},
        geometry=[box(98.0, 2.0, 98.1234567, 2.5), None, Polygon()],
        crs="EPSG:4326",
    )
    shapes = area_shapes(frame)
    assert shapes.kodes == ("12.01",)
    data = json.loads(shapes.geojson)
    assert [f["id"] for f in data["features"]] == ["12.01"]
    assert data["features"][0]["properties"] == {"kode": "12.01"}
    assert 98.12346 in [xy[0] for xy in data["features"][0]["geometry"]["coordinates"][0]]
    assert shapes.bounds == pytest.approx((98.0, 2.0, 98.12346, 2.5))
    assert shapes.nbytes == len(shapes.geojson.encode())


def test_hostile_codes_are_escaped_in_the_outlines() -> None:
    frame = gpd.GeoDataFrame(
        {"kode": ["</script><img src=x>"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326"
    )
    shapes = area_shapes(frame)
    assert "<" not in shapes.geojson
    assert json.loads(shapes.geojson)["features"][0]["id"] == "</script><img src=x>"


@pytest.mark.parametrize(
    ("frame", "error", "match"),
    [
        (gpd.GeoDataFrame({"x": [1]}, geometry=[box(0, 0, 1, 1)], crs=4326), SchemaError, "kode"),
        (
            gpd.GeoDataFrame({"kode": ["a", "a"]}, geometry=[box(0, 0, 1, 1)] * 2, crs=4326),
            SchemaError,
            "unique",
        ),
        (
            gpd.GeoDataFrame({"kode": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=32647),
            SchemaError,
            "4326",
        ),
        (gpd.GeoDataFrame({"kode": ["a"]}, geometry=[None], crs=4326), DataError, "no geometry"),
    ],
)
def test_bad_outlines_are_refused(frame: gpd.GeoDataFrame, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        area_shapes(frame)


def test_tooltip_labels_must_match_the_columns() -> None:
    shapes = area_shapes(
        gpd.GeoDataFrame({"kode": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    )
    tips = pd.DataFrame({"kode": ["a"], "t1": ["x"], "t2": ["y"]})
    with pytest.raises(SchemaError, match="2 tooltip columns"):
        add_score_layer(
            folium.Map(), shapes, fill={"a": "#fff"}, tooltips=tips, labels=["one"], layer_name="L"
        )


@pytest.mark.parametrize(("n", "weight"), [(3, 0.5), (2_000, 0.2), (6_701, 0.0)])
def test_borders_thin_out_when_there_are_many_areas(n: int, weight: float) -> None:
    shapes = area_shapes(
        gpd.GeoDataFrame({"kode": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    )
    m = folium.Map()
    fill = {f"k{i}": "#ffffff" for i in range(n - 1)} | {"a": "#000000"}
    add_score_layer(m, shapes, fill=fill, tooltips=None, labels=[], layer_name="L")
    page = m.get_root().render()
    start = page.index("_data = ") + len("_data = ")
    data, _ = json.JSONDecoder().raw_decode(page, start)
    assert data["edge_weight"] == weight
