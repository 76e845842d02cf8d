"""Each province's area context (capital, mainland, cities, backbone), from its partitions.

:func:`province_context` runs on a worker for one province, so that the capital, the mainland
and the cities are the province's own; the long frames come back to one column per name with
:func:`wide_context`.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from infra_gap.analysis.context import area_context
from infra_gap.io import partitioned
from infra_gap.national.partition_reads import part_areas, partition_meta
from infra_gap.national.workload import Workload

__all__ = ["CONTEXT_META", "province_context", "read_province", "wide_context"]


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
    parts = [part_areas(wl, level, p) for p in wl.parts if p[:2] == province]
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


def wide_context(long: pd.DataFrame, codes: pd.Series) -> pd.DataFrame:
    """The long context frames back to one column per name, row-aligned with ``codes``."""
    wide = pd.DataFrame(index=range(len(codes)))
    for name, rows in long.groupby("name", sort=False):
        values = rows.set_index("kode")["value"].reindex(codes.to_numpy()).to_numpy()
        wide[str(name)] = values.astype("int64") if rows["is_int"].iloc[0] else values
    return wide
