"""A province office's own files: columns chosen by their values, the level read from the
codes, and undeclared no-data values in the coverage raster (issue 15, items 1-3)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from infra_gap import io
from infra_gap.analysis.inputs import InputPaths, load_layers
from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.codes import code_level, infer_level
from infra_gap.errors import DataError, LevelError
from infra_gap.outputs.export import bare_column
from tests import office_files as office


def _gpkg(gdf, path):
    gdf.to_file(path, driver="GPKG", layer="batas", engine="pyogrio")
    return path


# --- 1. Columns chosen by their values ------------------------------------------------------


def test_big_kecamatan_layer_gets_the_kecamatan_names_not_the_kabupaten(tmp_path):
    path = _gpkg(office.kecamatan(), tmp_path / "kec.gpkg")
    areas, notes = io.read_areas_explained(path)
    assert areas["kode"].tolist() == ["12.01.01", "12.01.02", "12.01.03", "12.02.01",
                                      "12.02.02", "12.02.03"]  # fmt: skip
    assert areas["nama"].tolist() == list(office.KEC_NAMES)
    assert "WADMKK" in areas.columns  # the kabupaten name is kept, under its own name
    line = notes[0]
    assert "code column KDKEC (6 different values in 6 polygons; shaped like area codes" in line
    assert "not KDPKAB (2 different): repeated, so a parent's code" in line
    assert "name column NMKEC (6 different names in 6 polygons" in line
    assert "not WADMKK, WADMPR: the same within each parent area" in line
    assert not [n for n in notes if n.startswith("warning:")]


def test_big_desa_layer_takes_the_desa_code_and_own_name():
    areas, notes = io.read_areas_explained(office.desa().to_json().encode(), name="desa.geojson")
    assert areas["kode"].iloc[:2].tolist() == ["12.01.01.2001", "12.01.01.2002"]
    assert areas["nama"].iloc[:2].tolist() == ["Barus Hilir", "Barus Hulu"]
    assert "code column KDEPUM" in notes[0]
    assert "name column NAMOBJ" in notes[0]
    assert "WADMKD holds the same names" in notes[0]  # equal columns: no doubt
    assert "not WADMKC, WADMKK: the same within each parent area" in notes[0]
    assert not [n for n in notes if n.startswith("warning:")]


def test_two_name_columns_that_disagree_are_warned_about():
    kec = office.kecamatan().assign(NAMOBJ=list(office.KEC_NAMES))
    kec.loc[2, "NAMOBJ"] = "Pandan Baru"
    areas, notes = io.read_areas_explained(kec.to_json().encode(), name="kec.geojson")
    assert areas["nama"].tolist()[2] == "Pandan Baru"  # NAMOBJ comes first in the order
    warnings = [n for n in notes if n.startswith("warning:")]
    assert warnings == [
        "warning: kec.geojson: name columns NAMOBJ and NMKEC both vary by area but differ in "
        "1 of 6 rows (row 3: 'Pandan Baru' vs 'Pandan'); using NAMOBJ: give --name-col to "
        "choose"
    ]


def test_same_names_in_another_case_are_not_a_conflict():
    kec = office.kecamatan().assign(NAMOBJ=[n.upper() for n in office.KEC_NAMES])
    _, notes = io.read_areas_explained(kec.to_json().encode(), name="kec.geojson")
    assert "NMKEC holds the same names" in notes[0]
    assert not [n for n in notes if n.startswith("warning:")]


def test_two_unique_code_columns_that_disagree_are_warned_about():
    kec = office.kecamatan().assign(KDCPUM=[f"12.0{i // 3 + 1}.{i % 3 + 4:02d}" for i in range(6)])
    areas, notes = io.read_areas_explained(kec.to_json().encode(), name="kec.geojson")
    assert areas["kode"].iloc[0] == "12.01.04"  # KDCPUM comes before KDKEC
    (warning,) = [n for n in notes if n.startswith("warning:")]
    assert "code columns KDCPUM and KDKEC both fit but disagree" in warning
    assert "give --id-col to choose" in warning


def test_a_unique_code_column_beats_a_repeated_one_and_codes_beat_row_numbers():
    kec = office.kecamatan().assign(id=range(1, 7))
    areas, notes = io.read_areas_explained(kec.to_json().encode(), name="kec.geojson")
    assert areas["kode"].iloc[0] == "12.01.01"  # KDKEC (codes), not id (1..6)
    assert not [n for n in notes if n.startswith("warning:")]


def test_no_code_column_with_one_value_per_polygon_is_warned_about(tmp_path):
    path = _gpkg(office.kecamatan().drop(columns=["KDKEC"]), tmp_path / "kec.gpkg")
    _, notes = io.read_areas_explained(path)
    (warning,) = [n for n in notes if n.startswith("warning:")]
    assert "no code column has one value per polygon; using KDPKAB (2 different" in warning


def test_a_unique_column_that_holds_no_codes_is_warned_about():
    # GeoJSON feature ids come back as an `id` column: unique, but not area codes.
    kec = office.kecamatan().drop(columns=["KDKEC"])
    areas, notes = io.read_areas_explained(kec.to_json().encode(), name="kec.geojson")
    assert areas["kode"].tolist()[:2] == ["0", "1"]
    (warning,) = [n for n in notes if n.startswith("warning:")]
    assert "code column id does not hold area codes like 12.01.01 or 1201010 (e.g. '0')" in warning


def test_only_parent_names_are_warned_about():
    kec = office.kecamatan().drop(columns=["NMKEC"])
    areas, notes = io.read_areas_explained(kec.to_json().encode(), name="kec.geojson")
    assert areas["nama"].iloc[0] == "KABUPATEN SATU"
    assert any("every name column is the same within each parent area" in n for n in notes)


def test_given_columns_win_and_are_said_so():
    kec = office.kecamatan()
    areas, notes = io.read_areas_explained(
        kec.to_json().encode(), name="kec.geojson", id_col="KDKEC", name_col="WADMKK"
    )
    assert areas["nama"].iloc[0] == "KABUPATEN SATU"
    assert notes[0] == "kec.geojson: code column KDKEC (given); name column WADMKK (given)"


# --- 2. The level read from the codes --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("12", "provinsi"),
        ("12.01", "kabupaten"),
        ("12.01.01", "kecamatan"),
        ("12.01.01.2001", "desa"),
        ("1201", "kabupaten"),
        ("1201010", "kecamatan"),
        ("120101", "kecamatan"),
        ("1201010001", "desa"),
        ("ID1201010", "kecamatan"),
        ("12.1.1", None),
        ("desa-1", None),
    ],
)
def test_code_shapes(code, level):
    found = code_level(code)
    assert (found[0] if found else None) == level


def test_level_inferred_and_said_so():
    level, line = infer_level(["12.01.01.2001", "12.01.01.2002"], name="d.gpkg")
    assert level == "desa"
    assert (
        line
        == "d.gpkg: level desa, read from the codes: 2 desa codes (e.g. 12.01.01.2001), Kemendagri"
    )


def test_mixed_levels_stop_with_a_stable_code():
    with pytest.raises(LevelError, match=r"mix levels: 2 desa codes .* 1 kecamatan code") as err:
        infer_level(["12.01.01.2001", "12.01.01.2002", "12.01.02"], name="d.gpkg")
    assert err.value.code == "E_LEVEL"
    assert "give --level desa | kecamatan | kabupaten" in str(err.value)


def test_unknown_codes_and_province_codes_stop():
    with pytest.raises(LevelError, match=r"cannot tell the level .* give --level"):
        infer_level(["a", "b"], name="d.gpkg")
    with pytest.raises(LevelError, match="province codes"):
        infer_level(["12", "13"], name="p.gpkg")


def test_a_given_level_wins_with_a_warning_when_the_codes_disagree():
    level, line = infer_level(["12.01.01.2001"], name="d.gpkg", given="kecamatan")
    assert level == "kecamatan"
    assert line.startswith("warning: d.gpkg: --level kecamatan was given, but the codes look")
    assert "leave --level out to rank as desa" in line


def test_desa_polygons_without_a_level_rank_as_desa(tmp_path):
    loaded = load_layers(
        InputPaths(
            areas=_gpkg(office.desa(), tmp_path / "desa.gpkg"),
            msme=office.msme_csv(tmp_path / "umkm.csv"),
            coverage=office.coverage_tif(tmp_path / "cov.tif", declare=True),
        )
    )
    assert loaded.level == "desa"
    assert any("level desa, read from the codes: 12 desa codes" in n for n in loaded.notes)
    facts = place_and_cover(loaded.layers, covered_min=1)
    table = indicator_table(loaded.layers, facts, level="desa")
    assert len(table) == 12
    assert table["msme_total"].tolist() == [10] * 12


def test_a_wrong_level_says_what_was_expected(tmp_path):
    loaded = load_layers(
        InputPaths(
            areas=_gpkg(office.desa(), tmp_path / "desa.gpkg"),
            msme=office.msme_csv(tmp_path / "umkm.csv"),
            coverage=office.coverage_tif(tmp_path / "cov.tif", declare=True),
            level="kecamatan",
        )
    )
    assert any(
        n.startswith("warning:") and "--level kecamatan was given" in n for n in loaded.notes
    )
    facts = place_and_cover(loaded.layers, covered_min=1)
    with pytest.raises(
        DataError, match="the boundaries are desa, not kecamatan; rank them as desa"
    ):
        indicator_table(loaded.layers, facts, level="kecamatan")


# --- 3. Undeclared no-data values -------------------------------------------------------------


def test_fill_value_candidates_by_type():
    assert [v for v, _ in io.fill_value_candidates("uint8")] == [255.0]
    int16 = [v for v, _ in io.fill_value_candidates("int16")]
    assert {32767.0, -32768.0, -9999.0, -32767.0} <= set(int16)
    assert any(np.isnan(v) for v, _ in io.fill_value_candidates("float32"))


def _rank(*args, cwd):
    proc = subprocess.run(
        [sys.executable, "-m", "infra_gap", "rank", *map(str, args)],
        capture_output=True, text=True, check=False, cwd=cwd,
    )  # fmt: skip
    return proc


def _uncovered(path) -> int:
    out = pd.read_csv(path, encoding="utf-8-sig", dtype={"kode": str}).rename(columns=bare_column)
    return int(out["msme_uncovered"].sum())


def test_undeclared_255_is_warned_and_coverage_nodata_restores_the_total(tmp_path):
    areas = _gpkg(office.kecamatan(), tmp_path / "kec.gpkg")
    msme = office.msme_csv(tmp_path / "umkm.csv")
    base = ("--areas", areas, "--msme", msme, "--stability", "0")
    plain = _rank(*base, "--coverage", office.coverage_tif(tmp_path / "a.tif"),
                  "--out", tmp_path / "a.csv", cwd=tmp_path)  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert (
        "warning: " + str(tmp_path / "a.tif") + ": declares no no-data value but holds 255 "
        "(the largest uint8 value; 192 pixels hold it; 60 MSMEs on it); those MSMEs count as "
        "covered whenever --covered-min is at most 255; if 255 means no data, give "
        "--coverage-nodata 255"
    ) in plain.stderr
    assert "level kecamatan, read from the codes: 6 kecamatan codes" in plain.stderr
    assert "6 kecamatan areas" in plain.stdout
    assert _uncovered(tmp_path / "a.csv") == 30  # the 60 MSMEs on 255 counted as covered
    fixed = _rank(*base, "--coverage", tmp_path / "a.tif", "--coverage-nodata", "255",
                  "--out", tmp_path / "b.csv", cwd=tmp_path)  # fmt: skip
    assert fixed.returncode == 0, fixed.stderr
    assert "holds 255" not in fixed.stderr
    declared = _rank(*base, "--coverage", office.coverage_tif(tmp_path / "c.tif", declare=True),
                     "--out", tmp_path / "c.csv", cwd=tmp_path)  # fmt: skip
    assert declared.returncode == 0, declared.stderr
    assert "no-data" not in declared.stderr
    assert _uncovered(tmp_path / "b.csv") == _uncovered(tmp_path / "c.csv") == 90


def test_desa_polygons_rank_as_desa_on_the_command_line(tmp_path):
    proc = _rank(
        "--areas", _gpkg(office.desa(), tmp_path / "desa.gpkg"),
        "--msme", office.msme_csv(tmp_path / "umkm.csv"),
        "--coverage", office.coverage_tif(tmp_path / "c.tif", declare=True),
        "--stability", "0", "--out", tmp_path / "d.csv", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "12 desa areas" in proc.stdout
    out = pd.read_csv(tmp_path / "d.csv", encoding="utf-8-sig", dtype={"kode": str})
    assert sorted(out["nama"])[:2] == ["Afulu Hilir", "Afulu Hulu"]


# --- The app's upload panel ---------------------------------------------------------------------


def test_app_upload_reads_the_level_and_takes_a_no_data_value(demo_layers, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    from infra_gap.app.ui import keys as K

    app = AppTest.from_file(str(ROOT / "infra_gap" / "app" / "main.py"), default_timeout=300)
    kec = office.kecamatan().to_crs("EPSG:4326").to_json().encode()
    cov = office.coverage_tif(tmp_path / "c.tif").read_bytes()
    msme = office.msme_csv(tmp_path / "u.csv").read_bytes()

    def files() -> None:  # on the upload page (each load starts a new round of empty boxes)
        app.switch_page("app_pages/upload.py").run()
        n = app.session_state.get(K.UP_ROUND, 0)
        box = {k: app.file_uploader(key=K.upload(k, n)) for k in ("areas", "msme", "coverage")}
        box["areas"].set_value(("kec.geojson", kec, "application/geo+json"))
        box["msme"].set_value(("umkm.csv", msme, "text/csv"))
        box["coverage"].set_value(("c.tif", cov, "image/tiff"))

    files()
    app.button(key="up_run").click().run()  # the province page is shown next
    assert not app.exception, app.exception
    assert app.selectbox(key="level_id").options == ["Kecamatan"]  # read from the codes
    assert sorted(app.dataframe[0].value["Nama"]) == sorted(office.KEC_NAMES)
    assert any("holds 255" in w.value for w in app.warning)
    assert any("level kecamatan, read from the codes" in c.value for c in app.caption)
    files()
    app.text_input(key="up_nodata").set_value("255")  # typed in the form, sent with the button
    app.button(key="up_run").click().run()
    assert not app.exception, app.exception
    assert not any("holds 255" in w.value for w in app.warning)
    # captions are markdown-escaped: "no\-data value 255 \(given\)"
    assert any("value 255" in c.value and "given" in c.value for c in app.caption)
