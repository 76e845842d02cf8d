"""The per-MSME and per-area kernels both engines share.

The province pipeline (:mod:`infra_gap.analysis.pipeline`) and the partition kernels of the
national engine (:mod:`infra_gap.national.partitions`, local or Dask) compute these facts
with these functions and nothing else, so the two engines cannot drift apart:

- per MSME: the distance to the nearest tower (:func:`msme_tower_km`) and the mean
  download of its zoom-16 speed tile (:func:`msme_tile_down`);
- per area of a level, from the finest areas grouped by code (:class:`Groups`): the median
  MSME-tower distance, the distinct operators with a tower inside and those reaching an
  MSME (:func:`tower_area_facts`), and the operator class (:func:`operator_class`).

The sums that add up over desa (counts, speeds, towers) are
:func:`infra_gap.analysis.indicators.desa_counts`, ``speed_sums`` and ``tower_counts``;
MSMEs no operator reaches are :func:`infra_gap.analysis.operators.msme_no_operator`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from infra_gap.analysis.evidence import nearest_distance, tile_values_at
from infra_gap.analysis.operators import operators_per_group
from infra_gap.analysis.point_chunks import in_chunks
from infra_gap.config import LEVEL_CODE_LENGTH

__all__ = [
    "TOWER_AREA_COLUMNS",
    "Groups",
    "msme_tile_down",
    "msme_tower_km",
    "operator_class",
    "tower_area_facts",
]

#: The columns of :func:`tower_area_facts`, in order.
TOWER_AREA_COLUMNS = ("operator_count", "msme_tower_km", "operators_reaching")


def msme_tower_km(x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray) -> np.ndarray:
    """Distance from each point to the nearest tower, km (NaN: no coordinates or no tower).

    Points and towers in one metric CRS; run in chunks of ``Limits.chunk_rows`` points.
    """
    ok = np.isfinite(x) & np.isfinite(y)

    def km(px: np.ndarray, py: np.ndarray) -> np.ndarray:
        return nearest_distance(px, py, tx, ty) / 1000.0

    if ok.all():
        return in_chunks(km, x, y)
    out = np.full(len(x), np.nan)
    out[ok] = in_chunks(km, x[ok], y[ok])
    return out


def msme_tile_down(
    lon: np.ndarray,
    lat: np.ndarray,
    tiles: pd.DataFrame,
    *,
    ok: np.ndarray | None = None,
    parsed: tuple[np.ndarray, np.ndarray, int] | None = None,
) -> np.ndarray:
    """Mean download (kbps) of each point's zoom-16 tile; NaN: no tests or no coordinates.

    Parameters
    ----------
    lon, lat
        The points, degrees.
    tiles
        Ookla-schema tiles (``quadkey``, ``avg_d_kbps``).
    ok
        Which points have coordinates; the finite ``lon``/``lat`` when None.
    parsed
        The tiles' quadkeys already parsed (:func:`infra_gap.analysis.tiles.quadkey_to_tile`).
    """
    if ok is None:
        ok = np.isfinite(lon) & np.isfinite(lat)

    def down(plon: np.ndarray, plat: np.ndarray) -> np.ndarray:
        return tile_values_at(plon, plat, tiles, "avg_d_kbps", parsed=parsed)

    if ok.all():
        return in_chunks(down, lon, lat)
    out = np.full(len(lon), np.nan)
    out[ok] = in_chunks(down, lon[ok], lat[ok])
    return out


@dataclass(frozen=True)
class Groups:
    """The finest areas grouped by their code's prefix at one level.

    Points are grouped by an integer id of their area's parent code: the same groups as
    grouping by the code text, without a string per point.

    Attributes
    ----------
    names
        The level's codes that have finest areas, sorted.
    of_area
        The group (position in ``names``) of each finest area.
    """

    names: np.ndarray
    of_area: np.ndarray

    @classmethod
    def at(cls, finest_codes: pd.Series, level: str) -> Groups:
        """The groups of the finest areas' codes (``finest_codes``) at ``level``."""
        prefix = finest_codes.str.slice(0, LEVEL_CODE_LENGTH[level]).to_numpy()
        names, of_area = np.unique(prefix, return_inverse=True)
        return cls(names=names, of_area=of_area)

    def of_points(self, area_index: np.ndarray) -> np.ndarray:
        """The group of each point from its finest-area position (``-1``: unplaced)."""
        return np.where(area_index >= 0, self.of_area[np.maximum(area_index, 0)], -1)


def _median_per_group(values: np.ndarray, area_index: np.ndarray, groups: Groups) -> pd.Series:
    ok = area_index >= 0
    median = pd.Series(values[ok]).groupby(groups.of_area[area_index[ok]]).median()
    median.index = groups.names[median.index]
    return median


def _distinct_per_group(labels: np.ndarray, area_index: np.ndarray, groups: Groups) -> pd.Series:
    ok = area_index >= 0
    distinct = pd.Series(labels[ok]).groupby(groups.of_area[area_index[ok]]).nunique()
    distinct.index = groups.names[distinct.index]
    return distinct


def tower_area_facts(
    codes: pd.Series,
    groups: Groups,
    *,
    area_index: np.ndarray,
    tower_km: np.ndarray,
    tower_operator: np.ndarray,
    tower_index: np.ndarray,
    reached: np.ndarray,
) -> pd.DataFrame:
    """The tower indicators of areas that do not add up over desa, row-aligned with ``codes``.

    Parameters
    ----------
    codes
        The areas' codes (one level).
    groups
        The finest areas grouped at that level (:meth:`Groups.at`).
    area_index
        Finest-area position of each MSME (``-1``: unplaced).
    tower_km
        Each MSME's nearest-tower distance (:func:`msme_tower_km`).
    tower_operator, tower_index
        Each tower's operator and finest-area position (``-1``: outside every area).
    reached
        Which operators reach each MSME (:func:`infra_gap.analysis.operators.operator_reach`).

    Returns
    -------
    DataFrame with ``operator_count`` (distinct operators with a tower inside),
    ``msme_tower_km`` (median over the area's MSMEs, NaN without any) and
    ``operators_reaching`` (distinct operators reaching one of its MSMEs).
    """
    keys = pd.Series(codes.to_numpy())
    count = _distinct_per_group(tower_operator, tower_index, groups)
    median = _median_per_group(tower_km, area_index, groups)
    per_group = operators_per_group(reached, groups.of_points(area_index), len(groups.names))
    reaching = pd.Series(per_group, index=groups.names)
    return pd.DataFrame(
        {
            "operator_count": keys.map(count).fillna(0).astype("int64").to_numpy(),
            "msme_tower_km": keys.map(median).to_numpy(),
            "operators_reaching": keys.map(reaching).fillna(0).astype("int64").to_numpy(),
        }
    )


def operator_class(operator_count: np.ndarray | pd.Series) -> np.ndarray:
    """``none``, ``single`` or ``several`` operators with a tower inside an area."""
    count = np.asarray(operator_count)
    return np.select([count == 0, count == 1], ["none", "single"], "several")
