import re
from pathlib import Path

import pytest

from infra_gap.text.i18n import LANGS, TEXT, fmt_int, fmt_num, fmt_pct, t

ROOT = Path(__file__).resolve().parents[1]


def _app_source() -> str:
    """The app's code: main.py, its pages in app_pages/ and every module under ui/."""
    files = sorted((ROOT / "infra_gap" / "app").rglob("*.py"))
    return "\n".join(f.read_text() for f in files)


#: The catalogue's lookups in the code, and the sections (key prefixes) each searches.
_LOOKUPS = {
    "t": ("",),
    "tr": ("dossier", "export"),  # infra_gap.outputs.dossier.text
    "_t": ("xlsx", "export"),  # infra_gap.outputs.xlsx
    "export_text": ("export",),  # infra_gap.outputs.export
}


def _code_files() -> list[Path]:
    """Every Python file a user's text can come from: the library, the app, its pages."""
    return [
        *sorted((ROOT / "infra_gap").rglob("*.py")),
    ]


def test_every_key_in_every_language():
    for key, texts in TEXT.items():
        assert set(texts) == set(LANGS), key
        assert all(v.strip() for v in texts.values()), key


def test_every_key_used_by_the_app_exists():
    source = _app_source() + (ROOT / "infra_gap" / "outputs" / "views.py").read_text()
    used = set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", source))
    used |= set(re.findall(r"""\(["'][a-z_]+["'],\s*["']([a-z_]+)["']\)""", source))
    assert used, "no catalogue keys found: the scan is broken"
    assert not used - set(TEXT)


def test_every_literal_key_looked_up_in_the_code_exists():
    """Every ``t("key", ...)`` (and the dossier's, workbook's and exports' lookups) in the
    library, the app and its pages names a key of the one catalogue."""
    lookup = re.compile(r"""(?<![\w.])(t|tr|_t|export_text)\(\s*["']([a-z][a-z0-9_.]*)["']""")
    missing, found = [], 0
    for path in _code_files():
        for name, key in lookup.findall(path.read_text()):
            found += 1
            keys = [f"{s}.{key}" if s else key for s in _LOOKUPS[name]]
            if not any(k in TEXT for k in keys):
                missing.append(f"{path.relative_to(ROOT)}: {name}({key!r})")
    assert found > 300, f"only {found} lookups found: the scan is broken"
    assert not missing, missing


def test_one_rule_for_a_missing_text():
    """An unknown key or language raises, in every section: no blank, no other language."""
    with pytest.raises(KeyError):
        t("title", "de", sections=("dossier",))
    with pytest.raises(KeyError):
        t("no_such_key", "id", sections=("dossier", "export"))
    assert t("title", "id", sections=("xlsx", "dossier")) == TEXT["xlsx.title"]["id"]
    assert t("tiers", "en", sections=("dossier", "export")) == TEXT["export.tiers"]["en"]


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


@pytest.mark.parametrize(
    ("value", "decimals", "id_text", "en_text"),
    [
        (-0.004, 2, "0,00", "0.00"),  # a negative value that rounds to zero has no sign
        (-0.006, 2, "-0,01", "-0.01"),
        (999.96, 1, "1.000,0", "1,000.0"),
        (-1234567.891, 0, "-1.234.568", "-1,234,568"),
        (float("-inf"), 0, "-inf", "-inf"),
    ],
)
def test_fmt_num_groups_and_signs(value, decimals, id_text, en_text):
    assert fmt_num(value, "id", decimals=decimals) == id_text
    assert fmt_num(value, "en", decimals=decimals) == en_text


def test_fmt_pct_and_missing():
    assert fmt_pct(0.125, "id") == "12,5%"
    assert fmt_pct(0.125, "en") == "12.5%"
    assert fmt_pct(float("nan"), "id") == "\u2013"
    assert fmt_num(-1234.5, "id", decimals=1) == "-1.234,5"


def test_dynamic_key_families_exist_in_both_languages():
    from infra_gap.config import LEVELS
    from infra_gap.outputs.dossier.document import CHECKLIST_FIELDS
    from infra_gap.outputs.views import EVIDENCE_LAYERS

    keys = [f"layer_{n}" for n in EVIDENCE_LAYERS]
    keys += [f"dd_{lv}" for lv in ("kabupaten", "kecamatan", "desa")]
    keys += [f"level_{lv}" for lv in LEVELS]
    keys += [f"ck_{f}" for f in CHECKLIST_FIELDS]
    keys += [f"speed_tier_{i}" for i in range(1, 5)] + [f"tier_{i}" for i in range(1, 4)]
    for key in keys:
        assert set(TEXT[key]) == set(LANGS), key


def test_every_dynamic_key_prefix_in_the_app_has_keys():
    source = _app_source()
    prefixes = set(re.findall(r"""\bt\(\s*f["']([a-z_]+)\{""", source))
    assert prefixes, "no dynamic catalogue keys found: the scan is broken"
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in TEXT), prefix


# Widgets and text elements whose first argument is a literal: the only allowed ones.
_ALLOWED_LITERALS = ('"Bahasa / Language', '"<style>')
# The product's name alone, shown before the catalogue is imported (infra_gap/app/main.py).
_ALLOWED_EXACT = ('"infra-gap',)


def test_no_ui_text_outside_the_catalogue():
    source = _app_source()
    calls = re.findall(
        r"""\.(?:button|toggle|download_button|text_input|selectbox|slider|number_input|"""
        r"""file_uploader|radio|subheader|caption|markdown|metric|expander|title|header|"""
        r"""warning|error|success|info|spinner|checkbox|multiselect|popover)\(\s*(f?["'][^"'{]*)""",
        source,
    )
    literal = [c for c in calls if not any(c.startswith(a) for a in _ALLOWED_LITERALS)]
    literal = [c for c in literal if c not in _ALLOWED_EXACT]
    # Only text with letters counts (not "##### {t(...)}" headings or " \u00b7 " joins).
    literal = [
        c for c in literal if re.search(r"[A-Za-z]", re.sub(r"\\u[0-9a-f]{4}", "", c.lstrip("f")))
    ]
    assert not literal, literal


def test_every_error_code_has_a_meaning_in_both_languages() -> None:
    import inspect

    from infra_gap import errors
    from infra_gap.text.i18n import TEXT

    codes = {
        cls.code
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.InfraGapError)
    }
    assert {"E_DATA", "E_SECURITY", "E_ENGINE"} <= codes
    for code in codes:
        entry = TEXT[f"err_{code}"]
        assert entry["id"].strip()
        assert entry["en"].strip()
        assert entry["id"] != entry["en"]
