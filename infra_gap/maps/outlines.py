"""Display outlines encoded once as Google polylines on a 1e-4 degree grid, and decoded back.

:func:`area_shapes` makes the :class:`AreaShapes` the score map draws
(:mod:`infra_gap.maps.score_map`: the module docstring there says why and how); the page
decodes them in the browser, :func:`decode_outlines` does the same in Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from infra_gap.errors import DataError, SchemaError
from infra_gap.maps.safe_json import safe_json

__all__ = ["AreaShapes", "area_shapes", "decode_outlines"]

_PRECISION = 4  # decimals of a degree kept in the outlines: about 11 m
_SCALE = 10**_PRECISION
_COLLECTIONS = (4, 5, 6, 7)  # shapely type ids of multi-part geometries and collections
_POLYGON = 3


@dataclass(frozen=True)
class AreaShapes:
    """Display outlines as encoded polylines in JSON text, made once and shared read-only.

    Attributes
    ----------
    kodes
        The codes drawn, in drawing order.
    encoded
        JSON text ``{"scale": 10000, "kodes": [...], "polygons": [...]}``: per code, its
        polygons; per polygon, its exterior ring then its holes, each a Google encoded
        polyline (latitude first, in units of ``1 / scale`` degree, deltas from 0 at the
        start of each ring) without the closing vertex. Safe inside a script.
        :func:`decode_outlines` turns it into GeoJSON.
    bounds
        ``(minx, miny, maxx, maxy)`` in degrees, of the quantised outlines.
    """

    kodes: tuple[str, ...]
    encoded: str
    bounds: tuple[float, float, float, float]

    @property
    def nbytes(self) -> int:
        """Size of the outlines in the page, bytes."""
        return len(self.encoded.encode("utf-8"))


def area_shapes(display: gpd.GeoDataFrame) -> AreaShapes:
    """Encode display outlines (``kode``, geometry in EPSG:4326) once.

    Only polygonal parts are drawn. Coordinates are snapped to a 1e-4 degree grid (about
    11 m); repeated vertices are then dropped, and so are rings left with fewer than three
    vertices (a polygon with its exterior). Rows left with nothing to draw are left out.

    Raises
    ------
    SchemaError
        When ``kode`` is missing or not unique, or the CRS is not EPSG:4326.
    DataError
        When no row has a geometry to draw.
    """
    if "kode" not in display.columns or not display["kode"].is_unique:
        msg = "`display` needs a unique `kode` column"
        raise SchemaError(msg)
    if display.crs is None or display.crs.to_epsg() != 4326:
        msg = f"`display` must be in EPSG:4326; found {display.crs}"
        raise SchemaError(msg)
    kodes = display["kode"].astype("str").to_numpy()
    polys, owner = _polygons(display.geometry.to_numpy())
    if not len(polys):
        msg = "`display` has no geometry to draw"
        raise DataError(msg)
    rings, ring_poly = shapely.get_rings(polys, return_index=True)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    grid = np.rint(coords * _SCALE).astype(np.int64)
    # Keep a vertex unless the next one of its ring is the same point; this drops the
    # closing vertex too, and drops the same points on both sides of a shared edge.
    same_ring = np.r_[ring_of[1:] == ring_of[:-1], False]
    moved = np.r_[(grid[1:] != grid[:-1]).any(axis=1), False]
    keep = same_ring & moved
    n_vertices = np.bincount(ring_of[keep], minlength=len(rings))
    exterior = np.r_[True, ring_poly[1:] != ring_poly[:-1]]
    poly_ok = np.zeros(len(polys), dtype=bool)
    poly_ok[ring_poly[exterior]] = n_vertices[exterior] >= 3
    ring_ok = (n_vertices >= 3) & poly_ok[ring_poly]
    keep &= ring_ok[ring_of]
    if not keep.any():
        msg = "`display` has no geometry to draw"
        raise DataError(msg)
    texts = _encode_rings(grid[keep], ring_of[keep], len(rings))
    parts: dict[int, list[list[str]]] = {}
    for ring in np.flatnonzero(ring_ok):
        poly = int(ring_poly[ring])
        area = parts.setdefault(int(owner[poly]), [])
        if exterior[ring]:
            area.append([texts[ring]])
        else:
            area[-1].append(texts[ring])
    drawn = sorted(parts)
    (minx, miny), (maxx, maxy) = grid[keep].min(axis=0), grid[keep].max(axis=0)
    payload = {
        "scale": _SCALE,
        "kodes": [str(kodes[i]) for i in drawn],
        "polygons": [parts[i] for i in drawn],
    }
    return AreaShapes(
        kodes=tuple(str(kodes[i]) for i in drawn),
        encoded=safe_json(payload),
        bounds=(minx / _SCALE, miny / _SCALE, maxx / _SCALE, maxy / _SCALE),
    )


def _polygons(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Non-empty polygons of `geoms`, multi-parts and collections opened.

    Returns the polygons and the position in `geoms` each comes from, in input order.
    """
    present = ~shapely.is_missing(geoms)
    parts, owner = geoms[present], np.flatnonzero(present)
    while True:
        multi = np.isin(shapely.get_type_id(parts), _COLLECTIONS)
        if not multi.any():
            break
        sub, where = shapely.get_parts(parts[multi], return_index=True)
        parts = np.concatenate([parts[~multi], sub])
        owner = np.concatenate([owner[~multi], owner[multi][where]])
        order = np.argsort(owner, kind="stable")
        parts, owner = parts[order], owner[order]
    ok = (shapely.get_type_id(parts) == _POLYGON) & ~shapely.is_empty(parts)
    return parts[ok], owner[ok]


def _encode_rings(grid: np.ndarray, ring_of: np.ndarray, n_rings: int) -> list[str]:
    """One Google encoded polyline per ring (empty for rings without a vertex).

    `grid` holds integer ``(x, y)`` grid coordinates, grouped by ring (`ring_of`,
    ascending). Each ring starts from 0; latitude comes first, as in the Google format.
    """
    first = np.r_[True, ring_of[1:] != ring_of[:-1]]
    delta = grid.copy()
    delta[1:] -= grid[:-1]
    delta[first] = grid[first]
    values = delta[:, ::-1].ravel()  # lat, lon, lat, lon, ...
    zigzag = (values << 1) ^ (values >> 63)
    n_chunks = np.ones(len(zigzag), dtype=np.int64)
    rest = zigzag >> 5
    while (rest > 0).any():
        n_chunks += rest > 0
        rest >>= 5
    starts = np.cumsum(n_chunks) - n_chunks
    k = np.arange(int(n_chunks.sum())) - np.repeat(starts, n_chunks)
    chunk = (np.repeat(zigzag, n_chunks) >> (5 * k)) & 31
    more = k < np.repeat(n_chunks, n_chunks) - 1
    text = ((chunk | (more << 5)) + 63).astype(np.uint8).tobytes().decode("ascii")
    per_ring = np.bincount(ring_of, weights=n_chunks[0::2] + n_chunks[1::2], minlength=n_rings)
    ends = np.cumsum(per_ring.astype(np.int64))
    return [text[a:b] for a, b in zip(np.r_[0, ends[:-1]], ends, strict=True)]


def _decode_ring(text: str, scale: float) -> list[list[float]]:
    values: list[int] = []
    result = shift = 0
    for char in text:
        b = ord(char) - 63
        result |= (b & 31) << shift
        shift += 5
        if b < 32:
            values.append(~(result >> 1) if result & 1 else result >> 1)
            result = shift = 0
    lat = np.cumsum(values[0::2]) / scale
    lon = np.cumsum(values[1::2]) / scale
    ring = [[float(x), float(y)] for x, y in zip(lon, lat, strict=True)]
    return [*ring, ring[0]] if ring else ring


def decode_outlines(encoded: str) -> dict[str, Any]:
    """The GeoJSON FeatureCollection the page rebuilds from :attr:`AreaShapes.encoded`.

    Each feature has ``id`` and ``properties.kode`` = its code and a MultiPolygon geometry
    with closed rings, in degrees (grid values divided by the scale).
    """
    data = json.loads(encoded)
    scale = float(data["scale"])
    features = [
        {
            "type": "Feature",
            "id": kode,
            "properties": {"kode": kode},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[_decode_ring(r, scale) for r in poly] for poly in polys],
            },
        }
        for kode, polys in zip(data["kodes"], data["polygons"], strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
