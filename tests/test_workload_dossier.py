"""``dossier --workload`` and ``sites --workload`` equal the local commands on the files.

The office's kecamatan files (``tests/office_workload.py``: two kabupaten partitions, areas
overlapping across them, rejected rows of every kind), built into a workload by kabupaten;
Dask on its synchronous scheduler.  The per-MSME facts are read from the partitions of the
chosen areas only: a workload without an unrelated partition's files gives the same facts.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from infra_gap.analysis.inputs import InputPaths
from infra_gap.analysis.reach import ReachParams
from infra_gap.cli.main import app
from infra_gap.national.area_facts import (
    partitions_near,
    partitions_of,
    reach_limit_m,
    workload_area_facts,
)
from infra_gap.national.build import build_workload
from infra_gap.national.workload import read_workload
from tests.office_workload import OfficeWorkload, build


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> tuple[OfficeWorkload, Path]:
    office = build(tmp_path_factory.mktemp("office"))
    out = tmp_path_factory.mktemp("wl")
    paths = InputPaths(
        areas=office.kec, msme=office.msme, level="kecamatan", coverage=office.coverage,
        towers=office.towers, speed_tiles=office.tiles, backbone=office.backbone,
        name_col="NMKEC",
    )  # fmt: skip
    build_workload(paths, out, by="kabupaten")
    return office, out


def _text(pdf: Path) -> tuple[int, list[str]]:
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    n = next(
        int(line.split()[-1]) for line in pages.stdout.splitlines() if line.startswith("Pages")
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    today = date.today().isoformat()
    return n, [line for line in text.splitlines() if today not in line]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_dossier_from_workload_equals_local(
    office: tuple[OfficeWorkload, Path], tmp_path: Path
) -> None:
    files, wl = office
    own = [
        "--areas", str(files.kec), "--name-col", "NMKEC", "--msme", str(files.msme),
        "--coverage", str(files.coverage), "--towers", str(files.towers),
        "--speedtests", str(files.tiles), "--backbone", str(files.backbone),
    ]  # fmt: skip
    # 12.02.04 overlaps both kabupaten and loses its overlap to the lower codes: its
    # MSMEs, maps and proposed sites come from partition 12.02 alone.
    common = ["--codes", "12.02.04", "--draws", "5", "--lang", "en"]
    runner = CliRunner()
    got = runner.invoke(app, ["dossier", *own, *common, "--out", str(tmp_path / "l.pdf")])
    assert got.exit_code == 0, got.output
    got = runner.invoke(
        app,
        ["dossier", "--workload", str(wl), "--scheduler", "synchronous", *common,
         "--out", str(tmp_path / "w.pdf")],
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    assert "partition(s) 12.01, 12.02)" in got.output  # 12.01 within reach
    local, from_wl = _text(tmp_path / "l.pdf"), _text(tmp_path / "w.pdf")
    assert local[0] == from_wl[0] > 2
    assert local[1] == from_wl[1]


def test_dossier_reads_only_the_partitions_it_needs(
    office: tuple[OfficeWorkload, Path], tmp_path: Path
) -> None:
    _, root = office
    wl = read_workload(root)
    codes = ["12.01.01"]
    assert partitions_of(wl, codes) == ("12.01",)
    # 12.01.01 lies 7 km from kabupaten 12.02: within the 8 km a tall site reaches on flat
    # land (its MSMEs could be served from 12.01.01), beyond a 1 km reach.
    short = ReachParams(radius_km=1.0)
    full_layers, full = workload_area_facts(
        wl, codes, level="kecamatan", covered_min=1.0, reach=short
    )
    areas = full_layers.areas["kecamatan"]
    assert partitions_near(wl, codes, areas, within_m=reach_limit_m()) == ("12.01", "12.02")
    assert partitions_near(wl, codes, areas, within_m=reach_limit_m(short)) == ("12.01",)
    cut = tmp_path / "cut"
    shutil.copytree(root, cut)
    for layer in ("msme", "speed_tiles"):  # the MSMEs of 12.02 gone: not needed here
        shutil.rmtree(cut / layer / "part=12.02")
    layers, facts = workload_area_facts(
        read_workload(cut), codes, level="kecamatan", covered_min=1.0, reach=short
    )
    assert len(layers.msme) == len(full_layers.msme) > 0
    np.testing.assert_array_equal(facts.area_index, full.area_index)
    np.testing.assert_array_equal(facts.coverage.covered, full.coverage.covered)
    placed = set(areas["kode"].to_numpy()[facts.area_index[facts.area_index >= 0]])
    assert "12.01.01" in placed
    assert not any(k.startswith("12.02") for k in placed)


def test_workload_with_own_files_is_a_usage_error(
    office: tuple[OfficeWorkload, Path], tmp_path: Path
) -> None:
    files, wl = office
    got = CliRunner().invoke(
        app,
        ["dossier", "--workload", str(wl), "--areas", str(files.kec),
         "--out", str(tmp_path / "x.pdf")],
    )  # fmt: skip
    assert got.exit_code == 2
    assert "E_USAGE" in got.output


def test_sites_from_workload_equal_local(
    office: tuple[OfficeWorkload, Path], tmp_path: Path
) -> None:
    """``sites --workload`` writes the local CSVs; with --within and a 1 km reach it does
    without the other kabupaten's MSMEs."""
    files, root = office
    own = [
        "--areas", str(files.kec), "--name-col", "NMKEC", "--msme", str(files.msme),
        "--coverage", str(files.coverage), "--towers", str(files.towers),
        "--speedtests", str(files.tiles), "--backbone", str(files.backbone),
    ]  # fmt: skip
    cut = tmp_path / "cut"
    shutil.copytree(root, cut)
    for layer in ("msme", "speed_tiles"):
        shutil.rmtree(cut / layer / "part=12.02")
    runner = CliRunner()
    runs = {
        "all": (["--count", "3"], root),
        "within": (["--count", "2", "--within", "12.01.01", "--radius-km", "1"], cut),
    }
    for name, (args, wl) in runs.items():
        outs = {}
        for how, source in (("l", own), ("w", ["--workload", str(wl)])):
            out, per = tmp_path / f"{name}{how}.csv", tmp_path / f"{name}{how}-per.csv"
            got = runner.invoke(
                app, ["sites", *source, *args, "--out", str(out), "--per-area-out", str(per)]
            )
            assert got.exit_code == 0, got.output
            outs[how] = (out.read_bytes(), per.read_bytes())
        assert outs["l"] == outs["w"], name
        assert outs["w"][0].count(b"\n") > 1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_rank_pdf_from_workload_equals_local(
    office: tuple[OfficeWorkload, Path], tmp_path: Path
) -> None:
    files, wl = office
    own = [
        "--areas", str(files.kec), "--name-col", "NMKEC", "--msme", str(files.msme),
        "--coverage", str(files.coverage), "--towers", str(files.towers),
        "--speedtests", str(files.tiles), "--backbone", str(files.backbone),
    ]  # fmt: skip
    common = ["--within", "12.02", "--top", "1", "--draws", "5"]
    runner = CliRunner()
    got = runner.invoke(app, ["rank", *own, *common, "--out", str(tmp_path / "l.pdf")])
    assert got.exit_code == 0, got.output
    got = runner.invoke(
        app,
        ["rank", "--engine", "dask", "--scheduler", "synchronous", "--workload", str(wl),
         *common, "--out", str(tmp_path / "w.pdf")],
    )  # fmt: skip
    assert got.exit_code == 0, got.output
    local, from_wl = _text(tmp_path / "l.pdf"), _text(tmp_path / "w.pdf")
    assert local[0] == from_wl[0] > 2
    assert local[1] == from_wl[1]
