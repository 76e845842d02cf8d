"""Write ``tests/catalogue_cases.md`` from the tests' ``catalogue`` marks: no count by hand.

A test names the catalogue cases it covers with ``@pytest.mark.catalogue("A4", "A7")``; the
cases themselves (title, note) are in :mod:`tests.catalogue`.  This script reads the marks from
the test modules' source (``ast``: nothing is imported or run, so it takes well under a second)
and writes the table: per case the tests that cover it, per group and in all how many cases have
a passing test, only a strict-xfail test (known failing) or none.

Run ``python -m tests.gen_catalogue`` (``make catalogue``) after adding or moving a mark;
``--check`` only says whether the committed table is current (exit 1 when not).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tests.catalogue import CASES, GROUPS, Case

__all__ = ["TABLE", "Cover", "marks", "render", "scan"]

TESTS = Path(__file__).resolve().parent
#: The generated table.
TABLE = TESTS / "catalogue_cases.md"
#: Short names of the modules most tests come from.
ALIASES = {
    "test_catalogue_extra": "extra",
    "test_session_isolation": "iso",
    "test_hardening": "hardening",
}


@dataclass(frozen=True, order=True)
class Cover:
    """One test covering a case: its module, function, line and whether it is a strict xfail."""

    module: str
    function: str
    line: int
    xfail: bool

    @property
    def label(self) -> str:
        """``module::function``, with the module's short name; ``(xfail)`` after a known failure."""
        name = f"{ALIASES.get(self.module, self.module)}::{self.function}"
        return f"{name} (xfail)" if self.xfail else name


def _mark(decorator: ast.expr, name: str) -> ast.expr | None:
    """The decorator when it is ``pytest.mark.<name>`` (called or not), else None."""
    func = decorator.func if isinstance(decorator, ast.Call) else decorator
    if (
        isinstance(func, ast.Attribute)
        and func.attr == name
        and isinstance(func.value, ast.Attribute)
        and func.value.attr == "mark"
    ):
        return decorator
    return None


def marks(source: str, module: str) -> list[tuple[str, Cover]]:
    """Each ``(case id, cover)`` that the ``catalogue`` marks of one module's source give.

    Raises
    ------
    ValueError
        A mark without case ids, or with an id that is not a literal text.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        xfail = any(_mark(d, "xfail") is not None for d in node.decorator_list)
        for decorator in node.decorator_list:
            mark = _mark(decorator, "catalogue")
            if mark is None:
                continue
            args = mark.args if isinstance(mark, ast.Call) else []
            ids = [a.value for a in args if isinstance(a, ast.Constant)]
            if not args or len(ids) != len(args) or not all(isinstance(i, str) for i in ids):
                msg = f"{module}.py:{node.lineno}: catalogue() takes case ids as literal texts"
                raise ValueError(msg)
            cover = Cover(module, node.name, node.lineno, xfail)
            found.extend((str(case), cover) for case in ids)
    return found


def scan(folder: Path = TESTS, cases: Sequence[Case] = CASES) -> dict[str, list[Cover]]:
    """The tests covering each case, from every ``test_*.py`` of ``folder``.

    Raises
    ------
    ValueError
        A mark names a case that is not in ``cases``.
    """
    known = {case.id for case in cases}
    covers: dict[str, list[Cover]] = {case.id: [] for case in cases}
    for path in sorted(folder.glob("test_*.py")):
        for case, cover in marks(path.read_text(encoding="utf-8"), path.stem):
            if case not in known:
                msg = f"{path.name}:{cover.line}: catalogue mark names unknown case {case!r}"
                raise ValueError(msg)
            covers[case].append(cover)
    return {case: sorted(found) for case, found in covers.items()}


def _status(case: Case, covers: Sequence[Cover]) -> str:
    """``passing``, ``failing`` (strict xfail only) or ``none``."""
    if any(not c.xfail for c in covers):
        return "passing"
    return "failing" if covers else "none"


def _ids(cases: Iterable[Case]) -> str:
    return ", ".join(case.id for case in cases) or "—"


def _count(cases: Sequence[Case], covers: dict[str, list[Cover]], status: str) -> list[Case]:
    return [case for case in cases if _status(case, covers[case.id]) == status]


def render(covers: dict[str, list[Cover]], cases: Sequence[Case] = CASES) -> str:
    """The markdown table: a summary of the counts, then every case with its tests."""
    counted = [case for case in cases if case.in_catalogue]
    passing = _count(counted, covers, "passing")
    failing = _count(counted, covers, "failing")
    untested = _count(counted, covers, "none")
    partial = [case for case in passing if case.partial]
    elsewhere = [case for case in untested if case.elsewhere]
    out = [
        "# Catalogue cases → tests",
        "",
        "Generated by `python -m tests.gen_catalogue` (`make catalogue`) from the cases in",
        "`tests/catalogue.py` and the `@pytest.mark.catalogue(...)` marks of the tests; do not",
        "edit by hand (`tests/test_catalogue_table.py` fails when this file is not what it",
        "writes).",
        "",
        f"Cases from `shared/reference/reliability.md` §3 ({len(counted)} cases, groups A-K) and",
        "the tests that cover them. `extra::` is `tests/test_catalogue_extra.py`; `iso::` is",
        "`tests/test_session_isolation.py`; `hardening::` is `tests/test_hardening.py`; other",
        "modules are named in full. **(xfail)** marks a strict xfail test that documents a defect",
        '(reason starting "BUG" or "GAP" with the fix): a case with only such tests counts as',
        "*known failing*, not as covered. *partial* means the tests cover part of the case (the",
        "note says which).",
        "",
        f"**{len(passing)} of the {len(counted)} cases have a passing test** "
        f"({len(partial)} of them partial: {_ids(partial)}), "
        f"**{len(failing)} known failing**{f' ({_ids(failing)})' if failing else ''}, "
        f"and **{len(untested)} have no test** ({_ids(untested)}"
        + "".join(f"; {case.id} is measured by {case.elsewhere}, not a test" for case in elsewhere)
        + ").",
        "",
        "| group | cases | passing | of which partial | known failing only | no test |",
        "|---|---|---|---|---|---|",
    ]
    for letter, (short, _) in GROUPS.items():
        group = [case for case in counted if case.id.startswith(letter)]
        ok = _count(group, covers, "passing")
        out.append(
            f"| {letter} {short} | {len(group)} | {len(ok)} "
            f"| {len([c for c in ok if c.partial]) or '—'} "
            f"| {_ids(_count(group, covers, 'failing'))} "
            f"| {_ids(_count(group, covers, 'none'))} |"
        )
    out.append(
        f"| **total** | **{len(counted)}** | **{len(passing)}** | **{len(partial)}** "
        f"| **{len(failing)}** | **{len(untested)}** |"
    )
    for letter, (_, title) in GROUPS.items():
        out += ["", f"## {letter}. {title}", "", "| case | tests | note |", "|---|---|---|"]
        for case in cases:
            if not case.id.startswith(letter):
                continue
            found = covers[case.id]
            other = [f"{case.elsewhere} (not a test)"] if case.elsewhere else []
            tests = "; ".join([c.label for c in found] + other)
            note = f"partial: {case.note}" if case.partial and found else case.note
            title_cell = case.title + ("" if case.in_catalogue else " (not in the catalogue)")
            out.append(f"| {case.id} {title_cell} | {tests or '—'} | {note} |")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None, *, folder: Path = TESTS, table: Path = TABLE) -> int:
    """Write the table, or with ``--check`` say whether the committed one is current."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is stale")
    args = parser.parse_args(argv)
    text = render(scan(folder))
    if args.check:
        current = table.is_file() and table.read_text(encoding="utf-8") == text
        print(f"{table.name}: {'current' if current else 'stale: run make catalogue'}")
        return 0 if current else 1
    table.write_text(text, encoding="utf-8")
    print(f"{table.name} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
