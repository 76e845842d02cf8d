"""What a tower site costs in Indonesia: capex by class, logistics, backhaul and opex.

Every default is a figure from ``shared/reference/domain.md`` ("Costs in Indonesia") or a
stated assumption, and :func:`cost_table` lists each one with its source so the app and the
exports can show it.  A site's cost is::

    capex  = class capex x island factor (if off the mainland) x no-road factor (if flagged)
             + backhaul capex (fibre: km to the backbone x rate; microwave/VSAT: per link)
    opex   = opex share x capex, per year
    budget = capex + opex_years x opex      (what a budget is spent on; opex_years = 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

import numpy as np
import pandas as pd

from infra_gap.errors import SchemaError
from infra_gap.i18n import fmt_int, fmt_num, t

__all__ = [
    "BACKHAUL_TYPES",
    "CostParams",
    "cost_table",
    "fmt_idr",
    "site_costs",
    "summary_line",
]

#: Backhaul types, in the order they are tried: fibre, one microwave hop, else satellite.
BACKHAUL_TYPES: tuple[str, ...] = ("fibre", "microwave", "vsat")

_BAKTI = "domain.md 'Costs in Indonesia'"


def _default_capex() -> Mapping[str, float]:
    return MappingProxyType(
        {
            "bakti_3t": 2.2e9,
            "bakti_3t_high": 2.6e9,
            "bakti_remote": 3.2e9,
            "commercial": 1.05e9,
        }
    )


@dataclass(frozen=True)
class CostParams:
    """Cost figures of one run; every one is editable.

    Attributes
    ----------
    capex_idr
        Capex per site by class, rupiah.  ``bakti_3t`` Rp 2.2 bn: a BAKTI 3T 4G site to
        on-air, Rp 10.8 trillion for 4,990 BTS by end-2023; ``bakti_3t_high`` Rp 2.6 bn:
        court testimony; ``bakti_remote`` Rp 3.2 bn: Papua Barat; ``commercial`` Rp 1.05 bn:
        midpoint of Rp 0.6-1.5 bn for a commercial tower, structure only (APJII 2023).
        All from domain.md, "Costs in Indonesia".
    site_class
        Class of generated candidates and of uploaded ones without ``capex_class``.
    island_factor, no_road_factor
        Logistics multipliers for a site off the Sumatra mainland and for one without road
        access.  domain.md says logistics (islands, no road, helicopters) is the largest part
        of BAKTI's cost but gives no factor; 1.2 each is an **assumption**, chosen so that an
        island site without road costs 1.44x, about the Papua Barat / average ratio
        (Rp 3.2 bn / Rp 2.2 bn = 1.45).
    fibre_usd_per_km
        Fibre capex, US$ per km: 5,500 (Giga cost model default; domain.md).
    idr_per_usd
        Exchange rate for the fibre figure: Rp 15,400 per US$, the rupiah's level at the end
        of 2023 (Bank Indonesia JISDOR reference rate, about Rp 15,400-15,450 in late
        December 2023), the vintage of the BAKTI figures.  An **assumption to verify**.
    fibre_max_km
        A site within this distance of the backbone gets a fibre spur (5 km, an
        **assumption**: a short spur; beyond it a microwave hop is the usual choice).
    microwave_max_km
        One microwave hop reaches about 65 km (domain.md, "Fibre backbone"); farther sites
        use VSAT.
    microwave_idr, vsat_idr
        Backhaul capex per microwave link or VSAT terminal, rupiah: 0, because the BAKTI
        class figure is "to on-air" and so already includes the site's transmission;
        domain.md has no separate figure.  Set one to cost it separately.
    opex_share
        Operating cost per year as a share of capex: 0.10, the low end of Kominfo's 10-12.5%
        (via Bisnis.com, 2021; domain.md).
    opex_years
        Years of opex counted in the budgeted cost of a site (0: a budget buys capex).
    """

    capex_idr: Mapping[str, float] = field(default_factory=_default_capex)
    site_class: str = "bakti_3t"
    island_factor: float = 1.2
    no_road_factor: float = 1.2
    fibre_usd_per_km: float = 5_500.0
    idr_per_usd: float = 15_400.0
    fibre_max_km: float = 5.0
    microwave_max_km: float = 65.0
    microwave_idr: float = 0.0
    vsat_idr: float = 0.0
    opex_share: float = 0.10
    opex_years: int = 0

    @property
    def fibre_idr_per_km(self) -> float:
        """Fibre capex per km in rupiah (``fibre_usd_per_km x idr_per_usd``)."""
        return self.fibre_usd_per_km * self.idr_per_usd


_SOURCES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "site_class": ("", "default class of generated candidates"),
        "island_factor": ("x", "assumption: 1.2 x 1.2 = 1.44 ~ Papua Barat 3.2 / 2.2 bn"),
        "no_road_factor": ("x", "assumption: 1.2 x 1.2 = 1.44 ~ Papua Barat 3.2 / 2.2 bn"),
        "fibre_usd_per_km": ("US$/km", "Giga cost model default (domain.md)"),
        "idr_per_usd": ("Rp/US$", "assumption: Bank Indonesia JISDOR, end-2023; verify"),
        "fibre_max_km": ("km", "assumption: short fibre spur"),
        "microwave_max_km": ("km", "one microwave hop (domain.md)"),
        "microwave_idr": ("Rp", "0: included in the 'to on-air' class capex"),
        "vsat_idr": ("Rp", "0: included in the 'to on-air' class capex"),
        "opex_share": ("/year", "Kominfo via Bisnis.com 2021: 10-12.5% of capex (domain.md)"),
        "opex_years": ("years", "years of opex counted against a budget"),
    }
)
_CLASS_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "bakti_3t": "BAKTI: Rp 10.8 trillion / 4,990 BTS by end-2023 (" + _BAKTI + ")",
        "bakti_3t_high": "BAKTI, court testimony (" + _BAKTI + ")",
        "bakti_remote": "BAKTI, Papua Barat (" + _BAKTI + ")",
        "commercial": "APJII 2023, Rp 0.6-1.5 bn, structure only; midpoint (" + _BAKTI + ")",
    }
)


def cost_table(params: CostParams) -> pd.DataFrame:
    """Every cost figure of a run with its unit and source, for the app and the exports.

    Returns
    -------
    DataFrame with ``parameter``, ``value``, ``unit`` and ``source``; figures changed from
    the defaults are marked "edited by the user".
    """
    default = CostParams()
    rows: list[tuple[str, object, str, str]] = []
    for name, value in params.capex_idr.items():
        source = _CLASS_SOURCES.get(name, "user class")
        if default.capex_idr.get(name) != value:
            source = "edited by the user"
        rows.append((f"capex_idr[{name}]", value, "Rp", source))
    for f in fields(CostParams):
        if f.name == "capex_idr":
            continue
        unit, source = _SOURCES[f.name]
        value = getattr(params, f.name)
        if value != getattr(default, f.name):
            source = "edited by the user"
        rows.append((f.name, value, unit, source))
    return pd.DataFrame(rows, columns=["parameter", "value", "unit", "source"])


def site_costs(
    *,
    capex_class: np.ndarray,
    island: np.ndarray,
    no_road: np.ndarray,
    backbone_km: np.ndarray,
    params: CostParams,
) -> pd.DataFrame:
    """Backhaul type and costs of each site.

    Parameters
    ----------
    capex_class
        Class name of each site (a key of ``params.capex_idr``).
    island, no_road
        Logistics flags of each site.
    backbone_km
        Distance to the nearest backbone line or point of presence, km; NaN when there is
        no backbone layer (the site then gets VSAT).
    params
        Cost figures.

    Returns
    -------
    DataFrame row-aligned with the inputs: ``backhaul`` (``fibre``/``microwave``/``vsat``),
    ``backhaul_idr``, ``capex_idr``, ``opex_idr_per_year`` and ``cost_idr`` (the budgeted
    cost), all in whole rupiah.
    """
    classes = np.asarray(capex_class, dtype="str")
    unknown = sorted(set(classes.tolist()) - set(params.capex_idr))
    if unknown:
        msg = f"unknown capex class(es) {unknown}; known: {sorted(params.capex_idr)}"
        raise SchemaError(msg)
    km = np.asarray(backbone_km, dtype="float64")
    fibre = km <= params.fibre_max_km
    microwave = ~fibre & (km <= params.microwave_max_km)
    backhaul = np.select([fibre, microwave], ["fibre", "microwave"], "vsat")
    backhaul_idr = np.select(
        [fibre, microwave],
        [km * params.fibre_idr_per_km, np.full(len(km), params.microwave_idr)],
        params.vsat_idr,
    )
    base = np.array([params.capex_idr[c] for c in classes], dtype="float64")
    factor = np.where(np.asarray(island, dtype=bool), params.island_factor, 1.0)
    factor = factor * np.where(np.asarray(no_road, dtype=bool), params.no_road_factor, 1.0)
    capex = np.round(base * factor + backhaul_idr)
    opex = np.round(params.opex_share * capex)
    return pd.DataFrame(
        {
            "backhaul": backhaul.astype("str"),
            "backhaul_idr": np.round(backhaul_idr),
            "capex_idr": capex,
            "opex_idr_per_year": opex,
            "cost_idr": capex + params.opex_years * opex,
        }
    )


def fmt_idr(value: float, lang: str) -> str:
    """Rupiah for people: ``Rp 50 miliar`` / ``Rp 2,2 miliar`` (id), ``Rp 50 billion`` (en).

    Amounts of a trillion and more use ``triliun``/``trillion``; under a billion,
    ``juta``/``million``.
    """
    scales = (
        (1e12, "triliun", "trillion"),
        (1e9, "miliar", "billion"),
        (1e6, "juta", "million"),
    )
    for size, word_id, word_en in scales:
        if abs(value) >= size:
            amount = value / size
            decimals = 0 if float(amount).is_integer() or abs(amount) >= 100 else 1
            word = word_id if lang == "id" else word_en
            return f"Rp {fmt_num(amount, lang, decimals=decimals)} {word}"
    return f"Rp {fmt_int(value, lang)}"


def summary_line(
    *, money_idr: float, sites: int, msme_new: int, lang: str, synthetic: bool = False
) -> str:
    """The headline: ``Rp 50 miliar → 19 menara → 48.210 UMKM baru terjangkau``.

    ``money_idr`` is the budget when one was given, else the total cost of the sites.
    """
    line = t("sites_summary", lang).format(
        money=fmt_idr(money_idr, lang), sites=fmt_int(sites, lang), msme=fmt_int(msme_new, lang)
    )
    return line + (t("sites_synthetic_suffix", lang) if synthetic else "")
