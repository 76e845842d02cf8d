"""Coverage per operator (#16.2): --operator-coverage OPERATOR=FILE.tif on own kecamatan files.

Two operator rasters over ``tests/own_files.py`` (2 x 2 kecamatan of 4 km, two desa each,
three MSMEs per desa), 1 km pixels in UTM, no data 255:

* Telkomsel covers the southern kecamatan (12.71.01, .02);
* XL Axiata covers the western column (.01, .03), with no data over .03's northern desa.

By hand: operators covering each kecamatan's MSMEs .01 2, .02 1, .03 1, .04 0; MSMEs covered
by no operator .01 0 of 6, .02 0, .03 3 (the northern desa), .04 6.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine
from typer.testing import CliRunner

from infra_gap.cli.main import app
from tests.own_files import UTM, X0, Y0, OwnFiles, build

Files = tuple[OwnFiles, Path, Path]


def _raster(path: Path, array: np.ndarray) -> Path:
    with rasterio.open(
        path, "w", driver="GTiff", width=8, height=8, count=1, dtype="uint8", crs=UTM,
        transform=Affine(1000.0, 0, X0, 0, -1000.0, Y0 + 8000.0), nodata=255,
    ) as dst:  # fmt: skip
        dst.write(array, 1)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    folder = tmp_path_factory.mktemp("opcov")
    own = build(folder)
    tsel = np.zeros((8, 8), dtype="uint8")
    tsel[4:, :] = 1  # rows 4-7: y below Y0 + 4 km, the southern kecamatan
    xl = np.zeros((8, 8), dtype="uint8")
    xl[:, :4] = 1  # the western column
    xl[:2, :4] = 255  # no data over 12.71.03's northern desa (y from Y0 + 6 km)
    return own, _raster(folder / "tsel.tif", tsel), _raster(folder / "xl.tif", xl)


def _rank(
    files: Files, out: Path, *extra: str, level: str = "kecamatan"
) -> tuple[str, pd.DataFrame]:
    own, tsel, xl = files
    areas = (
        ["--areas", str(own.kec), "--name-col", "NMKEC"]
        if level == "kecamatan"
        else ["--areas", str(own.desa), "--name-col", "NAMOBJ"]
    )
    args = [
        "rank", *areas, "--level", level, "--msme", str(own.msme),
        "--operator-coverage", f"Telkomsel={tsel}", "--operator-coverage", f"XL Axiata={xl}",
        "--stability", "0", "--out", str(out), *extra,
    ]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"kode": str}, encoding="utf-8-sig")
    return result.output, table.set_index("kode").sort_index()


def test_counts_per_kecamatan_and_the_union_as_coverage(files: Files, tmp_path: Path) -> None:
    output, got = _rank(files, tmp_path / "k.csv")
    assert got["operators_covering"].tolist() == [2, 1, 1, 0]
    assert got["msme_no_operator_coverage"].tolist() == [0, 0, 3, 6]
    assert got["msme_no_operator_coverage_share"].tolist() == [0.0, 0.0, 0.5, 1.0]
    # no --coverage: the union of the two rasters is the coverage, and the output says so
    assert "the union of the 2 operator coverage raster(s) (Telkomsel, XL Axiata)" in output
    assert got["msme_uncovered"].tolist() == [0, 0, 3, 6]
    # .03's northern desa: not covered by Telkomsel, no data in XL's raster: unknown
    assert got["msme_coverage_unknown"].tolist() == [0, 0, 3, 0]
    assert "area_uncovered_share" not in got.columns
    sources = [line for line in output.splitlines() if line.startswith("source: ")]
    assert any("tsel.tif (Telkomsel)" in line for line in sources), sources
    assert any("xl.tif (XL Axiata)" in line for line in sources), sources


def test_large_rasters_are_sampled_in_windows_to_the_same_counts(
    files: Files, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import infra_gap.io

    monkeypatch.setattr(infra_gap.io, "MAX_RASTER_CELLS", 10)  # 64 cells: a RasterFile
    _, got = _rank(files, tmp_path / "k.csv")
    assert got["operators_covering"].tolist() == [2, 1, 1, 0]
    assert got["msme_no_operator_coverage"].tolist() == [0, 0, 3, 6]
    assert got["msme_coverage_unknown"].tolist() == [0, 0, 3, 0]


def test_main_coverage_keeps_its_meaning(files: Files, tmp_path: Path) -> None:
    own = files[0]
    output, got = _rank(files, tmp_path / "k.csv", "--coverage", str(own.coverage))
    assert "union" not in output
    # cov.tif covers the western column: the eastern kecamatan are uncovered by it
    assert got["msme_uncovered"].tolist() == [0, 6, 0, 6]
    assert got["operators_covering"].tolist() == [2, 1, 1, 0]
    assert got["msme_no_operator_coverage"].tolist() == [0, 0, 3, 6]


def test_desa_level(files: Files, tmp_path: Path) -> None:
    _, got = _rank(files, tmp_path / "d.csv", level="desa")
    assert got.loc["12.71.03.1001", "operators_covering"] == 1
    assert got.loc["12.71.03.1002", "operators_covering"] == 0
    assert got.loc["12.71.03.1002", "msme_no_operator_coverage_share"] == 1.0
    assert got["msme_no_operator_coverage"].sum() == 9


def test_sites_take_the_union_as_coverage(files: Files, tmp_path: Path) -> None:
    own, tsel, xl = files
    args = [
        "sites", "--areas", str(own.kec), "--msme", str(own.msme), "--count", "1",
        "--operator-coverage", f"Telkomsel={tsel}", "--operator-coverage", f"XL Axiata={xl}",
        "--out", str(tmp_path / "s.csv"),
    ]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "coverage: no --coverage given; the union" in result.output
    # by hand: 3 MSMEs of 12.71.03's northern desa and 6 of 12.71.04 are covered by neither
    assert "demand: 9 MSMEs not covered" in result.output


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("Telkomsel", "no '='"),
        ("=x.tif", "operator name before '=' is empty"),
        ("  =x.tif", "operator name before '=' is empty"),
        ("Telkomsel=", "file after '=' is empty"),
        ("Telkomsel=missing.tif", "no such file"),
    ],
)
def test_malformed_value_is_a_coded_usage_error(files: Files, value: str, match: str) -> None:
    own = files[0]
    args = ["rank", "--areas", str(own.kec), "--msme", str(own.msme)]
    result = CliRunner().invoke(app, [*args, "--operator-coverage", value])
    assert result.exit_code == 2
    assert "error [E_USAGE]: --operator-coverage" in result.output
    assert match in result.output


def test_dask_engine_refuses(files: Files) -> None:
    own, tsel, _ = files
    args = ["rank", "--engine", "dask", "--areas", str(own.kec), "--msme", str(own.msme)]
    result = CliRunner().invoke(app, [*args, "--operator-coverage", f"Telkomsel={tsel}"])
    assert result.exit_code == 2
    assert "--operator-coverage works with the local engine only" in result.output
