"""The synthetic core shared by the demo and the national generator.

:mod:`infra_gap.synthetic.province` (the North Sumatra demo) and
:mod:`infra_gap.national.generate` (the national workload) draw their layers with these
functions, so both follow one model of masts, online MSMEs, speed tests and the backbone:

- **Masts.**  A tower in a kelurahan stands 20-35 m and reaches 2 km; elsewhere it stands
  30-72 m and reaches 120 m per metre of height.
- **Online MSMEs.**  ``online_share`` of all MSMEs, ``online_urban_ratio`` times likelier
  in a kelurahan.
- **Speed tiles.**  The zoom-16 tiles holding MSMEs; tests are Poisson, more where most of
  the tile's MSMEs are covered; a covered tile's download falls off with the distance from
  its centre to the nearest LTE tower (42 Mbps x exp(-d / 3.5 km), lognormal noise, plus
  600 kbps), an uncovered one gets 150-2,500 kbps; upload is a third to a sixth of it,
  latency 22 ms + 9 ms per km + gamma noise.  Tiles without tests are dropped.
- **Backbone.**  The Euclidean minimum spanning tree of the kabupaten/kota centres, edges
  in the order Prim's algorithm adds them from the first centre, and a point of presence
  at each centre.

Every figure drawn here is synthetic.  The draws are made in a fixed order from the
caller's generator, so the same seed gives the same layers.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from infra_gap.analysis.evidence import nearest_distance
from infra_gap.analysis.tiles import lonlat_to_tile, tile_bounds, tile_to_quadkey
from infra_gap.config import GEO_CRS

__all__ = [
    "OPERATORS",
    "RADIOS",
    "backbone_layer",
    "choice",
    "masts",
    "online_flags",
    "spanning_tree",
    "speed_tiles",
]

OPERATORS = {"Telkomsel": 0.45, "Indosat": 0.25, "XL Axiata": 0.22, "Smartfren": 0.08}
RADIOS = {"LTE": 0.85, "UMTS": 0.10, "GSM": 0.05}
#: Ookla open data use zoom-16 tiles.
_ZOOM = 16


def choice(rng: np.random.Generator, table: Mapping[str, float], n: int) -> np.ndarray:
    """``n`` names drawn from ``table`` (name -> weight)."""
    names = np.array(list(table))
    p = np.array(list(table.values()))
    return names[rng.choice(len(names), size=n, p=p / p.sum())]


def masts(rng: np.random.Generator, urban: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Height (m) and reach (m) of towers, from whether each stands in a kelurahan."""
    n = len(urban)
    height = np.where(urban, rng.uniform(20, 35, n), rng.uniform(30, 72, n)).round(0)
    return height, np.where(urban, 2000.0, 120.0 * height).round(0)


def online_flags(
    rng: np.random.Generator, urban: np.ndarray, *, share: float, urban_ratio: float
) -> np.ndarray:
    """Whether each MSME sells online: ``share`` of all, ``urban_ratio`` x likelier if urban."""
    n = len(urban)
    base = share * n / max(urban.sum() * urban_ratio + (~urban).sum(), 1)
    return rng.random(n) < base * np.where(urban, urban_ratio, 1.0)


def speed_tiles(
    rng: np.random.Generator,
    lon: np.ndarray,
    lat: np.ndarray,
    covered: np.ndarray,
    lte: tuple[np.ndarray, np.ndarray],
    *,
    crs: str,
) -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray]]:
    """Ookla-schema speed tiles of the zoom-16 tiles holding the MSMEs (see the module).

    Parameters
    ----------
    rng
        The generator; six draws per tile, in a fixed order.
    lon, lat
        The MSMEs, degrees.
    covered
        Whether each MSME is covered.
    lte
        The LTE towers' coordinates in ``crs`` (none: every tile is 100 km away).
    crs
        A metric CRS for the distances.

    Returns
    -------
    tiles, (tx, ty)
        One row per tile with tests (``quadkey``, ``avg_d_kbps``, ``avg_u_kbps``,
        ``avg_lat_ms``, ``tests``, ``devices``), and each row's tile column and row.
    """
    tx, ty = lonlat_to_tile(lon, lat, _ZOOM)
    uniq, inv, count = np.unique(tx * (1 << _ZOOM) + ty, return_inverse=True, return_counts=True)
    cov_share = np.bincount(inv, weights=covered.astype("float64")) / count
    utx, uty = uniq // (1 << _ZOOM), uniq % (1 << _ZOOM)
    w, s, e, n = tile_bounds(utx, uty, _ZOOM)
    cx, cy = Transformer.from_crs(GEO_CRS, crs, always_xy=True).transform((w + e) / 2, (s + n) / 2)
    d_km = nearest_distance(np.asarray(cx), np.asarray(cy), *lte) / 1000.0
    d_km = np.nan_to_num(d_km, nan=100.0)
    tests = rng.poisson(0.3 + count * np.where(cov_share > 0.5, 0.35, 0.08))
    good = 42_000 * np.exp(-d_km / 3.5) * rng.lognormal(0, 0.35, len(d_km)) + 600
    down = np.where(cov_share > 0.5, good, rng.uniform(150, 2_500, len(d_km)))
    frame = pd.DataFrame(
        {
            "quadkey": tile_to_quadkey(utx, uty, _ZOOM),
            "avg_d_kbps": down.round(0).astype("int64"),
            "avg_u_kbps": (down / rng.uniform(3, 6, len(down))).round(0).astype("int64"),
            "avg_lat_ms": (22 + 9 * d_km + rng.gamma(2.0, 6.0, len(d_km))).round(0).astype("int64"),
            "tests": tests,
            "devices": np.maximum(1, np.round(tests * rng.uniform(0.3, 0.9, len(tests)))).astype(
                "int64"
            ),
        }
    )
    keep = tests > 0
    return frame[keep].reset_index(drop=True), (utx[keep], uty[keep])


def spanning_tree(xy: np.ndarray) -> list[tuple[int, int]]:
    """Edges ``(i, j)`` of the Euclidean minimum spanning tree of points ``xy`` (n x 2).

    Prim's algorithm from point 0: each step adds the shortest edge from a point ``i`` in
    the tree to a point ``j`` outside it (ties: the lowest ``i``, then the lowest ``j``), in
    the order added.  Quadratic in memory: meant for hundreds to a few thousand points.

    Examples
    --------
    >>> spanning_tree(np.array([[0.0, 0.0], [10.0, 0.0], [1.0, 0.0]]))
    [(0, 2), (2, 1)]
    """
    n = len(xy)
    d = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(-1))
    inside = np.zeros(n, dtype=bool)
    best = d[0].copy() if n else np.empty(0)
    source = np.zeros(n, dtype="int64")
    edges: list[tuple[int, int]] = []
    if n:
        inside[0] = True
    for _ in range(n - 1):
        out = np.flatnonzero(~inside)
        tied = out[best[out] == best[out].min()]
        j = int(tied[np.lexsort((tied, source[tied]))[0]])
        edges.append((int(source[j]), j))
        inside[j] = True
        nearer = ~inside & ((d[j] < best) | ((d[j] == best) & (j < source)))
        best[nearer], source[nearer] = d[j][nearer], j
    return edges


def backbone_layer(kab: gpd.GeoDataFrame, *, crs: str) -> gpd.GeoDataFrame:
    """Backbone lines (:func:`spanning_tree` of the areas' representative points) and PoPs.

    Columns ``jenis`` (``backbone`` or ``pop``) and ``nama`` (from ``kab["nama"]``).
    """
    xy = shapely.get_coordinates(kab.geometry.representative_point().to_numpy())
    edges = spanning_tree(xy)
    names = kab["nama"].to_numpy()
    lines = [shapely.LineString([xy[i], xy[j]]) for i, j in edges]
    return gpd.GeoDataFrame(
        {
            "jenis": ["backbone"] * len(lines) + ["pop"] * len(xy),
            "nama": [f"{names[i]} - {names[j]}" for i, j in edges] + [f"PoP {n}" for n in names],
        },
        geometry=[*lines, *(shapely.Point(x, y) for x, y in xy)],
        crs=crs,
    )
