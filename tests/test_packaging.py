"""A real package (#18.4): what the wheel holds and where an installed package looks.

The wheel itself is built, installed without ``-e`` and run from another folder by
``.ci/wheel-check`` (``make wheel-check``, called by ``.ci/run``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import infra_gap
from infra_gap import paths
from tests.conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_subpackage_goes_into_the_wheel() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "infra_gap").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, f"missing from [tool.setuptools] packages: {sorted(found - listed)}"
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["infra_gap.data"] == "data"
    assert (ROOT / "infra_gap" / "py.typed").is_file()


def test_one_version_source_and_a_licence_file() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    attr = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "infra_gap.__version__"
    assert infra_gap.__version__.count(".") == 2
    assert project["license"] == {"text": "MIT"}
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_core_installs_without_the_app_and_dask() -> None:
    core = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    assert "streamlit" not in core
    assert "dask" not in core
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(d.startswith("streamlit") for d in extras["app"])
    assert any(d.startswith("dask") for d in extras["dask"])
    assert "infra-gap[app,dask]" in extras["dev"]  # `make` still installs everything


def test_clone_paths_and_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("INFRA_GAP_DATA", raising=False)
    monkeypatch.delenv("INFRA_GAP_CACHE", raising=False)
    assert paths.default_data_dir() == ROOT / "data"
    assert paths.default_cache_dir() == ROOT / ".cache"
    monkeypatch.setenv("INFRA_GAP_DATA", str(tmp_path / "d"))
    monkeypatch.setenv("INFRA_GAP_CACHE", str(tmp_path / "c"))
    assert paths.default_data_dir() == tmp_path / "d"
    assert paths.default_cache_dir() == tmp_path / "c"


def test_an_installed_package_caches_in_the_user_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("INFRA_GAP_CACHE", raising=False)
    monkeypatch.setattr(paths, "source_root", lambda: None)  # no pyproject.toml beside it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.default_cache_dir() == tmp_path / "xdg" / "infra-gap"


def test_the_app_and_its_files_go_into_the_wheel() -> None:
    """`infra-gap app` needs the main script, the pages, the static files and the settings."""
    setuptools = PYPROJECT["tool"]["setuptools"]
    assert {"infra_gap.app", "infra_gap.app.ui", "infra_gap.app.app_pages"} <= set(
        setuptools["packages"]
    )
    app_dir = ROOT / "infra_gap" / "app"
    shipped = {
        p for pattern in setuptools["package-data"]["infra_gap.app"] for p in app_dir.glob(pattern)
    }
    needed = {p for p in (app_dir / "static").rglob("*") if p.is_file()}
    needed.add(app_dir / ".streamlit" / "config.toml")
    assert needed - shipped == set()
    assert (app_dir / "static" / "vendor" / "leaflet@1.9.4" / "leaflet.js") in needed
