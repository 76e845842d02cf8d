"""One partition reduced to desa-level sums and per-area figures, by the shared kernels.

:func:`partition_facts` runs on a worker (local or Dask) for one partition (an administrative
code: province or kabupaten), with the same kernels as the province pipeline (placement,
coverage, evidence, counts); :func:`infra_gap.national.partitions.workload_table` rolls the
sums up by code.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from infra_gap.analysis.context import area_uncovered_share
from infra_gap.analysis.evidence import tile_centres
from infra_gap.analysis.indicators import desa_counts, speed_sums, tower_counts
from infra_gap.analysis.kernels import (
    TOWER_AREA_COLUMNS,
    Groups,
    msme_tile_down,
    msme_tower_km,
    tower_area_facts,
)
from infra_gap.analysis.operators import msme_no_operator, operator_reach
from infra_gap.analysis.placement import LabelGrid, build_label_grid, place_points_indexed
from infra_gap.analysis.reach import ReachParams
from infra_gap.config import GEO_CRS, EvidenceParams
from infra_gap.io import partitioned
from infra_gap.national.partition_reads import index_of, msme_coverage, part_areas, raster_window
from infra_gap.national.workload import Workload

__all__ = ["ADDITIVE", "facts_meta", "partition_facts"]

#: The columns a partition sums per desa, rolled up by code.
ADDITIVE = (
    "msme_total",
    "msme_uncovered",
    "msme_coverage_unknown",
    "msme_covered",
    "msme_online",
    "msme_below_4g_speed",
    "msme_no_tests",
    "msme_evidence_conflict",
    "_speed_down_sum",
    "_speed_up_sum",
    "_speed_latency_sum",
    "speed_tests",
    "speed_devices",
    "tower_count",
    "cell_count",
    "msme_no_operator",
)
_FLOATS = ("_speed_down_sum", "_speed_up_sum", "_speed_latency_sum")
#: Columns that need speed tiles.
_TILE_COLUMNS = (
    "msme_below_4g_speed",
    "msme_no_tests",
    "msme_evidence_conflict",
    *_FLOATS,
    "speed_tests",
    "speed_devices",
    "_tiles_placed",
)


def facts_meta(wl: Workload) -> pd.DataFrame:
    """The empty frame a partition returns (see :func:`partition_facts`)."""
    towers, tiles = "towers" in wl.layers, "speed_tiles" in wl.layers
    wanted = {
        "msme_online": "online" in wl.msme_columns,
        "tower_count": towers,
        "cell_count": towers,
        "msme_no_operator": towers,
    }
    cols = {"kode": "str", "level": "str"}
    for c in (*ADDITIVE, "_tiles_placed"):
        if wanted.get(c, tiles if c in _TILE_COLUMNS else True):
            cols[c] = "float64" if c in _FLOATS else "int64"
    if towers:
        cols |= {
            "operator_count": "int64",
            "msme_tower_km": "float64",
            "operators_reaching": "int64",
        }
    cols["area_uncovered_share"] = "float64"
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in cols.items()})


def _level_frame(areas: gpd.GeoDataFrame, level: str) -> pd.DataFrame:
    return pd.DataFrame({"kode": areas["kode"].to_numpy(), "level": level})


def _tower_facts(
    wl: Workload,
    code: str,
    grid: LabelGrid,
    x: np.ndarray,
    y: np.ndarray,
    index: np.ndarray,
    per_level: dict[str, pd.DataFrame],
    radius_m: float,
) -> pd.DataFrame:
    """Sites and cells per desa; median MSME-tower distance and operators per area of each level.

    Every tower counts for the distance and the operators reaching the MSMEs (the nearest
    or a reaching site may be across a partition border); only the partition's own towers
    (``part``) are placed and counted, as :func:`infra_gap.analysis.indicators.tower_counts` counts
    them.  Adds ``msme_no_operator`` per desa to the returned counts.
    """
    desa = grid.areas
    tx, ty, tower = partitioned.read_points(
        partitioned.join(wl.root, "towers.parquet"),
        columns=("operator", "part", "site_first", "area"),
    )
    own = tower["part"].astype("str").to_numpy() == code
    if "area" in tower:  # placed when the workload was built, as rank places them
        t_index = index_of(tower["area"].to_numpy()[own], desa)
    else:
        t_index = place_points_indexed(tx[own], ty[own], grid)
    tower_km = msme_tower_km(x, y, tx, ty)
    reached, _ = operator_reach(x, y, tower, tx=tx, ty=ty, radius_m=radius_m)
    for lv, frame in per_level.items():
        facts = tower_area_facts(
            frame["kode"],
            Groups.at(desa["kode"], lv),
            area_index=index,
            tower_km=tower_km,
            tower_operator=tower["operator"].to_numpy()[own],
            tower_index=t_index,
            reached=reached,
        )
        for col in TOWER_AREA_COLUMNS:
            frame[col] = facts[col].to_numpy()
    counted = tower_counts(tower[own].reset_index(drop=True), t_index, len(desa))
    counted["msme_no_operator"] = msme_no_operator(reached, index, len(desa))
    return counted


def _tile_down(
    wl: Workload, x: np.ndarray, y: np.ndarray, attrs: pd.DataFrame, tiles: pd.DataFrame
) -> np.ndarray:
    """Mean download of each MSME's zoom-16 tile (NaN: no tests or no coordinates)."""
    if {"lon", "lat"} <= set(attrs.columns):
        lon, lat = attrs["lon"].to_numpy(), attrs["lat"].to_numpy()
    else:
        lon, lat = Transformer.from_crs(wl.crs, GEO_CRS, always_xy=True).transform(x, y)
    lon, lat = np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64")
    return msme_tile_down(lon, lat, tiles)


def partition_facts(
    desa: gpd.GeoDataFrame,
    *,
    wl: Workload,
    covered_min: float,
    levels: tuple[str, ...],
    params: EvidenceParams,
    reach: ReachParams | None = None,
) -> pd.DataFrame:
    """Everything one partition contributes, from the plain kernels.

    One row per desa with the sums that roll up by code (``msme_total`` ... ``tower_count``),
    and one row per area of each of ``levels`` with the figures that do not add up:
    ``msme_tower_km`` (a median), ``operator_count`` and ``operators_reaching`` (distinct
    operators) and ``area_uncovered_share`` (zonal, read from this partition's raster window).  The
    ``level`` column says which; sums are 0 on the rows of other levels.  Exact because
    partitions follow codes: every area of a partition has all its desa in it.
    """
    meta = facts_meta(wl)
    if not len(desa):
        return meta.copy()
    code, root, n = str(desa["part"].iloc[0]), wl.root, len(desa)
    grid = build_label_grid(desa, cell_m=params.cell_m)
    x, y, attrs = partitioned.read_points(
        partitioned.part_path(root, "msme", code), columns=wl.msme_columns
    )
    if "area" in attrs:  # placed when the workload was built (by code too), as rank does
        index = index_of(attrs["area"].array, desa)
    else:
        index = place_points_indexed(x, y, grid)
    areas = {lv: desa if lv == wl.finest else part_areas(wl, lv, code) for lv in levels}
    b = np.array([desa.total_bounds, *(a.total_bounds for a in areas.values() if len(a))])
    bounds = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    raster = raster_window(wl, bounds)
    cov = msme_coverage(wl, raster, x, y, attrs, covered_min=covered_min)
    extra, tile_down = [], None
    if "speed_tiles" in wl.layers:
        tiles = partitioned.read_columns(partitioned.part_path(root, "speed_tiles", code))
        tile_down = _tile_down(wl, x, y, attrs, tiles)
        home = tiles[tiles["home"].to_numpy(dtype=bool)].reset_index(drop=True)
        if "area" in home:
            t_idx = index_of(home["area"].to_numpy(), desa)
        else:
            centres = tile_centres(home["quadkey"].to_numpy(), crs=wl.crs)
            t_idx = place_points_indexed(*centres, grid)
        extra.append(speed_sums(home, t_idx, n))
        extra.append(pd.DataFrame({"_tiles_placed": np.bincount(t_idx[t_idx >= 0], minlength=n)}))
    online = attrs["online"].to_numpy(dtype=bool) if "online" in attrs else None
    counts = desa_counts(
        index, cov, n, online=online, tile_down_kbps=tile_down, slow_down_kbps=params.slow_down_kbps
    )
    facts = pd.concat([_level_frame(desa, "desa"), counts, *extra], axis=1)
    # Rows are tagged "desa" for the finest level, whatever it is (the roll-up's base).
    per_level = {lv: _level_frame(a, lv) for lv, a in areas.items()}
    for lv, a in areas.items():
        per_level[lv]["area_uncovered_share"] = (
            area_uncovered_share(a, raster, covered_min=covered_min, keep=False)
            if len(a)
            else np.empty(0)
        )
    if "towers" in wl.layers:
        radius_m = (reach or ReachParams()).existing_site_m
        counted = _tower_facts(wl, code, grid, x, y, index, per_level, radius_m)
        cols = ["tower_count", "cell_count", "msme_no_operator"]
        facts[cols] = counted[cols].to_numpy()
    if wl.finest in per_level:
        own_rows = per_level.pop(wl.finest)
        for col in own_rows.columns.drop(["kode", "level"]):
            facts[col] = own_rows[col].to_numpy()
    out = pd.concat([facts, *per_level.values()], ignore_index=True).reindex(columns=meta.columns)
    ints = [str(c) for c, d in meta.dtypes.items() if d == "int64"]
    out[ints] = out[ints].fillna(0)
    return out.astype(dict(meta.dtypes))
