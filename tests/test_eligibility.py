"""BAKTI eligibility: the 3T list of Perpres 63/2020, priority lists and the coverage condition."""

import pandas as pd
import pytest
from typer.testing import CliRunner

from infra_gap import io
from infra_gap.analysis import pipeline
from infra_gap.analysis.pipeline import place_and_cover
from infra_gap.cli import main as cli
from infra_gap.config import DISADVANTAGED_LIST_FILE
from infra_gap.errors import DataError, SchemaError
from infra_gap.outputs.export import bare_column
from infra_gap.ranking.eligibility import (
    EligibilityRules,
    eligibility,
    listed_areas,
    load_rules,
    only_eligible,
    with_eligibility,
)
from tests.conftest import DATA

runner = CliRunner()
THREE_T = ("12.04", "12.14", "12.24", "12.25")


@pytest.fixture(scope="module")
def rules():
    return load_rules(DATA)


def test_the_shipped_list_is_perpres_63_2020_with_its_period_and_note():
    frame = io.read_area_list(DATA / DISADVANTAGED_LIST_FILE)
    assert frame["kode"].tolist() == list(THREE_T)
    assert frame["nama"].tolist() == [
        "Kabupaten Nias",
        "Kabupaten Nias Selatan",
        "Kabupaten Nias Utara",
        "Kabupaten Nias Barat",
    ]
    assert set(frame["periode"]) == {"2020-2024"}
    assert frame["dasar_hukum"].str.contains("Nomor 63 Tahun 2020").all()
    assert frame["catatan"].str.contains("ganti").all()  # a note to replace it
    assert EligibilityRules(disadvantaged=listed_areas(frame)).basis == "Perpres 63/2020"


def test_rule_on_codes_at_every_level(rules):
    table = pd.DataFrame(
        {
            "kode": [
                "12.04",  # Nias, the kabupaten itself
                "12.14.31",  # a kecamatan of Nias Selatan
                "12.25.01.2001",  # a desa of Nias Barat
                "12.10",  # Labuhanbatu: not 3T
                "12.10.01.1001",  # a kelurahan of Labuhanbatu
                "12.24.02.2003",  # a desa of Nias Utara, every MSME covered
                "12.71",  # Kota Medan
            ],
            "msme_uncovered": [50, 7, 1, 900, 400, 0, 5000],
        }
    )
    found = eligibility(table, rules, lang="en")
    assert found["eligible"].tolist() == [True, True, True, False, False, False, False]
    basis = found["eligible_basis"].tolist()
    assert basis[0].startswith("Disadvantaged (3T) area: Kabupaten Nias, Perpres 63/2020")
    assert "period 2020-2024" in basis[0]
    assert "50 MSMEs without 4G" in basis[0]
    assert "Kabupaten Nias Selatan" in basis[1]
    assert basis[3].startswith("Not a 3T area (Perpres 63/2020)")
    assert "already covered" in basis[5]
    assert "Nias Utara" in basis[5]
    indonesian = eligibility(table, rules, lang="id")["eligible_basis"].tolist()
    assert indonesian[0].startswith("Daerah tertinggal (3T): Kabupaten Nias")
    assert indonesian[3].startswith("Bukan daerah 3T")


def test_code_prefix_must_end_at_a_dot():
    rules = EligibilityRules(
        disadvantaged=listed_areas(pd.DataFrame({"kode": ["12.1"], "sumber": ["x"]}))
    )
    found = eligibility(pd.DataFrame({"kode": ["12.1", "12.10", "12.1.01"]}), rules, lang="en")
    assert found["eligible"].tolist() == [True, False, True]


def test_without_the_need_column_the_coverage_condition_is_not_applied(rules):
    found = eligibility(pd.DataFrame({"kode": ["12.04.01", "12.10.01"]}), rules, lang="en")
    assert found["eligible"].tolist() == [True, False]


def _priority_csv(path, text):
    path.write_bytes(text.encode("utf-8-sig"))
    return path


def test_priority_list_office_style_semicolon_csv(tmp_path, rules):
    """Upper-case columns, ';' separator, a code that pandas would read as 12.1."""
    path = _priority_csv(
        tmp_path / "prioritas.csv",
        "KODE;NAMA;SUMBER\n"
        "12.10;Kabupaten Labuhanbatu;Surat Bupati 2025\n"
        "12.08.05.2001;Desa Perbatasan;Kemendagri lokasi prioritas 2024\n"
        "12.08.05.2001;Desa Perbatasan;BNPP 2023\n",
    )
    frame = io.read_area_list(path)
    assert frame["kode"].tolist() == ["12.10", "12.08.05.2001"]  # text, twice listed once
    assert frame["sumber"].tolist()[1] == "Kemendagri lokasi prioritas 2024; BNPP 2023"
    with_priority = load_rules(DATA, priority_list=path)
    table = pd.DataFrame(
        {
            "kode": ["12.10.01.1001", "12.08.05.2001", "12.08.05", "12.08.06", "12.04.01"],
            "msme_uncovered": [3, 2, 9, 9, 1],
        }
    )
    found = eligibility(table, with_priority, lang="en")
    assert found["eligible"].tolist() == [True, True, True, False, True]
    assert (
        "Priority location: Kabupaten Labuhanbatu (Surat Bupati 2025)"
        in (found["eligible_basis"][0])
    )
    assert found["eligible_basis"][2].startswith("Contains a priority location: Desa Perbatasan")
    assert eligibility(table, rules, lang="en")["eligible"].tolist()[:4] == [False] * 4


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("kode,nama\n12.10,A\n", "column(s) ['sumber'] missing"),
        ("kode,sumber\n12.10,Surat\n12-08,Surat\n", "row 3, column 'kode': '12-08'"),
        ("kode,sumber\n12.10,Surat\n12.08,\n", "row 3, column 'sumber': the source is blank"),
        ("kode,sumber\n", "no rows"),
    ],
)
def test_bad_priority_list_names_file_row_and_column(tmp_path, text, needle):
    path = _priority_csv(tmp_path / "p.csv", text)
    with pytest.raises(SchemaError, match=r"p\.csv") as err:
        io.read_area_list(path)
    assert needle in str(err.value)


def test_ineligible_rows_keep_score_and_rank(rules):
    ranked = pd.DataFrame(
        {"rank": [1, 2, 3], "kode": ["12.10.01", "12.04.01", "12.71.01"], "score": [0.9, 0.5, 0.1]}
    )
    ranked["msme_uncovered"] = [10, 10, 10]
    out = with_eligibility(ranked, rules, lang="id")
    assert out[["rank", "kode", "score"]].equals(ranked[["rank", "kode", "score"]])
    assert out["eligible"].tolist() == [False, True, False]
    assert only_eligible(out)["rank"].tolist() == [2]
    with pytest.raises(DataError, match="no area is eligible"):
        only_eligible(out[out["kode"] != "12.04.01"])


@pytest.fixture
def fast(monkeypatch, demo_layers):
    facts = place_and_cover(demo_layers, covered_min=1.0)
    monkeypatch.setattr(pipeline, "place_and_cover", lambda *_, covered_min: facts)


def _csv(path):
    return pd.read_csv(path, dtype={"kode": "str"}, encoding="utf-8-sig").rename(
        columns=bare_column
    )


def test_demo_desa_eligible_only_lists_the_four_3t_kabupaten(tmp_path, fast):
    full, only = tmp_path / "full.csv", tmp_path / "only.csv"
    base = ["rank", "--level", "desa", "--stability", "0", "--lang", "en"]
    first = runner.invoke(cli.app, [*base, "--out", str(full)])
    second = runner.invoke(cli.app, [*base, "--eligible-only", "--out", str(only)])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    every, kept = _csv(full), _csv(only)
    kab = every["kode"].str.slice(0, 5)
    in_3t = kab.isin(THREE_T) & (every["msme_uncovered"] > 0)
    assert every["eligible"].tolist() == in_3t.tolist()
    assert kept["kode"].str.slice(0, 5).isin(THREE_T).all()
    assert sorted(kept["kode"]) == sorted(every.loc[in_3t, "kode"])
    assert kept["rank"].tolist() == every.loc[in_3t, "rank"].tolist()  # province-wide ranks
    assert f"{int(in_3t.sum()):,} of 6,110 areas eligible" in second.output
    assert kept["eligible_basis"].str.contains("Perpres 63/2020").all()
