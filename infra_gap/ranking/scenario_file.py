"""A scenario as a readable TOML file: written, and read back with every key checked.

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
import tomllib
from collections.abc import Mapping
from typing import Any

from infra_gap.errors import DataError, InfraGapError, ScoringError
from infra_gap.io import budget
from infra_gap.ranking.presets import CUSTOM, DEFAULT_PRESET, preset_weights
from infra_gap.ranking.scenario_model import Scenario
from infra_gap.ranking.stability import StabilityParams
from infra_gap.registry import INDICATORS

__all__ = [
    "MAX_SCENARIO_BYTES",
    "VERSION",
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
