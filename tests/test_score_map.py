"""Outlines encoded once, coloured per rerun: the encoding, escaping, errors, the shipped data."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Polygon, box

from infra_gap.errors import DataError, SchemaError
from infra_gap.maps import folium_maps as maps
from infra_gap.maps.outlines import _encode_rings
from infra_gap.maps.score_map import (
    AreaShapes,
    add_score_layer,
    area_shapes,
    decode_outlines,
    safe_json,
    scores_script,
)
from tests.leaflet_page import run_score_layer

DATA = Path(__file__).resolve().parents[1] / "data"
SCALE = 10_000


def decode_polyline(text: str) -> list[tuple[int, int]]:
    """Reference decoder of a Google encoded polyline: ``(x, y)`` grid points (lat first)."""
    values, result, shift = [], 0, 0
    for char in text:
        b = ord(char) - 63
        result |= (b & 0x1F) << shift
        shift += 5
        if b < 0x20:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            result, shift = 0, 0
    assert shift == 0, "a value is cut off"
    points, lat, lon = [], 0, 0
    for dlat, dlon in zip(values[0::2], values[1::2], strict=True):
        lat, lon = lat + dlat, lon + dlon
        points.append((lon, lat))
    return points


def rings(shapes: AreaShapes) -> dict[str, list[list[list[tuple[int, int]]]]]:
    """Code -> polygons -> rings (exterior first) of grid points, by the reference decoder."""
    data = json.loads(shapes.encoded)
    assert data["scale"] == SCALE
    return {
        k: [[decode_polyline(r) for r in polygon] for polygon in polygons]
        for k, polygons in zip(data["kodes"], data["polygons"], strict=True)
    }


def grid(ring: Any) -> list[tuple[int, int]]:
    """A ring's vertices snapped to the grid, without the closing one."""
    xy = np.rint(shapely.get_coordinates(ring) * SCALE).astype(int)
    return [(int(x), int(y)) for x, y in xy[:-1]]


def wiggly(n: int, seed: int) -> list[tuple[float, float]]:
    """A random edge from (98, 2) to (98, 3), vertices about 0.01 degree apart."""
    rng = np.random.default_rng(seed)
    ys = np.linspace(2.0, 3.0, n)
    xs = 98.0 + rng.uniform(-0.004, 0.004, n) * (np.arange(n) % (n - 1) != 0)
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]


def page_parts(page: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The score layer's data and outlines, as the page's script reads them."""
    out = []
    for part in ("data", "shapes"):
        start = re.search(rf"var score_layer_\w+_{part} = ", page)
        assert start is not None
        value, _ = json.JSONDecoder().raw_decode(page, start.end())
        out.append(value)
    return out[0], out[1]


def test_safe_json_cannot_close_a_script_and_round_trips() -> None:
    value = {"a": "</script><script>alert(1)</script>", "b": "x & y > z", "c": "\u2028"}
    text = safe_json(value)
    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert "\u2028" not in text
    assert json.loads(text) == value


def test_safe_json_opens_no_template_tag() -> None:
    value = {"a": "{{ 7*7 }}", "b": "{% if 1 %}x{% endif %}", "c": "{# c #}", "d": "\\{{{", "e": {}}
    text = safe_json(value)
    for tag in ("{{", "{%", "{#"):
        assert tag not in text
    assert json.loads(text) == value


def test_the_encoder_matches_the_google_example() -> None:
    # developers.google.com/maps/documentation/utilities/polylinealgorithm, precision 1e-5
    points = np.array([[-12020000, 3850000], [-12095000, 4070000], [-12645300, 4325200]])
    assert _encode_rings(points, np.zeros(3, dtype=np.int64), 1) == ["_p~iF~ps|U_ulLnnqC_mqNvxq`@"]


def test_area_shapes_keep_drawn_rows_snap_and_bound() -> None:
    frame = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.02", "12.03"]},
        geometry=[box(98.0, 2.0, 98.1234567, 2.5), None, Polygon()],
        crs="EPSG:4326",
    )
    shapes = area_shapes(frame)
    assert shapes.kodes == ("12.01",)
    assert rings(shapes) == {"12.01": [[grid(box(98.0, 2.0, 98.1234567, 2.5).exterior)]]}
    data = decode_outlines(shapes.encoded)
    assert [f["id"] for f in data["features"]] == ["12.01"]
    assert data["features"][0]["properties"] == {"kode": "12.01"}
    exterior = data["features"][0]["geometry"]["coordinates"][0][0]
    assert exterior[0] == exterior[-1]  # closed again
    assert 98.1235 in [xy[0] for xy in exterior]
    assert shapes.bounds == pytest.approx((98.0, 2.0, 98.1235, 2.5))
    assert shapes.nbytes == len(shapes.encoded.encode())


def test_rings_round_trip_with_shared_edges_holes_and_islands() -> None:
    edge = wiggly(101, seed=1)
    west = Polygon([(97.5, 3.0), (97.5, 2.0), *edge])
    east = Polygon([*edge, (98.5, 3.0), (98.5, 2.0)]).difference(box(98.2, 2.2, 98.3, 2.3))
    islands = MultiPolygon([box(99.0, 2.0, 99.1, 2.1), box(99.2, 2.0, 99.3, 2.1)])
    mixed = GeometryCollection([box(99.5, 2.0, 99.6, 2.1), LineString([(99.5, 2.0), (99.7, 2.1)])])
    frame = gpd.GeoDataFrame(
        {"kode": ["w", "e", "i", "m"]}, geometry=[west, east, islands, mixed], crs=4326
    )
    got = rings(area_shapes(frame))
    assert got == {
        "w": [[grid(west.exterior)]],
        "e": [[grid(east.exterior), grid(east.interiors[0])]],
        "i": [[grid(p.exterior)] for p in islands.geoms],
        "m": [[grid(mixed.geoms[0].exterior)]],
    }
    # the edge both sides share is the same points, in opposite directions
    shared = [(int(x), int(y)) for x, y in np.rint(np.array(edge) * SCALE).astype(int)]
    assert len(set(shared)) == len(shared)
    assert set(got["w"][0][0]) & set(got["e"][0][0]) == set(shared)

    def contiguous(ring: list[tuple[int, int]], chain: list[tuple[int, int]]) -> bool:
        start = ring.index(chain[0])
        return (ring[start:] + ring[:start])[: len(chain)] == chain

    assert contiguous(got["w"][0][0], shared[::-1]) or contiguous(got["w"][0][0], shared)
    assert contiguous(got["e"][0][0], shared) or contiguous(got["e"][0][0], shared[::-1])
    # the library's decoder reads the same rings, in degrees
    decoded = decode_outlines(area_shapes(frame).encoded)
    as_grid = {
        f["id"]: [
            [[(round(x * SCALE), round(y * SCALE)) for x, y in r[:-1]] for r in polygon]
            for polygon in f["geometry"]["coordinates"]
        ]
        for f in decoded["features"]
    }
    assert as_grid == got


def test_what_the_grid_cannot_show_is_left_out() -> None:
    speck = box(98.0, 2.0, 98.00001, 2.00001)  # well inside one 11 m grid cell
    with_speck = MultiPolygon([box(99.0, 2.0, 99.1, 2.1), box(99.2, 2.0, 99.20001, 2.00001)])
    pinhole = box(97.0, 2.0, 97.1, 2.1).difference(box(97.05, 2.05, 97.05001, 2.05001))
    frame = gpd.GeoDataFrame(
        {"kode": ["speck", "islands", "pinhole"]},
        geometry=[speck, with_speck, pinhole],
        crs=4326,
    )
    shapes = area_shapes(frame)
    assert shapes.kodes == ("islands", "pinhole")
    assert rings(shapes) == {
        "islands": [[grid(with_speck.geoms[0].exterior)]],
        "pinhole": [[grid(pinhole.exterior)]],
    }
    with pytest.raises(DataError, match="no geometry"):
        area_shapes(frame.iloc[:1])


def test_hostile_codes_are_escaped_in_the_outlines() -> None:
    frame = gpd.GeoDataFrame(
        {"kode": ["</script><img src=x>{{ 7*7 }}"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326"
    )
    shapes = area_shapes(frame)
    assert "<" not in shapes.encoded
    assert "{{" not in shapes.encoded
    assert json.loads(shapes.encoded)["kodes"] == ["</script><img src=x>{{ 7*7 }}"]


def test_the_page_keeps_hostile_text_inert() -> None:
    hostile = "</script><script>alert(1)</script>{{ 7*7 }}{% raw %}"
    frame = gpd.GeoDataFrame(
        {"kode": [hostile, "b"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326
    )
    shapes = area_shapes(frame)
    m = folium.Map()
    tips = pd.DataFrame({"kode": [hostile, "b"], "t": [hostile, "x"]})
    fill = {hostile: "#ffffff", "b": "#000000"}
    add_score_layer(m, shapes, fill=fill, tooltips=tips, labels=[hostile], layer_name="L")
    page = m.get_root().render()
    assert "<script>alert" not in page
    assert page.count("</script>") == page.count("<script")
    data, outlines = page_parts(page)
    assert outlines == json.loads(shapes.encoded)
    assert outlines["kodes"][0] == hostile
    escaped = "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}{% raw %}"
    assert data["labels"] == [escaped]
    assert data["tips"] == [[escaped, "x"]]  # "{{ 7*7 }}" kept as text, not evaluated


def test_colours_and_tooltips_ship_once_aligned_with_the_outlines() -> None:
    kodes = [f"12.01.{i:02d}" for i in range(40)]
    frame = gpd.GeoDataFrame(
        {"kode": kodes}, geometry=[box(i, 0, i + 1, 1) for i in range(40)], crs=4326
    )
    shapes = area_shapes(frame)
    m = folium.Map()
    tips = pd.DataFrame(
        {
            "kode": kodes[1:],  # the first has no tooltip
            "nama": [f"Desa nomor {i}" for i in range(1, 40)],  # all different
            "tier": ["Prioritas 1" if i % 2 else "Prioritas 2" for i in range(1, 40)],
            "x": [None] + ["0"] * 38,
        }
    )
    fill = {k: "#bd0026" if i % 3 else "#ffffb2" for i, k in enumerate(kodes[:-1])}
    add_score_layer(
        m, shapes, fill=fill, tooltips=tips, labels=["Nama", "Tier", "X"], layer_name="L"
    )
    data, _ = page_parts(m.get_root().render())
    assert data["palette"] == ["#bd0026", "#ffffb2"]
    assert data["fill"] == [1 if i % 3 == 0 else 0 for i in range(39)] + [-1]  # last: not drawn
    nama, tier, x = data["tips"]
    assert nama == [None] + [f"Desa nomor {i}" for i in range(1, 40)]  # a plain list
    assert tier["v"] == ["Prioritas 1", "Prioritas 2"]  # distinct texts once, then indices
    assert tier["i"] == [-1] + [0 if i % 2 else 1 for i in range(1, 40)]
    assert [x["v"][i] for i in x["i"][1:]] == [""] + ["0"] * 38
    assert x["i"][0] == -1


def test_encoded_outlines_are_a_fraction_of_geojson() -> None:
    areas = gpd.read_file(DATA / "sumut_kabkota.geojson")
    display = gpd.GeoDataFrame(
        {"kode": areas["kode"].astype("str")},
        geometry=maps.display_geometry(areas, tolerance_m=50.0),
    ).to_crs(4326)
    shapes = area_shapes(display)
    geojson = display.set_geometry(shapely.set_precision(display.geometry.values, 1e-5))
    assert shapes.nbytes < 0.3 * len(geojson.to_json(drop_id=True).encode())
    assert len(shapes.kodes) == len(areas)


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


def test_the_page_script_rebuilds_the_outlines_exactly() -> None:
    edge = wiggly(51, seed=2)
    frame = gpd.GeoDataFrame(
        {"kode": ["w", "e", "i"]},
        geometry=[
            Polygon([(97.5, 3.0), (97.5, 2.0), *edge]),
            Polygon([*edge, (98.5, 3.0), (98.5, 2.0)]).difference(box(98.2, 2.2, 98.3, 2.3)),
            MultiPolygon([box(-99.0, -2.0, -98.9, -2.1), box(99.2, 2.0, 99.3, 2.1)]),
        ],
        crs=4326,
    )
    shapes = area_shapes(frame)
    m = folium.Map()
    tips = pd.DataFrame({"kode": ["w", "e"], "nama": ["<b>W</b>", "E"]})
    fill = {"w": "#bd0026", "e": "#ffffb2"}  # "i" is not drawn
    add_score_layer(m, shapes, fill=fill, tooltips=tips, labels=["Nama"], layer_name="L")
    captured = run_score_layer(m.get_root().render())
    drawn = captured["collection"]["features"]
    assert [f["id"] for f in drawn] == ["w", "e"]
    for feature in drawn:  # each outline as drawn, against its polygon on the 1e-4 degree grid
        source = frame.geometry[frame["kode"] == feature["id"]].iloc[0]
        assert shapely.geometry.shape(feature["geometry"]).hausdorff_distance(source) < 1e-4
    assert {k: s["fillColor"] for k, s in captured["styles"].items()} == fill
    table = '<table class="infra-gap-tip"><tr><th>Nama</th><td>{}</td></tr></table>'
    assert captured["tips"] == {"w": table.format("&lt;b&gt;W&lt;/b&gt;"), "e": table.format("E")}


def test_a_tooltip_column_may_be_shown_twice() -> None:
    shapes = area_shapes(
        gpd.GeoDataFrame(
            {"kode": ["a", "b"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326
        )
    )
    tips = pd.DataFrame(
        [["a", "x", "x"], ["b", "y", "y"], ["a", "z", "z"]], columns=["kode", "t", "t"]
    )
    m = folium.Map()
    fill = {"a": "#ffffff", "b": "#000000"}
    add_score_layer(m, shapes, fill=fill, tooltips=tips, labels=["one", "two"], layer_name="L")
    data, _ = page_parts(m.get_root().render())
    assert data["tips"] == [["z", "y"], ["z", "y"]]  # the last row of a code wins


def test_scores_apart_leave_the_map_text_unchanged_when_only_the_scores_change() -> None:
    """With ``scores_to`` a weight change (other colours, tooltips and selection) gives the
    same map text, so streamlit-folium keeps the map drawn and only runs the new group."""
    from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

    frame = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.02"]}, geometry=[box(98, 3, 98.1, 3.1), box(98.1, 3, 98.2, 3.1)],
        crs="EPSG:4326",
    )  # fmt: skip
    shapes = area_shapes(frame)

    def drawn(fill: dict[str, str], tip: str, selected: list[str]) -> tuple[str, str]:
        m, scores = folium.Map(), folium.FeatureGroup(name="scores", control=False)
        tips = pd.DataFrame({"kode": ["12.01", "12.02"], "t": [tip, tip]})
        add_score_layer(m, shapes, fill=fill, tooltips=tips, labels=["Skor"], layer_name="P",
                        selected=selected, scores_to=scores)  # fmt: skip
        m.render()
        script = _get_map_string(m)
        return generate_js_hash(script, "map"), _get_feature_group_string(scores, map=m)

    one, one_scores = drawn({"12.01": "#aa0000", "12.02": "#00aa00"}, "0,512", ["12.01"])
    two, two_scores = drawn({"12.01": "#00aa00", "12.02": "#0000aa"}, "0,498", ["12.02"])
    assert one == two  # the same map: not drawn again
    assert "#aa0000" in one_scores
    assert "#aa0000" not in two_scores
    assert "0,498" in two_scores
    assert "infraGapScores" in two_scores
    # an area left out is another map (its outline is not drawn)
    three, _ = drawn({"12.01": "#aa0000"}, "0,512", [])
    assert three != one


def test_scores_script_carries_the_scores_under_the_maps_outline_key() -> None:
    """The app sends the scores in a script beside the map (scores_script): the colours,
    tooltips and selection, under the key the map's own text holds, never the outlines."""
    frame = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.02"]}, geometry=[box(98, 3, 98.1, 3.1), box(98.1, 3, 98.2, 3.1)],
        crs="EPSG:4326",
    )  # fmt: skip
    shapes = area_shapes(frame)
    m, scores = folium.Map(), folium.FeatureGroup(name="scores", control=False)
    tips = pd.DataFrame({"kode": ["12.01", "12.02"], "t": ["<b>0,5", "0,4"]})
    fill = {"12.01": "#aa0000", "12.02": "#00aa00"}
    add_score_layer(m, shapes, fill=fill, tooltips=tips, labels=["Skor"], layer_name="P",
                    selected=["12.02"], scores_to=scores)  # fmt: skip
    data, _ = page_parts(m.get_root().render())
    script = scores_script(scores)
    sent = json.loads(re.search(r"\}\)\((\{.*\})\);$", script).group(1))
    assert sent["key"] == data["key"] != ""
    assert sent["palette"] == ["#00aa00", "#aa0000"]
    assert sent["fill"] == [1, 0]
    assert sent["selected"] == ["12.02"]
    assert "&lt;b&gt;0,5" in json.dumps(sent["tips"])  # escaped: no tag reaches the page
    assert "<b>" not in script
    assert shapes.encoded[:40] not in script  # no outline travels with the scores
    with pytest.raises(ValueError, match="score sets"):
        scores_script(folium.FeatureGroup(name="empty"))


def test_the_scores_alone_are_those_the_map_would_send() -> None:
    """priority_scores (the app sends it before the map) gives the script the choropleth's
    `scores_to` gives, and says when a score is missing (the legend's no-data entry)."""
    frame = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.02", "12.03"], "score": [0.91, 0.15, np.nan],
         "tip": ["<b>satu", "dua", "tiga"]},
        geometry=[box(98, 3, 98.1, 3.1), box(98.1, 3, 98.2, 3.1), box(98.2, 3, 98.3, 3.1)],
        crs="EPSG:4326",
    )  # fmt: skip
    shapes = area_shapes(frame)
    fields = [("tip", "Nama")]
    for pick, rows in (("12.02", frame), ("", frame.iloc[:2])):
        group = folium.FeatureGroup(name="scores", control=False)
        maps.priority_choropleth(
            rows, value_col="score", tooltip_fields=fields, legend_title="Skor",
            layer_name="P", shapes=shapes, highlight_codes=[pick], scores_to=group,
        )  # fmt: skip
        script, nodata = maps.priority_scores(
            rows, value_col="score", tooltip_fields=fields, shapes=shapes, highlight_codes=[pick]
        )
        assert script == scores_script(group)
        assert nodata == (len(rows) == 3)
        assert "satu" in script
        assert "<b>" not in script  # escaped
