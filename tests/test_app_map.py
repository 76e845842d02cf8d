"""AppTest: a calm map (issue #19, item 3): the view stays put, one legend box, place names
drawn from the boundaries, the tile server shown in the About section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import started_app

from infra_gap.app.ui.map_panel import VIEW_KEY


@pytest.fixture
def at(demo_layers, tmp_path, monkeypatch):
    monkeypatch.setenv("INFRA_GAP_TILES", "https://tiles.kantor.example/{z}/{x}/{y}.png")
    return started_app(tmp_path, monkeypatch)


def _map_args(app) -> dict:
    (component,) = app.get("component_instance")
    return json.loads(component.proto.json_args)


def test_the_view_survives_weight_and_level_changes_and_a_filter_fits_the_map(at):
    args = _map_args(at)
    assert args["center"] is None
    assert args["zoom"] is None
    assert {"center", "zoom", "bounds"} <= set(args["returned_objects"])
    # the view is reported when the planner moves the map, not when it opens (that rerun
    # raced with a checklist field being saved: the browser test's planner path)
    assert "g.previous_data = {last_active_drawing: null" in args["script"]
    # what the browser reports after the planner zoomed into Nias (see ui/map_panel.py)
    view = {"extent": "demo||", "center": [1.05, 97.7], "zoom": 10.5,
            "bounds": [97.5, 0.9, 97.9, 1.2]}  # fmt: skip
    at.session_state[VIEW_KEY] = view
    at.slider(key="w_msme_uncovered_share").set_value(0.6).run()
    args = _map_args(at)
    assert args["center"] == [1.05, 97.7]
    assert args["zoom"] == 10.5
    at.selectbox(key="level_id").set_value("kabupaten").run()
    assert _map_args(at)["center"] == [1.05, 97.7]
    at.selectbox(key="level_id").set_value("kecamatan").run()
    assert _map_args(at)["center"] == [1.05, 97.7]
    at.multiselect(key="kab_filter").set_value(["12.04", "12.14"]).run()
    assert _map_args(at)["center"] is None  # another extent: fitted to the selection


def test_place_names_and_the_office_tile_server(at):
    script = _map_args(at)["script"]
    # kabupaten names (zoomed out) and kecamatan names (zoomed in), from the boundaries
    assert "Nama wilayah" in script
    assert "Kabupaten Nias Selatan" in script or "Nias Selatan" in script
    assert script.count('"infra-gap-label kab"') == 1
    assert "tiles.kantor.example" in script
    about = " ".join(c.value for c in at.caption)
    assert "tiles.kantor.example" in about


def test_print_the_map_of_the_selection_as_png_and_pdf(at, monkeypatch):
    from io import BytesIO

    from pypdf import PdfReader

    from tests.test_app_planner import _spy_downloads

    data = _spy_downloads(monkeypatch)
    at.multiselect(key="kab_filter").set_value(["12.04", "12.14"]).run()
    at.button(key="prepare_print").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    png_label, png = data["download_print_png"]
    pdf_label, pdf = data["download_print_pdf"]
    assert png.startswith(b"\x89PNG")
    assert png_label.startswith("Unduh peta PNG (")
    assert pdf_label.endswith(("kB)", "MB)"))
    (Path(__file__).parent / "artifacts").mkdir(exist_ok=True)
    (Path(__file__).parent / "artifacts" / "cetak-peta.png").write_bytes(png)
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    print(text)
    assert "45 kecamatan di Kabupaten Nias dan Kabupaten Nias Selatan" in text
    assert "DEMO SINTETIS" in text
    assert "Skor prioritas" in text
