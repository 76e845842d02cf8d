import re
from pathlib import Path

import pytest

from infra_gap.i18n import LANGS, TEXT, fmt_int, fmt_num, fmt_pct, t

ROOT = Path(__file__).resolve().parents[1]


def test_every_key_in_every_language():
    for key, texts in TEXT.items():
        assert set(texts) == set(LANGS), key
        assert all(v.strip() for v in texts.values()), key


def test_every_key_used_by_the_app_exists():
    source = (ROOT / "app.py").read_text() + (ROOT / "infra_gap" / "views.py").read_text()
    used = set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", source))
    used |= set(re.findall(r"""\(["'][a-z_]+["'],\s*["']([a-z_]+)["']\)""", source))
    assert used, "no catalogue keys found: the scan is broken"
    assert not used - set(TEXT)


def test_missing_key_raises():
    with pytest.raises(KeyError):
        t("no_such_key", "id")


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (1166918, "id", "1.166.918"),
        (1166918, "en", "1,166,918"),
        (999, "id", "999"),
        (0, "id", "0"),
    ],
)
def test_fmt_int(value, lang, expected):
    assert fmt_int(value, lang) == expected


def test_fmt_pct_and_missing():
    assert fmt_pct(0.125, "id") == "12,5%"
    assert fmt_pct(0.125, "en") == "12.5%"
    assert fmt_pct(float("nan"), "id") == "\u2013"
    assert fmt_num(-1234.5, "id", decimals=1) == "-1.234,5"
