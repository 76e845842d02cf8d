"""What a tower site costs in Indonesia over its life: base site, backhaul options and opex.

Every default cites a primary source with its date (:func:`cost_table` lists each one, for
the app and the exports).  A site's cost is::

    base capex   = class capex (site to on-air, without backhaul) x island factor (off the
                   mainland) x no-road factor (flagged)
    base opex    = opex share x base capex, per year
    backhaul     = each feasible option costed over the plan's life (opex_years), the cheapest
                   chosen per site:
                   fibre      (to fibre_max_km) capex = land km x rate + sea km x rate x
                              sea factor; opex = km x upkeep + Mbps x bandwidth rate
                   microwave  (to microwave_max_km) capex = one link; opex = Mbps x rate
                   vsat       capex = one terminal; opex = Mbps x satellite bandwidth rate
    capex        = base capex + backhaul capex
    opex         = base opex + backhaul opex, per year
    cost_total   = capex + opex_years x opex        (what a budget is spent on)

US$ figures are converted at ``idr_per_usd``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType

import numpy as np
import pandas as pd

from infra_gap.errors import DataError, SchemaError
from infra_gap.text.i18n import fmt_int, fmt_num, t

__all__ = [
    "BACKHAUL_TYPES",
    "CostParams",
    "cost_table",
    "fmt_idr",
    "site_costs",
    "summary_line",
]

#: Backhaul types, in the order they win a tie: fibre, one microwave hop, satellite.
BACKHAUL_TYPES: tuple[str, ...] = ("fibre", "microwave", "vsat")

#: BAKTI's 4G programme: Rp 12.045 trillion capex for 5,618 sites (BAKTI task force chair
#: Sarwoto Atmosutarno, CNBC Indonesia, 18 Oct 2024), Rp 2.144 bn a site to on-air.
_BAKTI_SITE_IDR = 12.045e12 / 5618
#: Giga open cost model (UNICEF, github.com/unicef/giga-open-cost-model,
#: ``conf/countries/sample.json`` at commit 0470726d): satellite terminal US$467.
_GIGA_VSAT_USD = 467.0
#: Bank Indonesia JISDOR reference rate, 29 Dec 2023 (the vintage of the BAKTI figures).
_IDR_PER_USD = 15_439.0


def _default_capex() -> Mapping[str, float]:
    vsat = _GIGA_VSAT_USD * _IDR_PER_USD  # in BAKTI's to-on-air figures: most are satellite-fed
    return MappingProxyType(
        {
            "bakti_3t": round(_BAKTI_SITE_IDR - vsat, -6),
            "bakti_3t_high": round(2.6e9 - vsat, -6),
            "bakti_remote": round(3.2e9 - vsat, -6),
            "commercial": 1.05e9,
        }
    )


@dataclass(frozen=True)
class CostParams:
    """Cost figures of one run; every one is editable.

    Attributes
    ----------
    capex_idr
        Base capex per site by class, rupiah, **without backhaul**.  BAKTI's figures are "to
        on-air" and its sites are mostly fed by satellite (BAKTI's director, IndoTelko,
        28 Jan 2019), so a Giga VSAT terminal (US$467, Rp 7.2 M) is taken off each:
        ``bakti_3t`` Rp 2.137 bn: Rp 12.045 trillion for 5,618 sites (BAKTI task force,
        CNBC Indonesia, 18 Oct 2024); ``bakti_3t_high`` Rp 2.593 bn: up to Rp 2.6 bn a site
        "until it sends a signal" (BAKTI's head of last mile/backhaul in court, detik.com and
        katadata.co.id, 25 Jul 2023); ``bakti_remote`` Rp 3.193 bn: Papua Barat, about
        Rp 3.2 bn (Kominfo via Bisnis.com, 2021); ``commercial`` Rp 1.05 bn: midpoint of
        Rp 0.6-1.5 bn for a commercial tower, structure only (APJII, 2023).
    site_class
        Class of generated candidates and of uploaded ones without ``capex_class``.
    island_factor, no_road_factor
        Logistics multipliers for a site off the Sumatra mainland and for one without road
        access: 1.2 each, an **assumption**.  BAKTI names logistics (islands, no road,
        helicopters) as the largest part of its cost (liputan6.com, 15 Apr 2022) without a
        factor; 1.2 x 1.2 = 1.44 is about the Papua Barat / average ratio (3.2 / 2.2 = 1.45).
    fibre_usd_per_km
        Fibre capex on land, US$ per km: 5,500 (Giga open cost model, ``sample.json``).
    fibre_sea_factor
        Fibre under sea costs this many times fibre on land: 5 (Kominfo's Director General
        Ismail: Rp 10 M per km on land, Rp 50 M under sea, Bisnis.com, 30 Nov 2022; APJATEL's
        chair: sea five times land, Kompas, 21 Mar 2023).
    fibre_usd_per_km_year
        Fibre upkeep, US$ per km a year: 160 (Giga, ``sample.json``).
    fibre_max_km
        Longest fibre spur: 47 km (Giga's ``maximum_connection_length``, ``sample.json``).
    microwave_usd
        One microwave link, US$: 3,161 = 2,182 for the link + 979 for its tower (Giga's
        point-to-point ``fixed_costs`` and ``tower_fixed_costs``, ``sample.json``).
    microwave_max_km
        One microwave hop reaches 65 km (Giga's point-to-point ``maximum_range``).
    vsat_usd
        One VSAT terminal, US$: 467 (Giga's satellite ``fixed_costs``, ``sample.json``).
    fibre_usd_per_mbps_year, microwave_usd_per_mbps_year, vsat_usd_per_mbps_year
        Bandwidth, US$ per Mbps a year: 208.02 (fibre), 200 (point-to-point), 309.91
        (satellite), Giga's ``annual_bandwidth_cost_per_mbps``, ``sample.json``.
    backhaul_mbps
        Bandwidth bought per site: 2 Mbps, what BAKTI's satellite-fed 3T sites delivered in
        practice (Kompas Tekno, 13 Jul 2021).  Raise it to plan for more.
    idr_per_usd
        Rp 15,439 per US$: Bank Indonesia JISDOR reference rate of 29 Dec 2023, the vintage
        of the BAKTI figures.
    opex_share
        Base operating cost per year as a share of base capex: 0.1443, BAKTI's Rp 144.878 bn
        a month for 5,618 sites (Rp 309 M a site a year) over Rp 12.045 trillion capex
        (BAKTI task force, CNBC Indonesia, 18 Oct 2024); the Minister's "up to Rp 25 M a
        month" per 3T site agrees (Bisnis.com, 2 Nov 2023).  It includes the satellite
        capacity of BAKTI's mostly satellite-fed sites, so backhaul bandwidth is counted
        twice for them: at 2 Mbps, Rp 9.6 M of Rp 309 M a year (3%), a conservative error.
    opex_years
        Years of opex in a site's cost and in what a budget must hold: 6 (Giga's
        ``years_opex``, ``sample.json``).  0: a budget buys capex only, and the backhaul is
        chosen on capex alone.
    """

    capex_idr: Mapping[str, float] = field(default_factory=_default_capex)
    site_class: str = "bakti_3t"
    island_factor: float = 1.2
    no_road_factor: float = 1.2
    fibre_usd_per_km: float = 5_500.0
    fibre_sea_factor: float = 5.0
    fibre_usd_per_km_year: float = 160.0
    fibre_max_km: float = 47.0
    microwave_usd: float = 3_161.0
    microwave_max_km: float = 65.0
    vsat_usd: float = _GIGA_VSAT_USD
    fibre_usd_per_mbps_year: float = 208.02
    microwave_usd_per_mbps_year: float = 200.0
    vsat_usd_per_mbps_year: float = 309.91
    backhaul_mbps: float = 2.0
    idr_per_usd: float = _IDR_PER_USD
    opex_share: float = 0.1443
    opex_years: int = 6

    def __post_init__(self) -> None:
        bad = [
            f.name
            for f in fields(self)
            if f.name not in {"capex_idr", "site_class"}
            and not (np.isfinite(getattr(self, f.name)) and getattr(self, f.name) >= 0)
        ]
        if bad:
            msg = f"cost figures must be finite and not negative: {bad}"
            raise DataError(msg)
        if int(self.opex_years) != self.opex_years:
            msg = f"`opex_years` must be a whole number of years, got {self.opex_years}"
            raise DataError(msg)

    @property
    def fibre_idr_per_km(self) -> float:
        """Fibre capex per km on land in rupiah (``fibre_usd_per_km x idr_per_usd``)."""
        return self.fibre_usd_per_km * self.idr_per_usd


_GIGA = "Giga open cost model, conf/countries/sample.json @0470726d (github.com/unicef)"
_SOURCES: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "site_class": ("", "default class of generated candidates"),
        "island_factor": ("x", "assumption: 1.2 x 1.2 = 1.44 ~ Papua Barat 3.2 / 2.2 bn"),
        "no_road_factor": ("x", "assumption: 1.2 x 1.2 = 1.44 ~ Papua Barat 3.2 / 2.2 bn"),
        "fibre_usd_per_km": ("US$/km", _GIGA),
        "fibre_sea_factor": ("x", "Kominfo: Rp 10 M/km land, Rp 50 M/km sea (Bisnis.com, "
                             "30 Nov 2022); APJATEL (Kompas, 21 Mar 2023)"),
        "fibre_usd_per_km_year": ("US$/km/year", _GIGA),
        "fibre_max_km": ("km", _GIGA + ": maximum_connection_length"),
        "microwave_usd": ("US$", _GIGA + ": p2p fixed_costs 2,182 + tower 979"),
        "microwave_max_km": ("km", _GIGA + ": p2p maximum_range"),
        "vsat_usd": ("US$", _GIGA + ": satellite fixed_costs"),
        "fibre_usd_per_mbps_year": ("US$/Mbps/year", _GIGA),
        "microwave_usd_per_mbps_year": ("US$/Mbps/year", _GIGA),
        "vsat_usd_per_mbps_year": ("US$/Mbps/year", _GIGA),
        "backhaul_mbps": ("Mbps", "3T satellite links delivered ~2 Mbps (Kompas Tekno, "
                          "13 Jul 2021)"),
        "idr_per_usd": ("Rp/US$", "Bank Indonesia JISDOR, 29 Dec 2023"),
        "opex_share": ("/year", "BAKTI task force: Rp 144.878 bn/month for 5,618 sites, "
                       "capex Rp 12.045 trillion (CNBC Indonesia, 18 Oct 2024)"),
        "opex_years": ("years", _GIGA + ": years_opex"),
    }
)  # fmt: skip
_CLASS_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "bakti_3t": "BAKTI task force: Rp 12.045 trillion / 5,618 sites (CNBC Indonesia, "
        "18 Oct 2024), less a VSAT terminal",
        "bakti_3t_high": "BAKTI in court: up to Rp 2.6 bn (detik.com, 25 Jul 2023), less a "
        "VSAT terminal",
        "bakti_remote": "Papua Barat, about Rp 3.2 bn (Kominfo via Bisnis.com, 2021), less a "
        "VSAT terminal",
        "commercial": "APJII 2023: Rp 0.6-1.5 bn, structure only; midpoint",
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


def backhaul_options(
    backbone_km: np.ndarray, sea_km: np.ndarray, params: CostParams
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Capex and opex a year (rupiah) of each backhaul option; NaN where it cannot serve.

    Fibre needs a backbone within ``fibre_max_km`` (``sea_km`` of the route under sea),
    microwave one within ``microwave_max_km``; VSAT serves everywhere.
    """
    km = np.asarray(backbone_km, dtype="float64")
    sea = np.clip(np.nan_to_num(np.asarray(sea_km, dtype="float64")), 0.0, None)
    sea = np.minimum(sea, np.nan_to_num(km))
    usd, mbps = params.idr_per_usd, params.backhaul_mbps
    with np.errstate(invalid="ignore"):
        fibre_ok = km <= params.fibre_max_km
        wave_ok = km <= params.microwave_max_km
    fibre_capex = ((km - sea) + sea * params.fibre_sea_factor) * params.fibre_usd_per_km * usd
    fibre_opex = (km * params.fibre_usd_per_km_year + mbps * params.fibre_usd_per_mbps_year) * usd
    n = len(km)
    wave_capex = np.full(n, params.microwave_usd * usd)
    wave_opex = np.full(n, mbps * params.microwave_usd_per_mbps_year * usd)
    return {
        "fibre": (np.where(fibre_ok, fibre_capex, np.nan), np.where(fibre_ok, fibre_opex, np.nan)),
        "microwave": (np.where(wave_ok, wave_capex, np.nan), np.where(wave_ok, wave_opex, np.nan)),
        "vsat": (
            np.full(n, params.vsat_usd * usd),
            np.full(n, mbps * params.vsat_usd_per_mbps_year * usd),
        ),
    }


def site_costs(
    *,
    capex_class: np.ndarray,
    island: np.ndarray,
    no_road: np.ndarray,
    backbone_km: np.ndarray,
    params: CostParams,
    sea_km: np.ndarray | None = None,
) -> pd.DataFrame:
    """Backhaul choice and whole-life costs of each site.

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
    sea_km
        Of ``backbone_km``, the km under sea (fibre there costs ``fibre_sea_factor`` times
        more); 0 when None.

    Returns
    -------
    DataFrame row-aligned with the inputs, rupiah rounded to whole rupiah:
    ``backhaul`` (the option cheapest over ``opex_years``), ``backhaul_idr`` (its capex),
    ``backhaul_opex_idr_per_year``, ``backhaul_cost_idr`` (its capex + years x opex),
    ``backhaul_fibre_idr``, ``backhaul_microwave_idr``, ``backhaul_vsat_idr`` (each
    option's whole-life cost; NaN where it cannot serve), ``base_capex_idr``,
    ``capex_idr``, ``opex_idr_per_year``, ``cost_total_idr`` (capex + years x opex) and
    ``cost_idr`` (the budgeted cost, equal to ``cost_total_idr``).
    """
    classes = np.asarray(capex_class, dtype="str")
    unknown = sorted(set(classes.tolist()) - set(params.capex_idr))
    if unknown:
        msg = f"unknown capex class(es) {unknown}; known: {sorted(params.capex_idr)}"
        raise SchemaError(msg)
    km = np.asarray(backbone_km, dtype="float64")
    sea = np.zeros(len(km)) if sea_km is None else np.asarray(sea_km, dtype="float64")
    years = int(params.opex_years)
    options = {
        k: (np.round(c), np.round(o)) for k, (c, o) in backhaul_options(km, sea, params).items()
    }
    life = {k: cap + years * op for k, (cap, op) in options.items()}  # whole rupiah
    stacked = np.column_stack([life[k] for k in BACKHAUL_TYPES])
    pick = np.argmin(np.where(np.isnan(stacked), np.inf, stacked), axis=1)  # ties: first type
    rows = np.arange(len(km))
    b_capex = np.column_stack([options[k][0] for k in BACKHAUL_TYPES])[rows, pick]
    b_opex = np.column_stack([options[k][1] for k in BACKHAUL_TYPES])[rows, pick]
    base = np.array([params.capex_idr[c] for c in classes], dtype="float64")
    factor = np.where(np.asarray(island, dtype=bool), params.island_factor, 1.0)
    factor = factor * np.where(np.asarray(no_road, dtype=bool), params.no_road_factor, 1.0)
    base = np.round(base * factor)
    capex = base + b_capex
    opex = np.round(params.opex_share * base) + b_opex
    total = capex + years * opex
    return pd.DataFrame(
        {
            "backhaul": np.array(BACKHAUL_TYPES)[pick].astype("str"),
            "backhaul_idr": b_capex,
            "backhaul_opex_idr_per_year": b_opex,
            "backhaul_cost_idr": b_capex + years * b_opex,
            **{f"backhaul_{k}_idr": life[k] for k in BACKHAUL_TYPES},
            "base_capex_idr": base,
            "capex_idr": capex,
            "opex_idr_per_year": opex,
            "cost_total_idr": total,
            "cost_idr": total,
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
