"""AppTest: the national page lists workloads built from own files (issue #17, item 4).

Only the configured folder (``INFRA_GAP_WORKLOADS``) is looked at, never a typed path; the
built workload is ranked there as ``rank`` ranks the same files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from infra_gap.analysis.inputs import InputPaths
from infra_gap.national.build import build_workload
from infra_gap.national.view import built_workloads
from infra_gap.text.i18n import TEXT
from tests.office_workload import build

from infra_gap.app.ui.frame import nav_labels
from infra_gap.app.ui.national_page import BUILT

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory, demo_layers) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("app_workloads")
    files = build(root)
    workloads, cache = root / "workloads", root / "cache"
    cache.mkdir()
    for folder in (ROOT / ".cache").glob("demo-*"):  # the demo's layers, linked read-only
        if not folder.name.startswith("demo-parts"):
            (cache / folder.name).symlink_to(folder, target_is_directory=True)
    paths = InputPaths(areas=files.kec, msme=files.msme, level="kecamatan",
                       coverage=files.coverage, name_col="NMKEC")  # fmt: skip
    build_workload(paths, workloads / "sumut-kec", by="kabupaten")
    (workloads / "half-copied").mkdir()  # no manifest: not offered
    return workloads, cache


def test_built_workloads_are_listed_from_the_configured_folder(folders) -> None:
    workloads, _ = folders
    found = built_workloads(workloads)
    assert [e.name for e in found] == ["sumut-kec"]
    assert found[0].built
    assert found[0].counts["kecamatan"] == 7
    assert built_workloads(None) == ()


def test_the_app_ranks_a_built_workload(folders, monkeypatch: pytest.MonkeyPatch) -> None:
    workloads, cache = folders
    monkeypatch.setenv("INFRA_GAP_CACHE", str(cache))
    monkeypatch.setenv("INFRA_GAP_WORKLOADS", str(workloads))
    monkeypatch.setenv("INFRA_GAP_SCHEDULER", "synchronous")
    at = AppTest.from_file(str(ROOT / "infra_gap" / "app" / "main.py"), default_timeout=300)
    # Opened straight on the built workload (one run instead of four: the choices are the
    # session's, as the sidebar widgets keep them).
    at.switch_page("app_pages/national.py")
    at.session_state["nat_scale"] = "built:sumut-kec"
    at.session_state["level"] = "kecamatan"
    at.run()
    box = at.selectbox(key="nat_scale_id")
    assert any(o.startswith("sumut-kec · data sendiri · 7 ") for o in box.options)
    assert box.value == "built:sumut-kec"
    assert not at.exception, at.exception
    assert any(i.value == TEXT["nat_built_banner"]["id"] for i in at.info)
    # The data source and the title read as own data, not the synthetic national workload.
    # The menu names the national page as own data while a built workload is chosen.
    assert str(at.session_state["nat_scale"]).startswith(BUILT)
    assert nav_labels("id", built=True)["national"] == TEXT["source_national_built"]["id"]
    assert nav_labels("id", built=False)["national"] == TEXT["source_national"]["id"]
    assert at.title[0].value == TEXT["nat_title_built"]["id"]
    table = at.dataframe[0].value
    assert sorted(table["Kode"]) == [f"12.0{k}.0{i}" for k in (1, 2) for i in (1, 2, 3)] + [
        "12.02.04"
    ]
    at.selectbox(key="level_id").set_value("kabupaten").run()
    assert not at.exception, at.exception
    assert any("hanya berisi wilayah tingkat" in i.value for i in at.info)
