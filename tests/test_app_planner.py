"""AppTest: the planner's day (issue #19): no crash, work that lasts, the selection followed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import APP_SCRIPT


def test_search_pick_then_switch_language_and_back_does_not_crash(at):
    """The browser hands back the label a select box showed; after a language switch that
    label is no option of the new language's box (it crashed `_search_picked`)."""
    at.text_input(key="search").set_value("Idanogawo").run()
    box = next(s for s in at.selectbox if (s.key or "").startswith("search_pick"))
    value = next(o for o in box.options if "Idanogawo" in o)
    kode = value.split("(")[1].split(")")[0]
    box.set_value(f"kecamatan:{kode}").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="why_kecamatan").value == kode
    at.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    at.radio(key="lang").set_value("id").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="why_kecamatan").value == kode


def _spy_downloads(monkeypatch) -> dict:
    import streamlit
    from streamlit.delta_generator import DeltaGenerator

    data: dict = {}
    original = DeltaGenerator.download_button

    def spy(self, label, payload, *args, **kwargs):
        data[kwargs.get("key")] = (label, payload)
        return original(self, label, payload, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    monkeypatch.setattr(streamlit, "download_button", lambda *a, **k: spy(streamlit._main, *a, **k))
    return data


def test_a_link_reopens_the_view_and_the_checklist_lasts(at, monkeypatch):
    """Filter, pick (as a map click does: no re-filter), fill the checklist; a new session
    opened on the URL finds the filter, the area and the checklist; a second editor working
    on an old copy of the field is warned, not allowed to overwrite."""
    at.multiselect(key="kab_filter").set_value(["12.04", "12.14"]).run()
    table = at.dataframe[0].value
    assert len(table) == 45
    third = table["Kode"].iloc[2]
    at.session_state["pending_select"] = (third, "kecamatan")  # what a map click leaves
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="why_kecamatan").value == third
    assert len(at.dataframe[0].value) == 45  # the click did not change the filter
    other = AppTest.from_file(APP_SCRIPT, default_timeout=300)  # a colleague, same workspace
    other.query_params.update(dict(at.query_params))
    other.run()
    at.text_input(key=f"ck_lahan_{third}").set_value("Hibah desa").run()
    at.text_input(key=f"ck_penjaga_{third}").set_value("Pak Lase").run()
    link = dict(at.query_params)
    assert link["kab"] == "12.04,12.14"
    assert link["sel"] == third
    assert link["ws"] == "Usulan BAKTI 2026"

    again = AppTest.from_file(APP_SCRIPT, default_timeout=300)  # a reload of the same URL
    again.query_params.update(link)
    again.run()
    assert not again.exception, again.exception
    assert again.multiselect(key="kab_filter").value == ["12.04", "12.14"]
    assert again.selectbox(key="why_kecamatan").value == third
    assert again.text_input(key=f"ck_lahan_{third}").value == "Hibah desa"
    assert again.text_input(key=f"ck_penjaga_{third}").value == "Pak Lase"

    # the colleague's page still shows the empty field; typing there must not overwrite it
    assert other.selectbox(key="why_kecamatan").value == third
    other.text_input(key=f"ck_lahan_{third}").set_value("Sewa").run()
    assert not other.exception, other.exception
    assert any("Hibah desa" in w.value and "Sewa" in w.value for w in other.warning)
    assert other.text_input(key=f"ck_lahan_{third}").value == "Hibah desa"
    at.run()
    assert at.text_input(key=f"ck_lahan_{third}").value == "Hibah desa"


def test_downloads_and_headline_follow_the_selection(at, monkeypatch):
    from io import BytesIO

    import pandas as pd
    from pypdf import PdfReader

    data = _spy_downloads(monkeypatch)
    at.multiselect(key="kab_filter").set_value(["12.04", "12.14"]).run()
    shown = at.dataframe[0].value
    assert at.metric[0].value != "1.166.918"
    label, csv = data["download_csv"]
    assert "CSV" in label
    assert "kB" in label
    rows = pd.read_csv(BytesIO(csv), dtype={"kode": str}, encoding="utf-8-sig")
    assert sorted(rows["kode"]) == sorted(shown["Kode"])
    assert len(rows) == 45
    assert rows["kode"].str[:5].isin(["12.04", "12.14"]).all()
    at.button(key="prepare_pdf").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    label, pdf = data["download_pdf"]
    assert "PDF 10 teratas" in label
    assert label.endswith(("kB)", "MB)"))
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "10 teratas di Kabupaten Nias dan Kabupaten Nias Selatan" in text
    top10 = shown["Kode"].head(10).tolist()
    assert all(k in text for k in top10)
    import re

    named = set(re.findall(r"\b12\.\d{2}\.\d{2}\b", text))
    assert {k[:5] for k in named} == {"12.04", "12.14"}  # no kecamatan outside the selection


def _own_kecamatan(at, tmp_path, monkeypatch) -> dict:
    """Load own kecamatan boundaries (BIG-style columns, UTM; the level detected from the
    codes) with the office-shaped fixtures of tests/own_files.py."""
    from tests.own_files import KEC, build

    (tmp_path / "own").mkdir()
    own = build(tmp_path / "own")
    data = _spy_downloads(monkeypatch)

    def upload(key: str, path, mime: str) -> None:
        at.file_uploader(key=key).set_value((path.name, path.read_bytes(), mime))

    at.switch_page("app_pages/upload.py").run()
    upload("up_areas", own.kec, "application/geopackage+sqlite3")
    upload("up_msme", own.msme, "text/csv")
    upload("up_coverage", own.coverage, "image/tiff")
    upload("up_towers", own.towers, "text/csv")
    at.text_input(key="up_name_col").set_value("NMKEC")
    at.button(key="up_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    at.switch_page("app_pages/province.py")  # shown by the upload page; later runs stay there
    assert at.session_state["level"] == "kecamatan"
    assert sorted(at.dataframe[0].value["Kode"]) == sorted(KEC)
    return data


def _prepare(at, data: dict, key: str, magic: bytes) -> None:
    at.button(key=f"prepare_{key}").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert data[f"download_{key}"][1][: len(magic)] == magic


def test_own_kecamatan_files_geopackage_arrives(at, tmp_path, monkeypatch):
    """It failed with KeyError 'desa', silently (issue #19)."""
    data = _own_kecamatan(at, tmp_path, monkeypatch)
    _prepare(at, data, "gpkg", b"SQLite format 3")


def test_own_kecamatan_files_pdf_and_dossier_arrive(at, tmp_path, monkeypatch):
    data = _own_kecamatan(at, tmp_path, monkeypatch)
    _prepare(at, data, "pdf", b"%PDF")
    _prepare(at, data, "dossier", b"%PDF")
