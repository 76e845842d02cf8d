"""infra-gap: where small businesses have no usable internet, as a ranked, defensible request.

Stages, in the one direction data flows: ``io`` -> ``placement`` -> ``coverage`` ->
``indicators`` -> ``scoring`` -> ``export`` / ``maps``.  ``pipeline`` chains them for the
CLI, the app and the tests.  The library never imports streamlit.

Importing the package has no side effects and loads nothing heavy: the names below are
imported on first use.  The hardened GDAL/PROJ environment for untrusted files is applied by
the CLI and the app at start-up; library users who read untrusted files wrap their work in
:func:`infra_gap.hardening.hardened_env`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from infra_gap.indicators import INDICATORS, Indicator
    from infra_gap.layers import Layers, Raster, RowAccount, Source
    from infra_gap.pipeline import PointFacts, indicator_table, place_and_cover, rank_level
    from infra_gap.placement import PLACEMENT_RULE, place_points
    from infra_gap.scoring import rank_areas

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
    "INDICATORS": "indicators",
    "Indicator": "indicators",
    "Layers": "layers",
    "Raster": "layers",
    "RowAccount": "layers",
    "Source": "layers",
    "PointFacts": "pipeline",
    "indicator_table": "pipeline",
    "place_and_cover": "pipeline",
    "rank_level": "pipeline",
    "PLACEMENT_RULE": "placement",
    "place_points": "placement",
    "rank_areas": "scoring",
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
