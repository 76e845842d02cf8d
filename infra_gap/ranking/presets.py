"""Named weight sets a planner can start from, each with its reason.

Names and rationales shown to users live in the i18n catalogue (``preset_<key>`` and
``preset_<key>_why``).  A preset whose indicators are not in the registry would be listed
but unavailable (the app shows it disabled, asking for it is a :class:`ScoringError`).  The
cost-efficiency preset's indicator is computed by the siting stage (``needs="siting"``): the
CLI and the app join it onto the indicator table with
:func:`infra_gap.siting.plan.with_cost_efficiency` when the weights use it.  A preset
indicator that is in the registry but absent from a run's data is dropped at scoring time
and reported (:func:`infra_gap.ranking.scoring.usable_weights`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from infra_gap.config import ScoringParams
from infra_gap.errors import ScoringError
from infra_gap.registry import INDICATORS

__all__ = ["CUSTOM", "DEFAULT_PRESET", "PRESETS", "Preset", "preset_weights"]

#: Key of the free weight set; not a preset, but offered beside them.
CUSTOM = "custom"
DEFAULT_PRESET = "dampak_umkm"


@dataclass(frozen=True)
class Preset:
    """A named weight set.

    Attributes
    ----------
    key
        Stable snake_case key (used in scenario files and ``--preset``).
    weights
        Indicator name -> weight, summing to 1 (multiples of 0.05, so sliders can show them).
    basis
        Where the weighting comes from (for the docs; the UI shows the catalogue text).
    needs
        Stage that computes some of its indicators outside the indicator table
        (``"siting"``), or ``""``.
    """

    key: str
    weights: Mapping[str, float]
    basis: str
    needs: str = field(default="")

    @property
    def missing(self) -> tuple[str, ...]:
        """Weighted indicators the registry does not know yet."""
        return tuple(k for k in self.weights if k not in INDICATORS)

    @property
    def available(self) -> bool:
        """True when every weighted indicator is in the registry."""
        return not self.missing


def _preset(key: str, weights: dict[str, float], basis: str, needs: str = "") -> Preset:
    return Preset(key=key, weights=MappingProxyType(weights), basis=basis, needs=needs)


PRESETS: Mapping[str, Preset] = MappingProxyType(
    {
        p.key: p
        for p in (
            _preset(
                "dampak_umkm",
                dict(ScoringParams().weights),
                "The province's argument, many MSMEs and no internet (domain.md, 'Their "
                "goal'); equals the default ScoringParams weights.",
            ),
            _preset(
                "daerah_terpencil",
                {
                    "kota_km": 0.2,
                    "island": 0.2,
                    "backbone_km": 0.2,
                    "msme_tower_km": 0.15,
                    "msme_uncovered_share": 0.25,
                },
                "Strategy 1 of the province, internet for areas far from cities; islands "
                "and backhaul distance drive BAKTI's cost and choice of fibre, microwave or "
                "VSAT (domain.md, 'Fibre backbone', 'Costs').",
            ),
            _preset(
                "siap_usul_bakti",
                {
                    "msme_uncovered": 0.4,
                    "area_uncovered_share": 0.2,
                    "operators_reaching": 0.2,
                    "msme_below_4g_speed": 0.2,
                },
                "A BAKTI BTS request needs a blank spot (domain.md, 'What they submit'): "
                "weight on blank-spot evidence (area without 4G, no operator whose sites reach "
                "the MSMEs (modelled reach, infra_gap.analysis.operators; before #16 the operators "
                "inside the boundary), tests under the FCC 5 Mbps 4G tier) and on the MSMEs "
                "affected.  3T status, land and a "
                "guard are checked outside the tool.",
            ),
            _preset(
                "efisiensi_biaya",
                {"msme_new_per_billion_idr": 1.0},
                "MSMEs newly covered per Rp 1 billion, the proposals' headline metric "
                "(domain.md, 'Costs in Indonesia').",
                needs="siting",
            ),
        )
    }
)


def preset_weights(key: str) -> dict[str, float]:
    """The weights of a preset, as a new dict.

    Raises
    ------
    ScoringError
        For an unknown key, ``"custom"`` (it has no weights of its own), or a preset that
        is not available yet.
    """
    if key == CUSTOM:
        msg = f"preset {CUSTOM!r} has no weights of its own: give the weights"
        raise ScoringError(msg)
    if key not in PRESETS:
        msg = f"unknown preset {key!r}; known: {[*PRESETS, CUSTOM]}"
        raise ScoringError(msg)
    preset = PRESETS[key]
    if not preset.available:
        msg = (
            f"preset {key!r} is not available yet: it needs {list(preset.missing)}, "
            f"which the {preset.needs} feature will add"
        )
        raise ScoringError(msg)
    return dict(preset.weights)
