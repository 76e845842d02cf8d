"""Provenance: the sources file, its errors, and where it shows (CLI, XLSX, PDF)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pytest
import rasterio
from affine import Affine
from pypdf import PdfReader
from shapely.geometry import box
from typer.testing import CliRunner

from infra_gap.cli import main as cli
from infra_gap.io import read_sources
from infra_gap.layers import Layers, Source
from infra_gap.outputs.dossier.document import dossier_pdf
from infra_gap.provenance import (
    MAX_SOURCES_BYTES,
    UNKNOWN,
    SourcesError,
    apply_provenance,
    evidence_lines,
    format_date,
    parse_sources,
)
from tests.test_export import toy_facts, toy_layers, toy_meta, toy_ranked

SOURCES_TOML = """
[coverage]
source = "Peta cakupan 4G Telkomsel Kab. Uji"
date = 2025-06-30
licence = "internal"
operator = "Telkomsel"
technology = "4G LTE"

[msme]
source = "Register UMKM Dinas Koperasi"
date = "2024-12"
licence = "CC BY 4.0"
url = "https://example.org/umkm"
"""

UTM = "EPSG:32647"
X0, Y0 = 400_000.0, 150_000.0


def test_parse_sources_reads_every_field() -> None:
    got = parse_sources(SOURCES_TOML.encode(), name="s.toml")
    assert got["coverage"].date == "2025-06-30"
    assert got["coverage"].operator == "Telkomsel"
    assert got["msme"].date == "2024-12"
    assert got["msme"].url == "https://example.org/umkm"
    assert set(got) == {"coverage", "msme"}


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ('[coverag]\nsource = "x"\ndate = 2025-01-01\nlicence = "y"\n', "E_SOURCES_LAYER",
         "unknown layer [coverag]"),
        ('[towers]\nsource = "x"\ndate = "30/06/2025"\nlicence = "y"\n', "E_SOURCES_DATE",
         "'30/06/2025' is not YYYY-MM-DD"),
        ('[towers]\nsource = "x"\ndate = "2025-13"\nlicence = "y"\n', "E_SOURCES_DATE", "2025-13"),
        ('[towers]\nsource = "x"\ndate = "2999-01-01"\nlicence = "y"\n', "E_SOURCES_DATE",
         "in the future"),
        ('[towers]\nsource = "x"\ndate = 2025-01-01\nlicense = "y"\n', "E_SOURCES_KEY",
         "unknown key(s) ['license']"),
        ('[towers]\nsource = "x"\n', "E_SOURCES_KEY", "missing key(s) ['date', 'licence']"),
        ('[towers]\nsource = 3\ndate = ""\nlicence = ""\n', "E_SOURCES_KEY", "must be text"),
        ('[towers]\nsource = "x"\ndate = ""\nlicence = ""\nurl = "javascript:alert(1)"\n',
         "E_SOURCES_KEY", "http"),
        ("towers = 3\n", "E_SOURCES_KEY", "must be a table"),
        ("[towers\n", "E_SOURCES_TOML", "not valid TOML"),
    ],
)  # fmt: skip
def test_bad_sources_files_give_stable_codes(text: str, code: str, words: str) -> None:
    with pytest.raises(SourcesError) as err:
        parse_sources(text.encode(), name="prov.toml")
    assert err.value.code == code
    assert "prov.toml" in str(err.value)
    assert words in str(err.value)


def test_sources_file_is_read_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_SOURCES_BYTES + 10))
    with pytest.raises(SourcesError) as err:
        read_sources(path)
    assert err.value.code == "E_SOURCES_TOML"
    with pytest.raises(SourcesError, match="not UTF-8"):
        parse_sources(b"[msme]\nsource = '\xff'\n", name="x.toml")


def test_dates_in_both_languages_and_unknown_is_never_invented() -> None:
    assert format_date("2025-06-30", "id") == "30 Juni 2025"
    assert format_date("2025-06-30", "en") == "30 June 2025"
    assert format_date("2024-12", "id") == "Desember 2024"
    assert format_date("", "id") == UNKNOWN
    assert format_date("as supplied", "en") == UNKNOWN
    assert format_date("2022 (codes 2025)", "en") == "2022 (codes 2025)"


def test_apply_provenance_names_layers_and_reports_unused() -> None:
    msme = gpd.GeoDataFrame({"row": []}, geometry=[], crs=UTM)
    layers = Layers(
        areas={},
        msme=msme,
        sources=(
            Source("areas", "file kec.gpkg", UNKNOWN, UNKNOWN, False),
            Source("coverage", "file cov.tif", UNKNOWN, UNKNOWN, False),
        ),
    )
    got, unused = apply_provenance(layers, parse_sources(SOURCES_TOML.encode(), name="s"))
    assert unused == ["msme"]  # no msme Source in these layers
    cov = got.sources[1]
    assert (cov.origin, cov.vintage, cov.operator) == (
        "Peta cakupan 4G Telkomsel Kab. Uji",
        "2025-06-30",
        "Telkomsel",
    )
    lines = evidence_lines(got.sources, "id")
    assert lines[1] == (
        "Cakupan 4G: Peta cakupan 4G Telkomsel Kab. Uji (Telkomsel, 4G LTE), 30 Juni 2025; "
        "lisensi: internal"
    )
    assert lines[0] == f"Batas wilayah: file kec.gpkg, {UNKNOWN}; lisensi: {UNKNOWN}"


def test_demo_names_its_real_boundary_source(demo_layers: Layers) -> None:
    by_layer = {s.layer: s for s in demo_layers.sources}
    assert by_layer["boundaries"].licence == "MIT"
    assert "cahyadsn/wilayah_boundaries" in by_layer["boundaries"].origin
    assert by_layer["boundaries"].url.startswith("https://github.com/cahyadsn/")
    for name in ("msme", "towers", "coverage", "speed_tiles", "backbone"):
        assert by_layer[name].origin.startswith("synthetic demo")
        assert by_layer[name].synthetic


def own_kecamatan_files(d: Path) -> Path:
    """A BIG-style kecamatan GeoPackage in UTM, a ';' decimal-comma register, a raster."""
    areas = gpd.GeoDataFrame(
        {
            "KDKEC": ["12.01.01", "12.01.02"],
            "NMKEC": ["Barus", "Sorkam"],
            "WADMKK": ["Tapanuli Tengah", "Tapanuli Tengah"],
        },
        geometry=[box(X0, Y0, X0 + 5000, Y0 + 5000), box(X0 + 5000, Y0, X0 + 10_000, Y0 + 5000)],
        crs=UTM,
    )
    areas.to_file(d / "kec.gpkg", layer="kecamatan", driver="GPKG")
    pts = gpd.GeoSeries(
        gpd.points_from_xy([X0 + 1000, X0 + 2000, X0 + 6000, X0 + 7000], [Y0 + 1000] * 4),
        crs=UTM,
    ).to_crs(4326)
    lines = ["id;lintang;bujur"] + [
        f"{i};{p.y:.6f};{p.x:.6f}".replace(".", ",") for i, p in enumerate(pts, 1)
    ]
    (d / "umkm.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with rasterio.open(
        d / "cov.tif", "w", driver="GTiff", width=2, height=1, count=1, dtype="uint8",
        crs=UTM, transform=Affine(5000, 0, X0, 0, -5000, Y0 + 5000), nodata=255,
    ) as dst:  # fmt: skip
        dst.write(np.array([[1, 0]], dtype="uint8"), 1)
    (d / "sumber.toml").write_text(SOURCES_TOML, encoding="utf-8")
    return d


def _rank(d: Path, out: str, *extra: str):
    args = ["rank", "--areas", str(d / "kec.gpkg"), "--level", "kecamatan", "--msme"]
    args += [str(d / "umkm.csv"), "--coverage", str(d / "cov.tif"), "--stability", "20"]
    return CliRunner().invoke(cli.app, [*args, "--out", str(d / out), *extra])


def test_sources_reach_cli_xlsx_and_pdf_on_own_files(tmp_path: Path) -> None:
    d = own_kecamatan_files(tmp_path)
    res = _rank(d, "out.xlsx", "--sources", str(d / "sumber.toml"))
    assert res.exit_code == 0, res.output
    assert (
        "source: 4G coverage: Peta cakupan 4G Telkomsel Kab. Uji (Telkomsel, 4G LTE), "
        "30 June 2025; licence: internal" in res.output
    )
    assert f"source: Boundaries: file {d / 'kec.gpkg'}" in res.output
    wb = openpyxl.load_workbook(d / "out.xlsx")
    rows = [list(r) for r in wb["Sumber data"].iter_rows(values_only=True)]
    cov = next(r for r in rows if r[0] == "Cakupan 4G (coverage)")
    assert cov[1:7] == [
        "Peta cakupan 4G Telkomsel Kab. Uji", "internal", "30 Juni 2025", "Telkomsel", "4G LTE",
        "-",
    ]  # fmt: skip
    areas = next(r for r in rows if r[0] == "Batas wilayah (areas)")
    assert areas[2:4] == [UNKNOWN, UNKNOWN]  # not given: unknown, never invented


def test_pdf_evidence_lines_carry_source_and_date() -> None:
    towers = '[towers]\nsource = "OpenCelliD"\ndate = 2025-06-30\nlicence = "CC BY-SA 4.0"\n'
    given = parse_sources((SOURCES_TOML + towers).encode(), name="s")
    layers, unused = apply_provenance(toy_layers(), given)
    assert unused == ["coverage"]  # the toy has no coverage source
    data = dossier_pdf(
        toy_ranked(), layers, toy_facts(), codes=["12.01.01"], meta=toy_meta(), lang="id"
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = " ".join(text.split())
    assert "Menara: OpenCelliD, 30 Juni 2025; lisensi: CC BY-SA 4.0" in text
    assert "UMKM: Register UMKM Dinas Koperasi, Desember 2024; lisensi: CC BY 4.0" in text


def test_bad_sources_file_stops_before_work_with_its_code(tmp_path: Path) -> None:
    d = own_kecamatan_files(tmp_path)
    (d / "bad.toml").write_text('[cov]\nsource="x"\ndate=2025-01-01\nlicence="y"\n')
    res = _rank(d, "out.csv", "--sources", str(d / "bad.toml"))
    assert res.exit_code == 2
    assert "E_SOURCES_LAYER" in res.output
    assert not (d / "out.csv").exists()
    assert dt.date.today().year >= 2025
