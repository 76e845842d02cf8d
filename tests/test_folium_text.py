"""Rendered map output is never evaluated as a template a second time."""

import folium
import pytest
from branca.element import MacroElement
from folium.template import Template

from infra_gap.maps import folium_maps as maps
from infra_gap.maps.folium_text import TextMacro

PAYLOAD = "{{ 7*7 }} {{ this.__class__.__name__ }} {% if true %}yes{% endif %}"


def _map() -> folium.Map:
    return maps.offline_map(bounds=(98.0, 2.0, 99.0, 3.0), basemap=False)


@pytest.mark.catalogue("H2b")
def test_template_syntax_in_a_folium_tooltip_stays_text() -> None:
    m = _map()
    folium.CircleMarker([2.5, 98.5], tooltip=f"XX{PAYLOAD}YY").add_to(m)
    page = maps.map_html(m)
    assert f"XX{PAYLOAD}YY" in page
    assert "XX49" not in page


@pytest.mark.catalogue("H2b")
def test_template_syntax_in_a_legend_stays_text() -> None:
    m = _map()
    maps.add_legend(m, "Legend {{ 6*6 }}", [("#ff0000", PAYLOAD)])
    page = maps.map_html(m)
    assert "{{ 6*6 }}" in page
    assert "{{ 7*7 }}" in page
    assert "Legend 36" not in page


class _Plain(MacroElement):
    _template = Template(
        "{% macro script(this, kwargs) %}var {{ this.get_name() }} = {{ this.value }};"
        "{% endmacro %}"
    )

    def __init__(self, value: str) -> None:
        super().__init__()
        self._name = "Plain"
        self.value = value


class _AsText(_Plain, TextMacro):
    pass


def test_text_macro_writes_what_branca_would_for_plain_data() -> None:
    pages = []
    for cls in (_Plain, _AsText):
        m = _map()
        element = cls("[1, 2, 3]")
        element._id = "fixed"  # same variable name in both pages
        element.add_to(m)
        pages.append(maps.map_html(m))
    name = "plain_fixed"
    assert f"var {name} = [1, 2, 3];" in pages[0]
    assert f"var {name} = [1, 2, 3];" in pages[1]


def test_text_macro_keeps_braces_in_data() -> None:
    m = _map()
    _AsText(f"'{PAYLOAD}'").add_to(m)
    page = maps.map_html(m)
    assert PAYLOAD in page


def test_rendering_twice_gives_the_same_page() -> None:
    # streamlit-folium renders the map more than once per run
    m = _map()
    folium.CircleMarker([2.5, 98.5], tooltip=PAYLOAD).add_to(m)
    first = maps.map_html(m)
    assert maps.map_html(m) == first


def test_unbalanced_template_syntax_in_data_renders_as_text() -> None:
    # branca compiled each output: "{% if" in a tooltip made the whole render fail
    m = _map()
    folium.CircleMarker([2.5, 98.5], tooltip="a {% if b {{ c {# d").add_to(m)
    page = maps.map_html(m)
    assert "a {% if b {{ c {# d" in page


def test_towers_with_template_syntax_in_their_operator_render() -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    from infra_gap.maps import layers as map_layers

    towers = gpd.GeoDataFrame(
        {"operator": ["{% if x", "{{ 7*7 }}"], "radio": ["LTE", "{# y"]},
        geometry=[Point(98.4, 2.4), Point(98.6, 2.6)],
        crs="EPSG:4326",
    ).to_crs("EPSG:32647")
    m = _map()
    map_layers.add_towers(m, towers, name="Menara")
    page = maps.map_html(m)
    assert "{% if x" in page
    assert "{{ 7*7 }}" in page
