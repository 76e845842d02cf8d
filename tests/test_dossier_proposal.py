"""The dossier as a proposal: desa, sites, readiness checklist, 3T basis and the letter."""

import re

import pytest
import typer
from typer.testing import CliRunner

from infra_gap import io
from infra_gap.cli import dossier as cli_export
from infra_gap.errors import DataError, InputFileError
from infra_gap.outputs.dossier.checklist import CHECKLIST_FIELDS, checklist_entries, status_3t
from tests.test_dossier import _pages, demo_run  # noqa: F401  (fixture)

CHECKLIST = """
[[area]]
kode = "12.14.31"
lahan = "Tanah desa 20 x 20 m di Dusun II"
lahan_hibah = "Akta hibah No. 12/2025"
listrik = "PLN 1.300 VA, 150 m"
akses = "Jalan desa beraspal"
penjaga = "Budi Zebua <Kadus>"
surat_usulan = "Surat Bupati No. 555/123/2025"
"""


def test_checklist_file_toml_and_json(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(CHECKLIST, encoding="utf-8")
    entries = checklist_entries(io.read_checklist(path), source=str(path))
    assert entries["12.14.31"]["listrik"] == "PLN 1.300 VA, 150 m"
    assert set(entries["12.14.31"]) <= set(CHECKLIST_FIELDS)
    legacy = tmp_path / "c.json"
    legacy.write_text('{"12.14.04": {"lahan": "ok"}}', encoding="utf-8")
    assert checklist_entries(io.read_checklist(legacy), source="c.json") == {
        "12.14.04": {"lahan": "ok"}
    }


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ('[[area]]\nkode = "1"\ngenset = "x"\n', r"area 1 \(1\): unknown field `genset`"),
        ('[[area]]\nlahan = "x"\n', "area 1: needs `kode`"),
        ('[[area]]\nkode = "1"\nlistrik = 5\n', "`listrik` must be text"),
        ('[[area]]\nkode = "1"\n[[area]]\nkode = "1"\n', "area 2: area 1 is given twice"),
        ("[area\n", "not valid TOML"),
    ],
)
def test_bad_checklist_names_file_area_and_key(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=match) as err:
        checklist_entries(io.read_checklist(path), source=str(path))
    assert str(path) in str(err.value)


def test_missing_checklist_file(tmp_path):
    with pytest.raises(InputFileError, match="cannot read"):
        io.read_checklist(tmp_path / "none.toml")


def test_status_3t_by_code_with_its_legal_basis():
    assert status_3t("12.14.31", "id").startswith("Ya: Kabupaten Nias Selatan")
    assert "Perpres 63/2020" in status_3t("12.25.01", "en")
    assert status_3t("12.71.01", "id").startswith("Tidak: kabupaten 12.71")
    assert status_3t("12.10.01", "id", basis="Lokasi prioritas X").startswith("Lokasi prioritas X")


def test_done_when_dossier_names_desa_sites_readiness_and_basis(
    tmp_path,
    demo_layers,
    demo_run,  # noqa: F811
):
    import infra_gap.analysis.pipeline
    import infra_gap.synthetic.demo

    mp = pytest.MonkeyPatch()
    mp.setattr(infra_gap.synthetic.demo, "load_demo", lambda *a, **k: demo_layers)
    mp.setattr(infra_gap.analysis.pipeline, "place_and_cover", lambda *a, **k: demo_run[0])
    try:
        app = typer.Typer()
        app.command()(cli_export.dossier)
        app.command("noop")(lambda: None)
        check = tmp_path / "ck.toml"
        check.write_text(CHECKLIST, encoding="utf-8")
        out = tmp_path / "d.pdf"
        args = ["dossier", "--codes", "12.14.31,12.14.04", "--checklist", str(check)]
        result = CliRunner().invoke(app, [*args, "--out", str(out)])
    finally:
        mp.undo()
    assert result.exit_code == 0, result.output
    pages = _pages(out.read_bytes())
    text = re.sub(r"\s+", " ", "\n".join(pages))
    desa = demo_layers.areas["desa"]
    for code in ("12.14.31", "12.14.04"):
        names = desa.loc[desa["kode"].str.startswith(code + "."), "nama"]
        assert len(names) > 3
        for name in names:  # every desa of each kecamatan is named
            assert name in text, (code, name)
        assert f"{code}/S1" in text  # a proposed site of each area
    assert re.search(r"9[78]\.\d{5}, -?[01]\.\d{5}", text)  # site coordinates
    assert "Biaya seumur (Rp juta)" in text
    # a site row: id, desa, lon/lat, backhaul (with its cost), new MSMEs, capex, opex/year
    # and whole-life cost in Rp million
    row = r"12\.14\.04/S1 12\.14\.04\.\d{4} 9\d\.\d{5}, -?\d\.\d{5} \w+.*? \d+ [\d.]+ [\d.]+ [\d.]+"
    assert re.search(row, text)
    for word in (
        "Lahan",
        "akta hibah",
        "IMB/PBG",
        "pinjam pakai",
        "Listrik",
        "PLN",
        "surya",
        "Akses",
        "Keamanan",
        "penjaga",
        "Surat usulan Bupati/Wali Kota",
    ):
        assert word in text, word
    assert "Perpres 63/2020" in text
    assert "Budi Zebua <Kadus>" in text  # the checklist file's entries, as typed
    assert "Penduduk per desa: tidak diketahui" in text
    # the last pages: the letter to BAKTI, filled with the area list
    letter = re.sub(r"\s+", " ", pages[-1])
    assert "Badan Aksesibilitas Telekomunikasi dan Informasi" in letter
    assert "Tanah Masa (12.14.31)" in letter
    assert "Hibala (12.14.04)" in letter
    # the annex states each uncertainty factor
    assert "skor-z" in text
    assert "+/-10%" in text


def test_own_kecamatan_files_without_desa_or_kabupaten_make_a_dossier():
    from dataclasses import replace

    import numpy as np

    from infra_gap.outputs.dossier.document import dossier_pdf
    from tests.test_export import toy_facts, toy_layers, toy_meta, toy_ranked

    layers = toy_layers()
    kec_only = replace(layers, areas={"kecamatan": layers.areas["kecamatan"]})
    facts = replace(toy_facts(), area_index=np.array([0, 0, 0, 0, 1, 1, 1, 1, 1]))
    pdf = dossier_pdf(
        toy_ranked(), kec_only, facts, codes=["12.01.02"], meta=toy_meta(), region="Uji"
    )
    text = re.sub(r"\s+", " ", "\n".join(_pages(pdf)))
    assert "Desa/kelurahan di wilayah ini" not in text  # no desa file: no desa table
    assert "Raster cakupan: 4 dari 5 UMKM" in text
    assert "Tidak: kabupaten 12.01 tidak tercantum" in text  # not 3T, said so
    assert "Perihal: Usulan pembangunan BTS 4G di 1 wilayah" in text


def test_dossier_on_office_files_skips_areas_without_need_and_names_the_kabupaten(tmp_path):
    """Without --codes, the dossier takes the best ranked areas that have MSMEs without 4G
    (an area whose MSMEs are all covered has nothing to propose), and the cover names the
    kabupaten from the boundary file (WADMKK), not '-'."""
    from typer.testing import CliRunner

    from infra_gap.cli.main import app
    from tests import office_files as office

    office.kecamatan().to_file(tmp_path / "kec.gpkg", layer="ADMINISTRASIKECAMATAN_AR")
    msme = office.msme_csv(tmp_path / "umkm.csv")
    cov = office.coverage_tif(tmp_path / "4g.tif")  # 255 undeclared: those MSMEs count covered
    out = tmp_path / "d.pdf"
    res = CliRunner().invoke(
        app,
        ["dossier", "--areas", str(tmp_path / "kec.gpkg"), "--msme", str(msme),
         "--coverage", str(cov), "--stability", "10", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "(12.02.01, 12.02.02, 12.02.03) -> " in res.stderr + res.stdout
    first = re.sub(r"\s+", " ", _pages(out.read_bytes())[0])
    assert first.startswith("Berkas usulan BTS 4G untuk BAKTI KABUPATEN DUA - tingkat kecamatan")


def test_dossier_eligible_only_takes_the_priority_list_areas(tmp_path):
    """dossier has rank's eligibility options: with a priority list and --eligible-only it
    writes only the listed area that has need, and its 3T line cites the list's source."""
    from typer.testing import CliRunner

    from infra_gap.cli.main import app
    from tests import office_files as office

    office.kecamatan().to_file(tmp_path / "kec.gpkg", layer="ADMINISTRASIKECAMATAN_AR")
    msme = office.msme_csv(tmp_path / "umkm.csv")
    cov = office.coverage_tif(tmp_path / "4g.tif", declare=True)
    prio = tmp_path / "prioritas.csv"
    prio.write_text("kode,sumber\n12.01.02,SK Gubernur 2025 lokasi prioritas\n", encoding="utf-8")
    out = tmp_path / "d.pdf"
    res = CliRunner().invoke(
        app,
        ["dossier", "--areas", str(tmp_path / "kec.gpkg"), "--msme", str(msme),
         "--coverage", str(cov), "--stability", "10", "--priority-list", str(prio),
         "--eligible-only", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "(12.01.02) -> " in res.stderr + res.stdout
    text = re.sub(r"\s+", " ", " ".join(_pages(out.read_bytes())))
    assert "SK Gubernur 2025 lokasi prioritas" in text
