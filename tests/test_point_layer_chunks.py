"""MSME point layers (GeoPackage, zipped Shapefile, GeoJSON) are read in chunks (issue 22, item 2).

The layer is shaped like an office's: UTM 47N, BIG-style upper-case columns, 121 features
(not a multiple of the chunk of 7), with rows rejected in different chunks (no geometry,
an empty point), one placed by its desa code and one outside every desa.  Read in chunks
of 7 it gives the same frame, the same rejected rows and the same ranking as in one chunk,
and rows in = kept + rejected.
"""

from __future__ import annotations

import contextlib
import sqlite3
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from typer.testing import CliRunner

from infra_gap import io
from infra_gap.cli.main import app
from infra_gap.config import Limits
from infra_gap.errors import InfraGapError
from infra_gap.io import geojson_stream, msme_stream, vector
from infra_gap.io.point_layer import open_point_layer
from tests import office_files

N = 121
MISSING = (3, 118, 121)  # feature numbers: no geometry, no geometry, an empty point
BY_CODE = 60  # no geometry, a desa code: placed by code
OUTSIDE = 77  # 50 km east of every desa


def _layer() -> gpd.GeoDataFrame:
    x, y = office_files.msme_points()
    geoms = list(gpd.points_from_xy(x, y))
    codes = [""] * len(geoms)
    for feature in (*MISSING[:2], BY_CODE):
        geoms[feature - 1] = None
    codes[BY_CODE - 1] = office_files.desa()["KDEPUM"].iloc[4]
    geoms[OUTSIDE - 1] = shapely.Point(x[OUTSIDE - 1] + 50_000, y[OUTSIDE - 1])
    geoms.append(shapely.Point())  # feature 121: an empty point
    codes.append("")
    n = len(geoms)
    return gpd.GeoDataFrame(
        {
            "NAMA_USAHA": [f"Usaha {i + 1}" for i in range(n)],
            "KDEPUM": codes,
            "ONLINE": ["ya" if i % 3 else "tidak" for i in range(n)],
            "SEKTOR": ["dagang" if i % 2 else "jasa" for i in range(n)],
        },
        geometry=gpd.GeoSeries(geoms, crs=office_files.UTM),
    )


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layers")
    layer = _layer()
    assert len(layer) == N
    gpkg = folder / "umkm.gpkg"
    layer.to_file(gpkg, layer="UMKM_PT", engine="pyogrio")
    shp = folder / "shp"
    shp.mkdir()
    layer.to_file(shp / "umkm.shp", engine="pyogrio")
    zipped = folder / "umkm.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for part in sorted(shp.iterdir()):
            zf.write(part, f"UMKM/{part.name}")  # zipped in a folder, as offices do
    geojson = folder / "umkm.geojson"  # in UTM: a named CRS (urn:ogc:def:crs:EPSG::32647)
    layer.to_file(geojson, driver="GeoJSON", engine="pyogrio")
    desa = folder / "desa.gpkg"
    office_files.desa().to_file(desa, layer="ADMINISTRASIDESA_AR", engine="pyogrio")
    return {"gpkg": gpkg, "zip": zipped, "geojson": geojson, "desa": desa, "layer": layer}


def _no_whole_read(*args, **kwargs):
    msg = "the point layer was read whole"
    raise AssertionError(msg)


@pytest.mark.parametrize("fmt", ["gpkg", "zip", "geojson"])
def test_a_point_layer_in_chunks_of_7_equals_one_chunk(office, monkeypatch, fmt):
    monkeypatch.setattr(gpd, "read_file", _no_whole_read)
    monkeypatch.setattr(vector, "guard_geojson", _no_whole_read)  # parses the whole text
    whole, rejected = io.read_msme_points(office[fmt])
    # max_features caps layers read whole; a streamed point layer counts max_table_rows
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=7,max_features=100")
    chunked, rejected7 = io.read_msme_points(office[fmt])
    pd.testing.assert_frame_equal(whole, chunked)
    pd.testing.assert_frame_equal(rejected, rejected7)
    assert len(chunked) + len(rejected7) == N
    assert rejected7["row"].tolist() == [str(f) for f in MISSING]
    assert set(rejected7["reason"]) == {"missing coordinate"}
    assert chunked["row"].tolist() == [f for f in range(1, N + 1) if f not in MISSING]
    placed_by_code = chunked.set_index("row").loc[BY_CODE]
    assert np.isnan(placed_by_code["lat"])
    assert placed_by_code["kode_area"] == office["layer"]["KDEPUM"].iloc[BY_CODE - 1]
    assert chunked["online"].sum() == sum(1 for f in chunked["row"] if (f - 1) % 3)


def test_a_utm_layer_is_projected_to_degrees_and_back_exactly(office):
    lean, _ = io.read_msme_points(office["gpkg"])
    source = office["layer"].geometry
    rows = lean["row"].to_numpy()
    keep = rows != BY_CODE
    x, y = source.x.to_numpy()[rows[keep] - 1], source.y.to_numpy()[rows[keep] - 1]
    lon, lat = Transformer.from_crs(office_files.UTM, 4326, always_xy=True).transform(x, y)
    np.testing.assert_allclose(lean["lon"].to_numpy()[keep], lon, rtol=0, atol=1e-12)
    np.testing.assert_allclose(lean["lat"].to_numpy()[keep], lat, rtol=0, atol=1e-12)
    assert lon.min() > 97  # Sumatera Utara, not metres
    assert lon.max() < 100
    np.testing.assert_allclose(lean["x"].to_numpy()[keep], x, rtol=0, atol=1e-6)
    np.testing.assert_allclose(lean["y"].to_numpy()[keep], y, rtol=0, atol=1e-6)


def test_chunks_end_where_the_chunk_size_says(office):
    layer = open_point_layer(office["gpkg"], "umkm.gpkg", Limits(), chunk_rows=7)
    assert layer is not None
    assert layer.rows == N
    assert layer.names[-2:] == ["lat", "lon"]
    starts, sizes = zip(*((line, len(f)) for line, f in layer.chunks(["KDEPUM"])), strict=True)
    assert sizes == (7,) * 17 + (2,)
    assert starts == tuple(range(1, N + 1, 7))
    assert open_point_layer(office["gpkg"], "umkm.csv", Limits()) is None  # a table


def test_a_geojson_layer_gives_the_frame_of_the_same_geopackage_layer(office, monkeypatch):
    gpkg, gpkg_rejected = io.read_msme_points(office["gpkg"])
    monkeypatch.setattr(gpd, "read_file", _no_whole_read)
    monkeypatch.setattr(vector, "guard_geojson", _no_whole_read)
    monkeypatch.setenv("INFRA_GAP_LIMITS", "chunk_rows=7")
    monkeypatch.setattr(geojson_stream, "BLOCK_BYTES", 100)  # features cut across blocks
    geojson, geojson_rejected = io.read_msme_points(office["geojson"])
    pd.testing.assert_frame_equal(gpkg, geojson)
    pd.testing.assert_frame_equal(gpkg_rejected, geojson_rejected)


def test_workload_build_streams_the_same_rows(office, monkeypatch):
    monkeypatch.setattr(msme_stream, "read_msme_table", _no_whole_read)
    chunks = list(msme_stream.iter_msme_chunks(office["gpkg"]))
    assert sum(c.rows for c in chunks) == N
    rejected = pd.concat([c.rejected for c in chunks])
    assert rejected["row"].tolist() == [str(f) for f in MISSING]
    kept = sum(len(c.points) for c in chunks)
    assert kept + len(rejected) == N


@pytest.mark.full  # runs the CLI rank twice: make test
@pytest.mark.parametrize("fmt", ["gpkg", "geojson"])
def test_rank_of_a_point_layer_in_chunks_equals_one_chunk(office, tmp_path, monkeypatch, fmt):
    said = {}
    for label, limits in (("whole", ""), ("chunked", "chunk_rows=7")):
        monkeypatch.setenv("INFRA_GAP_LIMITS", limits)
        out = tmp_path / label
        out.mkdir()
        args = ["rank", "--level", "desa", "--areas", str(office["desa"]), "--msme"]
        args += [str(office[fmt]), "--stability", "20", "--out", str(out / "r.csv")]
        result = CliRunner().invoke(app, [*args, "--rejected", str(out / "rejected.csv")])
        assert result.exit_code == 0, result.output
        said[label] = [line for line in result.stdout.splitlines() if line.startswith("rows:")]
    for name in ("r.csv", "rejected.csv"):
        assert (tmp_path / "whole" / name).read_bytes() == (
            tmp_path / "chunked" / name
        ).read_bytes()
    assert said["whole"] == said["chunked"]
    assert f"msme read {N}, placed {N - 4}, rejected 4" in said["chunked"][0]
    rejected = pd.read_csv(tmp_path / "chunked" / "rejected.csv", dtype=str)
    assert dict(zip(rejected["row"], rejected["reason"], strict=True))[str(OUTSIDE)] == (
        "outside every area"
    )


def _sql(path: Path, *statements: str) -> None:
    with contextlib.closing(sqlite3.connect(path)) as con:
        for statement in statements:
            con.execute(statement)
        con.commit()


def _code(call) -> str:
    with pytest.raises(InfraGapError) as err:
        call()
    return f"{err.value.code}: {err.value}"


def test_views_layers_and_counts_are_refused_before_reading(office, tmp_path, monkeypatch):
    # The only layer is a recursive view (it never ends if read): refused, not run.
    view = tmp_path / "view.gpkg"
    view.write_bytes(office["gpkg"].read_bytes())
    _sql(
        view,
        "DROP TABLE rtree_UMKM_PT_geom",
        "DROP TABLE UMKM_PT",
        *(f"DELETE FROM {t}" for t in ("gpkg_contents", "gpkg_geometry_columns")),
        *(f"DELETE FROM {t}" for t in ("gpkg_extensions", "gpkg_ogr_contents")),
        "CREATE VIEW umkm_v AS WITH RECURSIVE c(fid) AS (SELECT 1 UNION ALL"
        " SELECT fid + 1 FROM c) SELECT fid, NULL AS geom FROM c",
        "INSERT INTO gpkg_contents(table_name, data_type, identifier, srs_id)"
        " VALUES ('umkm_v', 'features', 'umkm_v', 32647)",
        "INSERT INTO gpkg_geometry_columns VALUES ('umkm_v', 'geom', 'POINT', 32647, 0, 0)",
    )
    said = _code(lambda: io.read_msme_points(view))
    assert said.startswith("E_LIMIT: ")
    assert "view.gpkg: layer 'umkm_v' is an SQL view" in said
    two = tmp_path / "two.gpkg"
    two.write_bytes(office["gpkg"].read_bytes())
    office["layer"].iloc[:3].to_file(two, layer="LAIN", engine="pyogrio")
    said = _code(lambda: io.read_msme_points(two))
    assert said.startswith("E_INPUT_FILE: ")
    assert "two.gpkg: has several layers" in said
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_table_rows=100")
    said = _code(lambda: io.read_msme_points(office["gpkg"]))
    assert said.startswith("E_LIMIT: ")
    assert "umkm.gpkg: the number of features is 121" in said
    assert "max_table_rows = 100" in said
    # A layer that declares fewer features than it holds is stopped while it is read.
    lying = tmp_path / "lying.gpkg"
    lying.write_bytes(office["gpkg"].read_bytes())
    _sql(lying, "UPDATE gpkg_ogr_contents SET feature_count = 50")
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_table_rows=100,chunk_rows=7")
    said = _code(lambda: io.read_msme_points(lying))
    assert said.startswith("E_LIMIT: ")
    assert "lying.gpkg: the number of features is 105" in said
    assert "max_table_rows = 100" in said


def test_other_geometries_are_named_and_a_one_point_multipoint_is_a_point(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"NAMA": ["a", "b", "c"]},
        geometry=[
            shapely.MultiPoint([(98.1, 2.1)]),
            shapely.Point(98.2, 2.2),
            shapely.box(98, 2, 98.1, 2.1),
        ],
        crs=4326,
    )
    path = tmp_path / "mixed.gpkg"
    gdf.to_file(path, engine="pyogrio")
    said = _code(lambda: io.read_msme_points(path))
    assert said.startswith("E_SCHEMA: ")
    assert said.endswith(
        "mixed.gpkg: feature 3: a Polygon geometry; an MSME layer holds one point per business"
    )
    gdf.iloc[:2].to_file(path, engine="pyogrio")
    lean, rejected = io.read_msme_points(path)
    assert lean["lon"].tolist() == [98.1, 98.2]
    assert len(rejected) == 0
    metres = tmp_path / "metres.gpkg"
    gpd.GeoDataFrame(geometry=[shapely.Point(440_000, 380_000)], crs=4326).to_file(metres)
    assert "feature 1: (440000, 380000) is not in degrees" in _code(
        lambda: io.read_msme_points(metres)
    )
