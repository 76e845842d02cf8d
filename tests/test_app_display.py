"""One number format per quantity, following the language (issue #19, item 5): the table,
the map's tooltip, the headline and the detail panel write a figure as the PDF and the XLSX
do (Indonesian 96,3% and 4.894; English 96.3% and 4,894)."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from infra_gap.text.i18n import t
from infra_gap.text.numfmt import excel_format, fmt_value


def _shown(app):
    """The ranked table as the browser shows it (the display texts), and its numbers."""
    proto = app.dataframe[0].proto.arrow_data
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()
    return shown, app.dataframe[0].value


def test_table_tooltip_and_headline_follow_the_language(at):
    # Sungai Kanan (12.22.04): 4,894 of 5,083 MSMEs without 4G (96.3%), score 0.817
    for lang, one, headline in (("id", ("4.894", "96,3%", "0,817"), "14,2%"),
                                ("en", ("4,894", "96.3%", "0.817"), "14.2%")):  # fmt: skip
        if lang == "en":
            at.radio(key="lang").set_value("en").run()
        shown, numbers = _shown(at)
        row = numbers.index[numbers[t("col_kode", lang)] == "12.22.04"][0]
        assert set(one) <= set(shown.loc[row].tolist()), shown.loc[row].tolist()
        assert numbers.loc[row, t("col_score", lang)] == pytest.approx(0.8169, abs=1e-3)
        args = json.loads(at.get("component_instance")[0].proto.json_args)
        assert all(text not in args["script"] for text in one)  # the map: outlines alone
        # the map's colours and tooltips, in a script beside it
        scores = "".join(e.proto.body for e in at.get("html") if "infraGapHeld" in e.proto.body)
        assert all(text in scores for text in one)  # the map's tooltip: the same texts
        assert at.metric[2].value == headline


def test_one_format_per_quantity_for_every_output():
    assert fmt_value("msme_uncovered_share", 0.96281, "id") == "96,3%"
    assert fmt_value("msme_uncovered_share", 0.96281, "en") == "96.3%"
    assert fmt_value("msme_uncovered", 4894, "id") == "4.894"
    assert fmt_value("score", 0.816948, "id") == "0,817"
    assert fmt_value("contrib_msme_uncovered", 0.5106, "en") == "0.511"
    assert fmt_value("top_n_share", 0.655, "id") == "66%"
    assert fmt_value("backbone_km", float("nan"), "id") == "\u2013"
    assert fmt_value("backbone_km", 4.24, "id") == "4,2"
    assert fmt_value("backbone_km", 41.04, "id") == "41"
    assert excel_format("backbone_km") == "[<10]#,##0.0;#,##0"
    # the XLSX shows the same decimals (Excel adds the reader's separators)
    assert excel_format("msme_uncovered_share") == "0.0%"
    assert excel_format("score") == "0.000"
    assert excel_format("msme_uncovered") == "#,##0"
    assert excel_format("top_n_share") == "0%"


def test_every_download_button_says_its_size_the_excel_csv_too(at, monkeypatch):
    from tests.test_app_planner import _spy_downloads

    data = _spy_downloads(monkeypatch)
    at.multiselect(key="kab_filter").set_value(["12.04", "12.14"]).run()
    label, payload = data["download_csv_excel_id"]
    assert label.startswith("CSV untuk Excel (Indonesia) (")
    assert label.endswith("kB)")
    lines = payload.decode("utf-8-sig").splitlines()
    assert ";" in lines[0]
    assert len(lines) == 1 + 45  # the selection, as every other download


def test_many_figures_at_once_read_as_one_at_a_time():
    """fmt_values (the table's many figures) writes each as fmt_value does."""
    from infra_gap.text.numfmt import fmt_values

    values = [0, -0.0, -0.00004, 0.04999, 0.05, 9.95, 9.96, 10, -3.25, 1234567.891,
              float("nan"), None, 0.816948, 0.96281, 4894, 99.95, -12345.5, "x", True]  # fmt: skip
    for name in ("score", "rank", "msme_uncovered", "msme_uncovered_share", "top_n_share",
                 "contrib_msme_uncovered", "backbone_km"):  # fmt: skip
        for lang in ("id", "en"):
            assert fmt_values(name, values, lang) == [fmt_value(name, v, lang) for v in values]


def test_the_table_shows_the_texts_pandas_would_render():
    """The table's Styler hands Streamlit each cell's text without pandas' per-cell HTML
    model; the texts are those pandas renders for the same formats."""
    import pandas as pd
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    from infra_gap.app.ui.common import styled

    view = pd.DataFrame({
        "Peringkat": [1, 2, 3], "Nama": ["Sei <b>Kanan", "Nias", "Toba"],
        "Skor": [0.816948, float("nan"), -0.0001], "Kode": ["12.22.04", "12.01.01", "12.02"],
        "Tanpa 4G (%)": [96.281, 4.05, float("nan")], "Top (%)": [65.5, 0.0, 100.0],
        "Layak": [True, False, True], "Jarak (km)": [4.24, 41.04, 9.96],
    })  # fmt: skip
    quantity = {"Peringkat": "rank", "Skor": "score", "Tanpa 4G (%)": "msme_uncovered_share",
                "Jarak (km)": "backbone_km"}  # fmt: skip

    def shown(styler) -> pd.DataFrame:
        proto = ArrowData()
        marshall_styler(proto, styler, "t")
        return pa.ipc.open_stream(proto.styler.display_values).read_all().to_pandas()

    for lang in ("id", "en"):

        def own(name: str, pct: bool, lang: str = lang):
            return lambda v: fmt_value(name, v / 100.0 if pct else v, lang)

        pandas_own = view.style.format({c: own(n, "%" in c) for c, n in quantity.items()})
        fast = shown(styled(view, quantity, lang))
        pd.testing.assert_frame_equal(fast, shown(pandas_own))
        assert fast.loc[0, "Tanpa 4G (%)"] == ("96,3%" if lang == "id" else "96.3%")
        assert fast.loc[1, "Skor"] == "\u2013"
        assert fast.loc[0, "Top (%)"] == "65.500000"  # pandas' own default text
