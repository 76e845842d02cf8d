"""The per-MSME facts of chosen areas of a workload, read from their partitions only.

A dossier (and the proposed sites in it) needs each MSME of its areas: where it was placed
and whether it is covered.  A workload holds them by administrative code, so
:func:`workload_area_facts` reads only the partitions that hold the chosen areas (their
areas, MSME files and a window of the coverage raster) and the small shared files (towers,
backbone), and returns them as the :class:`~infra_gap.layers.Layers` and
:class:`~infra_gap.analysis.pipeline.PointFacts` the local dossier is drawn from.  Each MSME keeps
the area the workload build placed it in (``rank``'s placement), so the facts are those of
the local run on the same files.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.analysis.pipeline import PointFacts
from infra_gap.analysis.reach import ReachParams
from infra_gap.errors import DataError
from infra_gap.io import partitioned
from infra_gap.layers import REJECTED_COLUMNS, Layers, RowAccount
from infra_gap.national.partition_reads import index_of, msme_coverage, part_areas, raster_window
from infra_gap.national.workload import Workload

__all__ = ["partitions_near", "partitions_of", "reach_limit_m", "workload_area_facts"]


def reach_limit_m(reach: ReachParams | None = None) -> float:
    """The farthest any candidate site reaches, metres: ``radius_km``, else the tallest band.

    A site proposed in a chosen area is credited with every uncovered MSME it reaches, in
    any partition: the partitions within this distance are read too.
    """
    reach = reach or ReachParams()
    flat_km = reach.radius_km or max(km for _, km in reach.height_bands_km)
    return float(flat_km) * 1000.0


def partitions_of(wl: Workload, codes: Sequence[str]) -> tuple[str, ...]:
    """The partitions holding the areas ``codes`` (codes nest: a partition is a prefix).

    Raises
    ------
    DataError
        For a code that no partition holds.
    """
    parts = tuple(p for p in wl.parts if any(c.startswith(p) or p.startswith(c) for c in codes))
    missing = [c for c in codes if not any(c.startswith(p) or p.startswith(c) for p in parts)]
    if missing:
        msg = f"area code(s) {missing[:5]} are in no partition of {wl.root}"
        raise DataError(msg)
    return parts


def partitions_near(
    wl: Workload, codes: Sequence[str], areas: gpd.GeoDataFrame, *, within_m: float
) -> tuple[str, ...]:
    """The partitions holding ``codes`` and those with an area within ``within_m`` of them.

    ``areas``: the finest areas of every partition (``kode``, ``geometry``), in a metric CRS.
    Box distance, so never fewer partitions than needed.
    """
    own = partitions_of(wl, codes)
    kode = areas["kode"].astype("str")
    mine = kode.str.startswith(tuple(codes)).to_numpy()
    if not mine.any():
        return own
    x0, y0, x1, y1 = areas.geometry[mine].total_bounds
    b = areas.geometry.bounds
    dx = np.maximum(0.0, np.maximum(b["minx"].to_numpy() - x1, x0 - b["maxx"].to_numpy()))
    dy = np.maximum(0.0, np.maximum(b["miny"].to_numpy() - y1, y0 - b["maxy"].to_numpy()))
    near = np.hypot(dx, dy) <= within_m
    return tuple(p for p in wl.parts if p in own or kode[near].str.startswith(p).any())


def _areas(wl: Workload, level: str, parts: Sequence[str]) -> gpd.GeoDataFrame:
    frames = [part_areas(wl, level, p) for p in parts]
    areas = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=wl.crs)
    return areas.sort_values("kode", kind="stable").reset_index(drop=True)


def _towers(wl: Workload) -> gpd.GeoDataFrame | None:
    if "towers" not in wl.layers:
        return None
    x, y, attrs = partitioned.read_points(
        partitioned.join(wl.root, "towers.parquet"),
        columns=("operator", "radio", "range", "site_first"),
    )
    return gpd.GeoDataFrame(attrs, geometry=gpd.points_from_xy(x, y), crs=wl.crs)


def _backbone(wl: Workload) -> gpd.GeoDataFrame | None:
    if "backbone" not in wl.layers:
        return None
    return partitioned.read_areas(partitioned.join(wl.root, "backbone.parquet"), crs=wl.crs)


def workload_area_facts(
    wl: Workload,
    codes: Sequence[str],
    *,
    level: str,
    covered_min: float,
    accounts: tuple[RowAccount, ...] = (),
    reach: ReachParams | None = None,
) -> tuple[Layers, PointFacts]:
    """Layers and per-MSME facts of the partitions holding ``codes``, for a dossier.

    Parameters
    ----------
    wl
        A workload (built from own files, or generated).
    codes
        Area codes at ``level``.
    level
        The level ranked; one of the workload's levels.
    covered_min
        Coverage threshold.
    accounts
        Row accounting of the whole workload (from its ranking), for the dossier's annex.
    reach
        Reach of a proposed site: the MSMEs of partitions within its farthest reach
        (:func:`reach_limit_m`) of the chosen areas are read too, as a site near a border
        serves both sides.  The areas (boundaries only) of every partition are read.

    Raises
    ------
    DataError
        For a level the workload lacks or a code in no partition.
    """
    if level not in wl.levels:
        msg = f"no {level} areas in this workload; levels given: {list(wl.levels)}"
        raise DataError(msg)
    finest = _areas(wl, wl.finest, wl.parts)
    areas = {wl.finest: finest}
    if level != wl.finest:
        areas[level] = _areas(wl, level, wl.parts)
    parts = partitions_near(wl, codes, finest, within_m=reach_limit_m(reach))
    xs, ys, attrs = [], [], []
    for p in parts:
        x, y, a = partitioned.read_points(
            partitioned.part_path(wl.root, "msme", p),
            columns=tuple(dict.fromkeys((*wl.msme_columns, "area"))),
        )
        xs.append(x)
        ys.append(y)
        attrs.append(a.astype({"area": "str"}) if "area" in a else a)
    x, y = np.concatenate(xs), np.concatenate(ys)
    attr = pd.concat(attrs, ignore_index=True)
    if "area" not in attr:
        msg = f"{wl.root}: the MSME files carry no placed area (build it with workload build)"
        raise DataError(msg)
    index = index_of(attr["area"].array, finest)
    read = finest[finest["kode"].astype("str").str.startswith(parts).to_numpy()]
    x0, y0, x1, y1 = (float(v) for v in read.total_bounds)
    raster = raster_window(wl, (x0, y0, x1, y1))
    cov = msme_coverage(wl, raster, x, y, attr, covered_min=covered_min)
    msme = pd.DataFrame({"x": x, "y": y})
    if "online" in attr:
        msme["online"] = attr["online"].to_numpy(dtype=bool)
    rejected = partitioned.read_rejected(wl.root)
    if rejected is None:
        rejected = pd.DataFrame({c: pd.Series(dtype="str") for c in REJECTED_COLUMNS})
    layers = Layers(
        areas=areas,
        msme=gpd.GeoDataFrame(msme),
        coverage=raster,
        towers=_towers(wl),
        backbone=_backbone(wl),
        sources=wl.sources,
        accounts=accounts,
    )
    facts = PointFacts(
        area_index=index, coverage=cov, accounts=accounts, rejected=rejected,
        covered_min=covered_min,
    )  # fmt: skip
    return layers, facts
