"""Scenarios: every choice behind a ranking, in a readable TOML file, and their comparison.

A scenario holds the level, the preset, the weights, the normalisation, the coverage
threshold (``covered_min``) and the stability settings.  :func:`run_scenario` is the one
path from an indicator table to a ranked, explained, stability-checked table: the app and
the CLI both call it, so the same file gives the same numbers in both.

The file (``version = 1``)::

    name = "Usulan 2025"
    level = "kecamatan"
    preset = "dampak_umkm"        # or "custom"
    normalisation = "minmax"      # or "percentile"
    covered_min = 1.0
    unknown_as_need = true        # no speed test counts as need (NTIA rule)

    [weights]
    msme_uncovered = 0.7
    msme_uncovered_share = 0.3

    [stability]
    top_n = 10
    draws = 1000
    concentration = 20.0          # lower = wider spread of weights
    seed = 12
    factors = ["weights", "normalisation", "leave_one_out", "data_error"]
    data_margin = 0.1             # +/-10% error on counts
    data_replicates = 20

Loading checks every key and value; a problem raises :class:`DataError` (file, keys,
level, threshold) or :class:`ScoringError` (weights, preset, stability), naming the key.
"""

from __future__ import annotations

import json
import math
import time
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import pandas as pd

from infra_gap.analysis.unknown import presume_unknown
from infra_gap.config import LEVELS, CoverageParams
from infra_gap.errors import DataError, InfraGapError, ScoringError
from infra_gap.io import budget
from infra_gap.ranking.compare import compare_rankings
from infra_gap.ranking.presets import CUSTOM, DEFAULT_PRESET, preset_weights
from infra_gap.ranking.scoring import NORMALISATIONS, normalised_weights, rank_areas, usable_weights
from infra_gap.ranking.stability import StabilityParams, assign_tiers, rank_stability
from infra_gap.ranking.uncertainty import correlated_pairs, need_classes
from infra_gap.registry import INDICATORS

__all__ = [
    "MAX_SCENARIO_BYTES",
    "Scenario",
    "ScenarioResult",
    "compare_rankings",
    "override",
    "parse_weight_options",
    "run_scenario",
    "scenario_from_bytes",
    "scenario_from_toml",
    "scenario_to_toml",
]

#: Largest scenario file accepted (a real one is well under 2 kB).
MAX_SCENARIO_BYTES = 64_000
VERSION = 1
_TOP_KEYS = (
    "version",
    "name",
    "level",
    "preset",
    "normalisation",
    "covered_min",
    "unknown_as_need",
)
_TABLES = ("weights", "stability")
_STABILITY_KEYS = (
    "top_n",
    "draws",
    "concentration",
    "seed",
    "factors",
    "data_margin",
    "data_replicates",
)
_STABILITY_FLOATS = ("concentration", "data_margin")


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


@dataclass(frozen=True)
class ScenarioResult:
    """A ranked table and what went into it.

    Attributes
    ----------
    ranked
        :func:`infra_gap.ranking.scoring.rank_areas` output plus ``tier`` (1-3), ``rank_low``,
        ``rank_high``, ``top_n_share`` and ``need_class`` (the absolute class of the share
        of MSMEs without 4G, :func:`infra_gap.ranking.uncertainty.need_classes`).
    weights
        The weights used, re-balanced to sum to 1.
    dropped
        Weighted indicators absent from the data, dropped before re-balancing.
    scenario
        The scenario that was run.
    correlated
        Pairs of weighted indicators whose rank correlation is above 0.9, with it
        (:func:`infra_gap.ranking.uncertainty.correlated_pairs`): they count one thing twice.
    stability_seconds
        Time the stability draws took (shown with the number of draws).
    """

    ranked: pd.DataFrame
    weights: Mapping[str, float]
    dropped: tuple[str, ...]
    scenario: Scenario
    correlated: tuple[tuple[str, str, float], ...] = ()
    stability_seconds: float = field(default=0.0, compare=False)


def run_scenario(table: pd.DataFrame, scenario: Scenario) -> ScenarioResult:
    """Rank ``table`` as ``scenario`` says, with stability and tiers.

    Parameters
    ----------
    table
        Indicator table at ``scenario.level`` (built with ``scenario.covered_min``).
    scenario
        The choices.

    Raises
    ------
    ScoringError
        When no weighted indicator is usable.
    """
    weights, dropped = usable_weights(scenario.weights, table.columns)
    ranked = rank_areas(
        table, weights, method=scenario.normalisation, unknown_as_need=scenario.unknown_as_need
    )
    presumed = presume_unknown(table, unknown_as_need=scenario.unknown_as_need)
    params = scenario.stability
    t0 = time.perf_counter()
    stab = rank_stability(presumed, weights, method=scenario.normalisation, params=params)
    seconds = time.perf_counter() - t0
    stab = stab.set_index("kode").reindex(ranked["kode"].to_numpy())
    for col in ("rank_low", "rank_high", "top_n_share"):
        ranked[col] = stab[col].to_numpy()
    ranked.insert(0, "tier", assign_tiers(ranked, top_n=params.top_n))
    if "msme_uncovered_share" in ranked:
        ranked["need_class"] = need_classes(ranked["msme_uncovered_share"])
    return ScenarioResult(
        ranked=ranked,
        weights=MappingProxyType(weights),
        dropped=dropped,
        scenario=scenario,
        correlated=tuple(correlated_pairs(presumed, list(weights))),
        stability_seconds=seconds,
    )


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    # A JSON string is a TOML basic string, once DEL (which JSON leaves raw) is escaped.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as a TOML document (see the module docstring)."""
    s = scenario.stability
    lines = [
        "# infra-gap scenario: load it in the app or run `infra-gap rank --scenario FILE`.",
        f"version = {VERSION}",
        f"name = {_toml_value(scenario.name)}",
        f"level = {_toml_value(scenario.level)}",
        f"preset = {_toml_value(scenario.preset)}",
        f"normalisation = {_toml_value(scenario.normalisation)}",
        f"covered_min = {_toml_value(float(scenario.covered_min))}",
        f"unknown_as_need = {_toml_value(scenario.unknown_as_need)}  # no speed test = need",
        "",
        "[weights]",
        *(f"{k} = {_toml_value(float(v))}" for k, v in scenario.weights.items()),
        "",
        "[stability]",
        f"top_n = {s.top_n}",
        f"draws = {s.draws}",
        f"concentration = {_toml_value(float(s.concentration))}  # lower = wider spread",
        f"seed = {s.seed}",
        f"factors = [{', '.join(_toml_value(f) for f in s.factors)}]",
        f"data_margin = {_toml_value(float(s.data_margin))}  # relative error of counts",
        f"data_replicates = {s.data_replicates}",
        "",
    ]
    return "\n".join(lines)


def _unknown(found: Mapping[str, Any], allowed: tuple[str, ...], where: str) -> None:
    extra = sorted(set(found) - set(allowed))
    if extra:
        msg = f"scenario: unknown key(s) {extra} in {where}; allowed: {list(allowed)}"
        raise DataError(msg)


def _typed(value: object, kind: type, key: str) -> Any:
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok:
        msg = f"scenario: `{key}` must be {kind.__name__}, got {value!r}"
        raise (ScoringError if key.startswith(("weights", "stability")) else DataError)(msg)
    return float(value) if kind is float else value  # type: ignore[arg-type]


def scenario_from_toml(text: str) -> Scenario:
    """Parse and check a scenario document.

    Raises
    ------
    DataError
        For invalid TOML, an unknown key, a wrong version, level or threshold.
    ScoringError
        For an unknown indicator, a bad weight, preset or stability value.
    """
    budget.check_depth(text, "scenario", budget.current_limits(), toml=True)
    try:
        doc = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as err:
        msg = f"scenario is not valid TOML: {err}"
        raise DataError(msg) from err
    _unknown(doc, _TOP_KEYS + _TABLES, "the top level")
    version = doc.get("version", VERSION)
    if version != VERSION or isinstance(version, bool):
        msg = f"scenario: `version` must be {VERSION}, got {version!r}"
        raise DataError(msg)
    kwargs: dict[str, Any] = {}
    for key in ("name", "level", "preset", "normalisation"):
        if key in doc:
            kwargs[key] = _typed(doc[key], str, key)
    if "covered_min" in doc:
        kwargs["covered_min"] = _typed(doc["covered_min"], float, "covered_min")
    kwargs |= {k: doc[k] for k in ("unknown_as_need",) if k in doc}  # checked by Scenario
    weights = doc.get("weights")
    if weights is not None and "preset" not in doc:
        kwargs["preset"] = CUSTOM  # a file with its own weights and no preset is custom
    if weights is not None:
        if not isinstance(weights, dict):
            msg = "scenario: `weights` must be a table of indicator = weight"
            raise ScoringError(msg)
        kwargs["weights"] = {k: _typed(v, float, f"weights.{k}") for k, v in weights.items()}
    stab = doc.get("stability", {})
    if not isinstance(stab, dict):
        msg = "scenario: `stability` must be a table"
        raise ScoringError(msg)
    _unknown(stab, _STABILITY_KEYS, "[stability]")
    checked: dict[str, Any] = {
        k: _factor_names(v)
        if k == "factors"
        else _typed(v, float if k in _STABILITY_FLOATS else int, f"stability.{k}")
        for k, v in stab.items()
    }
    try:
        if weights is None and kwargs.get("preset", DEFAULT_PRESET) != CUSTOM:
            kwargs["weights"] = _preset_weights(kwargs.get("preset", DEFAULT_PRESET))
        kwargs["stability"] = StabilityParams(**checked)
        unknown = sorted(set(kwargs.get("weights", {})) - set(INDICATORS))
        if unknown:
            msg = f"`weights.{unknown[0]}`: unknown indicator(s) {unknown}"
            raise ScoringError(msg)
        return Scenario(**kwargs)
    except InfraGapError as err:
        prefix = "" if str(err).startswith("scenario") else "scenario: "
        msg = f"{prefix}{err}"
        raise type(err)(msg) from err


def _factor_names(factors: object) -> tuple[str, ...]:
    if not isinstance(factors, list) or not all(isinstance(f, str) for f in factors):
        msg = f"scenario: `stability.factors` must be a list of names, got {factors!r}"
        raise ScoringError(msg)
    return tuple(factors)


def _preset_weights(key: str) -> dict[str, float]:
    try:
        return preset_weights(key)
    except ScoringError as err:
        msg = f"`preset`: {err}"
        raise ScoringError(msg) from err


def scenario_from_bytes(data: bytes, *, max_bytes: int = MAX_SCENARIO_BYTES) -> Scenario:
    """Check the size and encoding of an uploaded file, then parse it.

    Raises
    ------
    DataError
        For a file over ``max_bytes``, not UTF-8, or not a valid scenario.
    """
    if len(data) > max_bytes:
        msg = f"scenario file is {len(data):,} bytes; the limit is {max_bytes:,}"
        raise DataError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        msg = f"scenario file is not UTF-8 text: {err.reason} at byte {err.start}"
        raise DataError(msg) from err
    return scenario_from_toml(text)


def parse_weight_options(options: Iterable[str]) -> dict[str, float]:
    """``["msme_uncovered=0.7", ...]`` -> weights.

    Raises
    ------
    ScoringError
        For an option that is not ``NAME=NUMBER`` or names an unknown indicator.
    """
    weights: dict[str, float] = {}
    for option in options:
        name, sep, value = option.partition("=")
        name = name.strip()
        try:
            number = float(value) if sep else math.nan
        except ValueError:
            number = math.nan
        if not sep or not math.isfinite(number):
            msg = f"--weight must look like NAME=NUMBER, got {option!r}"
            raise ScoringError(msg)
        if name not in INDICATORS:
            msg = f"--weight {name}: unknown indicator; known: {sorted(INDICATORS)}"
            raise ScoringError(msg)
        weights[name] = number
    return weights


def override(
    base: Scenario,
    *,
    level: str | None = None,
    preset: str | None = None,
    weights: Mapping[str, float] | None = None,
    covered_min: float | None = None,
    top_n: int | None = None,
    draws: int | None = None,
    unknown_as_need: bool | None = None,
) -> Scenario:
    """``base`` with the options a user gave on top (the CLI's precedence rule).

    ``preset`` replaces the weights with the preset's.  ``weights`` then adjust the
    preset's weights when a preset is given, and replace the weights entirely when not;
    either way the scenario becomes ``"custom"``.  None leaves a setting as it is.
    """
    changes: dict[str, Any] = {}
    if level is not None:
        changes["level"] = level
    if covered_min is not None:
        changes["covered_min"] = covered_min
    if unknown_as_need is not None:
        changes["unknown_as_need"] = bool(unknown_as_need)
    if preset is not None:
        changes["preset"] = preset
        changes["weights"] = preset_weights(preset) if preset != CUSTOM else base.weights
    if weights:
        start = dict(changes["weights"]) if preset is not None else {}
        changes["weights"] = start | dict(weights)
        changes["preset"] = CUSTOM
    stab: dict[str, Any] = {}
    if top_n is not None:
        stab["top_n"] = top_n
    if draws is not None:
        stab["draws"] = draws
    if stab:
        changes["stability"] = replace(base.stability, **stab)
    return replace(base, **changes)
