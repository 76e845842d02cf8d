"""The real app on a loopback port and one headless Debian Chromium, shared by the browser tests.

Session fixtures (imported by ``tests/conftest.py``): the app server, started as a user starts
it (``infra-gap app``), starts once for every ``-m browser`` test file, so a second file does
not pay for a cold start again.

The server's upload worker is capped at :data:`WORKER_CAP` of memory (``INFRA_GAP_LIMITS``)
instead of the default 2 GiB, so that ``tests/test_browser_bomb.py``'s few-kilobyte memory
bomb (392 MB when read) trips the cap as a much bigger one trips the default; the other
tests' uploads are a few kilobytes and need far less.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
WORKER_CAP = 200 << 20  # bytes the upload worker may add (Limits.worker_memory_bytes)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(demo_layers, tmp_path_factory) -> Iterator[str]:
    """The app's URL; its workspaces in a temporary SQLite file, no basemap tiles."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/debian-deps should have installed it")
        pytest.skip("Debian chromium is not installed (run .ci/debian-deps as root)")
    port = _free_port()
    # As a user starts it: `infra-gap app` (the packaged settings; this process becomes
    # Streamlit's, so terminating it stops the server).
    cmd = [sys.executable, "-m", "infra_gap", "-q", "app", "--port", str(port)]
    server_dir = tmp_path_factory.mktemp("server")
    log_path = server_dir / "streamlit.log"
    log = open(log_path, "wb")  # noqa: SIM115  (closed at teardown)
    env = {
        **os.environ,
        "INFRA_GAP_DB": f"sqlite:///{server_dir / 'workspaces.sqlite'}",
        "INFRA_GAP_LIMITS": f"worker_memory_bytes={WORKER_CAP}",
        "INFRA_GAP_WARMUP": "0",  # no background build of every level: CI's two cores
    }
    env.pop("INFRA_GAP_TILES", None)  # no basemap: nothing may leave localhost
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
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


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium; each test opens its own contexts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS, headless=True)
        yield b
        b.close()
