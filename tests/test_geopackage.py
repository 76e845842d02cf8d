"""GeoPackage export, read back with pyogrio (an independent reader)."""

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

from infra_gap.config import WORK_CRS
from infra_gap.errors import DataError
from infra_gap.outputs.geopackage import ranked_geopackage, uncovered_msme
from tests.test_export import HOSTILE, MIXED, X0, Y0, toy_facts, toy_layers, toy_ranked


def _write(tmp_path, **kw):
    path = tmp_path / "out.gpkg"
    path.write_bytes(
        ranked_geopackage(kw.pop("ranked", toy_ranked()), toy_layers(), level="kecamatan", **kw)
    )
    return path


@pytest.mark.catalogue("J7")
def test_layers_crs_and_ranked_areas(tmp_path):
    path = _write(tmp_path, facts=toy_facts())
    assert pyogrio.list_layers(path).tolist() == [
        ["ranked_kecamatan", "Polygon"],
        ["msme_uncovered", "Point"],
        ["towers", "Point"],
        ["backbone_lines", "LineString"],  # one geometry type per layer: the backbone split
        ["backbone_pops", "Point"],
        ["sources", None],
        ["rejected", None],
        ["layer_styles", None],
    ]
    areas = pyogrio.read_dataframe(path, layer="ranked_kecamatan")
    assert areas.crs.to_epsg() == 4326
    assert areas["kode"].tolist() == ["12.01.02", "12.01.01"]
    assert areas["nama"].tolist() == [MIXED, HOSTILE]  # no formulas in a GeoPackage: intact
    assert areas["tier"].tolist() == [1, 3]
    assert areas["msme_uncovered_share"].tolist() == [0.8, 0.5]
    assert areas["evidence_conflict"].tolist() == [False, True]
    assert areas["reason"].tolist() == ["@SUM(A1) first", "-1 second"]
    assert (areas["data_status"] == "synthetic demo / demo sintetis").all()
    # 12.01.02 is the right-hand 10 km x 10 km square: 100 km2 back in UTM.
    assert areas.to_crs(WORK_CRS).area.round(-3).tolist() == [1e8, 1e8]
    assert areas.to_crs(WORK_CRS).geometry[0].bounds[0] == pytest.approx(X0 + 10_000, abs=0.01)


def test_uncovered_msme_points_by_hand(tmp_path):
    path = _write(tmp_path, facts=toy_facts())
    pts = pyogrio.read_dataframe(path, layer="msme_uncovered")
    assert pts["umkm_id"].tolist() == ["U2", "U3", "U4", "U5", "U6", "U8"]
    assert pts["kode_kecamatan"].tolist() == ["12.01.01"] * 2 + ["12.01.02"] * 4
    assert pts["kode_desa"].tolist()[-1] == "12.01.02.2002"
    assert pts["coverage_unknown"].tolist() == [False] * 5 + [True]
    assert pts["sektor"].tolist()[1] == "$\\frac{"
    x = pts.to_crs(WORK_CRS).geometry.x - X0
    assert x.round().tolist() == [3_000, 4_000, 11_000, 12_000, 13_000, 17_000]


@pytest.mark.catalogue("J9")
def test_sources_and_rejected_tables(tmp_path):
    path = _write(tmp_path, facts=toy_facts())
    src = pyogrio.read_dataframe(path, layer="sources", read_geometry=False)
    assert src["layer"].tolist() == ["boundaries", "msme", "towers"]
    assert src["origin"].tolist()[1] == "hand-made & <test>"
    assert src["synthetic"].tolist() == [False, True, True]
    assert src["operator"].tolist() == ["", "", ""]
    rej = pyogrio.read_dataframe(path, layer="rejected", read_geometry=False)
    assert rej.to_dict("list") == {
        "source": ["msme", "towers"],
        "row": ["11", "3"],
        "reason": ["missing coordinate", "outside"],
    }


def test_codes_restrict_areas_points_and_clip_the_evidence(tmp_path):
    path = _write(tmp_path, facts=toy_facts(), codes=["12.01.01"])
    assert pyogrio.read_dataframe(path, layer="ranked_kecamatan")["kode"].tolist() == ["12.01.01"]
    pts = pyogrio.read_dataframe(path, layer="msme_uncovered")
    assert pts["umkm_id"].tolist() == ["U2", "U3"]
    assert len(pyogrio.read_dataframe(path, layer="towers")) == 1
    # 12.01.02 (x 10-20 km): the tower at 2.5 km and the PoP at the corner are outside it,
    # the line that crosses it stays whole.
    path = _write(tmp_path, facts=toy_facts(), codes=["12.01.02"])
    names = pyogrio.list_layers(path)[:, 0].tolist()
    assert "towers" not in names  # nothing left: no empty layer of unknown geometry type
    assert "backbone_pops" not in names
    line = pyogrio.read_dataframe(path, layer="backbone_lines").to_crs(WORK_CRS)
    assert line.length.round().tolist() == [round((20_000**2 + 9_000**2) ** 0.5)]
    path = _write(tmp_path, facts=toy_facts(), codes=["12.01.02"], evidence="all")
    assert len(pyogrio.read_dataframe(path, layer="towers")) == 1
    path = _write(tmp_path, facts=toy_facts(), evidence="none")
    assert not {"towers", "backbone_lines"} & set(pyogrio.list_layers(path)[:, 0])
    with pytest.raises(DataError, match="evidence"):
        _write(tmp_path, evidence="some")


def test_without_facts_no_msme_layer_and_sites_when_given(tmp_path):
    sites = gpd.GeoDataFrame(
        {"kode": ["12.01.02"], "cost_idr": [2.2e9]},
        geometry=[Point(X0 + 12_000, Y0 + 5_000)],
        crs=WORK_CRS,
    )
    path = _write(tmp_path, sites=sites)
    names = pyogrio.list_layers(path)[:, 0].tolist()
    assert "msme_uncovered" not in names
    got = pyogrio.read_dataframe(path, layer="proposed_sites")
    assert got["cost_idr"].tolist() == [2.2e9]


def test_uncovered_msme_matches_the_indicator_counts():
    pts = uncovered_msme(toy_layers(), toy_facts(), level="kecamatan")
    counts = pts["kode_kecamatan"].value_counts().to_dict()
    ranked = toy_ranked().set_index("kode")["msme_uncovered"].to_dict()
    assert counts == ranked


def test_unknown_code_is_refused():
    ranked = toy_ranked()
    ranked.loc[0, "kode"] = "99.99.99"
    with pytest.raises(DataError, match=r"not among the kecamatan areas: \['99.99.99'\]"):
        ranked_geopackage(ranked, toy_layers(), level="kecamatan")
