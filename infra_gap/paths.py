"""Where the package's data and the generated cache live (one place for the app and the CLI).

* **Data** (real boundaries and tables): ``INFRA_GAP_DATA`` when set; else the package data
  ``infra_gap/data`` of an installed package, found with :mod:`importlib.resources` (the
  wheel maps the repository's ``data/`` there); else ``data/`` beside the package in a clone.
* **Cache** (the generated demo layers, national workloads): ``INFRA_GAP_CACHE`` when set;
  else ``.cache/`` beside the package in a clone (a folder with ``pyproject.toml``); else the
  user's cache directory (``platformdirs``, e.g. ``~/.cache/infra-gap``), never inside
  site-packages.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

__all__ = ["default_cache_dir", "default_data_dir", "schema_path", "source_root"]

_APP_NAME = "infra-gap"


def source_root() -> Path | None:
    """The clone's root (the folder holding ``pyproject.toml``), or None when installed."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() else None


def default_data_dir() -> Path:
    """``INFRA_GAP_DATA``, else the installed package data, else the clone's ``data/``."""
    env = os.environ.get("INFRA_GAP_DATA")
    if env:
        return Path(env)
    packaged = resources.files("infra_gap").joinpath("data")
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    # A clone: the repository's data/ (the reader's error names a missing file).
    return Path(__file__).resolve().parents[1] / "data"


def default_cache_dir() -> Path:
    """``INFRA_GAP_CACHE``, else the clone's ``.cache/``, else the user's cache directory."""
    env = os.environ.get("INFRA_GAP_CACHE")
    if env:
        return Path(env)
    root = source_root()
    if root is not None:
        return root / ".cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(_APP_NAME, appauthor=False))


def schema_path(path: Path) -> Path:
    """Where the data dictionary of the CSV ``path`` goes: ``NAME.schema.json`` beside it."""
    return path.with_name(f"{path.stem}.schema.json")
