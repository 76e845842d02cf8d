"""Every command and export on a province's own files, at kecamatan and desa level.

The files are small and shaped like an office's (``tests/own_files.py``): BIG-style
upper-case columns with several name columns, UTM, a ``;`` decimal-comma MSME CSV.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from typer.testing import CliRunner

from infra_gap.cli import app
from tests.own_files import KEC, OwnFiles, build


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


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("level", ["kecamatan", "desa"])
def test_rank_gpkg_on_own_areas(own: OwnFiles, tmp_path: Path, level: str) -> None:
    out = tmp_path / "r.gpkg"
    _invoke("rank", *_inputs(own, level), "--stability", "20", "--out", str(out))
    layers = {name for name, _ in pyogrio.list_layers(out)}
    assert {f"ranked_{level}", "msme_uncovered", "towers", "backbone"} <= layers
    ranked = gpd.read_file(out, layer=f"ranked_{level}")
    assert len(ranked) == (4 if level == "kecamatan" else 8)
    pts = gpd.read_file(out, layer="msme_uncovered")
    assert len(pts) == own.uncovered  # the row without coordinates is rejected, not placed
    east = {code for code, (_, col, _) in KEC.items() if col == 1}
    assert {c[:8] for c in pts[f"kode_{level}"]} == east
