"""Map: place names from the boundaries, one legend box, canvas for many areas (#19 item 3)."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
from shapely.geometry import box

from infra_gap.maps import folium_maps as maps
from infra_gap.maps import labels as map_labels

HOSTILE = "<img src=x onerror=alert(1)>"


def _areas(n: int, *, utm: bool = False) -> gpd.GeoDataFrame:
    """`n` kecamatan-sized squares in a row (in UTM 47N when `utm`, as a BIG file)."""
    frame = gpd.GeoDataFrame(
        {
            "kode": [f"12.01.{i + 1:02d}" if n < 100 else f"12.01.01.{i + 2001}" for i in range(n)],
            "nama": ["Barus", HOSTILE, *(f"Area {i}" for i in range(2, n))][:n],
            "score": np.linspace(0, 1, n),
        },
        geometry=[box(98.0 + 0.01 * i, 2.0, 98.01 + 0.01 * i, 2.01) for i in range(n)],
        crs="EPSG:4326",
    )
    return frame.to_crs("EPSG:32647") if utm else frame


def _map(areas: gpd.GeoDataFrame):
    return maps.priority_choropleth(
        areas, value_col="score", tooltip_fields=[("nama", "Nama")], legend_title="Skor",
        layer_name="Prioritas", basemap=False,
    )  # fmt: skip


def test_label_points_lie_inside_their_area_in_degrees():
    areas = _areas(3, utm=True)
    points = map_labels.label_points(areas)
    assert points["kode"].tolist() == ["12.01.01", "12.01.02", "12.01.03"]
    inside = gpd.points_from_xy(points["lon"], points["lat"], crs="EPSG:4326").to_crs(areas.crs)
    assert all(g.contains(p) for g, p in zip(areas.geometry, inside, strict=True))


def test_labels_follow_the_zoom_and_names_are_escaped():
    areas = _areas(3)
    m = _map(areas)
    points = map_labels.label_points(areas)
    n = map_labels.add_place_labels(
        m,
        [map_labels.LabelTier(points.head(1), 0, 9), map_labels.LabelTier(points, 9, 30)],
        name="Nama wilayah",
    )
    assert n == 4
    page = maps.map_html(m)
    assert HOSTILE not in page
    tiers = json.loads(re.search(r"\}\)\((\[\{.*?\}\])\, map_", page).group(1))
    assert [(t["min"], t["max"], len(t["points"])) for t in tiers] == [(0, 9, 1), (9, 30, 3)]
    assert tiers[1]["points"][1][2] == "&lt;img src=x onerror=alert(1)&gt;"
    assert 'map.on("zoomend"' in page
    assert "declutter" in page  # overlapping labels hide
    assert "Nama wilayah" in page


def test_evidence_legend_joins_the_score_legend_in_one_box():
    m = _map(_areas(3))
    maps.add_legend(m, "Lapisan bukti", [("#6a3d9a", "Menara"), ("#000", HOSTILE)])
    page = maps.map_html(m)
    assert page.count('L.DomUtil.create("div", "infra-gap-legend")') == 1
    assert "Lapisan bukti" in page
    assert "Menara" in page
    assert HOSTILE not in page


def test_canvas_renderer_from_many_areas_only():
    assert '"preferCanvas": false' in maps.map_html(_map(_areas(3)))
    many = maps.map_html(_map(_areas(maps.CANVAS_FROM)))
    assert '"preferCanvas": true' in many
