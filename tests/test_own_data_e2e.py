"""Every command and export on a province's own files, at kecamatan and desa level.

The files are small and shaped like an office's (``tests/own_files.py``): BIG-style
upper-case columns with several name columns, UTM, a ``;`` decimal-comma MSME CSV.  The
name column is given (``--name-col``): choosing it from the values is tested with the
column detection; here every command must carry the office's names through.
"""

from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from infra_gap.cli.main import app
from infra_gap.outputs.export import bare_column
from tests.own_files import KEC, OwnFiles, build

LEVELS = ["kecamatan", "desa"]
EAST = {code for code, (_, col, _) in KEC.items() if col == 1}  # the uncovered half


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> OwnFiles:
    return build(tmp_path_factory.mktemp("own"))


def _areas(own: OwnFiles, level: str) -> list[str]:
    if level == "kecamatan":
        return ["--areas", str(own.kec), "--level", "kecamatan", "--name-col", "NMKEC"]
    return ["--areas", str(own.desa), "--level", "desa", "--name-col", "NAMOBJ"]


def _inputs(own: OwnFiles, level: str) -> list[str]:
    return [
        *_areas(own, level),
        "--msme",
        str(own.msme),
        "--coverage",
        str(own.coverage),
        "--towers",
        str(own.towers),
        "--backbone",
        str(own.backbone),
    ]


def _names(level: str) -> set[str]:
    if level == "kecamatan":
        return {name for name, _, _ in KEC.values()}
    return {f"{n.split()[-1]} {h}" for n, _, _ in KEC.values() for h in ("Hulu", "Hilir")}


def _invoke(*args: str) -> tuple[str, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def _accounting(stdout: str, own: OwnFiles) -> None:
    # rows in = used + rejected: the one row without coordinates is rejected
    assert f"rows: msme read {own.msme_rows}, placed {own.msme_rows - 1}, rejected 1" in stdout


@pytest.mark.parametrize("level", LEVELS)
def test_rank_csv_on_own_files(own: OwnFiles, tmp_path: Path, level: str) -> None:
    out = tmp_path / "r.csv"
    stdout, stderr = _invoke("rank", *_inputs(own, level), "--stability", "20", "--out", str(out))
    _accounting(stdout, own)
    assert "SYNTHETIC" not in stdout + stderr
    got = pd.read_csv(out, encoding="utf-8-sig", dtype={"kode": str}).rename(columns=bare_column)
    assert set(got["nama"]) == _names(level)  # the office's own names, not WADMKK
    assert got["msme_total"].sum() == own.msme_rows - 1
    assert got["msme_uncovered"].sum() == own.uncovered
    top = got.loc[got["msme_uncovered"] > 0, "kode"].str[:8]
    assert set(top) == EAST
    assert got["data_status"].str.contains("user data").all()


@pytest.mark.parametrize("level", LEVELS)
def test_rank_xlsx_on_own_files(own: OwnFiles, tmp_path: Path, level: str) -> None:
    out = tmp_path / "r.xlsx"
    _invoke("rank", *_inputs(own, level), "--stability", "20", "--out", str(out))
    book = openpyxl.load_workbook(out)  # not read-only: that keeps the file open
    first = book.worksheets[0]
    cells = {str(c) for row in first.iter_rows(values_only=True) for c in row if c is not None}
    assert _names(level) <= cells


@pytest.mark.parametrize("level", LEVELS)
def test_rank_gpkg_on_own_areas(own: OwnFiles, tmp_path: Path, level: str) -> None:
    out = tmp_path / "r.gpkg"
    args = ["--stability", "20", "--gpkg-evidence", "all", "--out", str(out)]
    _invoke("rank", *_inputs(own, level), *args)
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {f"ranked_{level}", "msme_uncovered", "towers"} <= layers
    assert any(name.startswith("backbone") for name in layers)
    ranked = gpd.read_file(out, layer=f"ranked_{level}")
    assert set(ranked["nama"]) == _names(level)
    pts = gpd.read_file(out, layer="msme_uncovered")
    assert len(pts) == own.uncovered  # the row without coordinates is rejected, not placed
    assert {c[:8] for c in pts[f"kode_{level}"]} == EAST


@pytest.mark.parametrize("level", LEVELS)
def test_rank_pdf_and_dossier_on_own_files(own: OwnFiles, tmp_path: Path, level: str) -> None:
    pdf = tmp_path / "r.pdf"
    _invoke("rank", *_inputs(own, level), "--stability", "20", "--top", "2", "--out", str(pdf))
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert sum(name in text for name in _names(level)) >= 2
    dossier = tmp_path / "d.pdf"
    first = min(EAST)
    stdout, _ = _invoke(
        "dossier", *_inputs(own, level), "--stability", "20", "--within", first, "--top", "1",
        "--lang", "en", "--out", str(dossier),
    )  # fmt: skip
    _accounting(stdout, own)
    assert f"dossier: 1 {level} area(s) ({first}" in stdout
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(dossier.read_bytes())).pages)
    name = KEC[first][0] if level == "kecamatan" else f"{KEC[first][0].split()[-1]} Hulu"
    assert name in text
    assert "SYNTHETIC DEMO" not in text.upper()  # user data: no demo banner


@pytest.mark.parametrize("level", LEVELS)
def test_sites_on_own_files(own: OwnFiles, tmp_path: Path, level: str) -> None:
    out, needs = tmp_path / "s.gpkg", tmp_path / "needs.csv"
    stdout, _ = _invoke(
        "sites", *_inputs(own, level), "--count", "1", "--radius-km", "3", "--out", str(out),
        "--per-area-out", str(needs),
    )  # fmt: skip
    _accounting(stdout, own)
    sites = gpd.read_file(out, layer="sites")
    assert len(sites) == 1
    assert sites["msme_new"].iloc[0] > 0
    assert str(sites["kode_kec"].iloc[0]) in EAST  # a site goes where MSMEs lack 4G
    per_area = pd.read_csv(needs, encoding="utf-8-sig", dtype={"kode": str}).rename(
        columns=bare_column
    )
    assert per_area["msme_uncovered"].sum() == own.uncovered
