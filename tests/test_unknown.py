"""Unknown speed evidence and the NTIA switch (``unknown_as_need``), by hand and end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from infra_gap.analysis.unknown import presume_unknown, speed_evidence
from infra_gap.cli.main import app
from infra_gap.errors import ScoringError
from infra_gap.ranking.scenario import Scenario, run_scenario, scenario_from_toml, scenario_to_toml
from infra_gap.ranking.scoring import rank_areas
from infra_gap.ranking.stability import StabilityParams
from tests.evidence_files import EvidenceFiles, build_evidence

LEVELS = ["kecamatan", "desa"]


def _table() -> pd.DataFrame:
    # a: measured, slow; b: measured, fast; c: no test at all (unknown evidence)
    return pd.DataFrame(
        {
            "kode": ["a", "b", "c"],
            "speed_tests": [60, 80, 0],
            "speed_down_mbps": [2.0, 20.0, np.nan],
            "speed_up_mbps": [0.5, 5.0, np.nan],
            "speed_latency_ms": [90.0, 30.0, np.nan],
            "msme_below_4g_speed": [4, 0, 0],
            "msme_no_tests": [1, 2, 7],
        }
    )


def test_speed_evidence_by_tests() -> None:
    assert speed_evidence(np.array([0, 1, 50])).tolist() == ["unknown", "known", "known"]
    assert speed_evidence(np.array([np.nan])).tolist() == ["unknown"]


def test_presumed_values_by_hand() -> None:
    table = _table()
    on = presume_unknown(table, unknown_as_need=True)
    # c takes the worst measured speed: lowest download/upload, highest latency
    assert on["speed_down_mbps"].tolist() == [2.0, 20.0, 2.0]
    assert on["speed_up_mbps"].tolist() == [0.5, 5.0, 0.5]
    assert on["speed_latency_ms"].tolist() == [90.0, 30.0, 90.0]
    # MSMEs in tiles without tests count as below 4G: 4+1, 0+2, 0+7
    assert on["msme_below_4g_speed"].tolist() == [5, 2, 7]
    assert table["speed_down_mbps"].isna().sum() == 1  # the input is not changed
    assert presume_unknown(table, unknown_as_need=False) is table


def test_switch_decides_rank_of_unknown_area() -> None:
    table = _table()
    on = rank_areas(table, {"speed_down_mbps": 1.0})
    off = rank_areas(table, {"speed_down_mbps": 1.0}, unknown_as_need=False)
    # on: c ties with a at the worst speed (score 1), ties go by code; off: c adds nothing
    assert on["kode"].tolist() == ["a", "c", "b"]
    assert on.set_index("kode")["score"].to_dict() == {"a": 1.0, "c": 1.0, "b": 0.0}
    assert off["kode"].tolist() == ["a", "b", "c"]
    # the table's own values stay as measured
    assert on.set_index("kode")["speed_down_mbps"].isna().to_dict()["c"]
    counts = rank_areas(table, {"msme_below_4g_speed": 1.0})
    assert counts["kode"].tolist() == ["c", "a", "b"]


def test_scenario_switch_round_trip_and_stability() -> None:
    s = Scenario(
        preset="custom",
        weights={"speed_down_mbps": 1.0},
        unknown_as_need=False,
        stability=StabilityParams(draws=0),
    )
    text = scenario_to_toml(s)
    assert "unknown_as_need = false" in text
    assert scenario_from_toml(text).unknown_as_need is False
    assert Scenario().unknown_as_need is True
    with pytest.raises(ScoringError, match="unknown_as_need"):
        scenario_from_toml('unknown_as_need = "ya"\n')
    result = run_scenario(_table(), s)
    assert result.ranked.set_index("kode")["rank_high"]["c"] == 3  # off: c is last


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> EvidenceFiles:
    return build_evidence(tmp_path_factory.mktemp("evidence"))


def _rank(files: EvidenceFiles, level: str, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        app,
        [
            "rank", *files.args(level), "--weight", "msme_below_4g_speed=1",
            "--stability", "0", "--out", str(out), *extra,
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("level", LEVELS)
def test_rank_states_the_switch_on_own_files(
    files: EvidenceFiles, tmp_path: Path, level: str
) -> None:
    on_out, off_out = tmp_path / "on.csv", tmp_path / "off.csv"
    stdout = _rank(files, level, on_out)
    assert "no speed test counts as need (NTIA rule): on" in stdout
    stdout = _rank(files, level, off_out, "--no-unknown-as-need")
    assert "no speed test counts as need (NTIA rule): off" in stdout
    on = pd.read_csv(on_out, dtype={"kode": str}, encoding="utf-8-sig")
    off = pd.read_csv(off_out, dtype={"kode": str}, encoding="utf-8-sig")
    # speed tiles only over the western kecamatan: the eastern ones have unknown evidence
    unknown = set(on.loc[on["speed_evidence"] == "unknown", "kode"].str[:8])
    assert unknown == files.east
    # on: the untested east leads; off: only measured slow areas score, the east scores 0
    assert set(on.loc[on["score"] > 0, "kode"].str[:8]) >= files.east
    assert (off.loc[off["kode"].str[:8].isin(files.east), "score"] == 0).all()
    schema_on = json.loads((tmp_path / "on.schema.json").read_text(encoding="utf-8"))
    schema_off = json.loads((tmp_path / "off.schema.json").read_text(encoding="utf-8"))
    assert schema_on["method"]["unknownAsNeed"] is True
    assert schema_off["method"]["unknownAsNeed"] is False
    assert "NTIA" in schema_on["method"]["unknownRule"]


def test_xlsx_metodologi_states_the_switch(files: EvidenceFiles, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    _rank(files, "kecamatan", out, "--no-unknown-as-need")
    book = openpyxl.load_workbook(out)  # not read-only: that keeps the file open
    sheet = next(ws for ws in book.worksheets if ws.title == "Metodologi")
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r and r[0]}
    label = next(k for k in rows if "unknown_as_need" in str(k))
    assert "dimatikan" in str(rows[label])


def test_pdf_annex_states_the_switch(files: EvidenceFiles, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    _rank(files, "kecamatan", out, "--no-unknown-as-need", "--lang", "en")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "No speed test is not need: a missing value adds 0" in text


def test_geopackage_metadata_states_the_switch(files: EvidenceFiles, tmp_path: Path) -> None:
    out = tmp_path / "r.gpkg"
    _rank(files, "kecamatan", out, "--no-unknown-as-need")
    with sqlite3.connect(out) as con:
        docs = [json.loads(r[0]) for r in con.execute("SELECT metadata FROM gpkg_metadata")]
    method = next(d["method"] for d in docs if "method" in d)
    assert method["unknownAsNeed"] is False
    assert "NTIA" in method["unknownRule"]
