"""AppTest: the app as pages (issue #18, item 7): the menu's pages, choices kept from page to
page, and every session-state key named in ui/keys.py.

Cheap on purpose: the national page without a workload and the about page load no ranking.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from infra_gap.registry import INDICATORS
from infra_gap.synthetic.demo import demo_sources
from infra_gap.text.i18n import TEXT

from infra_gap.app.ui.frame import PAGE_FILES, nav_labels

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "infra_gap" / "app" / "main.py")
NATIONAL, ABOUT = "app_pages/national.py", "app_pages/about.py"


@pytest.fixture
def at(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app opened on the national page, with no workload made (nothing to rank)."""
    monkeypatch.setenv("INFRA_GAP_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("INFRA_GAP_DB", f"sqlite:///{tmp_path / 'ws.sqlite'}")
    app = AppTest.from_file(APP, default_timeout=120)
    app.switch_page(NATIONAL).run()
    assert not app.exception, app.exception
    return app


def test_every_page_is_a_file_named_in_the_menu_in_both_languages() -> None:
    for name in PAGE_FILES:
        assert (ROOT / "infra_gap" / "app" / "app_pages" / f"{name}.py").is_file()
    for lang in ("id", "en"):
        labels = nav_labels(lang, built=False)
        assert set(labels) == set(PAGE_FILES)
        assert len(set(labels.values())) == len(PAGE_FILES)  # no two pages read the same
    assert nav_labels("en", built=False)["about"] == "About & method"


def test_sidebar_choices_survive_a_visit_to_another_page(at: AppTest) -> None:
    at.selectbox(key="level_id").set_value("kabupaten").run()
    at.number_input(key="top_n").set_value(7).run()
    at.toggle(key="unknown_as_need").set_value(False).run()
    at.selectbox(key="preset_id").set_value("daerah_terpencil").run()
    at.switch_page(ABOUT).run()
    assert not at.exception, at.exception
    assert not at.get("number_input")  # the about page draws no sidebar choices
    at.switch_page(NATIONAL).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="level_id").value == "kabupaten"
    assert at.number_input(key="top_n").value == 7
    assert at.toggle(key="unknown_as_need").value is False
    assert at.selectbox(key="preset_id").value == "daerah_terpencil"


def test_the_language_is_kept_across_pages_and_the_about_page_lists_every_indicator(
    at: AppTest,
) -> None:
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == TEXT["nat_title"]["en"]
    at.switch_page(ABOUT).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "About & method"
    table = at.dataframe[0].value
    assert len(table) == len(INDICATORS)
    assert table.columns[0] == TEXT["about_col_indicator"]["en"]
    assert any(TEXT["tier_rule"]["en"].format(n=10) == m.value for m in at.markdown)
    # The demo's sources, named without loading the demo (nothing was ranked in this session).
    lines = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(lines) == len(demo_sources())
    assert any("seed 20231231" in line for line in lines), lines


def test_session_state_keys_are_named_in_one_module() -> None:
    """No page or panel indexes the session state with a literal: the keys are ui/keys.py's."""
    literal = re.compile(r"""(?:\bss|session_state)(?:\.get|\.pop|\.setdefault)?\(?\[?f?["']""")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in [
            *(ROOT / "infra_gap" / "app" / "ui").glob("*.py"),
            *(ROOT / "infra_gap" / "app" / "app_pages").glob("*.py"),
            ROOT / "infra_gap" / "app" / "main.py",
        ]
        if path.name != "keys.py"
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if literal.search(line)
    ]
    assert not offenders, offenders


def test_a_kept_value_that_streamlit_dropped_comes_back_and_a_dropped_one_stays_away() -> None:
    """keep_widgets copies each kept widget's value under a plain key: a value the browser's
    page switch dropped (the custom weights after own data loaded: E_SCORING, all zero in
    the load run) is written back at the start of the next run; drop_kept forgets both."""
    from infra_gap.app.ui import keys as K

    state: dict[str, object] = {K.weight("msme_uncovered"): 1.0, K.TOP_N: 7}
    K.keep_widgets(state)
    del state[K.weight("msme_uncovered")], state[K.TOP_N]  # dropped by Streamlit
    K.keep_widgets(state)
    assert state[K.weight("msme_uncovered")] == 1.0
    assert state[K.TOP_N] == 7
    state[K.TOP_N] = 9  # the widget moved: the copy follows at the next run
    K.keep_widgets(state)
    del state[K.TOP_N]
    K.keep_widgets(state)
    assert state[K.TOP_N] == 9
    K.drop_kept(state, K.TOP_N)  # a reset on purpose (new data: the area picked)
    K.keep_widgets(state)
    assert K.TOP_N not in state
