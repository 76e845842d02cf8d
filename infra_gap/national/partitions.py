"""The partition kernels of a workload and its indicator table, on either engine.

Each partition (an administrative code: province or kabupaten) is read by its own worker
and reduced to desa-level sums by :func:`partition_facts` with the same kernels as the
province pipeline (placement, coverage, evidence, counts); each province's context
(zonal shares, distances, islands) comes from :func:`province_context`.
:func:`workload_table` schedules both with :func:`infra_gap.national.engine.run_partitions` and
rolls the sums up by code, as :func:`infra_gap.analysis.pipeline.indicator_table` does.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import replace
from functools import partial
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from infra_gap.analysis.context import area_context, area_uncovered_share
from infra_gap.analysis.coverage import PointCoverage, point_coverage
from infra_gap.analysis.evidence import tile_centres
from infra_gap.analysis.indicators import (
    add_area_context,
    area_indicators,
    desa_counts,
    speed_sums,
    tower_counts,
)
from infra_gap.analysis.kernels import (
    TOWER_AREA_COLUMNS,
    Groups,
    msme_tile_down,
    msme_tower_km,
    operator_class,
    tower_area_facts,
)
from infra_gap.analysis.operators import msme_no_operator, operator_reach
from infra_gap.analysis.placement import LabelGrid, build_label_grid, place_points_indexed
from infra_gap.analysis.reach import ReachParams
from infra_gap.config import GEO_CRS, LEVELS, EvidenceParams
from infra_gap.errors import DataError
from infra_gap.io import partitioned
from infra_gap.layers import Raster, RowAccount
from infra_gap.national.engine import EngineSpec, dask_client, run_partitions
from infra_gap.national.workload import Workload

__all__ = [
    "CONTEXT_META",
    "facts_meta",
    "partition_facts",
    "partition_meta",
    "province_context",
    "read_partition",
    "read_province",
    "workload_table",
]

_ADDITIVE = (
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
    for c in (*_ADDITIVE, "_tiles_placed"):
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


def partition_meta(crs: str) -> gpd.GeoDataFrame:
    """The empty frame :func:`read_partition` returns."""
    frame = pd.DataFrame({c: pd.Series(dtype="str") for c in ("kode", "nama", "part")})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=crs))[
        ["kode", "nama", "geometry", "part"]
    ]


def read_partition(
    code: str, *, root: partitioned.Root, crs: str, level: str = "desa"
) -> gpd.GeoDataFrame:
    """The finest areas of one partition (``kode``, ``nama``, ``geometry``, ``part``), by code."""
    desa = partitioned.read_areas(partitioned.part_path(root, level, code), crs=crs)
    out = desa[["kode", "nama", "geometry"]].sort_values("kode", kind="stable")
    out = out.reset_index(drop=True)
    out["part"] = pd.Series([code] * len(out), dtype="str")
    return out


def _part_areas(wl: Workload, level: str, code: str) -> gpd.GeoDataFrame:
    areas = partitioned.read_areas(partitioned.part_path(wl.root, level, code), crs=wl.crs)
    return areas.sort_values("kode", kind="stable").reset_index(drop=True)


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
        t_index = _index_of(tower["area"].to_numpy()[own], desa)
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


def _index_of(codes: Any, areas: gpd.GeoDataFrame) -> np.ndarray:
    """Position of each code in ``areas`` (sorted by ``kode``), ``-1`` for ``""`` or unknown."""
    lookup = pd.Series(np.arange(len(areas)), index=areas["kode"].to_numpy())
    if isinstance(codes.dtype, pd.CategoricalDtype):  # dictionary-encoded: map each code once
        cat = pd.Categorical(codes)
        at = lookup.reindex(cat.categories.astype("str")).to_numpy(dtype="float64")
        at = np.append(at, np.nan)  # code -1 (a missing value) maps to the last slot
        found = at[np.where(cat.codes >= 0, cat.codes, len(at) - 1)]
    else:
        found = pd.Series(codes).map(lookup).to_numpy(dtype="float64")
    return np.where(np.isnan(found), -1, found).astype("int64")


def _raster(wl: Workload, bounds: tuple[float, float, float, float]) -> Raster:
    raster = partitioned.read_raster_window(
        partitioned.join(wl.root, "coverage.tif"), bounds, crs=wl.crs
    )
    if wl.coverage_nodata is not None:
        return replace(raster, nodata=wl.coverage_nodata)
    return raster


def _coverage(
    wl: Workload,
    raster: Raster,
    x: np.ndarray,
    y: np.ndarray,
    attrs: pd.DataFrame,
    *,
    covered_min: float,
) -> PointCoverage:
    """Coverage under each MSME (from its degrees when the raster is in degrees too)."""
    if wl.coverage_degrees and {"lon", "lat"} <= set(attrs.columns):
        lon, lat = attrs["lon"].to_numpy(), attrs["lat"].to_numpy()
        return point_coverage(raster, lon, lat, xy_crs=GEO_CRS, covered_min=covered_min)
    return point_coverage(raster, x, y, xy_crs=wl.crs, covered_min=covered_min)


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
        index = _index_of(attrs["area"].array, desa)
    else:
        index = place_points_indexed(x, y, grid)
    areas = {lv: desa if lv == wl.finest else _part_areas(wl, lv, code) for lv in levels}
    b = np.array([desa.total_bounds, *(a.total_bounds for a in areas.values() if len(a))])
    bounds = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    raster = _raster(wl, bounds)
    cov = _coverage(wl, raster, x, y, attrs, covered_min=covered_min)
    extra, tile_down = [], None
    if "speed_tiles" in wl.layers:
        tiles = partitioned.read_columns(partitioned.part_path(root, "speed_tiles", code))
        tile_down = _tile_down(wl, x, y, attrs, tiles)
        home = tiles[tiles["home"].to_numpy(dtype=bool)].reset_index(drop=True)
        if "area" in home:
            t_idx = _index_of(home["area"].to_numpy(), desa)
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


#: The long frame :func:`province_context` returns: one row per area and context column.
CONTEXT_META = pd.DataFrame(
    {
        "kode": pd.Series(dtype="str"),
        "name": pd.Series(dtype="str"),
        "value": pd.Series(dtype="float64"),
        "is_int": pd.Series(dtype="bool"),
    }
)


def _province_areas(wl: Workload, level: str, province: str) -> gpd.GeoDataFrame:
    parts = [_part_areas(wl, level, p) for p in wl.parts if p[:2] == province]
    areas = pd.concat(parts, ignore_index=True) if parts else partition_meta(wl.crs)
    areas = areas.sort_values("kode", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(areas, crs=wl.crs)


def read_province(province: str, *, wl: Workload, level: str) -> gpd.GeoDataFrame:
    """The areas of ``level`` (``kode``, ``geometry``) in one province, from its partitions."""
    return _province_areas(wl, level, province)[["kode", "geometry"]]


def province_context(areas: gpd.GeoDataFrame, *, wl: Workload) -> pd.DataFrame:
    """:func:`infra_gap.analysis.context.area_context` for one province's areas, as a long frame.

    Run province by province, so that the capital (the workload's, per province), the
    mainland and the cities are the province's own.  The long shape (``kode``, ``name``,
    ``value``, ``is_int``) keeps one frame layout whatever columns the context has.
    """
    if not len(areas):
        return CONTEXT_META.copy()
    province = str(areas["kode"].iloc[0])[:2]
    kab = partition_meta(wl.crs)
    if "kabupaten" in wl.levels:
        kab = _province_areas(wl, "kabupaten", province)
    stats = backbone = None
    if "kab_stats" in wl.layers:
        stats = partitioned.read_columns(partitioned.join(wl.root, "kab_stats.parquet"))
    if "backbone" in wl.layers:
        backbone = partitioned.read_areas(partitioned.join(wl.root, "backbone.parquet"), crs=wl.crs)
    context = area_context(
        areas,
        kabupaten=kab if len(kab) else None,
        kab_stats=stats,
        backbone=backbone,
        capital_code=wl.capitals.get(province, ""),
    )
    ints = {str(c) for c, d in context.dtypes.items() if pd.api.types.is_integer_dtype(d)}
    long = context.astype("float64").assign(kode=areas["kode"].to_numpy())
    long = long.melt(id_vars="kode", var_name="name", value_name="value")
    long["is_int"] = long["name"].isin(ints)
    return long.astype(dict(CONTEXT_META.dtypes))


def _wide_context(long: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """The long context frames back to one column per name, row-aligned with ``codes``."""
    wide = pd.DataFrame(index=range(len(codes)))
    for name, rows in long.groupby("name", sort=False):
        values = rows.set_index("kode")["value"].reindex(codes.to_numpy()).to_numpy()
        wide[str(name)] = values.astype("int64") if rows["is_int"].iloc[0] else values
    return wide


def _accounts(
    wl: Workload, per_desa: pd.DataFrame, msme_rows: dict[str, int]
) -> tuple[RowAccount, ...]:
    def account(source: str, read: int, used: int) -> RowAccount:
        return RowAccount(source, read=read, used=used, rejected=read - used)

    prior = wl.prior_rejected
    used = int(per_desa["msme_total"].sum())
    out = [account("msme", sum(msme_rows.values()) + prior.get("msme", 0), used)]
    if "towers" in wl.layers:
        read = partitioned.count_rows(partitioned.join(wl.root, "towers.parquet")) + prior.get(
            "towers", 0
        )
        out.append(account("towers", read, int(per_desa["cell_count"].sum())))
    if "speed_tiles" in wl.layers:
        read = int(
            partitioned.read_columns(partitioned.join(wl.root, "speed_tiles"), ["home"])[
                "home"
            ].sum()
        )
        read += prior.get("speed_tiles", 0)
        out.append(account("speed_tiles", read, int(per_desa["_tiles_placed"].sum())))
    return tuple(out)


def workload_table(
    wl: Workload,
    *,
    level: str,
    spec: EngineSpec,
    covered_min: float = 1.0,
    params: EvidenceParams | None = None,
    client: Any = None,
    reach: ReachParams | None = None,
) -> tuple[pd.DataFrame, tuple[RowAccount, ...]]:
    """The indicator table of a partitioned workload at ``level``, on any engine.

    Partitions return desa-level sums (:func:`partition_facts`); they are rolled up by
    code with :func:`infra_gap.analysis.indicators.area_indicators`, as in
    :func:`infra_gap.analysis.pipeline.indicator_table`, whose columns and values this reproduces.

    Returns
    -------
    table, accounts
        One row per area of ``level`` sorted by ``kode``, and the row accounting of each
        point layer.

    Raises
    ------
    DataError
        For an unknown level, or when a partition's desa are missing from the results.
    """
    params = params or EvidenceParams()
    if level not in LEVELS:
        msg = f"`level` must be one of {list(LEVELS)}, got {level!r}"
        raise DataError(msg)
    if level not in wl.levels:
        msg = f"no {level} areas in this workload; levels given: {list(wl.levels)}"
        raise DataError(msg)
    # Largest partitions first (longest-processing-time order), so that no worker is left
    # with a big partition at the end; results are re-ordered by code below.
    rows = {c: partitioned.count_rows(partitioned.part_path(wl.root, "msme", c)) for c in wl.parts}
    parts = sorted(wl.parts, key=lambda c: (-rows[c], c))
    load = dict.fromkeys((p[:2] for p in parts), 0)
    for c in parts:
        load[c[:2]] += rows[c]
    provinces = sorted(load, key=lambda p: (-load[p], p))
    with nullcontext(client) if client is not None else dask_client(spec) as own:
        facts = run_partitions(
            partial(read_partition, root=wl.root, crs=wl.crs, level=wl.finest),
            partial(
                partition_facts,
                wl=wl,
                covered_min=covered_min,
                levels=(level,),
                params=params,
                reach=reach,
            ),
            parts,
            read_meta=partition_meta(wl.crs),
            meta=facts_meta(wl),
            spec=spec,
            client=own,
        )
        context = run_partitions(
            partial(read_province, wl=wl, level=level),
            partial(province_context, wl=wl),
            provinces,
            read_meta=read_province("", wl=wl, level=level),
            meta=CONTEXT_META,
            spec=spec,
            client=own,
        )
    desa = partitioned.read_columns(partitioned.join(wl.root, wl.finest), ["kode"])
    desa = desa.sort_values("kode", kind="stable").reset_index(drop=True)
    per_desa = facts[facts["level"] == "desa"].set_index("kode")
    if len(per_desa) != len(desa) or not per_desa.index.is_unique:
        msg = f"partitions returned {len(per_desa):,} desa rows for {len(desa):,} desa"
        raise DataError(msg)
    additive = [c for c in _ADDITIVE if c in per_desa.columns]
    counts = per_desa.reindex(desa["kode"].to_numpy())[additive].reset_index(drop=True)
    areas = partitioned.read_columns(partitioned.join(wl.root, level), ["kode", "nama"])
    areas = areas.sort_values("kode", kind="stable").reset_index(drop=True)
    table = area_indicators(desa, counts, areas, level=level)
    # The finest areas' rows are tagged "desa" whatever their level (see partition_facts).
    extra = facts[facts["level"] == ("desa" if level == wl.finest else level)].set_index("kode")
    if "towers" in wl.layers:
        ops = table["kode"].map(extra["operator_count"]).fillna(0).astype("int64")
        table["operator_count"] = ops.to_numpy()
        table["operator_class"] = operator_class(ops)
        table["msme_tower_km"] = table["kode"].map(extra["msme_tower_km"]).to_numpy()
        reaching = table["kode"].map(extra["operators_reaching"]).fillna(0).astype("int64")
        table["operators_reaching"] = reaching.to_numpy()
    context = _wide_context(context, table["kode"])
    # The zonal share is computed per partition; it is the last context column, as in
    # infra_gap.analysis.pipeline.area_facts.
    context["area_uncovered_share"] = table["kode"].map(extra["area_uncovered_share"]).to_numpy()
    add_area_context(table, context, params=params)
    return table, _accounts(wl, per_desa, rows)
