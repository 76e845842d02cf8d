"""The quick loop's selection (tests/conftest.py): what `make test-fast` leaves to `make test`."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import END_TO_END, _deselects_full

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize(
    ("expr", "skipped"),
    [
        ("not full and not browser and not slow", True),  # make test-fast
        ("not full", True),
        ("not browser", False),  # make test
        ("browser", False),
        ("", False),
        ("not full or browser", False),
        ("not (full and slow)", False),
    ],
)
def test_end_to_end_modules_are_skipped_only_when_no_full_test_can_be_selected(expr, skipped):
    config = SimpleNamespace(getoption=lambda name, default=None: expr)
    assert _deselects_full(config) is skipped  # type: ignore[arg-type]


def test_every_end_to_end_module_exists():
    """A renamed module would silently leave the list and run in the quick loop."""
    assert sorted(m for m in END_TO_END if not (TESTS / f"{m}.py").is_file()) == []
