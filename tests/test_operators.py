"""Operators reaching MSMEs with a modelled reach, by hand and on own kecamatan/desa files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from infra_gap.analysis.operators import msme_no_operator, operator_reach, operators_per_group
from infra_gap.analysis.reach import ReachParams
from infra_gap.cli.main import app
from tests.evidence_files import EvidenceFiles, build_evidence


def test_existing_site_reach_is_the_siting_config() -> None:
    assert ReachParams().existing_site_m == 4_000.0  # 42 m tower, hilly (the default)
    assert ReachParams(terrain="flat").existing_site_m == 8_000.0
    assert ReachParams(radius_km=3.0).existing_site_m == 1_500.0  # hilly halves it


def test_reach_counts_sites_not_cells_by_hand() -> None:
    # Operator A: a site at x=0 (two cells, the second one 900 m off, not its site's first);
    # operator B: one site at x=2000.  Reach 1000 m.
    sites = pd.DataFrame({"operator": ["A", "A", "B"], "site_first": [True, False, True]})
    tx, ty = np.array([0.0, 900.0, 2000.0]), np.zeros(3)
    x = np.array([500.0, 1500.0, 2600.0, 5000.0, np.nan])
    reached, ops = operator_reach(x, np.zeros(5), sites, tx=tx, ty=ty, radius_m=1000.0)
    assert ops == ("A", "B")
    # 1500 is 1500 m from A's site (the 900 m cell does not place a site) but 500 m from B
    assert reached.tolist() == [
        [True, False], [False, True], [False, True], [False, False], [False, False],
    ]  # fmt: skip
    # areas: 0 holds the first two points, 1 the next two, the last is unplaced
    area = np.array([0, 0, 1, 1, -1])
    assert operators_per_group(reached, area, 3).tolist() == [2, 1, 0]
    assert msme_no_operator(reached, area, 3).tolist() == [0, 1, 0]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> EvidenceFiles:
    return build_evidence(tmp_path_factory.mktemp("operators"))


def _ranked(files: EvidenceFiles, level: str, out: Path) -> pd.DataFrame:
    result = CliRunner().invoke(
        app, ["rank", *files.args(level), "--stability", "0", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype={"kode": str}, encoding="utf-8-sig")
    return table.set_index("kode").sort_index()


def test_operators_reaching_per_kecamatan(files: EvidenceFiles, tmp_path: Path) -> None:
    got = _ranked(files, "kecamatan", tmp_path / "k.csv")
    # Indosat's site stands outside every kecamatan: no tower inside .02 or .04, yet it
    # reaches MSMEs of both; XL and Telkomsel both reach .03.
    assert got["tower_count"].to_dict() == {
        "12.71.01": 1, "12.71.02": 0, "12.71.03": 1, "12.71.04": 0,
    }  # fmt: skip
    assert got["operators_reaching"].to_dict() == {
        "12.71.01": 1, "12.71.02": 1, "12.71.03": 2, "12.71.04": 1,
    }  # fmt: skip
    assert got["msme_no_operator"].to_dict() == {
        "12.71.01": 0, "12.71.02": 5, "12.71.03": 0, "12.71.04": 5,
    }  # fmt: skip
    assert got.loc["12.71.02", "msme_no_operator_share"] == pytest.approx(5 / 6)


def test_operators_reaching_per_desa(files: EvidenceFiles, tmp_path: Path) -> None:
    got = _ranked(files, "desa", tmp_path / "d.csv")
    zero = set(got.index[got["operators_reaching"] == 0])
    assert zero == {"12.71.02.1001", "12.71.04.1002"}
    assert got.loc["12.71.03.1001", "operators_reaching"] == 2
    assert got["msme_no_operator"].sum() == 10  # the kecamatan figures, summed


def test_coverage_raster_tagged_with_its_operator(files: EvidenceFiles, tmp_path: Path) -> None:
    # One raster per run, its operator stated with --sources; per-operator evidence beside
    # it comes from the towers (docs/data-dictionary.md, "Evidence by operator").
    sources = tmp_path / "sumber.toml"
    sources.write_text(
        '[coverage]\nsource = "Peta 4G Telkomsel"\ndate = 2025-06-30\nlicence = "internal"\n'
        'operator = "Telkomsel"\ntechnology = "4G LTE"\n',
        encoding="utf-8",
    )
    out = tmp_path / "k.csv"
    result = CliRunner().invoke(
        app,
        ["rank", *files.args("kecamatan"), "--sources", str(sources), "--stability", "0",
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    schema = json.loads((tmp_path / "k.schema.json").read_text(encoding="utf-8"))
    coverage = next(s for s in schema["sources"] if s["layer"] == "coverage")
    assert (coverage["operator"], coverage["technology"]) == ("Telkomsel", "4G LTE")
    names = {f["name"] for f in schema["fields"]}
    assert {"operators_reaching", "msme_no_operator", "msme_no_operator_share"} <= names
