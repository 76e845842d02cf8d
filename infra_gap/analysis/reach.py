"""How far a tower site reaches, by height and terrain, with the source of every figure.

One config for new sites (:mod:`infra_gap.siting.problem`) and for the operators' existing sites
(``operators_reaching``, :mod:`infra_gap.analysis.operators`): an existing site is taken as a
:attr:`ReachParams.tower_height_m` tower in :attr:`ReachParams.terrain` (4 km on hilly land by
default), because tower files (OpenCelliD) carry no height.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from infra_gap.errors import DataError

__all__ = ["ReachParams", "reach_table"]


@dataclass(frozen=True)
class ReachParams:
    """How far a new site reaches, and how many MSMEs one site can serve.

    Attributes
    ----------
    height_bands_km
        ``(minimum height m, flat reach km)``, tallest first.  GSMA's rural guidance via ITU-D,
        *The Last-mile Internet Connectivity Solutions Guide* (2020): masts over 30 m reach
        8-15 km on flat land, 12-30 m reach 4-8 km, 9-19 m reach 2-4 km; the low end of each
        band is used.
    tower_height_m
        Height of generated candidates: 42 m, the BTS BAKTI opened in Talaud on 28 Dec 2023
        (CNBC Indonesia via relawanprabowo.net, 28 Dec 2023), so 8 km on flat land.
    hilly_factor
        Reach in hilly terrain as a share of flat reach: 0.5, so 4 km for a 42 m tower: the
        Communications Minister's "a BTS covers 3-4 km" (Antara Bali) and Collins
        Bartholomew's 4 km around 3G/4G towers in its mobile coverage maps, against GSMA's
        8 km on flat land.  It may still be generous: BAKTI's director of infrastructure said
        a 32 m, 900 MHz BAKTI site covers about 1 km in hilly Lombok (Tribunnews, 5 Oct 2022);
        lower it with ``radius_km`` where the terrain is steep.
    radius_km
        When set, the flat reach of every site (the CLI's ``--radius-km``, the app's
        slider); hilly sites still get ``hilly_factor``.
    terrain
        Terrain of generated candidates, ``"hilly"`` (the default: North Sumatra's Bukit
        Barisan and its islands are mostly hilly; no elevation layer is read) or ``"flat"``;
        uploaded candidates may carry their own ``terrain``.
    capacity_msme
        MSMEs one site can serve: 4,000, the people a city 4G site serves (Communications
        Minister Budi Arie, Bisnis.com, 2 Nov 2023), each MSME counted as one user.  A site
        whose reach holds more uncovered MSMEs is credited with this many; the rest need a
        second site (the greedy solvers may place one on the same spot).  None: no limit.
    """

    height_bands_km: tuple[tuple[float, float], ...] = ((30.0, 8.0), (12.0, 4.0), (9.0, 2.0))
    tower_height_m: float = 42.0
    hilly_factor: float = 0.5
    radius_km: float | None = None
    terrain: str = "hilly"
    capacity_msme: float | None = 4000.0

    @property
    def flat_km(self) -> float:
        """Flat-land reach of a generated candidate, km (``radius_km``, else by height)."""
        one = self.radius_m(np.array([self.tower_height_m]), np.array([False]))
        return float(one[0]) / 1000.0

    @property
    def existing_site_m(self) -> float:
        """Reach of an existing site, metres (4,000 m: 42 m tower, hilly terrain)."""
        one = self.radius_m(np.array([self.tower_height_m]), np.array([self.terrain == "hilly"]))
        return float(one[0])

    def radius_m(self, height_m: np.ndarray, hilly: np.ndarray) -> np.ndarray:
        """Reach of each site in metres."""
        h = np.asarray(height_m, dtype="float64")
        if self.radius_km is not None:
            if self.radius_km <= 0:
                msg = f"`radius_km` must be positive, got {self.radius_km}"
                raise DataError(msg)
            flat = np.full(len(h), self.radius_km)
        else:
            lowest = min(b[0] for b in self.height_bands_km)
            if (h < lowest).any() or np.isnan(h).any():
                msg = f"tower heights must be at least {lowest:g} m (GSMA bands), got {h.min()}"
                raise DataError(msg)
            conds = [h >= b[0] for b in self.height_bands_km]
            flat = np.select(conds, [b[1] for b in self.height_bands_km])
        return 1000.0 * flat * np.where(np.asarray(hilly, dtype=bool), self.hilly_factor, 1.0)


def reach_table(params: ReachParams) -> pd.DataFrame:
    """Every reach figure of a run with its unit and source (``parameter,value,unit,source``)."""
    gsma = "GSMA rural guidance via the ITU last-mile guide, low end of the band"
    rows: list[tuple[str, object, str, str]] = [
        (f"flat_reach_km[height >= {h:g} m]", km, "km", gsma) for h, km in params.height_bands_km
    ]
    rows += [
        ("tower_height_m", params.tower_height_m, "m", "BAKTI BTS Talaud, 42 m (28 Dec 2023)"),
        (
            "hilly_factor",
            params.hilly_factor,
            "x",
            "4 km in hills: Minister 'BTS covers 3-4 km' (Antara Bali); Collins Bartholomew 4 km",
        ),
        ("radius_km", params.radius_km, "km", "user override of the flat reach (none: by height)"),
        ("terrain", params.terrain, "", "terrain of generated candidates (no elevation layer)"),
        (
            "capacity_msme",
            params.capacity_msme,
            "UMKM",
            "a city 4G site serves ~4,000 people (Minister Budi Arie, Bisnis.com, 2 Nov 2023)",
        ),
    ]
    return pd.DataFrame(rows, columns=["parameter", "value", "unit", "source"])
