"""XLSX priority list, read back with openpyxl (an independent reader)."""

import io

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import Point

from infra_gap.analysis.placement import PLACEMENT_RULE
from infra_gap.config import WORK_CRS
from infra_gap.outputs.xlsx import SHEETS, ranked_xlsx
from infra_gap.ranking.stability import StabilityParams
from infra_gap.registry import INDICATORS
from tests.test_export import HOSTILE, MIXED, X0, Y0, toy_facts, toy_layers, toy_meta, toy_ranked


def _book(**kw):
    layers, facts = kw.pop("layers", toy_layers()), toy_facts()
    data = ranked_xlsx(
        kw.pop("ranked", toy_ranked()),
        layers,
        meta=kw.pop("meta", toy_meta()),
        rejected=facts.rejected,
        accounts=facts.accounts,
        **kw,
    )
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _header(ws):
    return {v: i for i, v in enumerate(_rows(ws)[4]) if v is not None}


@pytest.mark.catalogue("J2")
def test_sheets_and_no_cell_is_a_formula():
    wb = _book()
    assert wb.sheetnames == list(SHEETS)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert cells
    assert not [c.coordinate for c in cells if c.data_type == "f"]


def test_prioritas_has_title_status_frozen_header_and_filter():
    ws = _book()["Prioritas"]
    rows = _rows(ws)
    assert rows[0][0] == "Daftar prioritas usulan infrastruktur 4G (BAKTI), tingkat kecamatan"
    assert "=cmd| ' /C calc'!A0" in rows[1][0]  # the scenario name is text, not a DDE formula
    assert rows[2][0].startswith("DEMO SINTETIS")
    assert rows[4][:5] == ["Peringkat", "Kode wilayah", "Nama wilayah", "Prioritas", "Skor (0-1)"]
    assert ws.freeze_panes == "E6"
    assert ws.auto_filter.ref == f"A5:{openpyxl.utils.get_column_letter(len(rows[4]))}7"
    assert ws.print_title_rows == "$5:$5"


@pytest.mark.catalogue("J2")
def test_hostile_names_are_intact_text_and_stay_text_when_edited():
    ws = _book()["Prioritas"]
    col = _header(ws)["Nama wilayah"] + 1
    first, second = ws.cell(6, col), ws.cell(7, col)
    assert (first.value, first.data_type, first.quotePrefix) == (MIXED, "s", False)
    assert (second.value, second.data_type, second.quotePrefix) == (HOSTILE, "s", True)
    reason = ws.cell(6, _header(ws)["Alasan"] + 1)
    assert (reason.value, reason.quotePrefix) == ("@SUM(A1) first", True)


def test_numbers_stay_numbers_with_formats():
    ws = _book()["Prioritas"]
    head = _header(ws)
    share = ws.cell(6, head["Porsi UMKM tanpa 4G (%)"] + 1)
    assert (share.value, share.number_format) == (0.8, "0.0%")
    count = ws.cell(6, head["UMKM tanpa sinyal 4G (UMKM)"] + 1)
    assert (count.value, count.number_format) == (4, "#,##0")
    assert ws.cell(6, head["Unduh rata-rata (Mbps)"] + 1).value is None  # NaN -> empty
    assert ws.cell(7, head["Unduh rata-rata (Mbps)"] + 1).value == 12.5
    assert ws.cell(7, head["Bukti bertentangan"] + 1).value is True
    assert ws.cell(6, head["Status data"] + 1).value == "synthetic demo / demo sintetis"


def test_tiers_are_numbers_shown_as_prioritas_and_coloured():
    ws = _book()["Prioritas"]
    tier = _header(ws)["Prioritas"] + 1
    one, three = ws.cell(6, tier), ws.cell(7, tier)
    assert (one.value, three.value) == (1, 3)
    assert one.number_format == '"Prioritas "0'
    assert one.fill.fgColor.rgb == "FFF4A6A6"
    assert three.fill.fgColor.rgb == "FFE7E6E6"
    assert ws.cell(6, 3).fill.fgColor.rgb == "FFF4A6A6"  # the row's code is tinted too
    assert "Porsi undian di 1 besar" in _header(ws)  # N of "top N" from the settings


def test_indikator_lists_every_indicator_in_both_languages():
    rows = _rows(_book()["Indikator"])
    assert rows[0][:5] == ["Kolom", "Label (ID)", "Label (EN)", "Definisi (ID)", "Definition (EN)"]
    body = {r[0]: r for r in rows[1:] if r[0]}
    assert set(INDICATORS) <= set(body)
    # ... and every other column of the priority list, from the data dictionary
    head = [c for c in _rows(_book()["Prioritas"])[4] if c]
    assert set(body) - set(INDICATORS) >= {"rank", "kode", "nama", "score", "data_status"}
    assert len(head) == len(set(head))
    assert body["score"][5] == "0-1"
    assert body["kode"][3].startswith("Kode wilayah Kemendagri")
    ind = INDICATORS["msme_uncovered"]
    assert body["msme_uncovered"][1:6] == [
        ind.label_id,
        ind.label_en,
        ind.definition_id,
        ind.definition_en,
        "UMKM",
    ]
    assert body["msme_uncovered"][8:] == [0.7, "ya"]
    assert body["speed_tests"][6].startswith("makin rendah")
    assert body["backbone_km"][9] == "tidak"


def test_metodologi_holds_weights_stability_rules_and_date():
    rows = {r[0]: r[1] for r in _rows(_book()["Metodologi"]) if r[0]}
    assert rows["Tanggal"] == toy_meta().date.isoformat()
    assert rows["Bobot: UMKM tanpa sinyal 4G (UMKM) [msme_uncovered]"] == 0.7
    assert rows["Stabilitas: draws"] == 200
    assert rows["Ambang bukti: slow_down_kbps"] == 5000
    assert rows["Ambang bukti: min_tests"] == 50
    assert rows["Aturan prioritas"].startswith("Prioritas 1: skor > 0, dalam 1 besar")
    assert "kode terendah" in rows["Aturan penempatan titik"]
    wb = _book(lang="en", meta=toy_meta(stability={}), ranked=toy_ranked(stability=False))
    rows = {r[0]: r[1] for r in _rows(wb["Metodologi"]) if r[0]}
    assert rows["Placement rule"] == PLACEMENT_RULE
    assert rows["Rank stability"] == "not computed"
    assert "Tier rule" not in rows


@pytest.mark.catalogue("J9")
def test_sumber_data_and_rejected_rows():
    wb = _book()
    src = _rows(wb["Sumber data"])
    assert src[0][:8] == [
        "Lapisan", "Sumber", "Lisensi", "Tanggal", "Operator", "Teknologi", "URL", "Sintetis"
    ]  # fmt: skip
    assert src[2] == [
        "UMKM (msme)", "hand-made & <test>", "CC0", "2025", "-", "-", "-", "ya", 10, 9, 1
    ]  # fmt: skip
    assert src[1][7] == "tidak"
    rej = _rows(wb["Data ditolak"])
    assert rej[:3] == [
        ["Sumber", "Baris", "Alasan"],
        ["UMKM (msme)", 11, "koordinat kosong"],  # row numbers are numbers; Indonesian
        ["Menara (towers)", 3, "outside"],  # a reason not in the catalogue stays as recorded
    ]


def test_english_headers_and_no_stability():
    ws = _book(lang="en", ranked=toy_ranked(stability=False))["Prioritas"]
    head = _header(ws)
    assert "MSMEs without 4G (MSMEs)" in head
    assert "Priority tier" not in head
    assert _rows(ws)[2][0].startswith("SYNTHETIC DEMO")


def test_real_data_has_no_synthetic_notice():
    ws = _book(layers=toy_layers(synthetic=False))["Prioritas"]
    assert _rows(ws)[2][0] == "Status data: data pengguna."


@pytest.mark.catalogue("J4")
@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("x" * 40_000, "x" * 32_766 + "\u2026"),
        ("\U0001f30f" * 20_000, "\U0001f30f" * 16_383 + "\u2026"),
        # A CR is stored with the OOXML escape _x000D_, which openpyxl does not decode.
        ("a\rb\nc\td", "a_x000D_b\nc\td"),
        ("   ", "(tanpa nama)"),
    ],
)
def test_long_and_odd_names(name, stored):
    ranked = toy_ranked()
    ranked.loc[0, "nama"] = name
    ws = _book(ranked=ranked)["Prioritas"]
    assert ws.cell(6, _header(ws)["Nama wilayah"] + 1).value == stored


def test_sites_sheet_when_given():
    sites = gpd.GeoDataFrame(
        {"kode": ["12.01.02"], "msme_newly_covered": [4], "note": ["+62 call"]},
        geometry=[Point(X0 + 12_000, Y0 + 5_000)],
        crs=WORK_CRS,
    )
    rows = _rows(_book(sites=sites)["Lokasi usulan"])
    assert rows[0] == ["lon", "lat", "kode", "msme_newly_covered", "note", "data_status"]
    assert rows[1][2:] == ["12.01.02", 4, "+62 call", "synthetic demo / demo sintetis"]
    assert 90 < rows[1][0] < 110
    assert 0 < rows[1][1] < 5
    assert np.isfinite(rows[1][0])


def test_sites_sheet_keeps_a_plans_own_lon_lat():
    sites = gpd.GeoDataFrame(
        {"site_id": ["S0001"], "lon": [98.5], "lat": [2.5], "msme_new": [7]},
        geometry=[Point(X0 + 12_000, Y0 + 5_000)],
        crs=WORK_CRS,
    )
    rows = _rows(_book(sites=sites)["Lokasi usulan"])
    assert rows[0] == ["site_id", "lon", "lat", "msme_new", "data_status"]
    assert rows[1][:4] == ["S0001", 98.5, 2.5, 7]


def test_metodologi_states_each_uncertainty_factor():
    meta = toy_meta(stability=StabilityParams(draws=200, data_margin=0.2).as_meta())
    rows = _rows(_book(meta=meta)["Metodologi"])
    lines = [r[1] for r in rows if r[0] == "Faktor ketidakpastian"]
    assert lines[0].startswith("Ketidakpastian (Buku Pegangan OECD/JRC 2008): 200 undian")
    text = "\n".join(lines)
    for part in ("bobot: Dirichlet", "min-maks, persentil atau skor-z", "0..2", "+/-20%"):
        assert part in text


def test_print_setup_key_columns_landscape_fit_width_page_numbers():
    ws = _book()["Prioritas"]
    head = _rows(ws)[4]
    printed = head[: head.index("Alasan") + 1]
    assert printed == [
        "Peringkat", "Kode wilayah", "Nama wilayah", "Prioritas", "Skor (0-1)",
        "Jumlah UMKM (UMKM)", "UMKM tanpa sinyal 4G (UMKM)", "Porsi UMKM tanpa 4G (%)", "Alasan",
    ]  # fmt: skip
    assert ws.print_area == f"'Prioritas'!$A$1:${openpyxl.utils.get_column_letter(9)}$15"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)  # 1: default
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$5:$5"
    assert "Halaman &P dari &N" in ws.oddFooter.right.text
    for name in ("Indikator", "Metodologi", "Sumber data", "Data ditolak"):
        other = _book()[name]
        assert other.page_setup.orientation == "landscape", name
        assert other.print_title_rows == "$1:$1", name


def test_every_value_in_the_sheets_language():
    ranked = toy_ranked().assign(operator_class=["several", "none"])
    layers = toy_layers()
    rejected = pd.DataFrame({"source": ["towers"], "row": ["7"], "reason": ["outside every area"]})
    wb = openpyxl.load_workbook(
        io.BytesIO(ranked_xlsx(ranked, layers, meta=toy_meta(), rejected=rejected, lang="id"))
    )
    values = {str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v}
    assert not {"several", "outside every area", "none"} & values
    head = _header(wb["Prioritas"])
    ops = [wb["Prioritas"].cell(r, head["Kelas operator"] + 1).value for r in (6, 7)]
    assert ops == ["lebih dari satu", "tidak ada"]
    rej = _rows(wb["Data ditolak"])
    assert ["Menara (towers)", 7, "di luar semua wilayah"] in rej
    en = openpyxl.load_workbook(
        io.BytesIO(ranked_xlsx(ranked, layers, meta=toy_meta(), rejected=rejected, lang="en"))
    )
    assert ["Towers (towers)", 7, "outside every area"] in _rows(en["Data ditolak"])
