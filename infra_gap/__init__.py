"""infra-gap: where small businesses have no usable internet, as a ranked, defensible request.

Stage packages, in the one direction data flows (a package imports only those before it;
import-linter checks it, see ``[tool.importlinter]`` in pyproject.toml and DESIGN.md):

1. shared modules (``config``, ``errors``, ``layers``, ``codes``, ``registry``, ...) and ``text``;
2. ``io``, the only package that opens files;
3. ``analysis``: placement -> coverage -> evidence -> indicators (``analysis.pipeline``);
4. ``ranking``, ``siting`` and ``synthetic`` (the demo), side by side;
5. ``maps``; then ``outputs`` (CSV, XLSX, GeoPackage, PDF) and ``national`` (the Dask engine);
6. ``runs`` (what both front ends run) and the front ends: ``cli`` and ``workspace`` (the
   app's saved work); on top, ``app``, the Streamlit app (``infra-gap app`` starts it).

The library never imports streamlit.

Importing the package has no side effects and loads nothing heavy: the names below are
imported on first use.  The hardened GDAL/PROJ environment for untrusted files is applied by
the CLI and the app at start-up; library users who read untrusted files wrap their work in
:func:`infra_gap.hardening.hardened_env`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from infra_gap.analysis.indicators import INDICATORS, Indicator
    from infra_gap.analysis.pipeline import PointFacts, indicator_table, place_and_cover
    from infra_gap.analysis.placement import PLACEMENT_RULE, place_points
    from infra_gap.config import (
        GEO_CRS,
        LEVELS,
        WORK_CRS,
        CoverageParams,
        DemoParams,
        ScoringParams,
    )
    from infra_gap.errors import (
        DataError,
        InfraGapError,
        InputFileError,
        SchemaError,
        ScoringError,
    )
    from infra_gap.layers import Layers, Raster, RowAccount, Source
    from infra_gap.ranking.levels import rank_level
    from infra_gap.ranking.scoring import rank_areas

#: The one version number of the project (pyproject.toml reads it from here).
__version__ = "0.1.0"

_LAZY = {
    "GEO_CRS": "config",
    "LEVELS": "config",
    "WORK_CRS": "config",
    "CoverageParams": "config",
    "DemoParams": "config",
    "ScoringParams": "config",
    "DataError": "errors",
    "InfraGapError": "errors",
    "InputFileError": "errors",
    "SchemaError": "errors",
    "ScoringError": "errors",
    "INDICATORS": "analysis.indicators",
    "Indicator": "analysis.indicators",
    "Layers": "layers",
    "Raster": "layers",
    "RowAccount": "layers",
    "Source": "layers",
    "PointFacts": "analysis.pipeline",
    "indicator_table": "analysis.pipeline",
    "place_and_cover": "analysis.pipeline",
    "rank_level": "ranking.levels",
    "PLACEMENT_RULE": "analysis.placement",
    "place_points": "analysis.placement",
    "rank_areas": "ranking.scoring",
}

__all__ = [
    "GEO_CRS",
    "INDICATORS",
    "LEVELS",
    "PLACEMENT_RULE",
    "WORK_CRS",
    "CoverageParams",
    "DataError",
    "DemoParams",
    "Indicator",
    "InfraGapError",
    "InputFileError",
    "Layers",
    "PointFacts",
    "Raster",
    "RowAccount",
    "SchemaError",
    "ScoringError",
    "ScoringParams",
    "Source",
    "indicator_table",
    "place_and_cover",
    "place_points",
    "rank_areas",
    "rank_level",
]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'infra_gap' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"infra_gap.{module}"), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
