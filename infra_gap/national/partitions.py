"""The partition kernels of a workload and its indicator table, on either engine.

Each partition (an administrative code: province or kabupaten) is read by its own worker
and reduced to desa-level sums by :func:`partition_facts` with the same kernels as the
province pipeline (placement, coverage, evidence, counts); each province's context
(zonal shares, distances, islands) comes from :func:`province_context`.
:func:`workload_table` schedules both with :func:`infra_gap.national.engine.run_partitions` and
rolls the sums up by code, as :func:`infra_gap.analysis.pipeline.indicator_table` does.

The steps live in modules named by what they do: :mod:`.partition_reads` (what a partition
reads), :mod:`.partition_kernel` (one partition's sums) and :mod:`.context_by_province`; this
module schedules them and keeps their public names importable from here.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import partial
from typing import Any

import pandas as pd

from infra_gap.analysis.indicators import add_area_context, area_indicators
from infra_gap.analysis.kernels import operator_class
from infra_gap.analysis.reach import ReachParams
from infra_gap.config import LEVELS, EvidenceParams
from infra_gap.errors import DataError
from infra_gap.io import partitioned
from infra_gap.layers import RowAccount
from infra_gap.national.context_by_province import (
    CONTEXT_META,
    province_context,
    read_province,
    wide_context,
)
from infra_gap.national.engine import EngineSpec, dask_client, run_partitions
from infra_gap.national.partition_kernel import ADDITIVE, facts_meta, partition_facts
from infra_gap.national.partition_reads import partition_meta, read_partition
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
    additive = [c for c in ADDITIVE if c in per_desa.columns]
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
    context = wide_context(context, table["kode"])
    # The zonal share is computed per partition; it is the last context column, as in
    # infra_gap.analysis.pipeline.area_facts.
    context["area_uncovered_share"] = table["kode"].map(extra["area_uncovered_share"]).to_numpy()
    add_area_context(table, context, params=params)
    return table, _accounts(wl, per_desa, rows)
