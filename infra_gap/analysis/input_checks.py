"""Doubts about inputs that are read and used as given, said as ``warning:`` notes.

Each check here looks at a layer already read and returns a note (or None); nothing is
changed silently: where a value is changed (a tower's reach capped), the note says how
many and why.  Cases from ``reliability.md`` section 3: E8 (coordinates with too little
precision), G2 (a tile polygon that disagrees with its quadkey) and G6 (an absurd
OpenCelliD ``range``).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from infra_gap.analysis.tiles import quadkey_to_tile, tile_bounds
from infra_gap.config import GEO_CRS
from infra_gap.text.i18n import fmt_int

__all__ = [
    "LOW_PRECISION_DECIMALS",
    "MAX_REACH_M",
    "capped_reach_note",
    "low_precision_note",
    "ranges",
]

#: The longest reach a tower's ``range`` may give, in metres: 15 km, the top of the GSMA
#: band for masts over 30 m on flat land (GSMA rural guidance via the ITU last-mile
#: connectivity guide, as summarised in domain.md, December 2026).  OpenCelliD's ``range``
#: is the spread of the phones' reports around the estimated position (Mozilla ichnaea
#: import/export docs; OpenCelliD wiki FAQ, 28 February 2016), not the cell's reach, and
#: cells seen by a few travelling phones carry ranges of tens or thousands of km.
MAX_REACH_M = 15_000.0

#: Coordinates given to this many decimals of a degree or fewer are too coarse to place a
#: business in a desa: 0.01 degree of latitude is 1.11 km (one degree of the meridian is
#: about 111.3 km on the WGS 84 ellipsoid, NIMA TR8350.2, 3rd edition, 4 July 1997), while
#: half of the province's 6,110 desa are smaller than about 4 km across (reliability.md E8).
LOW_PRECISION_DECIMALS = 2


def ranges(towers: pd.DataFrame) -> np.ndarray:
    """The towers' ``range`` column as numbers (NaN where it is not one)."""
    return np.asarray(pd.to_numeric(towers["range"], errors="coerce"), dtype="float64")


def capped_reach_note(towers: pd.DataFrame, *, name: str) -> str | None:
    """A warning when some towers' ``range`` is over :data:`MAX_REACH_M` (G6), else None."""
    if "range" not in towers or not len(towers):
        return None
    r = ranges(towers)
    over = np.isfinite(r) & (r > MAX_REACH_M)
    if not over.any():
        return None
    km = MAX_REACH_M / 1000
    return (
        f"warning: {name}: {fmt_int(int(over.sum()), 'en')} of {fmt_int(len(r), 'en')} 4G/5G "
        f"towers give a `range` over {km:g} km (largest {fmt_int(int(r[over].max() // 1000), 'en')}"
        f" km); their modelled reach is capped at {km:g} km (OpenCelliD's range is the spread "
        "of the phones' reports, not the reach)"
    )


def low_precision_note(msme: pd.DataFrame, *, name: str) -> str | None:
    """A warning when some MSME points have both coordinates to 2 decimals or fewer (E8).

    They are still placed as given; the note says how many and what it means.
    """
    if not {"lat", "lon"} <= set(msme.columns) or not len(msme):
        return None
    scale = 10.0**LOW_PRECISION_DECIMALS
    coarse = np.ones(len(msme), dtype=bool)
    for col in ("lat", "lon"):
        v = np.asarray(msme[col], dtype="float64") * scale
        with np.errstate(invalid="ignore"):
            coarse &= np.isfinite(v) & (np.abs(v - np.round(v)) < 1e-6)
    n = int(coarse.sum())
    if not n:
        return None
    return (
        f"warning: {name}: {fmt_int(n, 'en')} of {fmt_int(len(msme), 'en')} MSME points have "
        f"coordinates to {LOW_PRECISION_DECIMALS} decimals or fewer (0.01 degree is about "
        "1.1 km): they are placed as given, but near a desa's edge they may fall in the "
        "neighbouring desa (low precision)"
    )


def tile_mismatch_note(tiles: gpd.GeoDataFrame | None, *, name: str) -> str | None:
    """A warning when tiles' polygons lie outside the tiles their quadkeys name (G2).

    The quadkey decides where a tile is (every speed look-up and the tile's desa use the
    quadkey grid, :mod:`infra_gap.analysis.evidence`); a ``tile`` polygon whose centre is
    not in its quadkey's tile says the file was edited or shifted, and which rows.
    """
    if tiles is None or not len(tiles) or "quadkey" not in tiles:
        return None
    centre = shapely.centroid(tiles.geometry.to_numpy())
    to_deg = Transformer.from_crs(tiles.crs, GEO_CRS, always_xy=True)
    lon, lat = to_deg.transform(shapely.get_x(centre), shapely.get_y(centre))
    w, s, e, n = tile_bounds(*quadkey_to_tile(tiles["quadkey"].to_numpy()))
    with np.errstate(invalid="ignore"):
        off = ~((lon >= w) & (lon <= e) & (lat >= s) & (lat <= n))
    if not off.any():
        return None
    rows = tiles["row"].to_numpy()[off][:3] if "row" in tiles else []
    where = f" (rows {', '.join(map(str, rows))}{' ...' if off.sum() > 3 else ''})"
    return (
        f"warning: {name}: {fmt_int(int(off.sum()), 'en')} of {fmt_int(len(tiles), 'en')} "
        f"speed tiles have a `tile` polygon outside the tile their quadkey names{where}; the "
        "quadkey is used, the polygon is not (quadkey mismatch: was the file edited or shifted?)"
    )
