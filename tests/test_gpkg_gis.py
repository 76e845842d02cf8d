"""The GeoPackage as QGIS and ArcGIS read it, opened with sqlite3 and pyogrio (GDAL), not
with the code that wrote it: styles, descriptions, metadata, geometry types, size."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path

import pyogrio
import pytest
from typer.testing import CliRunner

from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.cli import main as cli
from infra_gap.cli.dossier import export_bytes, meta_for, select_codes
from infra_gap.layers import Layers
from infra_gap.ranking.scenario import Scenario, StabilityParams, run_scenario
from tests.test_provenance import SOURCES_TOML, own_kecamatan_files

FIVE_MB = 5 * 1024 * 1024


def _rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as con:
        return con.execute(sql).fetchall()


def _one_geometry_type_per_layer(path: Path) -> dict[str, str]:
    """Layer -> its declared geometry type, after checking every feature has that type."""
    declared = dict(_rows(path, "SELECT table_name, geometry_type_name FROM gpkg_geometry_columns"))
    for name, kind in declared.items():
        assert kind not in {"GEOMETRY", "GEOMETRYCOLLECTION"}, name
        frame = pyogrio.read_dataframe(path, layer=name)
        assert set(frame.geom_type.str.upper()) <= {kind}, name
    return declared


@pytest.fixture(scope="module")
def demo_12_14(demo_layers: Layers, tmp_path_factory) -> Path:
    scenario = Scenario(level="kecamatan", stability=StabilityParams(draws=40))
    facts = place_and_cover(demo_layers, covered_min=scenario.covered_min)
    result = run_scenario(indicator_table(demo_layers, facts, level="kecamatan"), scenario)
    codes = select_codes(result.ranked, within="12.14")
    path = tmp_path_factory.mktemp("gpkg") / "nias.gpkg"
    data = export_bytes(
        result.ranked, demo_layers, fmt=".gpkg", meta=meta_for(result), facts=facts, codes=codes
    )
    path.write_bytes(data)
    return path


def test_demo_kabupaten_export_is_small_and_clipped(demo_12_14: Path, demo_layers) -> None:
    assert demo_12_14.stat().st_size < FIVE_MB
    n_areas = _rows(demo_12_14, "SELECT count(*) FROM ranked_kecamatan")[0][0]
    assert n_areas == 35
    tiles = pyogrio.read_info(demo_12_14, layer="speed_tiles")["features"]
    assert 0 < tiles < len(demo_layers.speed_tiles) / 10  # clipped, not all 86,533
    towers = pyogrio.read_info(demo_12_14, layer="towers")["features"]
    assert 0 < towers < len(demo_layers.towers)


def test_demo_export_one_geometry_type_per_layer(demo_12_14: Path) -> None:
    kinds = _one_geometry_type_per_layer(demo_12_14)
    assert kinds["backbone_lines"] in {"LINESTRING", "MULTILINESTRING"}
    assert kinds["backbone_pops"] == "POINT"
    assert "backbone" not in kinds
    # GeoPackage 1.2 (user_version 10200): GDAL 3.6 readers warn on a 1.4 file
    assert _rows(demo_12_14, "PRAGMA user_version") == [(10200,)]


def test_ranked_layer_has_a_default_qgis_style_like_the_app(demo_12_14: Path) -> None:
    styles = dict(
        _rows(demo_12_14, "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault")
    )
    spatial = {r[0] for r in _rows(demo_12_14, "SELECT table_name FROM gpkg_geometry_columns")}
    assert spatial <= set(styles)  # a style for every spatial layer
    root = ET.fromstring(styles["ranked_kecamatan"].split("\n", 1)[1])
    renderer = root.find("renderer-v2")
    assert renderer is not None
    assert (renderer.get("type"), renderer.get("attr")) == ("graduatedSymbol", "score")
    ranges = renderer.findall("ranges/range")
    assert [(r.get("lower"), r.get("upper")) for r in ranges] == [
        ("0", "0.2"), ("0.2", "0.4"), ("0.4", "0.6"), ("0.6", "0.8"), ("0.8", "1"),
    ]  # fmt: skip
    assert ranges[0].get("label") == "Skor 0,0 \u2013 0,2"
    colours = [
        o.get("value")
        for o in renderer.findall("symbols/symbol/layer/Option/Option")
        if o.get("name") == "color"
    ]
    assert colours[0] == "255,255,178,255"  # YlOrRd, the app's lowest class
    assert colours[-1] == "189,0,38,255"
    geom = _rows(demo_12_14, "SELECT f_geometry_column FROM layer_styles LIMIT 1")[0][0]
    assert geom == "geom"


def test_descriptions_and_metadata_name_each_source_and_date(demo_12_14, demo_layers) -> None:
    described = dict(_rows(demo_12_14, "SELECT table_name, description FROM gpkg_contents"))
    assert all(described[n] for n in described), described
    assert "DEMO SINTETIS" in described["towers"]
    docs = _rows(demo_12_14, "SELECT id, mime_type, metadata FROM gpkg_metadata")
    whole = json.loads(docs[0][2])
    assert whole["synthetic"] is True
    named = {(s["layer"], s["source"], s["date"], s["licence"]) for s in whole["sources"]}
    for s in demo_layers.sources:
        assert (s.layer, s.origin, s.vintage, s.licence) in named
    refs = _rows(
        demo_12_14,
        "SELECT r.table_name, m.metadata FROM gpkg_metadata_reference r "
        "JOIN gpkg_metadata m ON m.id = r.md_file_id WHERE r.reference_scope = 'table'",
    )
    by_table = {t: json.loads(doc)["layer"] for t, doc in refs}
    assert by_table["towers"] == "towers"
    assert by_table["backbone_lines"] == by_table["backbone_pops"] == "backbone"
    assert by_table["ranked_kecamatan"] == "boundaries"
    ext = _rows(demo_12_14, "SELECT table_name FROM gpkg_extensions WHERE extension_name = "
                "'gpkg_metadata'")  # fmt: skip
    assert sorted(r[0] for r in ext) == ["gpkg_metadata", "gpkg_metadata_reference"]
    # GDAL reads the documents as the dataset's metadata.
    meta = pyogrio.read_info(demo_12_14, layer="ranked_kecamatan")
    assert meta["features"] == 35


def test_own_kecamatan_gpkg_with_sources_and_no_evidence(tmp_path: Path) -> None:
    d = own_kecamatan_files(tmp_path)
    args = ["rank", "--areas", str(d / "kec.gpkg"), "--level", "kecamatan", "--msme"]
    args += [str(d / "umkm.csv"), "--coverage", str(d / "cov.tif"), "--stability", "20"]
    args += ["--sources", str(d / "sumber.toml"), "--out", str(d / "out.gpkg")]
    args += ["--name-col", "NMKEC"]  # the kecamatan names; WADMKK is the kabupaten's
    res = CliRunner().invoke(cli.app, args)
    assert res.exit_code == 0, res.output
    out = d / "out.gpkg"
    _one_geometry_type_per_layer(out)
    docs = [json.loads(r[0]) for r in _rows(out, "SELECT metadata FROM gpkg_metadata")]
    cov = next(doc for doc in docs[1:] if doc["layer"] == "coverage")
    assert (cov["source"], cov["date"], cov["operator"]) == (
        "Peta cakupan 4G Telkomsel Kab. Uji",
        "2025-06-30",
        "Telkomsel",
    )
    areas = next(doc for doc in docs[1:] if doc["layer"] == "areas")
    assert areas["licence"] == areas["date"] == "tidak diketahui / unknown"
    assert "Peta cakupan" in SOURCES_TOML
    ranked = pyogrio.read_dataframe(out, layer="ranked_kecamatan")
    assert sorted(ranked["nama"]) == ["Barus", "Sorkam"]
    assert ranked["nama_kab"].tolist() == ["Tapanuli Tengah"] * 2  # from WADMKK
    pts = pyogrio.read_dataframe(out, layer="msme_uncovered")
    assert len(pts) == 2  # the two in the uncovered east half
    styles = {r[0] for r in _rows(out, "SELECT f_table_name FROM layer_styles")}
    assert {"ranked_kecamatan", "msme_uncovered"} <= styles


@pytest.mark.parametrize(
    ("level", "codes"),
    [("desa", ["12.01.01.2001", "12.01.01.2002"]), ("kabupaten", ["12.01", "12.02"])],
)
def test_own_desa_and_kabupaten_areas_give_a_styled_gpkg(tmp_path, level, codes) -> None:
    d = own_kecamatan_files(tmp_path)
    areas = pyogrio.read_dataframe(d / "kec.gpkg")
    areas = areas.assign(kode=codes, nama=["Satu", "Dua"]).drop(columns=["KDKEC", "NMKEC"])
    areas.to_file(d / "own.gpkg", driver="GPKG")
    args = ["rank", "--areas", str(d / "own.gpkg"), "--level", level, "--msme"]
    args += [str(d / "umkm.csv"), "--coverage", str(d / "cov.tif"), "--stability", "20"]
    res = CliRunner().invoke(cli.app, [*args, "--out", str(d / "out.gpkg")])
    assert res.exit_code == 0, res.output
    out = d / "out.gpkg"
    _one_geometry_type_per_layer(out)
    styles = {r[0] for r in _rows(out, "SELECT f_table_name FROM layer_styles")}
    assert f"ranked_{level}" in styles
    pts = pyogrio.read_dataframe(out, layer="msme_uncovered")
    assert sorted(pts[f"kode_{level}"]) == [codes[1]] * 2
