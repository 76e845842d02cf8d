"""The catalogue table is generated from the tests' marks, and the committed one is current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.catalogue import CASES, Case
from tests.gen_catalogue import TABLE, TESTS, main, render, scan

#: A mark as it is written in a test module (spelled in two parts so this file has none).
MARK = "@pytest.mark." + "catalogue("


@pytest.fixture(scope="module")
def covers():
    """The tests covering each case, read once for this module."""
    return scan()


def test_committed_table_is_what_the_generator_writes(covers):
    assert TABLE.read_text(encoding="utf-8") == render(covers), (
        "tests/catalogue_cases.md is stale: run `make catalogue` and commit it"
    )


def test_every_mark_in_the_tests_is_read(covers):
    """A mark the generator does not see (an alias, a module-level mark) would go uncounted."""
    written = {
        path.stem: path.read_text(encoding="utf-8").count(MARK)
        for path in TESTS.glob("test_*.py")
        if path.name != Path(__file__).name
    }
    read: dict[str, set[tuple[str, int]]] = {}
    for found in covers.values():
        for cover in found:
            read.setdefault(cover.module, set()).add((cover.function, cover.line))
    assert {m: n for m, n in written.items() if n} == {m: len(f) for m, f in read.items()}


def test_every_case_is_listed_once_with_a_known_group():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert sum(case.in_catalogue for case in CASES) == 89  # reliability.md section 3
    assert all(re.fullmatch(r"[A-HJK]\d+b?", i) for i in ids)


def test_counts_come_from_the_marks(tmp_path):
    cases = (Case("A1", "big file"), Case("A2", "wrong name"), Case("B1", "url", partial=True))
    (tmp_path / "test_one.py").write_text(
        "import pytest\n\n\n"
        f'{MARK}"A1", "B1")\ndef test_a():\n    pass\n\n\n'
        f'{MARK}"A2")\n@pytest.mark.xfail(strict=True, reason="BUG")\ndef test_b():\n    pass\n',
        encoding="utf-8",
    )
    found = scan(tmp_path, cases)
    assert [c.label for c in found["A1"]] == ["test_one::test_a"]
    assert [c.label for c in found["A2"]] == ["test_one::test_b (xfail)"]
    text = render(found, cases)
    assert "**2 of the 3 cases have a passing test** (1 of them partial: B1)" in text
    assert "**1 known failing** (A2)" in text
    assert "| A archive and upload | 2 | 1 | — | A2 | — |" in text
    assert "| B1 url | test_one::test_a | partial: " in text


@pytest.mark.parametrize(
    ("source", "error"),
    [
        (f'{MARK}"Z9")\ndef test_a():\n    pass\n', "unknown case 'Z9'"),
        (f"{MARK})\ndef test_a():\n    pass\n", "literal texts"),
        (f"{MARK}CASE)\ndef test_a():\n    pass\n", "literal texts"),
    ],
)
def test_a_bad_mark_stops_the_generator(tmp_path, source, error):
    (tmp_path / "test_bad.py").write_text(f"import pytest\n\n\n{source}", encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        scan(tmp_path, CASES)


def test_check_says_stale_until_the_table_is_written(tmp_path, capsys):
    (tmp_path / "test_one.py").write_text(f'{MARK}"A1")\ndef test_a():\n    pass\n')
    table = tmp_path / "cases.md"
    assert main(["--check"], folder=tmp_path, table=table) == 1
    assert "stale" in capsys.readouterr().out
    assert main([], folder=tmp_path, table=table) == 0
    assert "| A1 file over the upload budget | test_one::test_a |" in table.read_text()
    assert main(["--check"], folder=tmp_path, table=table) == 0
    assert "current" in capsys.readouterr().out
