"""The ranked CSV contract: stable plain headers, the data dictionary, the Excel (Indonesia)
variant read by a locale-aware reader, and the parent-area columns on own files."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from infra_gap.analysis.pipeline import indicator_table, place_and_cover
from infra_gap.cli.dossier import export_bytes, meta_for, schema_for
from infra_gap.config import WORK_CRS
from infra_gap.layers import Layers
from infra_gap.outputs.datadict import with_area_names
from infra_gap.outputs.export import ExportMeta, rejected_csv, sites_csv
from infra_gap.ranking.scenario import Scenario, StabilityParams, run_scenario
from tests.conftest import ROOT

DOC = ROOT / "docs" / "data-dictionary.md"
STABLE_PREFIX = [
    "rank",
    "kode",
    "nama",
    "score",
    "msme_total",
    "msme_uncovered",
    "msme_uncovered_share",
]


def documented_columns() -> list[str]:
    """The column names of the data dictionary's table, in its order."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Columns, in order", 1)[1]
    return re.findall(r"^\| `([a-z0-9_<>]+)` \|", section, flags=re.MULTILINE)


def _matches(column: str, documented: str) -> bool:
    if documented == "contrib_<indicator>":
        return column.startswith("contrib_")
    return column == documented


@pytest.fixture(scope="module")
def demo_csv(demo_layers: Layers) -> tuple[bytes, pd.DataFrame]:
    scenario = Scenario(level="kecamatan", stability=StabilityParams(draws=40))
    facts = place_and_cover(demo_layers, covered_min=scenario.covered_min)
    result = run_scenario(indicator_table(demo_layers, facts, level="kecamatan"), scenario)
    data = export_bytes(result.ranked, demo_layers, fmt=".csv", meta=meta_for(result))
    return data, result.ranked


def test_plain_csv_headers_equal_the_documented_contract(demo_csv) -> None:
    data, ranked = demo_csv
    header = data.decode("utf-8-sig").split("\r\n", 1)[0].split(",")
    assert header[:7] == STABLE_PREFIX
    assert not any("[" in h or " " in h for h in header)  # no units in the headers
    documented = documented_columns()
    positions = []
    for col in header:
        found = [i for i, d in enumerate(documented) if _matches(col, d)]
        assert found, f"{col} is not in docs/data-dictionary.md"
        positions.append(found[0])
    assert positions == sorted(positions)  # the documented order
    assert header[-3:] == ["kode_bps", "nama_kab", "data_status"]
    assert len(header) == len(set(header))
    # Parent names and BPS codes of the demo kecamatan come from the boundary file.
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    medan = back.set_index("kode").loc["12.71.01"]
    assert medan["kode_bps"] == "1275060"
    assert medan["nama_kab"] == "Kota Medan"
    assert len(back) == len(ranked) == 455


def test_schema_sidecar_describes_every_column(demo_csv, demo_layers) -> None:
    data, _ = demo_csv
    schema = json.loads(schema_for(data, demo_layers))
    header = data.decode("utf-8-sig").split("\r\n", 1)[0].split(",")
    fields = {f["name"]: f for f in schema["fields"]}
    assert [f["name"] for f in schema["fields"]] == header
    assert fields["msme_total"]["unit"] == "UMKM"
    assert fields["msme_uncovered_share"]["unit"] == "0-1"
    assert fields["kode"]["type"] == "string"
    assert fields["score"]["type"] == "number"
    assert "MSMEs on pixels not covered" in fields["msme_uncovered"]["description"]
    assert schema["dialect"]["delimiter"] == ","
    layers = {s["layer"] for s in schema["sources"]}
    assert {"boundaries", "msme", "coverage"} <= layers
    assert all("decimalChar" not in f for f in schema["fields"])


def _kab_layers() -> Layers:
    """Two kabupaten with codes that spreadsheets mangle: 12.10 (-> 12.1) and 12.01 (a date)."""
    kab = gpd.GeoDataFrame(
        {"kode": ["12.01", "12.10"], "nama": ["Tapanuli Tengah", "Labuhanbatu"]},
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)],
        crs=WORK_CRS,
    )
    msme = gpd.GeoDataFrame({"row": ["2"]}, geometry=gpd.points_from_xy([10], [10]), crs=WORK_CRS)
    stats = pd.DataFrame({"kode": ["12.01", "12.10"], "kode_bps": ["1204", "1207"]})
    return Layers(areas={"kabupaten": kab}, msme=msme, kab_stats=stats)


def _kab_ranked() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": [1, 2],
            "kode": ["12.10", "12.01"],
            "nama": ["Labuhanbatu", "Tapanuli Tengah"],
            "score": [0.875, 0.0],
            "msme_total": [1200, 3],
            "msme_uncovered": [600, 1],
            "msme_uncovered_share": [0.5, 1 / 3],
            "backbone_km": [12.25, 1234.5],
        }
    )


def _excel_csv() -> bytes:
    return export_bytes(
        _kab_ranked(),
        _kab_layers(),
        fmt=".csv",
        meta=ExportMeta(level="kabupaten"),
        excel_id=True,
    )


def test_excel_id_csv_read_with_indonesian_conventions() -> None:
    """pandas as a locale-aware reader: ';', decimal comma, '.' as the thousands mark."""
    data = _excel_csv()
    text = data.decode("utf-8-sig")
    assert text.split("\r\n", 1)[0].split(";")[:7] == STABLE_PREFIX
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",", thousands=".")
    # codes stay text (not 12.1, not 1210) ...
    assert back["kode"].map(type).eq(str).all()
    assert back["kode"].tolist() == ['="12.10"', '="12.01"']
    assert back["kode_bps"].tolist() == ['="1207"', '="1204"']
    # ... and every number is a number
    for col in ("rank", "score", "msme_total", "msme_uncovered_share", "backbone_km"):
        assert pd.api.types.is_numeric_dtype(back[col]), col
    assert back["backbone_km"].tolist() == [12.25, 1234.5]
    assert back["msme_uncovered_share"].tolist()[0] == pytest.approx(0.5)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("locale", [1057, 1033])  # Indonesian, English (United States)
def test_excel_id_csv_in_libreoffice(tmp_path: Path, locale: int) -> None:
    """LibreOffice Calc opens the file with the locale's number rules, as Excel would.

    With Indonesian settings every code is text and every number a number; with English
    settings the codes still stay text (the plain CSV's ``12.10`` becomes 12.1 there).
    """
    openpyxl = pytest.importorskip("openpyxl")
    src = tmp_path / "ranking.csv"
    src.write_bytes(_excel_csv())
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            f"--infilter=CSV:59,34,76,1,,{locale}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    sheet = openpyxl.load_workbook(tmp_path / "ranking.xlsx", data_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    body = [dict(zip(head, r, strict=True)) for r in rows[1:]]
    assert [r["kode"] for r in body] == ["12.10", "12.01"]  # text, exactly as written
    assert [r["kode_bps"] for r in body] == ["1207", "1204"]
    if locale == 1033:
        return  # English settings keep the codes too; numbers need the Indonesian ones
    assert [r["backbone_km"] for r in body] == [12.25, 1234.5]
    assert [r["msme_total"] for r in body] == [1200, 3]
    assert body[0]["score"] == 0.875


def test_machine_and_excel_schemas_differ_only_in_dialect() -> None:
    layers = _kab_layers()
    data = _excel_csv()
    schema = json.loads(schema_for(data, layers, excel_id=True))
    fields = {f["name"]: f for f in schema["fields"]}
    assert schema["dialect"]["delimiter"] == ";"
    assert fields["score"]["decimalChar"] == ","
    assert "decimalChar" not in fields["kode"]
    assert "nama_kab" not in fields  # a kabupaten has no parent kabupaten


def test_parent_names_on_own_big_style_desa_and_unknown_left_empty() -> None:
    desa = gpd.GeoDataFrame(
        {
            "kode": ["12.01.01.2001", "12.01.02.2001"],
            "nama": ["Sitardas", "Lumut"],
            "WADMKC": ["Barus", "Lumut"],
            "WADMKK": ["Tapanuli Tengah", None],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs=WORK_CRS,
    )
    layers = Layers(areas={"desa": desa}, msme=desa.iloc[:0])
    ranked = pd.DataFrame({"kode": ["12.01.02.2001", "12.01.01.2001"], "rank": [1, 2]})
    out = with_area_names(ranked, layers, "desa")
    assert out["nama_kec"].tolist() == ["Lumut", "Barus"]
    assert out["nama_kab"].tolist() == ["", "Tapanuli Tengah"]  # unknown stays empty
    assert out["kode_bps"].tolist() == ["", ""]
    kec = with_area_names(ranked.assign(kode=["12.01.01", "12.01.02"]), layers, "kecamatan")
    assert "nama_kec" not in kec


def test_rejected_row_numbers_are_numbers_and_sites_csv_excel() -> None:
    rejected = pd.DataFrame({"source": ["msme"], "row": ["11"], "reason": ["no coordinate"]})
    back = pd.read_csv(io.BytesIO(rejected_csv(rejected)), encoding="utf-8-sig")
    assert back["row"].tolist() == [11]
    sites = pd.DataFrame({"kode": ["12.10"], "lat": [1.5], "capex_idr": [2.5e9]})
    text = sites_csv(sites, synthetic=False, excel_id=True).decode("utf-8-sig")
    assert text.split("\r\n")[1].startswith('"=""12.10""";1,5;2500000000;')


def test_excel_code_protection_never_opens_a_formula() -> None:
    ranked = _kab_ranked().assign(kode=['12"&HYPERLINK("x")', "=1+1"])
    layers = _kab_layers()
    text = export_bytes(
        ranked, layers, fmt=".csv", meta=ExportMeta(level="kabupaten"), excel_id=True
    ).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
    # A quote cannot close the literal: that code is left as plain text; '=1+1' is inert.
    assert back["kode"].tolist() == ['12"&HYPERLINK("x")', '="\'=1+1"']
