"""Maps: rendered HTML links only to vendored files, escapes text, ships a small payload."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pytest
import shapely
from folium.plugins import Fullscreen, HeatMap, MarkerCluster
from shapely.geometry import Polygon, box

from infra_gap.config import WORK_CRS
from infra_gap.errors import SchemaError
from infra_gap.maps import folium_maps as maps
from infra_gap.maps.score_map import area_shapes
from tests.leaflet_page import run_score_layer

STATIC = Path(__file__).resolve().parents[1] / "infra_gap" / "app" / "static"
HOSTILE = "<img src=x onerror=alert(1)>"
BOUNDS = (98.0, 2.0, 99.0, 3.0)
TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"


@pytest.fixture
def areas() -> gpd.GeoDataFrame:
    """Three kecamatan-sized squares; the second has a hostile name, the third no score."""
    return gpd.GeoDataFrame(
        {
            "kode": ["12.01.01", "12.01.02", "12.01.03"],
            "score": [0.1, 0.9, np.nan],
            "nama": ["Barus", HOSTILE, "Sibolga & Sorkam"],
            "score_txt": ["0,10", "0,90", "-"],
            "secret": ["s1", "s2", "s3"],
        },
        geometry=[
            box(98.0, 2.0, 98.512345678, 2.5),
            box(98.512345678, 2.0, 99.0, 2.5),
            box(98.0, 2.5, 98.512345678, 3.0),
        ],
        crs="EPSG:4326",
    )


def choropleth(areas: gpd.GeoDataFrame, **kwargs: Any) -> folium.Map:
    options: dict[str, Any] = {
        "value_col": "score",
        "tooltip_fields": [("nama", "Nama"), ("score_txt", "Skor")],
        "legend_title": "Skor prioritas",
        "layer_name": "Prioritas",
    }
    return maps.priority_choropleth(areas, **(options | kwargs))


def js_text(page: str) -> str:
    """The page as the browser's JS parser sees string contents (\\u003c -> <)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), page)


def asset_urls(page: str) -> list[str]:
    scripts = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]*)\"", page)
    links = re.findall(r"<link\b[^>]*\bhref=\"([^\"]*)\"", page)
    return scripts + links


def _shipped(page: str, part: str) -> dict[str, Any]:
    start = re.search(rf"var score_layer_\w+_{part} = ", page)
    assert start is not None
    data, _ = json.JSONDecoder().raw_decode(page, start.end())
    return data  # type: ignore[no-any-return]


def geojson(page: str) -> dict[str, Any]:
    """The outlines the page's own script decodes and hands to ``L.geoJson``."""
    return run_score_layer(page)["collection"]  # type: ignore[no-any-return]


def layer_data(page: str) -> dict[str, Any]:
    """The per-area colours, tooltip texts and selection the score layer ships, by code."""
    data = _shipped(page, "data")
    kodes = _shipped(page, "shapes")["kodes"]

    def cell(column: Any, n: int) -> Any:
        if isinstance(column, list):
            return column[n]
        return None if column["i"][n] < 0 else column["v"][column["i"][n]]

    fill = {k: data["palette"][i] for k, i in zip(kodes, data["fill"], strict=True) if i >= 0}
    tips = {
        k: [cell(c, n) for c in data["tips"]]
        for n, k in enumerate(kodes)
        if data["tips"] and cell(data["tips"][0], n) is not None
    }
    return data | {"fill": fill, "tips": tips}


def styles(page: str) -> dict[str, dict[str, Any]]:
    """Feature id -> style, from the layer's own style function (run in node)."""
    return run_score_layer(page)["styles"]  # type: ignore[no-any-return]


def static_file(url: str) -> Path:
    assert url.startswith("/app/static/"), url
    return STATIC / url.removeprefix("/app/static/")


@pytest.mark.parametrize("basemap", [True, False])
def test_every_asset_is_vendored_and_exists(areas: gpd.GeoDataFrame, basemap: bool) -> None:
    page = maps.map_html(choropleth(areas, basemap=basemap))
    urls = asset_urls(page)
    assert {Path(u).name for u in urls} == {"leaflet.js", "leaflet.css"}
    for url in urls:
        assert url.startswith(f"{maps.ASSET_BASE_URL}/")
        assert static_file(url).is_file(), url


@pytest.mark.parametrize("basemap", [True, False])
def test_no_remote_url_but_the_optional_tiles(areas: gpd.GeoDataFrame, basemap: bool) -> None:
    page = js_text(maps.map_html(choropleth(areas, basemap=basemap)))
    remote = set(re.findall(r"https?://[^\s\"'<>\\]+", page))
    assert remote == ({TILES, OSM_COPYRIGHT} if basemap else set())
    assert ("L.tileLayer" in page) is basemap
    assert "d3" not in " ".join(asset_urls(page))


def test_asset_base_url_is_a_parameter(areas: gpd.GeoDataFrame) -> None:
    page = maps.map_html(choropleth(areas, asset_base_url="/sub/app/static/vendor/"))
    assert all(u.startswith("/sub/app/static/vendor/leaflet@") for u in asset_urls(page))


def test_images_referenced_by_vendored_css_exist() -> None:
    css_files = list((STATIC / "vendor").glob("*/*.css"))
    assert len(css_files) == 3
    for css in css_files:
        for ref in re.findall(r"url\(([^)#]+)\)", css.read_text()):
            assert (css.parent / ref.strip("'\"")).is_file(), (css, ref)


def test_every_vendored_file_exists_with_its_licence() -> None:
    for rel in maps._VENDORED.values():
        assert (STATIC / "vendor" / rel).is_file(), rel
        assert (STATIC / "vendor" / rel.split("/")[0] / "LICENSE").is_file(), rel


def test_plugins_we_use_are_vendored() -> None:
    m = maps.offline_map(bounds=BOUNDS)
    MarkerCluster(locations=[[2.5, 98.5], [2.6, 98.6]]).add_to(m)
    HeatMap([[2.5, 98.5, 3.0], [2.6, 98.6, 1.0]]).add_to(m)
    urls = asset_urls(maps.map_html(m))
    names = {Path(u).name for u in urls}
    assert {"leaflet.markercluster.js", "MarkerCluster.Default.css", "leaflet_heat.min.js"} <= names
    for url in urls:
        assert static_file(url).is_file(), url
    # only the instances were changed: other maps in the same process keep folium's lists
    assert MarkerCluster.default_js[0][1].startswith("https://")
    assert folium.Map.default_js[0][1].startswith("https://")


def test_unvendored_plugin_is_refused() -> None:
    m = maps.offline_map(bounds=BOUNDS)
    Fullscreen().add_to(m)
    with pytest.raises(ValueError, match=r"Fullscreen needs .* which is not vendored"):
        maps.map_html(m)


@pytest.mark.parametrize(
    "element",
    [folium.Marker([2.5, 98.5], popup="hi"), folium.Marker([2.5, 98.5], icon=folium.Icon())],
)
def test_elements_needing_jquery_or_fonts_are_refused(element: folium.Marker) -> None:
    m = maps.offline_map(bounds=BOUNDS)
    element.add_to(m)
    with pytest.raises(ValueError, match="needs jQuery or Font Awesome"):
        maps.map_html(m)


def test_offline_map_fits_bounds_and_keeps_layer_control_last(areas: gpd.GeoDataFrame) -> None:
    page = maps.map_html(choropleth(areas))
    fit = re.search(r"\.fitBounds\(\s*(\[\[.*?\]\])", page, re.DOTALL)
    assert fit is not None
    (south, west), (north, east) = json.loads(fit.group(1))
    assert (west, south, east, north) == pytest.approx(BOUNDS)
    assert page.index("L.control.layers(") > page.index("L.geoJson(")
    assert "background: #f3f2ee" in page


def test_a_filtered_map_fits_the_areas_drawn(areas: gpd.GeoDataFrame) -> None:
    shapes = area_shapes(areas[["kode", "geometry"]])
    one = areas[areas["kode"] == "12.01.02"]
    page = maps.map_html(choropleth(one, shapes=shapes))
    fit = re.search(r"\.fitBounds\(\s*(\[\[.*?\]\])", page, re.DOTALL)
    assert fit is not None
    (south, west), (north, east) = json.loads(fit.group(1))
    assert (west, south, east, north) == pytest.approx((98.512345678, 2.0, 99.0, 2.5))
    # every area drawn: the outlines' extent
    page = maps.map_html(choropleth(areas, shapes=shapes))
    (south, west), (north, east) = json.loads(
        re.search(r"\.fitBounds\(\s*(\[\[.*?\]\])", page, re.DOTALL).group(1)
    )
    assert (west, south, east, north) == pytest.approx(BOUNDS, abs=1e-4)


@pytest.mark.catalogue("F12", "H1", "H5")
def test_hostile_text_appears_only_escaped(areas: gpd.GeoDataFrame) -> None:
    page = maps.map_html(
        choropleth(
            areas,
            tooltip_fields=[("nama", "<b>Nama</b>")],
            legend_title="<script>alert(2)</script>",
            layer_name="<svg onload=alert(3)>",
        )
    )
    # Inside <script> folium writes JSON with < > & as \u003c \u003e \u0026; the browser
    # decodes them before Leaflet sets innerHTML, so check the decoded text too.
    for text in (page, js_text(page)):
        assert "<img src=x" not in text
        assert "<script>alert(2)" not in text
        assert "<svg onload" not in text
        assert "<b>Nama</b>" not in text
    decoded = js_text(page)
    assert "&lt;img src=x onerror=alert(1)&gt;" in decoded
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in decoded
    assert "&lt;svg onload=alert(3)&gt;" in decoded
    assert "&lt;b&gt;Nama&lt;/b&gt;" in decoded
    assert "Sibolga &amp; Sorkam" in decoded


def test_legend_is_offline_and_labelled(areas: gpd.GeoDataFrame) -> None:
    def comma(value: float) -> str:
        return f"{value:.1f}".replace(".", ",")

    m = choropleth(areas, tick_format=comma, nodata_label="Tidak ada data")
    page = js_text(maps.map_html(m))
    assert "Skor prioritas" in page
    assert "0,2\u20130,4" in page
    assert "0,8\u20131,0" in page
    assert "Tidak ada data" in page
    assert "infra-gap-legend" in page


def test_nodata_entry_only_when_a_score_is_missing(areas: gpd.GeoDataFrame) -> None:
    full = areas.assign(score=[0.1, 0.9, 0.5])
    assert "No data" not in js_text(maps.map_html(choropleth(full)))
    assert "No data" in js_text(maps.map_html(choropleth(areas)))


def test_colours_follow_the_score(areas: gpd.GeoDataFrame) -> None:
    style = styles(maps.map_html(choropleth(areas)))
    assert style["12.01.01"]["fillColor"] == "#ffffb2"  # 0.1: lowest class
    assert style["12.01.02"]["fillColor"] == "#bd0026"  # 0.9: highest class
    assert style["12.01.03"]["fillColor"] == "#cccccc"  # NaN: no data


def test_highlighted_areas_get_a_thick_outline(areas: gpd.GeoDataFrame) -> None:
    page = maps.map_html(choropleth(areas, highlight_codes=["12.01.01"]))
    style = styles(page)
    assert style["12.01.01"]["weight"] == 3
    assert style["12.01.01"]["color"] != style["12.01.02"]["color"]
    assert style["12.01.02"]["weight"] == style["12.01.03"]["weight"] < 3
    # brought to the front, so its outline lies on top of its neighbours' borders
    assert layer_data(page)["selected"] == ["12.01.01"]
    assert "layer.bringToFront()" in page


def test_no_highlight_by_default(areas: gpd.GeoDataFrame) -> None:
    style = styles(maps.map_html(choropleth(areas)))
    assert {s["weight"] for s in style.values()} == {0.5}


@pytest.mark.catalogue("D7", "H6")
def test_payload_is_small_and_rounded(areas: gpd.GeoDataFrame) -> None:
    page = maps.map_html(choropleth(areas))
    data = geojson(page)
    feature = next(f for f in data["features"] if f["id"] == "12.01.02")
    assert feature["properties"] == {"kode": "12.01.02"}  # outlines carry the code only
    shipped = layer_data(page)
    assert set(shipped["tips"]) == {"12.01.01", "12.01.02", "12.01.03"}
    assert shipped["tips"]["12.01.02"][1] == "0,90"
    assert shipped["fill"]["12.01.03"] == "#cccccc"
    assert "secret" not in page
    assert "s2" not in json.dumps(shipped)
    coords = np.array(
        [xy for f in data["features"] for xy in f["geometry"]["coordinates"][0]], dtype=float
    )
    assert np.array_equal(coords, np.round(coords, 4))
    assert 98.5123 in coords[:, 0]


def test_cached_shapes_draw_the_same_map(areas: gpd.GeoDataFrame) -> None:

    shapes = area_shapes(areas[["kode", "geometry"]])
    plain = choropleth(areas.drop(columns="geometry").assign(kode=areas["kode"]), shapes=shapes)
    assert geojson(maps.map_html(plain)) == geojson(maps.map_html(choropleth(areas)))
    assert (
        layer_data(maps.map_html(plain))["fill"]
        == layer_data(maps.map_html(choropleth(areas)))["fill"]
    )
    subset = choropleth(areas.iloc[:2].drop(columns="geometry"), shapes=shapes)
    assert set(layer_data(maps.map_html(subset))["fill"]) == {"12.01.01", "12.01.02"}


def test_rows_without_geometry_are_not_drawn(areas: gpd.GeoDataFrame) -> None:
    areas.loc[2, "geometry"] = None
    data = geojson(maps.map_html(choropleth(areas)))
    assert [f["id"] for f in data["features"]] == ["12.01.01", "12.01.02"]


def test_missing_column_is_named(areas: gpd.GeoDataFrame) -> None:
    with pytest.raises(SchemaError, match=r"missing required column\(s\) \['score_pct'\]"):
        choropleth(areas, tooltip_fields=[("score_pct", "Skor")])


def test_projected_areas_are_refused(areas: gpd.GeoDataFrame) -> None:
    with pytest.raises(SchemaError, match="must be in EPSG:4326"):
        choropleth(areas.to_crs(WORK_CRS))


def test_duplicate_codes_are_refused(areas: gpd.GeoDataFrame) -> None:
    with pytest.raises(SchemaError, match="`kode` must be unique"):
        choropleth(areas.assign(kode=["a", "a", "b"]))


def test_non_string_tooltip_column_is_refused(areas: gpd.GeoDataFrame) -> None:
    with pytest.raises(SchemaError, match="`score` must hold strings"):
        choropleth(areas, tooltip_fields=[("score", "Skor")])


def test_bad_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="`bounds` must be finite"):
        maps.offline_map(bounds=(99.0, 2.0, 98.0, 3.0))


# --- display_geometry -----------------------------------------------------------------


@pytest.fixture
def wiggly_pair() -> gpd.GeoDataFrame:
    """Two ~11 km squares in EPSG:4326 sharing a zigzag edge of 201 vertices (+-30 m)."""
    lat = np.linspace(2.0, 2.1, 201)
    lon = 98.1 + 0.00027 * np.where(np.arange(201) % 2 == 0, 1.0, -1.0)
    edge = list(zip(lon, lat, strict=True))
    left = Polygon([(98.0, 2.0), *edge, (98.0, 2.1)])
    right = Polygon([(98.2, 2.0), (98.2, 2.1), *edge[::-1]])
    return gpd.GeoDataFrame({"kode": ["A", "B"]}, geometry=[left, right], crs="EPSG:4326")


def overlap_and_gap_m2(geoms: gpd.GeoSeries, extent: Polygon) -> tuple[float, float]:
    """Area shared by the two polygons, and area of `extent` that neither covers."""
    a, b = geoms.to_crs(WORK_CRS)
    return a.intersection(b).area, extent.difference(a.union(b)).area


def extent_m(areas: gpd.GeoDataFrame) -> Polygon:
    return areas.to_crs(WORK_CRS).union_all()


def test_fixture_breaks_under_independent_simplification(wiggly_pair: gpd.GeoDataFrame) -> None:
    # Guards the test below: simplifying each polygon alone does open gaps/overlaps here.
    naive = wiggly_pair.to_crs(WORK_CRS).simplify(100.0)
    overlap, gap = overlap_and_gap_m2(naive, extent_m(wiggly_pair))
    assert overlap > 10_000
    assert gap > 10_000


@pytest.mark.catalogue("D7")
def test_display_geometry_keeps_shared_edge_shared(wiggly_pair: gpd.GeoDataFrame) -> None:
    out = maps.display_geometry(wiggly_pair, tolerance_m=100.0)
    assert out.crs == wiggly_pair.crs
    assert out.index.equals(wiggly_pair.index)
    assert out.is_valid.all()
    assert not out.is_empty.any()
    assert shapely.get_num_coordinates(out.to_numpy()).sum() < 100  # from 410
    overlap, gap = overlap_and_gap_m2(out, extent_m(wiggly_pair))
    assert overlap == pytest.approx(0.0, abs=1.0)
    assert gap == pytest.approx(0.0, abs=1.0)
    a, b = out.to_crs(WORK_CRS)
    assert a.union(b).area == pytest.approx(a.area + b.area)
    a, b = out
    assert a.boundary.intersection(b.boundary).length == pytest.approx(0.1, rel=0.01)


def test_display_geometry_in_a_projected_crs(wiggly_pair: gpd.GeoDataFrame) -> None:
    projected = wiggly_pair.to_crs(WORK_CRS)
    out = maps.display_geometry(projected, tolerance_m=100.0)
    assert out.crs == projected.crs
    assert shapely.get_num_coordinates(out.to_numpy()).sum() < 100
    assert overlap_and_gap_m2(out, extent_m(wiggly_pair)) == pytest.approx((0.0, 0.0), abs=1.0)


def test_display_geometry_repairs_overlaps_and_invalid_input() -> None:
    bowtie = Polygon([(98.3, 2.0), (98.4, 2.1), (98.4, 2.0), (98.3, 2.1)])
    areas = gpd.GeoDataFrame(
        geometry=[box(98.0, 2.0, 98.11, 2.1), box(98.1, 2.0, 98.2, 2.1), bowtie],
        crs="EPSG:4326",
    )
    assert not areas.is_valid.all()
    out = maps.display_geometry(areas)
    assert out.is_valid.all()
    assert not out.is_empty.any()
    overlap, gap = overlap_and_gap_m2(out.iloc[:2], extent_m(areas.iloc[:2]))
    assert overlap == pytest.approx(0.0, abs=1.0)  # was 0.01 deg x 0.1 deg, ~12 km2
    # Outer nodes the cleaner added are simplified away: a few m2 of 240 km2 move.
    assert gap == pytest.approx(0.0, abs=50.0)


@pytest.mark.catalogue("D4")
def test_display_geometry_passes_missing_and_empty_through() -> None:
    areas = gpd.GeoDataFrame(
        geometry=[box(98.0, 2.0, 98.1, 2.1), None, Polygon()], crs="EPSG:4326", index=[5, 6, 7]
    )
    out = maps.display_geometry(areas)
    assert list(out.index) == [5, 6, 7]
    assert out.iloc[1] is None
    assert out.iloc[2].is_empty
    assert out.iloc[0].is_valid
    assert not out.iloc[0].is_empty


def test_display_geometry_keeps_an_unrepairable_row() -> None:
    flat = Polygon([(98.0, 2.0), (98.1, 2.0), (98.2, 2.0)])  # zero area
    areas = gpd.GeoDataFrame(geometry=[box(98.0, 2.1, 98.1, 2.2), flat], crs="EPSG:4326")
    out = maps.display_geometry(areas)
    assert out.iloc[0].is_valid
    assert out.iloc[1].equals(flat)


def test_display_geometry_never_empties_a_tiny_area() -> None:
    tiny = box(98.0, 2.0, 98.00005, 2.00005)  # ~5 m square, far below the tolerance
    out = maps.display_geometry(gpd.GeoDataFrame(geometry=[tiny], crs="EPSG:4326"))
    assert out.iloc[0].is_valid
    assert not out.iloc[0].is_empty


def test_display_geometry_needs_a_crs() -> None:
    with pytest.raises(SchemaError, match="no CRS"):
        maps.display_geometry(gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1)]))
