"""The embedded demo: exact totals, real boundaries, determinism, and the real formats."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely

from infra_gap import io
from infra_gap.config import DemoParams
from infra_gap.synthetic.demo import export_demo
from infra_gap.synthetic.province import apportion, generate_demo
from tests.conftest import DATA


def test_exact_msme_total_and_attributes(demo_layers):
    m = demo_layers.msme
    assert len(m) == 1_166_918
    assert m["umkm_id"].is_unique
    assert (m["skala"] == "menengah_besar").sum() == round(1_166_918 * 0.0112)
    assert m["online"].mean() == pytest.approx(0.15, abs=0.005)
    assert demo_layers.synthetic


def test_msme_apportioned_by_real_population(demo_layers):
    stats = demo_layers.kab_stats.set_index("kode")
    desa = demo_layers.areas["desa"]
    # each demo point was scattered inside one desa polygon of its kabupaten
    placed = gpd.sjoin(
        demo_layers.msme[["geometry"]], desa[["kode", "geometry"]], predicate="within"
    )
    per_kab = placed.groupby(placed.index)["kode"].min().str[:5].value_counts()
    expected = pd.Series(
        apportion(1_166_918, stats["penduduk_total"].to_numpy()), index=stats.index
    )
    assert per_kab.sum() == 1_166_918
    # the lowest-code rule may move an overlap point to a neighbouring kab: allow 0.5%
    np.testing.assert_allclose(per_kab.reindex(expected.index), expected, rtol=0.005)


def test_urban_kelurahan_are_denser(demo_layers):
    desa = demo_layers.areas["desa"]
    placed = gpd.sjoin(
        demo_layers.msme[["geometry", "online"]],
        desa[["kode", "jenis", "geometry"]],
        predicate="within",
    )
    per_desa = placed.groupby("kode").size().reindex(desa["kode"]).fillna(0)
    density = per_desa.to_numpy() / (desa.geometry.area.to_numpy() / 1e6)
    urban = (desa["jenis"] == "kelurahan").to_numpy()
    assert np.median(density[urban]) > 5 * np.median(density[~urban])
    online = placed.groupby("jenis")["online"].mean()
    assert online["kelurahan"] > online["desa"]


def test_layers_are_plausible(demo_layers):
    towers, cov = demo_layers.towers, demo_layers.coverage
    assert set(towers["operator"]) <= {"Telkomsel", "Indosat", "XL Axiata", "Smartfren"}
    assert cov.transform.a <= 250
    assert set(np.unique(cov.array)) == {0, 1, 255}
    tiles = demo_layers.speed_tiles
    assert tiles["quadkey"].str.len().eq(16).all()
    assert (tiles["tests"] > 0).all()
    assert {"avg_d_kbps", "avg_u_kbps", "avg_lat_ms", "tests", "devices", "tile"} <= set(
        tiles.columns
    )
    assert set(demo_layers.backbone["jenis"]) == {"backbone", "pop"}


@pytest.mark.full  # reads the province's 6,110 desa, generates twice: make test
def test_generation_is_deterministic_and_scatters_inside_polygons():
    desa = io.read_areas(DATA / "sumut_desa.geojson")
    kab = io.read_areas(DATA / "sumut_kabkota.geojson")
    prov = io.read_areas(DATA / "sumut_provinsi.geojson").geometry.iloc[0]
    stats = io.read_csv_table(DATA / "sumut_kabkota_stats.csv", dtype={"kode": "str"})
    small = desa[desa["kode_kab"].isin(["12.04", "12.71"])].reset_index(drop=True)
    sub_kab = kab[kab["kode"].isin(["12.04", "12.71"])].reset_index(drop=True)
    sub_stats = stats[stats["kode"].isin(["12.04", "12.71"])]
    params = DemoParams(msme_total=5_000, tower_count=40)
    a = generate_demo(small, sub_kab, prov, sub_stats, params=params)
    b = generate_demo(small, sub_kab, prov, sub_stats, params=params)
    pd.testing.assert_frame_equal(pd.DataFrame(a.msme), pd.DataFrame(b.msme))
    np.testing.assert_array_equal(a.coverage.array, b.coverage.array)
    inside = shapely.intersects(small.union_all(), a.msme.geometry.to_numpy())
    assert inside.all()
    assert len(a.msme) == 5_000


@pytest.mark.parametrize(("total", "weights"), [(10, [1, 1, 1]), (1_166_918, [3.3, 1.1, 0.7, 5])])
def test_apportion_exact(total, weights):
    parts = apportion(total, np.array(weights))
    assert parts.sum() == total
    assert (np.abs(parts - total * np.array(weights) / sum(weights)) < 1).all()


def test_export_writes_real_formats(demo_layers, tmp_path):
    paths = {p.name: p for p in export_demo(demo_layers, tmp_path)}
    layers = {name for name, _ in pyogrio.list_layers(paths["areas.gpkg"])}
    assert layers == {"desa", "kecamatan", "kabupaten"}
    kec = gpd.read_file(paths["areas.gpkg"], layer="kecamatan")
    assert len(kec) == 455
    msme = pd.read_csv(paths["msme.csv"], nrows=5)
    assert {"lat", "lon", "umkm_id", "online"} <= set(msme.columns)
    cells = pd.read_csv(paths["towers_opencellid.csv"])
    assert cells.columns.tolist()[:8] == [
        "radio",
        "mcc",
        "net",
        "area",
        "cell",
        "unit",
        "lon",
        "lat",
    ]
    assert (cells["mcc"] == 510).all()
    assert len(cells) == len(demo_layers.towers)
    tiles = pd.read_parquet(paths["speed_tiles.parquet"])
    assert tiles["quadkey"].map(type).eq(str).all()
    assert tiles["tile"].str.startswith("POLYGON").all()
    with rasterio.open(paths["coverage.tif"]) as src:
        assert src.crs.to_epsg() == 32647
        assert src.nodata == 255
        assert src.res[0] <= 250
    bb = gpd.read_file(paths["backbone.geojson"])
    assert bb.crs.to_epsg() == 4326
    assert set(bb.geom_type) == {"LineString", "Point"}
