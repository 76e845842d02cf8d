"""Defaults, each with its source.

Everything here is immutable: constants and frozen dataclasses. Parameters are passed
into functions as arguments; nothing is read from module state at run time, because the
app serves many users from one process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = [
    "GEO_CRS",
    "LEVELS",
    "LEVEL_CODE_LENGTH",
    "WORK_CRS",
    "CoverageParams",
    "DemoParams",
    "EvidenceParams",
    "ScoringParams",
]

#: Metric CRS for all computation: UTM zone 47N fits North Sumatra (97-100.5 deg E).
WORK_CRS = "EPSG:32647"
#: Geographic CRS for display and for the lon/lat columns of exports (RFC 7946).
GEO_CRS = "EPSG:4326"

#: Administrative levels, finest first.  Kemendagri codes (domain.md, "Areas and codes").
LEVELS: tuple[str, ...] = ("desa", "kecamatan", "kabupaten")
#: Length of a dotted Kemendagri code per level: ``12.71.01.1001`` / ``12.71.01`` / ``12.71``.
LEVEL_CODE_LENGTH: Mapping[str, int] = MappingProxyType(
    {"desa": 13, "kecamatan": 8, "kabupaten": 5}
)


@dataclass(frozen=True)
class CoverageParams:
    """How a coverage raster value becomes "covered".

    Attributes
    ----------
    covered_min
        A pixel is covered when its value is at or above this.  1 fits a binary raster;
        for LTE RSRP in dBm use about -110 (edge of service) or -100 (reliable use)
        (domain.md, "Connectivity layers").  No data always counts as not covered (NTIA rule)
        and is also reported as unknown.
    """

    covered_min: float = 1.0


@dataclass(frozen=True)
class EvidenceParams:
    """Thresholds for speed-test and evidence indicators (domain.md, "Speed tiers").

    Attributes
    ----------
    slow_down_kbps
        A tile is below the 4G tier under this mean download: 5,000 kbps, the FCC 4G LTE
        5/1 Mbps benchmark.  Giga's tiers (under 1 Mbps none, over 20 Mbps good) and BEAD's
        25/3 fit here too.
    min_tests
        Fewer speed tests than this in an area flags its speed figures as weak evidence (50).
    conflict_share
        An area is flagged for conflicting evidence when more than this share of the MSMEs
        that coverage calls covered sit in tiles below ``slow_down_kbps`` or with no tests
        (0.5; operator maps overstate rural coverage, FCC MF-II findings).
    cell_m
        Cell size of the label grid that speeds up point placement, metres.  It changes
        speed only, never results.
    """

    slow_down_kbps: float = 5_000.0
    min_tests: int = 50
    conflict_share: float = 0.5
    cell_m: float = 100.0


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType({"msme_uncovered": 0.7, "msme_uncovered_share": 0.3})


@dataclass(frozen=True)
class ScoringParams:
    """Weights of the default ranking.

    Attributes
    ----------
    weights
        Indicator name -> weight.  Re-balanced to sum to 1 (World Bank GeoE3 weighted sum,
        domain.md "Methods").  The default puts most weight on the count of MSMEs without
        coverage (the province's argument: many MSMEs, no internet) and the rest on the
        share, so a small fully dark desa is not lost behind a large, mostly covered town.
    """

    weights: Mapping[str, float] = field(default_factory=_default_weights)


@dataclass(frozen=True)
class DemoParams:
    """Parameters of the synthetic demo.  Every figure it produces is labelled synthetic.

    Attributes
    ----------
    seed
        Seed of the one random generator used for the whole demo.
    msme_total
        Business actors in Sumatera Utara, 2023 (Diskop UKM Sumut via Antara / SuaraSumut,
        23 Feb 2024; ``shared/context``).
    medium_large_share
        Share of medium and large businesses: 1.12% (same source; 98.87% are micro/small).
    online_share
        Share of MSMEs that had "gone digital" in 2023: 15% (same source).
    online_urban_ratio
        How much likelier an MSME in a kelurahan (urban) is to be online than one in a desa.
        A demo assumption, not a measured figure.
    kelurahan_density
        How many more MSMEs a kelurahan holds than a rural desa of the same kabupaten.
        A demo assumption.
    tower_count
        Synthetic 4G tower sites for the province.  A demo assumption.
    island_tower_factor, remote_tower_km
        Towers are rarer on islands (factor) and decay with distance to the nearest kota
        (e-folding distance, km).  Demo assumptions.
    coverage_pixel_m
        Pixel size of the modelled coverage raster, metres.
    """

    seed: int = 20231231
    msme_total: int = 1_166_918
    medium_large_share: float = 0.0112
    online_share: float = 0.15
    online_urban_ratio: float = 2.5
    kelurahan_density: float = 4.0
    tower_count: int = 3200
    island_tower_factor: float = 0.3
    remote_tower_km: float = 45.0
    coverage_pixel_m: float = 250.0
