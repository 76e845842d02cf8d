"""One user's upload never appears in another user's session (reliability.md K1, K2).

Two AppTest sessions of the app in one process share every ``st.cache_resource`` /
``st.cache_data`` cache and every module, as two browser tabs on one server do.  Session A
uploads boundaries with a distinctive area name; session B, opened afterwards, must show the
demo and no trace of A's data anywhere it renders: tables, text, options, the map's HTML.
Then B uploads different bytes under the same file names (K1), and the same bytes with a
different name column (K2): each session sees only what its own files and options give.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "infra_gap" / "app" / "main.py")
SECRET_A = "Desa Rahasia A"
SECRET_B = "Desa Rahasia B"
ALIAS = "Kampung Alias Z"


def _boundary(name: str) -> bytes:
    """Two desa side by side; the second carries `name` (and an `alias` column).

    The names are in `nama_desa` (detected by default), not `nama`: choosing another name
    column while a `nama` column exists duplicates it today (test_catalogue_extra,
    test_d12_name_column_override_beside_a_nama_column).
    """
    feature = (
        '{"type": "Feature", "properties": {"kode": "%s", "nama_desa": "%s", "alias": "%s"},'
        ' "geometry": {"type": "Polygon", "coordinates": [[[%s, 3.0], [%s, 3.0], [%s, 3.1],'
        " [%s, 3.1], [%s, 3.0]]]}}"
    )
    one = feature % ("12.01.01.2001", "Desa Biasa", "Desa Biasa", *[98.0, 98.1, 98.1, 98.0, 98.0])
    two = feature % ("12.01.01.2002", name, ALIAS, *[98.1, 98.2, 98.2, 98.1, 98.1])
    return f'{{"type": "FeatureCollection", "features": [{one}, {two}]}}'.encode()


# One unusable row: an upload with none crashes the data-quality panel today (see
# test_catalogue_extra.test_j9_rejected_csv_of_a_clean_upload), which is not what this tests.
MSME = b"id;lat;lon\n1;3,05;98,05\n2;3,06;98,15\n3;3,07;98,16\n4;abc;98,1\n"
TOWERS = b"radio,lon,lat,range,operator\nLTE,98.05,3.05,3000,Telkomsel\n"


def _open() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    return app


def _upload(app: AppTest, boundary: bytes, *, name_col: str = "") -> AppTest:
    # Same file names in every session: only the bytes and the options differ.
    app.switch_page("app_pages/upload.py").run()
    app.file_uploader(key="up_areas").set_value(("batas.geojson", boundary, "application/json"))
    app.file_uploader(key="up_msme").set_value(("umkm.csv", MSME, "text/csv"))
    app.file_uploader(key="up_towers").set_value(("menara.csv", TOWERS, "text/csv"))
    app.text_input(key="up_name_col").set_value(name_col)
    app.button(key="up_run").click().run()
    assert not app.exception, app.exception
    assert not app.error, [e.value for e in app.error]
    app.switch_page("app_pages/province.py")  # shown by the upload page; later runs stay there
    return app


def _everything(app: AppTest) -> str:
    """All a session renders: every element's message (text, options, labels, the map
    component's arguments, download names) and every table's values."""
    parts: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(app._tree)
    parts += [d.value.to_csv() for d in app.dataframe]
    return "\n".join(parts)


def _ranked(app: AppTest):
    return app.dataframe[0].value


def _map_html(app: AppTest) -> str:
    """The map component's arguments and the scores script beside it (its tooltips)."""
    scores = (e.proto.body for e in app.get("html") if "infraGapHeld" in e.proto.body)
    return "".join(e.proto.json_args for e in app.get("component_instance")) + "".join(scores)


@pytest.mark.catalogue("K1")
@pytest.mark.usefixtures("demo_layers")  # the demo cache exists before the sessions start
def test_an_upload_never_appears_in_another_session():
    a = _upload(_open(), _boundary(SECRET_A))
    assert SECRET_A in _ranked(a)["Nama"].tolist()  # the upload took effect in A...
    assert SECRET_A in _map_html(a)
    assert SECRET_A in _everything(a)  # the search below can find it

    b = _open()  # ...and B, opened after it on the same server, shows the demo only
    assert SECRET_A not in _everything(b)
    assert "Rahasia" not in _map_html(b)
    assert len(_ranked(b)) == 455
    assert any("DEMO SINTETIS" in w.value for w in b.warning)
    assert "own" not in b.session_state

    # K1: B uploads other bytes under the same file names: B sees B's data, never A's.
    _upload(b, _boundary(SECRET_B))
    assert SECRET_B in _ranked(b)["Nama"].tolist()
    assert SECRET_A not in _everything(b)

    # A, rerun after B's upload, still has its own data and nothing of B's.
    a.run()
    assert not a.exception, a.exception
    assert SECRET_A in _ranked(a)["Nama"].tolist()
    assert SECRET_B not in _everything(a)


@pytest.mark.catalogue("K2")
@pytest.mark.usefixtures("demo_layers")
def test_same_bytes_with_other_options_are_not_served_from_the_cache():
    """K2: the cache key holds the reading options, not only the bytes."""
    boundary = _boundary(SECRET_A)
    a = _upload(_open(), boundary)
    b = _upload(_open(), boundary, name_col="alias")
    names_b = _ranked(b)["Nama"].tolist()
    assert ALIAS in names_b
    assert SECRET_A not in _everything(b)
    assert SECRET_A in _ranked(a)["Nama"].tolist()
    assert ALIAS not in _ranked(a)["Nama"].tolist()


@pytest.mark.usefixtures("demo_layers")
def test_back_to_demo_leaves_nothing_of_the_upload():
    a = _upload(_open(), _boundary(SECRET_A))
    a.button(key="back_to_demo").click().run()
    assert not a.exception, a.exception
    assert len(_ranked(a)) == 455
    assert SECRET_A not in _everything(a)
