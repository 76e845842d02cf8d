"""Issue #22: a memory-bomb upload in one browser session while another session keeps working.

Session A uploads an office's own kecamatan and MSME files with a coverage GeoTIFF that
declares 7,000 x 7,000 float64 pixels in a few kilobytes (392 MB when read whole; under every
size budget, so only the upload worker's memory cap can stop it).  The shared test server
runs with that cap lowered to 200 MiB (``tests/browser_fixtures.py``), standing in for a
bigger bomb against the default 2 GiB, as the hostile corpus does.  While A's worker runs
out of memory, session B moves a weight; its ranked table must update and show no error,
and A must see the stable ``E_LIMIT`` message with the server still serving.
"""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from tests import office_files
from tests.browser_fixtures import WORKER_CAP
from tests.test_browser import Session
from tests.test_isolation import _sparse_float_raster

pytestmark = pytest.mark.browser

GRID = "[data-testid='stDataFrame'] [data-testid='data-grid-canvas']"
STATE = """() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState"""


def _own_files(folder: Path) -> dict[str, Path]:
    areas = folder / "kecamatan.gpkg"
    office_files.kecamatan().to_file(areas, driver="GPKG", engine="pyogrio")
    bomb = folder / "cakupan-4g.tif"
    bomb.write_bytes(_sparse_float_raster())
    return {"Batas wilayah": areas, "Daftar UMKM": office_files.msme_csv(folder / "umkm.csv"),
            "Cakupan 4G": bomb}  # fmt: skip


def _grid_text(s: Session) -> str:
    return s.page.locator(GRID).first.text_content(timeout=120_000) or ""


def test_memory_bomb_upload_leaves_the_other_session_working(browser, server, tmp_path):
    files = _own_files(tmp_path)
    assert files["Cakupan 4G"].stat().st_size < 100_000  # a few KB that ask for 392 MB
    assert WORKER_CAP < 7_000 * 7_000 * 8
    a, b = Session(browser, server), Session(browser, server)
    t0 = time.monotonic()
    try:
        a.page.goto(server, wait_until="domcontentloaded")  # both pages load at once
        b.open()
        a.open()
        print(f"both sessions open after {time.monotonic() - t0:.1f} s")
        page = a.page
        page.get_by_role("link", name="Data sendiri", exact=True).click()  # the menu's page
        boxes = page.locator(
            "[data-testid='stMain'] [data-testid='stFileUploader']"
        )  # the upload page
        for label, path in files.items():
            box = boxes.filter(has_text=label).first
            box.locator("input[type='file']").set_input_files(str(path))
            box.get_by_text(path.name).first.wait_for(timeout=60_000)
            a.idle()  # the upload's rerun has finished before the next box is used
        b.idle()
        before = _grid_text(b)
        slider = b.page.locator("[data-testid='stSidebar'] input[type='range']").first
        slider.focus()

        # A starts the bomb; B moves a weight at once, while A's worker is reading.
        page.get_by_role("button", name="Muat data sendiri").click()
        started = time.monotonic()
        slider.press("Home")
        b.until(lambda: _grid_text(b) != before, timeout_s=180)
        b_updated = time.monotonic() - started
        a_busy = page.evaluate(STATE) == "running"
        error = page.get_by_text("[E_LIMIT]").first
        error.wait_for(timeout=180_000)
        a_refused = time.monotonic() - started
        print(
            f"B's table updated {b_updated:.1f} s after A's upload started (A still reading: "
            f"{a_busy}); A saw E_LIMIT after {a_refused:.1f} s"
        )

        shown = error.inner_text()
        assert "cakupan-4g.tif" in shown, shown
        assert not page.get_by_text("Memakai data sendiri").count()  # nothing half-loaded
        b.idle()
        for s in (a, b):
            assert not s.page.locator("[data-testid='stException']").count()
        assert not b.page.locator("[data-testid='stAlertContentError']").count()
        assert "DEMO SINTETIS" in b.page.inner_text("body")
        # the server lives on, and B's next change (another weight preset) still works
        with urllib.request.urlopen(f"{server}/_stcore/health", timeout=10) as r:
            assert r.status == 200
        again = _grid_text(b)
        b.choose("Preset bobot", "Daerah terpencil")
        b.until(lambda: _grid_text(b) != again, timeout_s=180)
        b.shot("bomb-other-session")
        a.shot("bomb-refused")
    finally:
        a.close()
        b.close()
