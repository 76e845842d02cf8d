"""infra-gap: where small businesses have no usable internet, as a ranked, defensible request.

Stages, in the one direction data flows: ``io`` -> ``placement`` -> ``coverage`` ->
``indicators`` -> ``scoring`` -> ``export`` / ``maps``.  ``pipeline`` chains them for the
CLI, the app and the tests.  The library never imports streamlit.
"""

from infra_gap.hardening import apply_hardened_env

apply_hardened_env()  # before anything imports rasterio or pyogrio (GDAL reads it at load)

from infra_gap.config import GEO_CRS, LEVELS, WORK_CRS, CoverageParams, DemoParams, ScoringParams
from infra_gap.errors import DataError, InfraGapError, InputFileError, SchemaError, ScoringError
from infra_gap.indicators import INDICATORS, Indicator
from infra_gap.layers import Layers, Raster, RowAccount, Source
from infra_gap.pipeline import PointFacts, indicator_table, place_and_cover, rank_level
from infra_gap.placement import PLACEMENT_RULE, place_points
from infra_gap.scoring import rank_areas

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
__version__ = "0.1.0"
