"""Inputs read and used as given, or repaired, with the doubt said (reliability.md D3, D11,
E7, E8, G2, G6)."""

import io as stdio
import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Polygon, box
from typer.testing import CliRunner

from infra_gap import io
from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.analysis.pipeline import place_and_cover
from infra_gap.analysis.tiles import lonlat_to_tile, tile_bounds, tile_to_quadkey
from infra_gap.cli.main import app
from infra_gap.errors import SchemaError

# Two desa 0.3 degree (about 33 km) apart, in degrees like an office's GeoPackage.
DESA = gpd.GeoDataFrame(
    {"KODE_DESA": ["12.71.01.1001", "12.71.01.1002"], "NAMA_DESA": ["Dekat", "Jauh"]},
    geometry=[box(98.60, 3.50, 98.62, 3.52), box(98.90, 3.50, 98.92, 3.52)],
    crs="EPSG:4326",
)
NAMES = {"areas": "desa.gpkg", "msme": "umkm.csv", "towers": "bts.csv"}


def _gpkg(gdf: gpd.GeoDataFrame) -> bytes:
    buf = stdio.BytesIO()
    gdf.to_file(buf, driver="GPKG", layer="desa", engine="pyogrio")
    return buf.getvalue()


def _towers(range_m: str) -> bytes:
    head = "radio,mcc,net,area,cell,unit,lon,lat,range\n"
    return f"{head}LTE,510,10,1,1,-1,98.61,3.51,{range_m}\n".encode()


MSME = b"lat,lon\n3.5123,98.6123\n3.5123,98.9123\n"  # one in each desa


@pytest.mark.catalogue("G6")
def test_g6_an_absurd_tower_range_is_capped_and_said():
    loaded = load_layers(
        InputPaths(areas=_gpkg(DESA), msme=MSME, towers=_towers("10000000"), names=NAMES)
    )
    facts = place_and_cover(loaded.layers, covered_min=1)
    # 10,000 km taken as reach would cover the desa 33 km away too; capped at 15 km it does not
    assert facts.coverage.covered.tolist() == [True, False]
    warned = [n for n in loaded.notes if "capped at 15 km" in n]
    assert len(warned) == 1
    assert "bts.csv: 1 of 1 4G/5G towers" in warned[0]
    assert "largest 10,000 km" in warned[0]


@pytest.mark.catalogue("G6")
def test_g6_a_plausible_range_is_used_without_a_warning():
    loaded = load_layers(
        InputPaths(areas=_gpkg(DESA), msme=MSME, towers=_towers("5000"), names=NAMES)
    )
    assert not [n for n in loaded.notes if "capped" in n]
    facts = place_and_cover(loaded.layers, covered_min=1)
    assert facts.coverage.covered.tolist() == [True, False]


@pytest.mark.catalogue("E8")
def test_e8_coarse_coordinates_are_placed_and_flagged():
    msme = b"lat;lon\n3,51;98,61\n3,5;98,91\n3,512345;98,612345\n"  # decimal comma, `;`
    loaded = load_layers(InputPaths(areas=_gpkg(DESA), msme=msme, names=NAMES))
    coarse = [n for n in loaded.notes if "low precision" in n]
    assert len(coarse) == 1
    assert coarse[0].startswith("warning: umkm.csv: 2 of 3 MSME points")
    facts = place_and_cover(loaded.layers, covered_min=1)
    assert (facts.account.read, facts.account.used, facts.account.rejected) == (3, 3, 0)


def test_e8_precise_coordinates_give_no_warning():
    loaded = load_layers(InputPaths(areas=_gpkg(DESA), msme=MSME, names=NAMES))
    assert not [n for n in loaded.notes if "low precision" in n]


@pytest.mark.catalogue("E7")
def test_e7_a_ring_across_the_antimeridian_is_named_not_sized():
    across = Polygon([(179.5, 3.5), (-179.5, 3.5), (-179.5, 3.51), (179.5, 3.51)])
    areas = DESA.copy()
    areas.loc[1, "geometry"] = across
    with pytest.raises(SchemaError) as err:
        load_layers(InputPaths(areas=_gpkg(areas), msme=MSME, names=NAMES))
    assert err.value.code == "E_SCHEMA"
    text = str(err.value)
    assert text.startswith("desa.gpkg: feature 2 spans 359.0 degrees of longitude")
    assert "antimeridian" in text


def _tiles_csv(shift_second: float) -> bytes:
    """Two zoom-16 tiles over the near desa; the second's polygon shifted east by degrees."""
    tx, ty = lonlat_to_tile(np.array([98.605, 98.615]), np.array([3.505, 3.505]), 16)
    w, s, e, n = tile_bounds(tx, ty, 16)
    w[1], e[1] = w[1] + shift_second, e[1] + shift_second
    lines = ["quadkey,tile,avg_d_kbps,avg_u_kbps,avg_lat_ms,tests,devices"]
    for qk, a, b, c, d in zip(tile_to_quadkey(tx, ty, 16), w, s, e, n, strict=True):
        wkt = f"POLYGON(({a} {b}, {c} {b}, {c} {d}, {a} {d}, {a} {b}))"
        lines.append(f'{qk},"{wkt}",5000,1000,40,10,3')
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.catalogue("G2")
def test_g2_a_tile_polygon_away_from_its_quadkey_is_flagged():
    names = NAMES | {"speed_tiles": "ookla.csv"}
    shifted = load_layers(
        InputPaths(areas=_gpkg(DESA), msme=MSME, speed_tiles=_tiles_csv(0.05), names=names)
    )
    said = [n for n in shifted.notes if "quadkey mismatch" in n]
    assert said == [
        "warning: ookla.csv: 1 of 2 speed tiles have a `tile` polygon outside the tile their "
        "quadkey names (rows 3); the quadkey is used, the polygon is not (quadkey mismatch: "
        "was the file edited or shifted?)"
    ]
    same = load_layers(
        InputPaths(areas=_gpkg(DESA), msme=MSME, speed_tiles=_tiles_csv(0.0), names=names)
    )
    assert not [n for n in same.notes if "quadkey" in n]


@pytest.mark.catalogue("D3")
def test_d3_a_collection_of_a_polygon_and_a_stray_line_keeps_the_polygon(tmp_path):
    square = box(98.60, 3.50, 98.62, 3.52)
    stray = LineString([(98.62, 3.52), (98.65, 3.55)])
    areas = DESA.copy()
    areas.loc[0, "geometry"] = GeometryCollection([square, stray])
    (tmp_path / "desa.geojson").write_bytes(areas.to_json().encode())
    (tmp_path / "umkm.csv").write_bytes(MSME)
    out = tmp_path / "ranked.gpkg"
    result = CliRunner().invoke(
        app,
        ["rank", "--areas", str(tmp_path / "desa.geojson"), "--msme", str(tmp_path / "umkm.csv"),
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ranked = gpd.read_file(out, layer="ranked_desa", engine="pyogrio")
    assert sorted(ranked["kode"]) == ["12.71.01.1001", "12.71.01.1002"]  # nothing lost
    assert set(ranked.geom_type) == {"MultiPolygon"}
    kept = ranked.set_index("kode").geometry["12.71.01.1001"]
    assert kept.equals_exact(MultiPolygon([square]), tolerance=1e-7)  # the square, no line
    assert ranked.set_index("kode")["msme_total"].to_dict() == {
        "12.71.01.1001": 1,
        "12.71.01.1002": 1,
    }
    loaded = load_layers(
        InputPaths(areas=areas.to_json().encode(), msme=MSME, names=NAMES | {"areas": "d.geojson"})
    )
    action = loaded.boundary.repairs.set_index("kode")["action"]["12.71.01.1001"]
    assert action == (
        "kept the polygon part(s) of a geometry collection, dropped 1 other part(s) (LineString)"
    )
    assert loaded.layers.rejected.empty


def _shapefile_zip(tmp_path, gdf: gpd.GeoDataFrame, encoding: str, *, cpg: bool) -> bytes:
    folder = tmp_path / encoding
    folder.mkdir()
    gdf.to_file(folder / "desa.shp", engine="pyogrio", encoding=encoding)
    buf = stdio.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in sorted(folder.iterdir()):
            if cpg or f.suffix != ".cpg":
                z.write(f, f.name)
    return buf.getvalue()


NAMED = DESA.assign(NAMA_DESA=["Sé Dekat", "Pematang Ñ Jauh"])


@pytest.mark.catalogue("D11")
@pytest.mark.parametrize("cpg", [True, False], ids=["with-cpg", "no-cpg"])
@pytest.mark.parametrize("encoding", ["UTF-8", "ISO-8859-1"])
def test_d11_dbf_names_round_trip_with_or_without_cpg(tmp_path, encoding, cpg):
    data = _shapefile_zip(tmp_path, NAMED, encoding, cpg=cpg)
    areas, notes = io.read_areas_explained(data, name="desa.zip")
    assert areas["nama"].tolist() == ["Sé Dekat", "Pematang Ñ Jauh"]
    recoded = [n for n in notes if ".cpg" in n]
    if encoding == "UTF-8" and not cpg:  # GDAL read it as ISO-8859-1: decoded again, said
        assert recoded == [
            "warning: desa.zip: the DBF has no .cpg and its text is UTF-8, not ISO-8859-1 as "
            "GDAL reads it: 2 value(s) in NAMA_DESA read again as UTF-8 (e.g. 'Sé Dekat'); "
            "add a .cpg file saying UTF-8 to be sure"
        ]
    else:
        assert recoded == []


F8_WARNING = (
    "warning: msme: 1 rows give an area code that disagrees with the area their "
    "coordinates fall in (row 3: code 1271011001, point in 12.71.01.1002); counted where "
    "the coordinates say (code_point_conflict)"
)


def _f8_files(tmp_path):
    (tmp_path / "desa.gpkg").write_bytes(_gpkg(DESA))
    (tmp_path / "umkm.csv").write_text(
        "NAMA;KODE_DESA;LINTANG;BUJUR\n"
        "Toko A;12.71.01.1001;3,5123;98,6123\n"  # agrees
        "Toko B;1271011001;3,5123;98,9123\n"  # says Dekat, lies in Jauh (digits only)
        "Toko C;12.71.01;3,5124;98,9124\n"  # a kecamatan code: agrees
        "Toko D;12.71.01.1002;;\n"  # no point: placed by its code
        "Toko E;;3,5125;98,9125\n",  # no code
        encoding="utf-8",
    )
    return ["--areas", str(tmp_path / "desa.gpkg"), "--msme", str(tmp_path / "umkm.csv"),
            "--level", "desa"]  # fmt: skip


@pytest.mark.catalogue("F8")
def test_f8_code_and_point_disagree_the_point_decides_and_the_cli_says_so(tmp_path):
    args = _f8_files(tmp_path)
    out = tmp_path / "ranked.csv"
    result = CliRunner().invoke(app, ["rank", *args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert F8_WARNING in result.output
    ranked = pd.read_csv(out, dtype={"kode": str}).set_index("kode")
    assert ranked["msme_total"].to_dict() == {"12.71.01.1001": 1, "12.71.01.1002": 4}


@pytest.mark.catalogue("F8")
def test_f8_the_national_build_lists_the_same_conflicts(tmp_path):
    args = _f8_files(tmp_path)
    wl = tmp_path / "wl"
    result = CliRunner().invoke(app, ["workload", "build", *args, "--out", str(wl)])
    assert result.exit_code == 0, result.output
    assert F8_WARNING in result.output
    listed = pd.read_parquet(wl / "code_conflicts.parquet")
    assert listed.to_dict("records") == [
        {"row": "3", "kode_given": "1271011001", "kode_area": "12.71.01.1002"}
    ]
    assert io.read_json(wl / "manifest.json")["code_conflicts"] == 1
