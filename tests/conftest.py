"""Fixtures built in code, small enough to check by hand, plus the shared demo."""

from __future__ import annotations

from infra_gap.hardening import apply_hardened_env

# The tests run in the hardened GDAL/PROJ environment, as the CLI and the app do: applied
# before anything loads GDAL (importing the library no longer applies it).
apply_hardened_env()

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from affine import Affine
from shapely.geometry import box

from infra_gap.config import WORK_CRS
from infra_gap.layers import Layers, Raster
from infra_gap.synthetic.demo import load_demo
from tests.browser_fixtures import browser, server  # noqa: F401  (session fixtures)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

#: Test modules that run the app (AppTest), the CLI or other processes end to end, or the
#: whole demo: ``make test`` runs them, ``make test-fast`` (unit and property tests) does not.
END_TO_END = frozenset({
    "test_app", "test_app_display", "test_app_map", "test_app_national", "test_app_pages",
    "test_app_planner", "test_app_uploads", "test_app_workloads", "test_boundary_cache",
    "test_browser",
    "test_browser_bomb", "test_cache", "test_cli_conventions", "test_cli_inputs",
    "test_cli_scenario", "test_cost_efficiency", "test_csv_contract", "test_dossier",
    "test_dossier_proposal", "test_eligibility", "test_engine", "test_gpkg_gis",
    "test_hostile_inputs", "test_isolation", "test_maps", "test_msme_chunks", "test_national",
    "test_national_view", "test_operator_coverage", "test_operators", "test_own_data_e2e",
    "test_own_files", "test_pipeline", "test_podes", "test_provenance", "test_score_map",
    "test_session_isolation", "test_siting", "test_towers", "test_unknown",
    "test_workload_build", "test_workload_dossier", "test_workspace",
})  # fmt: skip


def _deselects_full(config: pytest.Config) -> bool:
    """True when ``-m`` is a plain conjunction with ``not full`` (as ``make test-fast``'s).

    Every test of an end-to-end module is marked ``full``, so such a run selects none of
    them; anything else (``or``, brackets, no ``-m``) may select some.
    """
    expr = config.getoption("markexpr", "") or ""
    terms = [term.strip() for term in expr.split(" and ")]
    return "not full" in terms and not re.search(r"\bor\b|[()]", expr)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Do not even import an end-to-end module when ``-m`` leaves out every ``full`` test.

    Importing them (Streamlit, the CLI, the dossier, the Dask engine) was a third of the
    quick loop's time, in each worker.
    """
    if collection_path.stem in END_TO_END and _deselects_full(config):
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``full`` every test of an end-to-end module and every test using the demo."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in END_TO_END or "demo_layers" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.full)


@pytest.fixture(autouse=True)
def _workspace_db(tmp_path, monkeypatch):
    """Each test's app saves its workspaces in its own SQLite file (not the shared cache's)."""
    monkeypatch.setenv("INFRA_GAP_DB", f"sqlite:///{tmp_path / 'workspaces.sqlite'}")


@pytest.fixture
def squares() -> gpd.GeoDataFrame:
    """Desa A (0-10 km) and B (10-20 km) side by side, and C overlapping B's right half.

    Codes sort A < B < C, so the lowest-code rule gives the B/C overlap to B.
    """
    return gpd.GeoDataFrame(
        {
            "kode": ["12.01.01.2001", "12.01.01.2002", "12.01.02.2001"],
            "nama": ["A", "B", "C"],
        },
        geometry=[
            box(0, 0, 10_000, 10_000),
            box(10_000, 0, 20_000, 10_000),
            box(15_000, 0, 25_000, 10_000),
        ],
        crs=WORK_CRS,
    )


@pytest.fixture
def half_covered() -> Raster:
    """2x2 pixels of 10 km over x 0-20 km, y 0-20 km: left column covered (1), right
    column not (0) on the bottom row and no data (255) on the top row."""
    array = np.array([[1, 255], [1, 0]], dtype="uint8")
    return Raster(
        array=array, transform=Affine(10_000, 0, 0, 0, -10_000, 20_000), crs=WORK_CRS, nodata=255
    )


#: The app's main script, as ``infra-gap app`` and ``make run`` start it.
APP_SCRIPT = str(ROOT / "infra_gap" / "app" / "main.py")


def started_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # -> AppTest
    """The app on the demo, with a workspace database of its own, after its first run."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("INFRA_GAP_DB", f"sqlite:///{tmp_path / 'ws.sqlite'}")
    app = AppTest.from_file(APP_SCRIPT, default_timeout=300)
    app.run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def at(demo_layers, tmp_path, monkeypatch):
    """The app started on the demo (the demo's cache built first: ``demo_layers``)."""
    return started_app(tmp_path, monkeypatch)


@pytest.fixture(scope="session")
def demo_layers() -> Layers:
    """The embedded demo (generated once, then read from the cache)."""
    return load_demo(DATA, ROOT / ".cache")
