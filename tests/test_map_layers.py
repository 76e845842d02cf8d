"""Every evidence layer renders offline, with its legend, escaped text and a light payload."""

import re

import geopandas as gpd
import pytest

from infra_gap.analysis.pipeline import place_and_cover
from infra_gap.maps import folium_maps as maps
from infra_gap.maps.layers import (
    add_backbone,
    add_coverage,
    add_msme_density,
    add_sites,
    add_speed_tiers,
    add_towers,
)


@pytest.fixture(scope="module")
def full_map(demo_layers):
    L = demo_layers
    facts = place_and_cover(L, covered_min=1)
    m = maps.offline_map(bounds=(97.0, -0.7, 100.5, 4.4))
    towers = L.towers.copy()
    towers.loc[towers.index[0], "operator"] = "<img src=x onerror=alert(1)>"
    legend = []
    legend += add_coverage(m, L.coverage, covered_min=1, name="Cakupan 4G")
    legend += add_towers(m, towers, name="Menara")
    legend += add_msme_density(
        m,
        L.msme["lon"].to_numpy(),
        L.msme["lat"].to_numpy(),
        ~facts.coverage.covered,
        name_all="Kepadatan UMKM",
        name_uncovered="UMKM tanpa 4G",
    )
    legend += add_speed_tiers(
        m, L.speed_tiles, name="Kecepatan", labels=["<1", "1-5", "5-20", ">20"]
    )
    legend += add_backbone(m, L.backbone, name="Backbone", pop_label="PoP")
    sites = gpd.GeoDataFrame(
        {"site_id": ["S1"], "msme_new": [1234]},
        geometry=L.towers.geometry.iloc[:1],
        crs=L.towers.crs,
    )
    legend += add_sites(m, sites, radius_m=8000, name="Usulan menara")
    maps.add_legend(m, "Lapisan & Layers", legend)
    return maps.map_html(m), legend


def test_every_layer_in_the_control_and_legend(full_map):
    page, legend = full_map
    for name in (
        "Cakupan 4G",
        "Menara",
        "Kepadatan UMKM",
        "UMKM tanpa 4G",
        "Kecepatan",
        "Backbone",
        "Usulan menara",
    ):
        assert name in page, name
    labels = [label for _, label in legend]
    for label in (
        "Cakupan 4G",
        "UMKM tanpa 4G",
        "<1",
        ">20",
        "Backbone",
        "PoP",
        "Usulan menara",
        "Telkomsel",
    ):
        assert label in labels, label
    assert page.count("data:image/png;base64") == 2
    assert page.count("L.imageOverlay") == 2  # coverage and speed tiers
    assert "L.heatLayer" in page
    assert "markerClusterGroup" in page


@pytest.mark.catalogue("H1")
def test_offline_and_escaped(full_map):
    page, _ = full_map
    srcs = re.findall(r'<script src="([^"]+)"', page) + re.findall(
        r'<link[^>]+href="([^"]+)"', page
    )
    assert srcs
    assert all(s.startswith("/app/static/vendor/") for s in srcs), srcs
    decoded = page.encode().decode("unicode_escape", errors="ignore")
    assert "<img src=x onerror" not in decoded.replace("&lt;img src=x onerror", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in decoded


@pytest.mark.catalogue("H6")
def test_payload_stays_light(full_map):
    page, _ = full_map
    assert len(page.encode()) < 3_000_000, len(page.encode())


def test_speed_tiers_and_coverage_colours(demo_layers):
    m = maps.offline_map(bounds=(97.0, -0.7, 100.5, 4.4))
    tiles = demo_layers.speed_tiles.iloc[:0]
    assert add_speed_tiers(m, tiles, name="x", labels=["a", "b", "c", "d"]) == []
    legend = add_coverage(m, demo_layers.coverage, covered_min=1, name="cov")
    assert legend == [("rgba(49,163,84,.5)", "cov")]
    overlay = next(c for c in m._children.values() if type(c).__name__ == "ImageOverlay")
    south, west = overlay.bounds[0]
    north, east = overlay.bounds[1]
    # the warped coverage image spans the province (lon 97.06-100.43, lat -0.64-4.30)
    assert west < 97.1
    assert east > 100.4
    assert south < -0.6
    assert north > 4.29


def test_prepared_layers_render_the_same_and_can_be_shown(demo_layers):
    """Overlays and heat cells made once (the app caches them) add to any number of maps."""
    from infra_gap.maps.layers import Overlay, coverage_overlay, msme_cells, speed_overlay

    L = demo_layers
    cov = coverage_overlay(L.coverage, covered_min=1)
    assert isinstance(cov, Overlay)
    assert cov.url.startswith("data:image/png;base64,")
    speed = speed_overlay(L.speed_tiles)
    assert speed is not None
    lon, lat = L.msme["lon"].to_numpy()[:5000], L.msme["lat"].to_numpy()[:5000]
    uncovered = (lon * 1000).astype(int) % 2 == 0
    cells = msme_cells(lon, lat, uncovered)
    assert sum(1 for _ in cells[1]) <= sum(1 for _ in cells[0])
    assert max(c[2] for c in cells[0]) == 1.0  # weights scaled to the densest cell
    pages = []
    for _ in range(2):  # shared read-only: the same objects serve two maps
        m = maps.offline_map(bounds=(97.0, -0.7, 100.5, 4.4))
        legend = add_coverage(m, cov, covered_min=1, name="Cakupan", show=True)
        legend += add_speed_tiers(m, speed, name="Kecepatan", labels=["a", "b", "c", "d"])
        legend += add_msme_density(
            m, None, None, None, cells=cells, name_all="Semua", name_uncovered="Tanpa 4G"
        )
        maps.add_legend(m, "Lapisan", legend)
        pages.append(maps.map_html(m))
    assert pages[0].count(cov.url) == 1
    assert pages[0].count("L.imageOverlay") == 2
    assert pages[0].count("L.heatLayer") == 2
    for label in ("Cakupan", "Kecepatan", "Tanpa 4G", "Lapisan"):
        assert label in pages[0], label
    with pytest.raises(ValueError, match="give `cells`"):
        add_msme_density(m, None, None, None, name_all="a", name_uncovered="b")


def test_show_puts_the_layer_on_the_map_at_once(demo_layers):
    m = maps.offline_map(bounds=(97.0, -0.7, 100.5, 4.4))
    add_towers(m, demo_layers.towers.iloc[:20], name="Menara", show=True)
    add_backbone(m, demo_layers.backbone, name="Backbone", pop_label="PoP", show=False)
    page = maps.map_html(m)
    cluster = re.search(r"var (fast_marker_cluster_\w+) = ", page).group(1)
    group = re.search(r"var (feature_group_\w+) = ", page).group(1)
    assert f"{cluster}.addTo(" in page
    assert f"{group}.addTo(" not in page


def test_sites_use_each_sites_reach_and_the_language(demo_layers):
    m = maps.offline_map(bounds=(97.0, -0.7, 100.5, 4.4))
    sites = gpd.GeoDataFrame(
        {"site_id": ["S0001", "S0002"], "msme_new": [4912, 7], "radius_km": [8.0, 4.8]},
        geometry=demo_layers.towers.geometry.iloc[:2].to_numpy(),
        crs=demo_layers.towers.crs,
    )
    legend = add_sites(m, sites, name="Proposed <towers>", tooltip="{site}: +{n} new", lang="en")
    page = maps.map_html(m)
    assert legend == [("#1f4e9c", "Proposed <towers>")]
    assert '"radius": 8000.0' in page
    assert '"radius": 4800.0' in page
    assert "S0001: +4,912 new" in page
    with pytest.raises(ValueError, match="radius_km"):
        add_sites(m, sites.drop(columns="radius_km"), name="x")
