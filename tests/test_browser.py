"""The real app in headless Debian Chromium, driven by Playwright, with the internet cut off.

Every request that does not go to the local server is aborted and recorded, so the map must
paint from the vendored assets alone, as in an offline office.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_layers, tmp_path_factory):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/debian-deps should have installed it")
        pytest.skip("Debian chromium is not installed (run .ci/debian-deps as root)")
    port = _free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    log = open(log_path, "wb")  # noqa: SIM115  (closed at teardown)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        log.close()
        pytest.fail(f"streamlit did not start: {log_path.read_text()}")
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


def test_map_paints_offline_and_table_shows(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []

    def only_local(route):
        if route.request.url.startswith(server):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.route("**/*", only_local)
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.monotonic()
        page.goto(server, wait_until="domcontentloaded")
        page.get_by_text("DEMO SINTETIS").first.wait_for(timeout=120_000)
        frame = page.frame_locator("iframe[title*='streamlit_folium']").first
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
        painted = time.monotonic() - t0
        n_paths = frame.locator("path.leaflet-interactive").count()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "app-kecamatan.png"), full_page=False)
        browser.close()
    print(
        f"map painted in {painted:.1f} s with {n_paths} polygons; blocked {len(blocked)} requests"
    )
    assert n_paths >= 455
    assert not [u for u in blocked if not u.startswith(("https://tile.", "http://tile."))], blocked
    assert not errors, errors
