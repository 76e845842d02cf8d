"""The real app in headless Debian Chromium, driven by Playwright, with the internet cut off.

Every request that does not go to the local server is aborted and recorded, so the map must
paint from the vendored assets alone, as in an offline office.  The server and the browser
are session fixtures of ``tests/browser_fixtures.py``, shared by every browser test file.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"

pytestmark = pytest.mark.browser


class Session:
    """One page on the app with the internet cut off: every non-local request is aborted."""

    def __init__(self, browser, server: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(
            viewport={"width": 1366, "height": 768}, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.page.route("**/*", self._only_local(server))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.server = server

    def _only_local(self, server):
        def route(r):
            if r.request.url.startswith(server):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        return route

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self) -> float:
        t0 = time.monotonic()
        self.page.goto(self.server, wait_until="domcontentloaded")
        self.page.get_by_text("DEMO SINTETIS").first.wait_for(timeout=120_000)
        self.map.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
        return time.monotonic() - t0

    @property
    def map(self):
        return self.page.frame_locator("iframe[title*='streamlit_folium']").first

    def n_areas(self) -> int:
        """Areas drawn on the map, SVG or canvas (Leaflet's layers that carry a feature)."""
        iframe = self.page.locator("iframe[title*='streamlit_folium']").first
        frame = iframe.element_handle().content_frame()
        return int(frame.evaluate(AREAS_JS)) if frame is not None else 0

    def idle(self) -> None:
        """Wait until the script has finished its rerun."""
        self.page.wait_for_timeout(400)
        self.page.locator("[data-testid='stStatusWidget']").wait_for(
            state="detached", timeout=120_000
        )
        self.page.wait_for_timeout(300)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def selectbox(self, label: str):
        return self.page.locator("[data-testid='stSelectbox']").filter(has_text=label).first

    def choose(self, label: str, option: str) -> None:
        self.selectbox(label).click()
        self.page.get_by_role("option", name=option, exact=False).first.click()
        self.idle()

    def value(self, label: str) -> str:
        return self.selectbox(label).locator("input[role='combobox']").input_value()

    def until(self, check, timeout_s: float = 90) -> None:
        """Poll `check()` until true (reruns take a while on a shared machine)."""
        deadline = time.monotonic() + timeout_s
        while not check():
            if time.monotonic() > deadline:
                self.shot("timed-out")
                pytest.fail("timed out waiting for the page")
            self.page.wait_for_timeout(500)

    def picked(self) -> str:
        """The area shown in the detail panel (its box follows rank 1)."""
        return self.selectbox("Pilih wilayah").locator("input[role='combobox']").input_value()

    def close(self) -> None:
        self.context.close()
        stray = [u for u in self.blocked if not u.startswith(("https://tile.", "http://tile."))]
        assert not stray, stray
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs


@pytest.fixture
def session(browser, server):
    s = Session(browser, server)
    yield s
    s.close()


def test_map_paints_offline_and_table_shows(session):
    painted = session.open()
    n_paths = session.map.locator("path.leaflet-interactive").count()
    session.page.wait_for_timeout(1500)
    session.shot("app-kecamatan")
    print(f"map painted in {painted:.1f} s with {n_paths} polygons")
    assert n_paths >= 455


def test_language_switch_and_back(session):
    session.open()
    session.page.get_by_text("English", exact=True).click()
    session.page.get_by_text("SYNTHETIC DEMO").first.wait_for(timeout=60_000)
    session.idle()
    assert session.page.get_by_text("Priority map").count()
    session.shot("app-english")
    session.page.get_by_text("Bahasa Indonesia", exact=True).click()
    session.page.get_by_text("DEMO SINTETIS").first.wait_for(timeout=60_000)
    session.idle()
    assert session.page.get_by_text("Peta prioritas").count()


def test_moving_a_weight_changes_the_top_area(session):
    session.open()
    before = session.picked()
    thumb = session.page.locator("[data-testid='stSidebar'] input[type='range']").first
    thumb.focus()
    thumb.press("Home")  # UMKM tanpa sinyal 4G -> 0: the share alone ranks
    session.idle()
    deadline = time.monotonic() + 60
    while session.picked() == before and time.monotonic() < deadline:
        session.page.wait_for_timeout(500)
    after = session.picked()
    session.idle()
    session.map.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    session.shot("app-weight-moved")
    assert after != before


AREAS_JS = """() => !window.map ? 0 : Object.values(window.map._layers)
    .filter((l) => l.feature && l.feature.id).length"""


# A point inside polygon `i` of the map, found by hit-testing (a box's centre can lie outside).
INSIDE_JS = """(i) => {
  const p = document.querySelectorAll('path.leaflet-interactive')[i];
  const r = p.getBoundingClientRect();
  for (let a = 1; a < 10; a++) for (let b = 1; b < 10; b++) {
    const x = r.left + r.width * a / 10, y = r.top + r.height * b / 10;
    if (document.elementFromPoint(x, y) === p) return [x, y];
  }
  return null;
}"""


def test_clicking_the_map_selects_that_area(session):
    session.open()
    before = session.picked()
    iframe = session.page.locator("iframe[title*='streamlit_folium']").first
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    n = frame.locator("path.leaflet-interactive").count()
    point = next(p for i in range(n // 2, n) if (p := frame.evaluate(INSIDE_JS, i)))
    box = iframe.bounding_box()
    x, y = box["x"] + point[0], box["y"] + point[1]
    # The tooltip names the polygon under the pointer; a click there must select it.
    session.page.mouse.move(x, y)
    tooltip = frame.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=30_000)
    code = next(w for w in tooltip.inner_text().split() if w.startswith("12."))
    session.page.mouse.click(x, y)
    session.until(lambda: session.picked() != before)
    session.idle()
    session.shot("app-map-clicked")
    assert f"({code})" in session.picked()


def test_drill_down_to_a_desa(session):
    session.open()
    session.choose("Kabupaten/kota", "(12.01)")
    session.page.get_by_text("Menampilkan").first.wait_for(timeout=60_000)
    session.shot("app-drill-kabupaten")
    session.choose("Kecamatan", "(12.01.")
    session.page.get_by_role("button", name="Tampilkan Desa/kelurahan").click()
    session.until(lambda: session.value("Tingkat wilayah") == "Desa/kelurahan")
    session.until(lambda: session.picked().count(".") >= 3)
    session.idle()
    session.map.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    picked = session.picked()
    session.shot("app-drill-desa")
    assert "(12.01." in picked
    assert picked.count(".") >= 3  # a desa code: 12.01.01.2001
    # the map holds that kecamatan's desa only (a few dozen), not the province's 6,110
    assert 0 < session.map.locator("path.leaflet-interactive").count() < 200


def test_desa_map_of_the_whole_province_paints(session):
    session.open()
    session.choose("Tingkat wilayah", "Desa/kelurahan")
    session.until(lambda: session.n_areas() >= 6110, 180)  # drawn on a canvas: no SVG paths
    session.page.wait_for_timeout(1500)
    session.shot("app-desa-province")
    assert not session.page.get_by_text("Peta desa seprovinsi terlalu besar").count()


def test_two_kabupaten_filter_the_map_and_the_table(session):
    """The newcomer's question: Nias and Nias Selatan's kecamatan, ranked, and how sure."""
    session.open()
    box = session.page.locator("[data-testid='stMultiSelect']").first
    for code in ("(12.04)", "(12.14)"):
        box.locator("input").first.click()
        session.page.keyboard.type(code)
        session.page.wait_for_timeout(800)
        session.page.keyboard.press("Enter")
        session.idle()
    session.page.keyboard.press("Escape")
    shown = "Menampilkan 45 wilayah di Kabupaten Nias dan Kabupaten Nias Selatan"
    session.page.get_by_text(shown).first.wait_for(timeout=60_000)
    session.until(lambda: session.map.locator("path.leaflet-interactive").count() == 45)
    session.page.wait_for_timeout(1000)
    session.shot("app-nias-nias-selatan")
    assert "(12.04." in session.picked() or "(12.14." in session.picked()


def test_csv_download_has_every_kecamatan(session):
    session.open()
    with session.page.expect_download(timeout=120_000) as info:
        session.page.get_by_role("button", name="Unduh daftar peringkat (CSV").click()
    path = info.value.path()
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("rank,kode,nama,score")
    assert len(lines) == 1 + 455
    assert info.value.suggested_filename.endswith(".csv")


HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.mark.catalogue("H1")
def test_hostile_area_name_shows_as_text(session, tmp_path):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from tests.test_app import BOUNDARY, MSME_CSV, TOWERS_CSV

    session.open()
    files = {
        "batas.geojson": (BOUNDARY % HOSTILE).encode("utf-8"),
        "umkm.csv": MSME_CSV.encode("utf-8"),
        "menara.csv": TOWERS_CSV.encode("utf-8"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    page = session.page
    page.get_by_role("link", name="Data sendiri", exact=True).click()  # the menu's page

    def upload(label: str, name: str) -> None:
        boxes = page.locator(
            "[data-testid='stMain'] [data-testid='stFileUploader']"
        )  # the upload page
        box = boxes.filter(has_text=label).first
        for attempt in range(3):
            # The page reruns after each upload; a file given to an input that rerun
            # replaced never reaches the server (seen once in CI): wait, then try again.
            session.idle()
            box.locator("input[type='file']").set_input_files(str(tmp_path / name))
            try:
                box.get_by_text(name).first.wait_for(timeout=30_000)  # shown in its box
                return
            except PlaywrightTimeout:
                session.shot(f"upload-retry-{name}-{attempt}")
                print(f"upload of {name} not shown after 30 s (attempt {attempt + 1})")
        msg = f"{name} was not shown in its box after 3 uploads"
        raise AssertionError(msg)

    upload("Batas wilayah", "batas.geojson")
    upload("Daftar UMKM", "umkm.csv")
    upload("Menara (OpenCelliD)", "menara.csv")
    session.idle()
    session.shot("app-upload-files")
    page.get_by_role("button", name="Muat data sendiri").click()
    session.idle()
    session.shot("app-upload-clicked")
    page.get_by_text("Memakai data sendiri").first.wait_for(timeout=120_000)
    session.idle()
    session.map.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    # The name is text in the page (drill-down, detail box), and in the map's tooltip.
    assert HOSTILE in session.picked()
    paths = session.map.locator("path.leaflet-interactive")
    for i in range(paths.count()):
        paths.nth(i).hover(force=True)
        page.wait_for_timeout(300)
    tooltip = session.map.locator(".leaflet-tooltip")
    texts = [tooltip.nth(i).inner_text() for i in range(tooltip.count())]
    session.shot("app-hostile-name")
    assert any(HOSTILE in t for t in texts), texts
    assert page.locator("img[src='x']").count() == 0
    assert session.map.locator("img[src='x']").count() == 0
    assert not session.dialogs


CODE_RE = r"\b12\.\d{2}\.\d{2}\b"


def _codes_in_pdf(path: Path) -> tuple[set[str], str]:
    import re

    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)
    return set(re.findall(CODE_RE, text)), text


def test_planner_day(session):  # noqa: PLR0915  (one user's path, step by step)
    """Issue #19's path: filter, sort, click, fill the checklist, switch language twice,
    reload: the filter, the selection and the checklist are intact; the top-10 PDF and the
    CSV hold only the selection's 45 kecamatan; nothing left localhost."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = session.page
    t0 = time.monotonic()
    page.goto(session.server, wait_until="domcontentloaded")
    page.get_by_text("infra-gap").first.wait_for(timeout=60_000)
    first_text = time.monotonic() - t0
    print(f"first text {first_text:.1f} s")
    session.page.get_by_text("DEMO SINTETIS").first.wait_for(timeout=300_000)
    session.map.locator("path.leaflet-interactive").first.wait_for(timeout=120_000)
    print(f"first map {time.monotonic() - t0:.1f} s (first session of this server)")
    box = page.locator("[data-testid='stMultiSelect']").first
    for code in ("(12.04)", "(12.14)"):
        box.locator("input").first.click()
        page.keyboard.type(code)
        page.wait_for_timeout(800)
        page.keyboard.press("Enter")
        session.idle()
    page.keyboard.press("Escape")
    page.get_by_text("Menampilkan 45 wilayah").first.wait_for(timeout=60_000)
    session.until(lambda: session.map.locator("path.leaflet-interactive").count() == 45)
    session.idle()
    for attempt in range(3):  # the box can be re-drawn by a late rerun while it opens
        try:
            session.choose("Urutkan menurut", "UMKM tanpa sinyal 4G")
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            session.idle()
            if attempt == 2:
                raise
    session.until(lambda: session.value("Urutkan menurut").startswith("UMKM tanpa sinyal"))
    # a click on the map selects an area and leaves the filter alone
    before = session.picked()
    iframe = page.locator("iframe[title*='streamlit_folium']").first
    iframe.scroll_into_view_if_needed()
    frame = iframe.element_handle().content_frame()
    n = frame.locator("path.leaflet-interactive").count()
    point = next(p for i in range(n // 2, n) if (p := frame.evaluate(INSIDE_JS, i)))
    bbox = iframe.bounding_box()
    page.mouse.move(bbox["x"] + point[0], bbox["y"] + point[1])
    tooltip = frame.locator(".leaflet-tooltip").first
    tooltip.wait_for(timeout=30_000)
    tip = tooltip.inner_text()
    code = next(w for w in tip.split() if w.startswith("12."))
    assert len(tip.splitlines()) <= 8, tip  # compact: name, code, rank, score, 3 figures
    page.mouse.click(bbox["x"] + point[0], bbox["y"] + point[1])
    session.until(lambda: session.picked() != before)
    session.idle()
    assert f"({code})" in session.picked()
    assert page.get_by_text("Menampilkan 45 wilayah").count()
    assert session.map.locator("path.leaflet-interactive").count() == 45
    filled = (("status_3t", "3T (Perpres 63/2020)"), ("listrik", "PLN 900 VA"))

    def checklist_input(field: str):
        # the picked area's own field (its widget key carries the code), never a stale
        # panel's: on a loaded machine the previous area's panel can still be on screen
        css_key = f"ck_{field}_{code}".replace(".", "-")  # Streamlit's st-key-* class
        return page.locator(f".st-key-{css_key} input").first

    for name, text in filled:
        field = checklist_input(name)
        field.wait_for(timeout=60_000)
        field.scroll_into_view_if_needed()
        field.fill(text)
        field.press("Enter")
        session.idle()
    session.shot("planner-filled")
    page.get_by_text("English", exact=True).click()
    page.get_by_text("SYNTHETIC DEMO").first.wait_for(timeout=60_000)
    session.idle()
    page.get_by_text("Bahasa Indonesia", exact=True).click()
    page.get_by_text("DEMO SINTETIS").first.wait_for(timeout=60_000)
    session.idle()
    assert not page.get_by_text("This app has encountered an error").count()
    url = page.url
    assert "kab=12.04%2C12.14" in url or "kab=12.04,12.14" in url, url
    page.reload(wait_until="domcontentloaded")
    page.get_by_text("DEMO SINTETIS").first.wait_for(timeout=120_000)
    session.idle()
    page.get_by_text("Menampilkan 45 wilayah").first.wait_for(timeout=60_000)
    session.selectbox("Pilih wilayah").wait_for(timeout=120_000)
    session.idle()
    assert f"({code})" in session.picked()
    for name, text in filled:
        assert checklist_input(name).input_value() == text, name
    assert session.value("Urutkan menurut").startswith("UMKM tanpa sinyal 4G")
    session.map.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    session.shot("planner-reloaded")
    # downloads hold the selection only
    kab = {"12.04", "12.14"}
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name="Unduh daftar peringkat (CSV").click()
    lines = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    codes = [line.split(",")[1] for line in lines[1:]]
    assert len(codes) == 45
    assert {c[:5] for c in codes} == kab
    page.get_by_role("button", name="Siapkan berkas PDF teratas").click()
    download = page.get_by_role("button", name="Unduh berkas PDF 10 teratas")
    download.wait_for(timeout=180_000)
    with page.expect_download(timeout=120_000) as info:
        download.click()
    found, text = _codes_in_pdf(Path(info.value.path()))
    assert "10 teratas di Kabupaten Nias dan Kabupaten Nias Selatan" in text
    assert found, "the PDF names no kecamatan"
    assert {c[:5] for c in found} <= kab, sorted(found)
    session.shot("planner-downloads")
    assert session.blocked == [], session.blocked[:5]  # nothing left localhost
