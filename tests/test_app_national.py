"""AppTest: the national views (issue #9), on a tiny synthetic national workload.

The app finds national workloads in its cache folder (``INFRA_GAP_CACHE``); here that is a
temporary folder holding a scale-0.002 workload and links to the demo's cache, so the tests
never touch the project's ``.cache/``.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from infra_gap.io import partitioned
from infra_gap.national import partitions
from infra_gap.national.generate import PROVINCES, NationalParams
from infra_gap.national.view import national_workloads, workload_provinces
from infra_gap.national.workload import Workload, read_workload
from infra_gap.outputs.export import bare_column
from infra_gap.runs import national_workload
from infra_gap.text.i18n import PROVINCE_NAMES, TEXT, fmt_int

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "infra_gap" / "app" / "main.py")
SCALE = 0.002
NAME = f"national-{SCALE:g}"


def _link_demo_cache(cache: Path) -> None:
    """The demo's generated layers, linked read-only (the app opens on the demo)."""
    for folder in (ROOT / ".cache").glob("demo-*"):
        if not folder.name.startswith("demo-parts"):
            (cache / folder.name).symlink_to(folder, target_is_directory=True)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory, demo_layers) -> Path:
    root = tmp_path_factory.mktemp("app_national_cache")
    _link_demo_cache(root)
    national_workload(root / NAME, data_dir=ROOT / "data", params=NationalParams(scale=SCALE))
    (root / "national-0.5").mkdir()  # no manifest (being generated): not offered
    (root / "elsewhere").mkdir()  # not a national workload: not offered
    return root


@pytest.fixture(scope="module")
def wl(cache: Path) -> Workload:
    return read_workload(cache / NAME)


def _codes(wl: Workload, level: str) -> pd.Series:
    return partitioned.read_columns(wl.root / level, ["kode"])["kode"].astype(str)


def _open(cache: Path, monkeypatch: pytest.MonkeyPatch, *, lang: str = "id") -> AppTest:
    monkeypatch.setenv("INFRA_GAP_CACHE", str(cache))
    app = AppTest.from_file(APP, default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    if lang != "id":
        app.radio(key="lang").set_value(lang).run()
    app.switch_page("app_pages/national.py").run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def at(cache: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return _open(cache, monkeypatch)


def _table(app: AppTest) -> pd.DataFrame:
    return app.dataframe[0].value


def _spy_downloads(monkeypatch: pytest.MonkeyPatch) -> dict:
    from streamlit.delta_generator import DeltaGenerator

    data: dict = {}
    original = DeltaGenerator.download_button

    def spy(self, label, payload, *args, **kwargs):
        data[kwargs.get("key")] = payload
        return original(self, label, payload, *args, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "download_button", spy)
    return data


def test_workloads_are_found_by_folder_name_with_a_manifest(cache: Path) -> None:
    found = national_workloads(cache)
    assert [e.name for e in found] == [NAME]
    assert found[0].scale == SCALE
    assert found[0].counts["kecamatan"] > 0
    assert len(found[0].digest) == 64
    assert national_workloads(cache / "missing") == ()


def test_switching_to_national_shows_the_label_and_every_kecamatan(at, wl) -> None:
    assert at.title[0].value == TEXT["nat_title"]["id"]
    banner = next(w.value for w in at.warning if w.value.startswith("NASIONAL SINTETIS"))
    assert "semua lapisan sintetis, termasuk batas wilayah" in banner
    table = _table(at)
    kec = _codes(wl, "kecamatan")
    counts = json.loads((wl.root / "manifest.json").read_text())["counts"]
    assert len(table) == len(kec) == counts["kecamatan"]
    assert sorted(table["Kode"]) == sorted(kec)
    assert table["Peringkat"].tolist() == list(range(1, len(kec) + 1))
    # only the app's own cache folders are offered, and scale 0.01 to make
    assert at.selectbox(key="nat_scale_id").options == [
        TEXT["nat_scale_option"]["id"].format(
            scale="0,002", kec=fmt_int(len(kec), "id"), msme=fmt_int(counts["msme"], "id")
        ),
        "0,01 (buat)",
    ]
    assert at.selectbox(key="nat_province_id").value == ""
    # the map is the national outlines, one feature per kecamatan
    args = "".join(e.proto.json_args for e in at.get("component_instance"))
    assert all(k in args for k in kec)
    # no PDF, and why; the three other downloads
    keys = {b.key for b in at.get("download_button")}
    assert keys == {"nat_download_csv", "nat_download_xlsx", "nat_download_gpkg"}
    assert any(c.value == TEXT["nat_no_pdf"]["id"] for c in at.caption)


def test_kabupaten_level_shows_the_whole_nation(at, wl) -> None:
    at.selectbox(key="level_id").set_value("kabupaten").run()
    assert not at.exception, at.exception
    assert sorted(_table(at)["Kode"]) == sorted(_codes(wl, "kabupaten"))


def test_desa_need_a_province_then_show_only_its_desa(at, wl) -> None:
    at.selectbox(key="level_id").set_value("desa").run()
    assert not at.exception, at.exception
    assert any(i.value == TEXT["nat_desa_pick"]["id"] for i in at.info)
    assert not at.dataframe
    province = workload_provinces(wl)[3]
    box = at.selectbox(key="nat_province_id")
    assert box.options[0] == TEXT["nat_all_provinces"]["id"]
    assert f"{PROVINCE_NAMES[province]} ({province})" in box.options
    box.set_value(province).run()
    assert not at.exception, at.exception
    desa = _codes(wl, "desa")
    table = _table(at)
    assert sorted(table["Kode"]) == sorted(desa[desa.str[:2] == province])
    assert 0 < len(table) < len(desa)
    assert table["Peringkat"].tolist() == list(range(1, len(table) + 1))  # ranked within it


def test_weight_change_reorders_without_running_the_engine_again(at, monkeypatch) -> None:
    calls = []
    original = partitions.workload_table

    def counting(*args, **kwargs):
        calls.append(kwargs.get("level"))
        return original(*args, **kwargs)

    monkeypatch.setattr(partitions, "workload_table", counting)
    before = _table(at)["Kode"].tolist()
    at.slider(key="w_msme_uncovered").set_value(0.0).run()
    at.slider(key="w_msme_uncovered_share").set_value(1.0).run()
    assert not at.exception, at.exception
    after = _table(at)
    assert after["Kode"].tolist() != before
    assert sorted(after["Kode"]) == sorted(before)
    share = after["Porsi UMKM tanpa 4G (%)"]
    assert (share.diff().dropna() <= 1e-9).all()  # the one weighted indicator orders it
    assert calls == []  # the engine table came from the cache: a weight change re-ranks
    at.selectbox(key="preset_id").set_value("daerah_terpencil").run()
    assert not at.exception, at.exception
    assert at.slider(key="w_island").value == 0.2
    assert _table(at)["Kode"].tolist() != after["Kode"].tolist()


def test_downloads_of_a_province_hold_exactly_its_rows(at, wl, monkeypatch, tmp_path) -> None:
    data = _spy_downloads(monkeypatch)
    province = workload_provinces(wl)[2]
    at.selectbox(key="nat_province_id").set_value(province).run()
    assert not at.exception, at.exception
    kec = _codes(wl, "kecamatan")
    inside = sorted(kec[kec.str[:2] == province])
    assert 0 < len(inside) < len(kec)
    table = _table(at)
    assert sorted(table["Kode"]) == inside
    csv = pd.read_csv(BytesIO(data["nat_download_csv"]()), dtype={"kode": str}).rename(
        columns=bare_column
    )
    assert sorted(csv["kode"]) == inside
    assert csv["kode"].tolist() == table["Kode"].tolist()  # same order: rank within province
    assert csv["data_status"].str.contains("synthetic", case=False).all()
    gpkg = tmp_path / "p.gpkg"
    gpkg.write_bytes(data["nat_download_gpkg"]())
    assert sorted(gpd.read_file(gpkg, layer="ranked_kecamatan")["kode"]) == inside
    book = openpyxl.load_workbook(BytesIO(data["nat_download_xlsx"]()), read_only=True)
    rows = book.worksheets[0].iter_rows(values_only=True)
    assert [r[1] for r in rows if r and isinstance(r[0], int)] == table["Kode"].tolist()


def test_english_labels(cache, wl, monkeypatch) -> None:
    app = _open(cache, monkeypatch, lang="en")
    assert app.title[0].value == TEXT["nat_title"]["en"]
    assert any("all layers synthetic, boundaries included" in w.value for w in app.warning)
    table = _table(app)
    assert {"Rank", "Name", "Code", "Score"} <= set(table.columns)
    assert len(table) == len(_codes(wl, "kecamatan"))
    assert app.selectbox(key="nat_province_en").options[0] == "All of Indonesia"
    assert app.selectbox(key="nat_scale_en").options[-1] == "0.01 (make)"
    assert any(c.value == TEXT["nat_no_pdf"]["en"] for c in app.caption)
    app.selectbox(key="level_en").set_value("desa").run()
    assert any(i.value == TEXT["nat_desa_pick"]["en"] for i in app.info)
    app.switch_page("app_pages/province.py").run()  # back to the demo, on its labels
    assert not app.exception, app.exception
    assert app.title[0].value == TEXT["app_title"]["en"]
    assert any("SYNTHETIC DEMO" in w.value for w in app.warning)


def test_scale_0_01_is_made_on_request(tmp_path, monkeypatch) -> None:
    _link_demo_cache(tmp_path)
    app = _open(tmp_path, monkeypatch)
    assert app.selectbox(key="nat_scale_id").options == ["0,01 (buat)"]
    assert not app.dataframe
    assert any("0,01 belum ada" in i.value for i in app.info)
    app.button(key="nat_make").click().run()
    assert not app.exception, app.exception
    assert (tmp_path / "national-0.01" / "manifest.json").is_file()
    assert app.selectbox(key="nat_scale_id").value == "national-0.01"
    assert len(_table(app)) == 147
    assert len(PROVINCES) == 38


def test_cost_efficiency_is_not_available_nationally_and_says_why(at) -> None:
    at.selectbox(key="preset_id").set_value("efisiensi_biaya").run()
    assert not at.exception, at.exception
    assert any(i.value == TEXT["nat_no_siting"]["id"] for i in at.info)
    assert "E_SCORING" in at.error[0].value
    assert not at.dataframe
