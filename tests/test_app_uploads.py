"""AppTest: own files (issue #19, item 6): optional layers truly optional, the level read from
the codes shown for confirmation, and no file bytes printed in a message."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.own_files import KEC, build

UPLOAD_PAGE = "app_pages/upload.py"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8


def _load_own(at: AppTest, areas: Path, msme: tuple[str, bytes, str]) -> None:
    """On the upload page: the boundaries GeoPackage and a register, then "Muat data sendiri"."""
    at.switch_page(UPLOAD_PAGE).run()
    at.file_uploader(key="up_areas").set_value(
        (areas.name, areas.read_bytes(), "application/geopackage+sqlite3")
    )
    at.file_uploader(key="up_msme").set_value(msme)
    at.button(key="up_run").click().run()


def test_boundaries_and_msmes_alone_load_and_the_level_is_shown(at, tmp_path):
    own = build(tmp_path)
    _load_own(at, own.kec, (own.msme.name, own.msme.read_bytes(), "text/csv"))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]  # no coverage, towers, tests or backbone
    at.switch_page("app_pages/province.py")  # shown by the upload page; later runs stay there
    assert sorted(at.dataframe[0].value["Kode"]) == sorted(KEC)
    confirm = next(i.value for i in at.info if "tingkat" in i.value)
    assert "**Kecamatan**" in confirm
    assert "dibaca dari kode wilayah" in confirm
    assert "12.71.01" in confirm
    at.radio(key="lang").set_value("en").run()
    confirm = next(i.value for i in at.info if "level" in i.value)
    assert "read from the area codes" in confirm


def test_a_png_renamed_csv_is_named_not_printed(at, tmp_path):
    own = build(tmp_path)
    _load_own(at, own.kec, ("umkm.csv", PNG, "text/csv"))
    assert not at.exception, at.exception
    (message,) = [e.value for e in at.error]
    assert "E_INPUT_FILE" in message
    assert "PNG" in message
    assert not [c for c in message if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    assert "IHDR" not in message


def test_custom_weights_survive_loading_own_data(at, tmp_path):
    """Weights the planner set by hand are still set once own data is shown (the sliders are
    not drawn on the upload page). AppTest keeps them even without the copies of
    ``keep_widgets``; the browser did not (E_SCORING in the load run): see test_app_pages."""
    at.slider(key="w_msme_uncovered").set_value(1.0).run()
    at.slider(key="w_msme_uncovered_share").set_value(0.0).run()
    assert at.selectbox(key="preset_id").value == "custom"
    own = build(tmp_path)
    _load_own(at, own.kec, (own.msme.name, own.msme.read_bytes(), "text/csv"))
    at.switch_page("app_pages/province.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.slider(key="w_msme_uncovered").value == 1.0
    assert at.slider(key="w_msme_uncovered_share").value == 0.0
    assert sorted(at.dataframe[0].value["Kode"]) == sorted(KEC)


def _every_box_in_the_page_language(at: AppTest) -> None:
    """Each box's button and limit line in the page's language (infra_gap/app/ui/file_box)."""
    keys = [box.key for box in at.get("file_uploader")]
    assert len(keys) == 7, keys
    for lang, button in (("id", "Pilih berkas"), ("en", "Choose file")):
        at.radio(key="lang").set_value(lang).run()
        styles = " ".join(h.proto.body for h in at.html)
        for key in keys:
            assert f'.st-key-{key} [data-testid="stFileUploaderDropzone"] button' in styles
        assert styles.count(f'content: "{button}"') == len(keys), lang
    at.radio(key="lang").set_value("id").run()


def test_the_boxes_are_one_form_and_a_box_not_received_is_named(at, tmp_path):
    """The boxes, their options and the button are one form: a finished upload does not
    rerun the page (a run drops the upload address another box waits for: bench_load).
    Pressed with the register alone, the page names the boundaries' box as not received
    instead of "upload first"; the level chosen in the form's box is the one used."""
    own = build(tmp_path)
    at.switch_page(UPLOAD_PAGE).run()
    _every_box_in_the_page_language(at)
    boxes = [at.file_uploader(key=f"up_{k}") for k in ("areas", "msme", "towers", "podes")]
    forms = {w.proto.form_id for w in boxes} | {at.button(key="up_run").proto.form_id}
    assert len(forms) == 1, forms
    assert forms != {""}
    at.file_uploader(key="up_msme").set_value((own.msme.name, own.msme.read_bytes(), "text/csv"))
    at.button(key="up_run").click().run()
    assert not at.exception, at.exception
    (message,) = [e.value for e in at.error]
    assert "belum menerima" in message
    assert "\u201cBatas wilayah\u201d" in message
    assert "Daftar UMKM" not in message
    at.file_uploader(key="up_areas").set_value(
        (own.kec.name, own.kec.read_bytes(), "application/geopackage+sqlite3")
    )
    at.selectbox(key="up_level_id").set_value("kecamatan")
    at.button(key="up_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    at.switch_page("app_pages/province.py").run()
    assert sorted(at.dataframe[0].value["Kode"]) == sorted(KEC)
    confirm = next(i.value for i in at.info if "tingkat" in i.value)
    assert "sesuai pilihan Anda" in confirm


def test_a_file_the_server_no_longer_holds_is_named_not_read():
    """A box whose file id the server does not hold (``DeletedFile``) is named as lost,
    never read (``getvalue`` on it was an AttributeError); missing required boxes are named."""
    from streamlit.proto.Common_pb2 import FileURLs
    from streamlit.runtime.uploaded_file_manager import (
        DeletedFile,
        UploadedFile,
        UploadedFileRec,
    )

    from infra_gap.app.ui.own_data import upload_problem

    def up(name: str) -> UploadedFile:
        return UploadedFile(UploadedFileRec("f", name, "text/csv", b"x"), FileURLs())

    lost = upload_problem({"areas": up("a.gpkg"), "msme": DeletedFile("gone")}, "en")
    assert lost is not None
    assert "no longer holds" in lost
    assert "\u201cMSME register\u201d" in lost
    missing = upload_problem({"areas": None, "msme": None, "towers": up("t.csv")}, "en")
    assert missing is not None
    assert "has not received" in missing
    assert "\u201cBoundaries\u201d, \u201cMSME register\u201d" in missing
    both = {"areas": up("a.gpkg"), "msme": up("u.csv"), "towers": None}
    assert upload_problem(both, "en") is None


@pytest.mark.catalogue("K4")
def test_a_load_lets_go_of_its_files_and_empties_the_boxes(at, tmp_path, monkeypatch):
    """K4 (streamlit#9218): once read, the files leave the server's upload manager and the
    session state; the upload page shows a new round of empty boxes and says why."""
    from infra_gap.app.ui import own_data

    held: list[tuple[object, str, int]] = []
    real = own_data.get_script_run_ctx

    def spy():  # the run's context, and how many files its manager held when it was asked
        ctx = real()
        if ctx is not None:
            storage = ctx.uploaded_file_mgr.file_storage  # MemoryUploadedFileManager's
            held.append((ctx.uploaded_file_mgr, ctx.session_id, len(storage[ctx.session_id])))
        return ctx

    monkeypatch.setattr(own_data, "get_script_run_ctx", spy)
    own = build(tmp_path)
    _load_own(at, own.kec, (own.msme.name, own.msme.read_bytes(), "text/csv"))
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    ((manager, session, before),) = held
    assert before == 2  # the boundaries and the register, until they were read
    assert not manager.file_storage.get(session)
    at.switch_page(UPLOAD_PAGE).run()
    assert not at.exception, at.exception
    assert at.file_uploader(key="up_areas_1").value is None
    assert at.file_uploader(key="up_msme_1").value is None
    assert "up_msme" not in at.session_state
    assert any("dilepas dari memori server" in c.value for c in at.caption)
    at.switch_page("app_pages/province.py").run()  # the data stay in use
    assert sorted(at.dataframe[0].value["Kode"]) == sorted(KEC)
