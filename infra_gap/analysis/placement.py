"""Put each point in exactly one area.

The rule, stated once: a point is placed in the area that contains it or has it on its
boundary; where areas overlap (the real Sumut boundaries do, see domain.md), the area
with the **lowest code** wins.  Points in no area are left unplaced (index ``-1``) and the
caller lists them as rejected.

A :class:`LabelGrid` answers most look-ups from a raster of the areas; only points in cells
that a boundary touches get the exact geometric test, so both paths give the same answer.
The grid depends on the boundaries alone: :func:`label_grid` builds it once per boundary
layer and cell size and keeps it, read-only, for every later call (and every user).
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from rasterio import features

from infra_gap.config import Limits
from infra_gap.errors import DataError, InfraGapError
from infra_gap.io.cache import load_or_build
from infra_gap.io.files import read_json, read_npy, write_json, write_npy
from infra_gap.text.i18n import t

__all__ = [
    "EXACT",
    "PLACEMENT_RULE",
    "BoundaryKey",
    "LabelGrid",
    "build_label_grid",
    "label_grid",
    "place_points",
    "place_points_indexed",
]

#: The placement rule in words (English; the catalogue holds it in both languages).
PLACEMENT_RULE = t("export.placement", "en")

#: Label of a grid cell that a boundary touches: its points get the exact test.
EXACT = -2
#: Margin, in cells, around computed crossings of a boundary with the grid lines.  It
#: absorbs floating-point rounding (about 1e-12 of a cell here) many times over.
_EPS = 1e-6


def _check_sorted(areas: gpd.GeoDataFrame) -> None:
    if not areas["kode"].is_monotonic_increasing:
        msg = "`areas` must be sorted by `kode` for the lowest-code rule"
        raise DataError(msg)


def _lowest_area(
    x: np.ndarray, y: np.ndarray, geoms: np.ndarray, tree: shapely.STRtree
) -> np.ndarray:
    """Exact test: lowest positional index of an area intersecting each point, else -1."""
    pt_idx, area_idx = tree.query(shapely.points(x, y))  # bounding-box candidates
    hit = shapely.intersects_xy(geoms[area_idx], x[pt_idx], y[pt_idx])  # prepared polygons
    lowest = np.full(len(x), np.iinfo("int64").max)
    np.minimum.at(lowest, pt_idx[hit], area_idx[hit])
    return np.where(lowest == np.iinfo("int64").max, -1, lowest)


def place_points(x: np.ndarray, y: np.ndarray, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Index of the area each point falls in.

    Parameters
    ----------
    x, y
        Point coordinates in the CRS of ``areas``.
    areas
        Areas sorted by ``kode`` (as :func:`infra_gap.io.read_areas` returns them), so that
        the lowest positional index is the lowest code.

    Returns
    -------
    numpy.ndarray
        ``int64`` positional index into ``areas`` for each point, ``-1`` where no area
        contains the point.
    """
    if len(x) != len(y):
        msg = f"`x` and `y` differ in length: {len(x)} != {len(y)}"
        raise DataError(msg)
    _check_sorted(areas)
    geoms = areas.geometry.to_numpy()
    shapely.prepare(geoms)
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    return _lowest_area(x, y, geoms, shapely.STRtree(geoms))


@dataclass(frozen=True, eq=False)
class LabelGrid:
    """A raster index of areas that answers most point look-ups without geometry tests.

    Attributes
    ----------
    labels
        Read-only ``int16`` (``int32`` for 32,000 areas or more) code of each cell:
        :data:`EXACT` where a boundary touches the cell (its points get the exact test);
        otherwise the lowest-code area containing the cell, ``-1`` for none.  A cell that no
        boundary touches lies wholly inside the same set of areas, so that label is exact
        for every point in it.
    transform
        Affine transform of the grid (square cells, north up).
    areas
        The areas the grid was built from (sorted by ``kode``; geometries prepared).
    tree
        Spatial index of the areas' geometries, for the exact test.
    """

    labels: np.ndarray
    transform: Affine
    areas: gpd.GeoDataFrame
    tree: shapely.STRtree

    @property
    def exact(self) -> np.ndarray:
        """True for the cells whose points get the exact test."""
        return self.labels == EXACT

    def cells(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fractional (column, row) of points, in cell units.

        Boundaries and query points go through this one function, so a point and the
        boundary cells marked around it always agree (it is monotone in x and in y).
        """
        t = self.transform
        return (np.asarray(x) - t.c) / t.a, (t.f - np.asarray(y)) / -t.e


def _shapes(geoms: np.ndarray) -> list[Any]:
    """GeoJSON-like dicts of polygons, built from shapely's coordinate arrays.

    Much faster to rasterise than shapely objects (whose ``__geo_interface__`` makes a
    Python tuple per vertex).  Anything but (multi)polygons is passed through as is.
    """
    polygonal = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
    if not np.isin(shapely.get_type_id(geoms), polygonal).all():
        return list(geoms)
    kind, coords, offsets = shapely.to_ragged_array(geoms)
    xy = coords.tolist()
    nested: list[Any] = [xy[a:b] for a, b in itertools.pairwise(offsets[0])]  # rings
    for level in offsets[1:]:  # rings -> polygons (-> multipolygons)
        nested = [nested[a:b] for a, b in itertools.pairwise(level)]
    name = "Polygon" if kind == shapely.GeometryType.POLYGON else "MultiPolygon"
    return [{"type": name, "coordinates": c} for c in nested]


def _mark(labels: np.ndarray, cols: np.ndarray, rows: np.ndarray) -> None:
    """Set cells to :data:`EXACT` (clipped to the grid, which only ever marks more)."""
    height, width = labels.shape
    rows = np.clip(rows, 0, height - 1).astype(np.intp)
    labels.reshape(-1)[rows * width + np.clip(cols, 0, width - 1).astype(np.intp)] = EXACT


def _crossings(
    a0: np.ndarray, b0: np.ndarray, a1: np.ndarray, b1: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where segments cross the grid lines ``a = k`` (``k`` integer), in cell units.

    Segments run from ``(a0, b0)`` to ``(a1, b1)``.  Returns ``k`` of each crossing and
    the floor of ``b`` there minus and plus ``_EPS`` (they differ only near a corner).
    """
    lo = np.floor(np.minimum(a0, a1))
    n = (np.floor(np.maximum(a0, a1)) - lo).astype("int64")
    seg = np.repeat(np.arange(len(a0)), n)
    k = lo[seg] + (np.arange(len(seg)) - np.repeat(np.cumsum(n) - n, n)) + 1
    b = b0[seg] + (k - a0[seg]) / (a1[seg] - a0[seg]) * (b1[seg] - b0[seg])
    return k, np.floor(b - _EPS), np.floor(b + _EPS)


def _mark_boundaries(labels: np.ndarray, geoms: np.ndarray, grid: LabelGrid) -> None:
    """Mark every cell a boundary touches (a supercover of each segment), and a few more.

    Each vertex marks its own cell; each crossing of a segment with a grid line marks the
    cells on both sides of it.  A segment between two crossings stays in one cell, which
    both crossings mark, so no touched cell is missed.
    """
    rings = shapely.get_parts(shapely.boundary(geoms))
    xy, ring = shapely.get_coordinates(rings, return_index=True)
    u, v = grid.cells(xy[:, 0], xy[:, 1])
    _mark(labels, np.floor(u), np.floor(v))
    same = ring[1:] == ring[:-1]  # consecutive vertices of one ring make a segment
    u0, v0, u1, v1 = u[:-1][same], v[:-1][same], u[1:][same], v[1:][same]
    k, below, above = _crossings(u0, v0, u1, v1)  # vertical grid lines: columns k
    two = below != above
    for col in (k - 1, k):
        _mark(labels, col, below)
        _mark(labels, col[two], above[two])
    k, below, above = _crossings(v0, u0, v1, u1)  # horizontal grid lines: rows k
    two = below != above
    for row in (k - 1, k):
        _mark(labels, below, row)
        _mark(labels, above[two], row[two])


def build_label_grid(areas: gpd.GeoDataFrame, *, cell_m: float = 100.0) -> LabelGrid:
    """Rasterise areas (lowest code on top) and mark the cells that a boundary touches.

    Parameters
    ----------
    areas
        Areas sorted by ``kode``, in a metric CRS.
    cell_m
        Cell size in CRS units (metres).  It changes speed and memory, never results.
    """
    _check_sorted(areas)
    minx, miny, maxx, maxy = areas.total_bounds if len(areas) else (0.0, 0.0, 0.0, 0.0)
    # Never more than Limits.max_grid_cells: wider cells, same results (issue 22).
    need = ((maxx - minx) / cell_m + 2) * ((maxy - miny) / cell_m + 2)
    cell_m *= max(1.0, float(np.sqrt(need / Limits().max_grid_cells)))
    width = int(np.ceil((maxx - minx) / cell_m)) + 2
    height = int(np.ceil((maxy - miny) / cell_m)) + 2
    transform = Affine(cell_m, 0.0, minx - cell_m, 0.0, -cell_m, maxy + cell_m)
    geoms = areas.geometry.to_numpy()
    dtype = "int16" if len(geoms) < np.iinfo("int16").max else "int32"
    labels = np.full((height, width), -1, dtype=dtype)
    if len(geoms):
        shapes = _shapes(geoms)
        features.rasterize(  # highest code first, so the lowest paints last
            ((shapes[i], i) for i in range(len(shapes) - 1, -1, -1)),
            out=labels,
            transform=transform,
        )
    grid = _assemble(areas, labels, transform)
    if len(geoms):
        _mark_boundaries(labels, geoms, grid)
    labels.flags.writeable = False
    return grid


def _assemble(areas: gpd.GeoDataFrame, labels: np.ndarray, transform: Affine) -> LabelGrid:
    """A grid of ``labels`` over ``areas``, with its prepared geometries and tree."""
    geoms = areas.geometry.to_numpy()
    shapely.prepare(geoms)
    # GEOS builds a prepared polygon's point index on first use, and that is not thread-safe;
    # the grid is shared by every session, so each index is built here, before sharing.
    inside = shapely.point_on_surface(geoms)
    shapely.intersects_xy(geoms, shapely.get_x(inside), shapely.get_y(inside))
    return LabelGrid(labels=labels, transform=transform, areas=areas, tree=shapely.STRtree(geoms))


def place_points_indexed(x: np.ndarray, y: np.ndarray, grid: LabelGrid) -> np.ndarray:
    """Same result as :func:`place_points`, using a :class:`LabelGrid` first.

    Points in cells that no boundary touches take the cell's label; the rest (and any point
    outside the grid) get the exact test.
    """
    x = np.asarray(x, dtype="float64")
    y = np.asarray(y, dtype="float64")
    u, v = grid.cells(x, y)
    height, width = grid.labels.shape
    inside = (u >= 0) & (u < width) & (v >= 0) & (v < height)  # False for NaN
    if inside.all():  # the usual case: one flat look-up, no masked copies
        flat = v.astype("int64")
        flat *= width
        flat += u.astype("int64")
        out = grid.labels.reshape(-1)[flat].astype("int64")
    else:
        out = np.full(len(x), -1, dtype="int64")
        out[inside] = grid.labels[v[inside].astype("int64"), u[inside].astype("int64")]
    idx = np.flatnonzero(~inside | (out == EXACT))
    if len(idx):
        geoms = grid.areas.geometry.to_numpy()
        out[idx] = _lowest_area(x[idx], y[idx], geoms, grid.tree)
    return out


@dataclass(frozen=True, eq=False)
class BoundaryKey:
    """A boundary layer as a cache key: equal when codes and geometries are identical.

    Keys the caches of what depends on the boundaries alone (the label grid here; the
    pixel fractions, representative points and mainland of :mod:`infra_gap.analysis.context`).
    Build it from a copy of the layer (``BoundaryKey(areas.copy())``) so that the cached
    value can never see a later edit of the caller's frame.
    """

    areas: gpd.GeoDataFrame
    digest: bytes = field(init=False)

    def __post_init__(self) -> None:
        h = hashlib.blake2b(digest_size=32)
        h.update(b"\0".join(shapely.to_wkb(self.areas.geometry.to_numpy()).tolist()))
        if "kode" in self.areas:
            h.update("\0".join(self.areas["kode"].astype("str").tolist()).encode())
        h.update(f"\0{self.areas.crs}".encode())
        object.__setattr__(self, "digest", h.digest())

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BoundaryKey) and other.digest == self.digest


@dataclass(frozen=True, eq=False)
class _GridKey:
    """Boundaries and cell size, the key of a label grid.

    ``cache_dir`` says where the grid is also kept on disk; it is not part of the key (a
    grid read from disk equals one built).
    """

    boundary: BoundaryKey
    cell_m: float
    cache_dir: Path | None = None

    def __hash__(self) -> int:
        return hash((self.boundary, self.cell_m))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _GridKey)
            and other.boundary == self.boundary
            and other.cell_m == self.cell_m
        )


#: Version of the stored grid's layout and method; a change makes stored grids unused.
_GRID_VERSION = 1


@lru_cache(maxsize=4)
def _cached_grid(key: _GridKey) -> LabelGrid:
    if key.cache_dir is None:
        return build_label_grid(key.boundary.areas, cell_m=key.cell_m)
    return _stored_grid(key, key.cache_dir)


def _stored_grid(key: _GridKey, cache_dir: Path) -> LabelGrid:
    """The grid from ``cache_dir``, else built and stored there.

    Its files are checked against their SHA-256 and this boundary content on read.
    """
    areas, digest = key.boundary.areas, key.boundary.digest.hex()
    directory = cache_dir / f"label-grid-{digest}-{key.cell_m:g}"
    files = ("labels.npy", "grid.json")

    def build(d: Path) -> LabelGrid:
        grid = build_label_grid(areas, cell_m=key.cell_m)
        write_npy(grid.labels, d / "labels.npy")
        meta = {"version": _GRID_VERSION, "digest": digest, "transform": list(grid.transform)}
        write_json(meta, d / "grid.json")
        return grid

    def read(d: Path) -> LabelGrid:
        meta = read_json(d / "grid.json")
        labels = read_npy(d / "labels.npy")
        if meta.get("version") != _GRID_VERSION or meta.get("digest") != digest:
            msg = f"{d}: a label grid of other boundaries"
            raise DataError(msg)
        if labels.ndim != 2 or labels.dtype.kind != "i":
            msg = f"{d}: not a label grid"
            raise DataError(msg)
        labels.flags.writeable = False
        return _assemble(areas, labels, Affine(*meta["transform"][:6]))

    try:
        return load_or_build(directory, files, read=read, build=build)
    except (OSError, ValueError, KeyError, TypeError, InfraGapError):
        # An unusable cache folder or file: built here, kept in memory only.
        return build_label_grid(areas, cell_m=key.cell_m)


def label_grid(
    areas: gpd.GeoDataFrame, *, cell_m: float = 100.0, cache_dir: Path | None = None
) -> LabelGrid:
    """The label grid of a boundary layer, built once and then shared (read-only).

    Kept per content (a hash of the codes and geometries) and cell size, for the last four
    boundary layers: changing a threshold or a level, or another user of the same data,
    reuses it; an edited boundary layer gets its own.  Thread-safe: the cache's bookkeeping
    is locked, and the grid is immutable, so at worst two first callers both build it.
    Only the boundaries are cached here, never a placement of points.

    With ``cache_dir`` the grid is also kept on disk, per boundary content and cell size
    (:func:`infra_gap.io.cache.load_or_build`: SHA-256 checked on read, atomic writes), so
    the next process (a command run again on the same boundary file) reads it instead of
    building it.  A later call without ``cache_dir`` finds it in memory all the same.
    """
    _check_sorted(areas)
    return _cached_grid(_GridKey(BoundaryKey(areas.copy()), float(cell_m), cache_dir))
