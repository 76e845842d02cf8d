"""OpenCelliD cells grouped into tower sites, and operator names from the dated MCC/MNC table
(issue 15, item 7)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from infra_gap import io
from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.analysis.towers import SiteParams, group_sites, operator_names, prepare_towers
from tests import office_files as office
from tests.conftest import ROOT

SAMPLE = ROOT / "tests" / "data" / "opencellid_510_sumut_sample.csv"


def test_cells_of_one_network_near_the_first_cell_are_one_site():
    x = np.array([0.0, 100.0, 240.0, 0.0, 400.0])
    y = np.zeros(5)
    network = np.array(["510-10", "510-10", "510-10", "510-11", "510-10"])
    site, first = group_sites(x, y, network, distance_m=250.0)
    # cells 0-2: one Telkomsel site; cell 3 (XL, same spot): its own; cell 4 is 400 m from
    # cell 0 and 160 m from cell 2, but sites do not chain: a new site.
    assert site.tolist() == [0, 0, 0, 1, 2]
    assert first.tolist() == [True, False, False, True, True]


def test_a_cell_joins_the_first_site_in_file_order():
    x, y = np.array([0.0, 500.0, 250.0]), np.zeros(3)
    site, _ = group_sites(x, y, np.array(["a", "a", "a"]), distance_m=260.0)
    assert site.tolist() == [0, 1, 0]  # 250 m from both leaders: the earlier one


def test_operator_names_before_and_after_the_xlsmart_merger():
    mcc = pd.Series(["510", "510", "510", "510", "510"])
    net = pd.Series(["11", "9", "10", "89", "55"])
    now = operator_names(mcc, net).tolist()
    assert now == ["XLSmart", "XLSmart", "Telkomsel", "Indosat Ooredoo Hutchison", "510-55"]
    before = operator_names(mcc, net, as_of=dt.date(2025, 4, 14)).tolist()
    assert before[:3] == ["XL Axiata", "Smartfren", "Telkomsel"]
    assert operator_names(mcc, net, as_of=dt.date(2021, 6, 1)).tolist()[3] == (
        "Hutchison 3 Indonesia"
    )


def test_the_opencellid_sample_is_72_sites_of_243_cells():
    cells = io.read_opencellid(SAMPLE)
    towers, line = prepare_towers(cells, name="sample.csv")
    assert len(towers) == 243
    assert int(towers["site_first"].sum()) == 72
    assert towers["operator"].value_counts().to_dict() == {"XLSmart": 223, "Telkomsel": 20}
    assert line.startswith("sample.csv: 243 rows grouped into 72 tower sites (same network")
    assert "XLSmart, since 15 April 2025" in line
    apart, _ = prepare_towers(cells, name="s", params=SiteParams(as_of=dt.date(2025, 4, 14)))
    assert set(apart["operator"]) == {"XL Axiata", "Telkomsel"}
    # a given operator column is kept; points without `cell` are one site each
    named = cells.drop(columns=["cell"]).assign(operator="Operator Lokal")
    kept, how = prepare_towers(named, name="t")
    assert set(kept["operator"]) == {"Operator Lokal"}
    assert int(kept["site_first"].sum()) == 243
    assert "one site per row" in how


def test_tower_count_counts_sites_and_cell_count_the_rows(tmp_path):
    kec = office.kecamatan()
    west = kec.geometry.iloc[0].centroid
    far = kec.geometry.iloc[5].centroid
    pts = pd.DataFrame({"x": [west.x, west.x + 50, west.x, far.x], "y": [west.y] * 3 + [far.y]})
    import geopandas as gpd

    geo = gpd.GeoSeries(gpd.points_from_xy(pts["x"], pts["y"]), crs=office.UTM).to_crs(4326)
    cells = pd.DataFrame(
        {
            "radio": "LTE", "mcc": 510, "net": [10, 10, 11, 9], "area": 1,
            "cell": [1, 2, 3, 4], "unit": -1, "lon": geo.x.round(6), "lat": geo.y.round(6),
            "range": 1000,
        }
    )  # fmt: skip
    (tmp_path / "cells.csv").write_text(cells.to_csv(index=False))
    kec.to_file(tmp_path / "kec.gpkg", layer="kec")
    loaded = load_layers(
        InputPaths(
            areas=tmp_path / "kec.gpkg",
            msme=office.msme_csv(tmp_path / "u.csv"),
            coverage=office.coverage_tif(tmp_path / "c.tif", declare=True),
            towers=tmp_path / "cells.csv",
        )
    )
    assert any("4 rows grouped into 3 tower sites" in n for n in loaded.notes)
    facts = place_and_cover(loaded.layers, covered_min=1)
    table = indicator_table(loaded.layers, facts, level="kecamatan").set_index("kode")
    # Barus: two Telkomsel cells 50 m apart (one site) and an XL cell: 2 sites, 3 cells
    assert table.loc["12.01.01", ["tower_count", "cell_count"]].tolist() == [2, 3]
    assert table.loc["12.02.03", ["tower_count", "cell_count"]].tolist() == [1, 1]
    assert table.loc["12.01.01", "operator_count"] == 2  # Telkomsel and XLSmart
    assert int(table["cell_count"].sum()) == facts.accounts[1].used == 4


@pytest.mark.parametrize(("option", "value"), [("--operators-as-of", "15/04/2025"),
                                               ("--site-distance-m", "0")])  # fmt: skip
def test_bad_site_options_stop_with_a_coded_error(tmp_path, option, value):
    from typer.testing import CliRunner

    from infra_gap.cli.main import app

    kec = office.kecamatan()
    kec.to_file(tmp_path / "kec.gpkg", layer="kec")
    result = CliRunner().invoke(
        app,
        ["rank", "--areas", str(tmp_path / "kec.gpkg"),
         "--msme", str(office.msme_csv(tmp_path / "u.csv")), option, value,
         "--out", str(tmp_path / "o.csv")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "error [E_USAGE]" in result.output
    assert option in result.output
