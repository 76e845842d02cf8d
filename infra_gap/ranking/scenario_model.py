"""The :class:`Scenario`: every choice behind one ranking, checked when it is made.

Saved and loaded as TOML by :mod:`infra_gap.ranking.scenario_file`; run by
:func:`infra_gap.ranking.scenario.run_scenario`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from infra_gap.config import LEVELS, CoverageParams
from infra_gap.errors import DataError, ScoringError
from infra_gap.ranking.presets import CUSTOM, DEFAULT_PRESET, preset_weights
from infra_gap.ranking.scoring import NORMALISATIONS, normalised_weights
from infra_gap.ranking.stability import StabilityParams

__all__ = ["Scenario"]


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType(preset_weights(DEFAULT_PRESET))


@dataclass(frozen=True)
class Scenario:
    """Every choice behind one ranking.

    Attributes
    ----------
    level
        ``"desa"``, ``"kecamatan"`` (default) or ``"kabupaten"``.
    preset
        A key of :data:`infra_gap.ranking.presets.PRESETS`, or ``"custom"``.  With a preset, the
        weights must be the preset's.
    weights
        Indicator name -> weight (re-balanced to sum to 1 when ranking); zero weights are
        not kept.
    normalisation
        ``"minmax"`` or ``"percentile"``.
    covered_min
        Coverage threshold, see :class:`infra_gap.config.CoverageParams`.
    stability
        Draws, spread, seed and N of the stability report.
    name
        Free text shown beside the ranking.
    unknown_as_need
        Areas with no speed test count as need (NTIA rule, :mod:`infra_gap.analysis.unknown`);
        True by default.
    """

    level: str = "kecamatan"
    preset: str = DEFAULT_PRESET
    weights: Mapping[str, float] = field(default_factory=_default_weights)
    normalisation: str = "minmax"
    covered_min: float = CoverageParams().covered_min
    stability: StabilityParams = field(default_factory=StabilityParams)
    name: str = ""
    unknown_as_need: bool = True

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            msg = f"`level` must be one of {list(LEVELS)}, got {self.level!r}"
            raise DataError(msg)
        if self.normalisation not in NORMALISATIONS:
            msg = (
                f"`normalisation` must be one of {list(NORMALISATIONS)}, got {self.normalisation!r}"
            )
            raise ScoringError(msg)
        if not isinstance(self.name, str):
            msg = f"`name` must be text, got {self.name!r}"
            raise DataError(msg)
        if not isinstance(self.unknown_as_need, bool):
            msg = f"`unknown_as_need` must be true or false, got {self.unknown_as_need!r}"
            raise ScoringError(msg)
        if not _is_number(self.covered_min):
            msg = f"`covered_min` must be a finite number, got {self.covered_min!r}"
            raise DataError(msg)
        bad = [k for k, v in self.weights.items() if not _is_number(v)]
        if bad:
            msg = f"`weights.{bad[0]}` must be a number, got {self.weights[bad[0]]!r}"
            raise ScoringError(msg)
        normalised = normalised_weights(self.weights)
        kept = {k: float(v) for k, v in self.weights.items() if v > 0}  # 0 = not used
        object.__setattr__(self, "weights", MappingProxyType(kept))
        if self.preset != CUSTOM:
            try:
                expected = normalised_weights(preset_weights(self.preset))
            except ScoringError as err:
                msg = f"`preset`: {err}"
                raise ScoringError(msg) from err
            if not _same_weights(normalised, expected):
                msg = (
                    f"`weights` differ from preset {self.preset!r} {expected}; "
                    f'set preset = "{CUSTOM}" to use your own weights'
                )
                raise ScoringError(msg)


def _is_number(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _same_weights(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return set(a) == set(b) and all(math.isclose(a[k], b[k], abs_tol=1e-9) for k in a)
