"""Podes-style signal classes: the reader's rules and errors, and the podes_* indicators."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from infra_gap.cli.main import app
from infra_gap.errors import LimitError, SchemaError
from infra_gap.io import read_podes
from tests.evidence_files import EvidenceFiles, build_evidence


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_classes_in_words_any_case_both_languages() -> None:
    data = _csv(
        "Kode_Desa;Kondisi_Sinyal\n12.04.01.2001;Sinyal Sangat Kuat\n12.04.01.2002;kuat\n"
        "12.04.01.2003;LEMAH\n12.04.01.2004;Tidak ada sinyal\n12.04.01.2005;none\n"
        "12.04.01.2001;sinyal sangat kuat\n"
    )
    got = read_podes(data, name="podes.csv")
    assert got["kode"].tolist()[:2] == ["12.04.01.2001", "12.04.01.2002"]
    assert got["signal"].tolist() == ["sangat_kuat", "kuat", "lemah", "tidak_ada", "tidak_ada"]
    assert got["row"].tolist() == [2, 3, 4, 5, 6]  # the repeated row 7 (same class) kept once


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("kode;x\n12.04.01.2001;kuat\n", r"\['sinyal'\] missing"),
        ("kode;sinyal\n", "no rows"),
        ("kode;sinyal\n12.04.01;kuat\n", r"row 2, column 'kode': '12.04.01' is not a desa code"),
        ("kode;sinyal\n1204012001;kuat\n", "a BPS code"),
        ("kode;sinyal\n12.04.01.2001;2\n", r"row 2, column 'sinyal': '2' is not a Podes signal"),
        (
            "kode;sinyal\n12.04.01.2001;kuat\n12.04.01.2001;lemah\n",
            r"rows \[2, 3\], column 'sinyal': desa 12.04.01.2001 has two signal classes",
        ),
    ],
)
def test_bad_tables_name_file_row_and_column(text: str, match: str) -> None:
    with pytest.raises(SchemaError, match=match) as err:
        read_podes(_csv(text), name="podes.csv")
    assert str(err.value).startswith("podes.csv")
    assert err.value.code == "E_SCHEMA"


def test_row_budget_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRA_GAP_LIMITS", "max_table_rows=3")
    rows = "".join(f"12.04.01.{2001 + i};kuat\n" for i in range(5))
    with pytest.raises(LimitError, match=r"podes\.csv"):
        read_podes(_csv("kode;sinyal\n" + rows), name="podes.csv")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> EvidenceFiles:
    return build_evidence(tmp_path_factory.mktemp("podes"))


def _rank(files: EvidenceFiles, level: str, out: Path) -> tuple[str, pd.DataFrame]:
    result = CliRunner().invoke(
        app, ["rank", *files.args(level, podes=True), "--stability", "0", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return result.stdout, pd.read_csv(out, dtype={"kode": str}, encoding="utf-8-sig")


def test_podes_rolled_up_to_kecamatan(files: EvidenceFiles, tmp_path: Path) -> None:
    stdout, got = _rank(files, "kecamatan", tmp_path / "k.csv")
    assert "rows: podes read 8, placed 8, rejected 0" in stdout
    got = got.set_index("kode").sort_index()
    # by hand from tests/evidence_files.PODES: .02 and .04 each have one desa without signal
    # and one weak; the western kecamatan are strong or very strong
    assert got["podes_desa"].tolist() == [2, 2, 2, 2]
    assert got["podes_no_signal"].tolist() == [0, 1, 0, 1]
    assert got["podes_no_signal_share"].tolist() == [0.0, 0.5, 0.0, 0.5]
    assert got["podes_weak_or_no_signal_share"].tolist() == [0.0, 1.0, 0.0, 1.0]


def test_podes_flag_per_desa(files: EvidenceFiles, tmp_path: Path) -> None:
    _, got = _rank(files, "desa", tmp_path / "d.csv")
    flagged = set(got.loc[got["podes_no_signal_share"] == 1, "kode"])
    assert flagged == {"12.71.02.1001", "12.71.04.1002"}


def test_podes_row_outside_the_areas_is_rejected_and_counted(tmp_path: Path) -> None:
    files = build_evidence(tmp_path)
    text = files.podes.read_text(encoding="utf-8") + "12.99.01.2001;Desa Lain;kuat\n"
    files.podes.write_text(text, encoding="utf-8")
    stdout, got = _rank(files, "kecamatan", tmp_path / "k.csv")
    assert "rows: podes read 9, placed 8, rejected 1" in stdout
    assert "no area with this desa code" in stdout
    assert got["podes_desa"].sum() == 8
