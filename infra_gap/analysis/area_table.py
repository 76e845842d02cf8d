"""One level's indicator table: the point facts rolled up from desa, plus each area's own facts.

:func:`indicator_table` serves every level from one
:class:`~infra_gap.analysis.point_facts.PointFacts`; :func:`area_facts` (remoteness, context,
surface not covered) does not depend on the points, so a front end can cache it per level and
threshold.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd

from infra_gap.analysis.context import area_context, area_uncovered_share
from infra_gap.analysis.indicators import (
    add_area_context,
    area_indicators,
    desa_counts,
    podes_counts,
    speed_sums,
    tower_counts,
)
from infra_gap.analysis.kernels import Groups, operator_class, tower_area_facts
from infra_gap.analysis.operator_coverage import msme_no_operator_coverage, operators_covering
from infra_gap.analysis.operators import msme_no_operator
from infra_gap.analysis.point_facts import PointFacts, finest_level
from infra_gap.config import LEVELS, EvidenceParams
from infra_gap.errors import DataError
from infra_gap.layers import Layers

__all__ = ["area_facts", "indicator_table"]


def area_facts(
    layers: Layers, *, level: str, covered_min: float, cache_dir: Path | None = None
) -> pd.DataFrame:
    """Area-level indicators that do not depend on MSME points (cacheable per level).

    Remoteness and context (:func:`infra_gap.analysis.context.area_context`) and the share of each
    area's surface not covered (exactextract zonal statistics, partial pixels counted;
    kept in ``cache_dir`` when given, per boundaries, raster and threshold).
    """
    areas = layers.areas[level]
    out = area_context(
        areas,
        kabupaten=layers.areas.get("kabupaten"),
        kab_stats=layers.kab_stats,
        backbone=layers.backbone,
    )
    if layers.coverage is not None:
        out["area_uncovered_share"] = area_uncovered_share(
            areas, layers.coverage, covered_min=covered_min, cache_dir=cache_dir
        )
    return out


def indicator_table(
    layers: Layers,
    facts: PointFacts,
    *,
    level: str,
    params: EvidenceParams | None = None,
    area_frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every indicator at ``level``: counts rolled up from desa, the rest per area.

    ``area_frame`` is the output of :func:`area_facts` for the same level and threshold,
    when the caller has it cached; it is computed here otherwise.

    Returns
    -------
    DataFrame row-aligned with ``layers.areas[level]``: ``kode``, ``nama``, the registry's
    indicators whose inputs are present, and the flags ``speed_low_evidence``,
    ``operator_class`` (``none``/``single``/``several``) and ``evidence_conflict``.
    """
    params = params or EvidenceParams()
    if level not in LEVELS:
        msg = f"`level` must be one of {list(LEVELS)}, got {level!r}"
        raise DataError(msg)
    if level not in layers.areas:
        msg = f"no {level} areas in this run; levels given: {list(layers.areas)}"
        raise DataError(msg)
    if area_frame is not None:
        table, context = _point_table(layers, facts, level=level, params=params), area_frame
    else:
        with ThreadPoolExecutor(max_workers=1) as pool:
            # The area facts (GEOS distances, zonal sums) run beside the point roll-up.
            job = pool.submit(area_facts, layers, level=level, covered_min=facts.covered_min)
            table = _point_table(layers, facts, level=level, params=params)
            context = job.result()
    add_area_context(table, context, params=params)
    return table


def _point_table(
    layers: Layers, facts: PointFacts, *, level: str, params: EvidenceParams
) -> pd.DataFrame:
    """The indicators made from the points, rolled up to ``level``.

    Desa sums (MSMEs, coverage, speeds, towers) by code, the operators of the towers and
    the median distance from the MSMEs to a tower.
    """
    desa, areas = layers.areas[finest_level(layers)], layers.areas[level]
    online = layers.msme["online"].to_numpy() if "online" in layers.msme else None
    parts = [
        desa_counts(
            facts.area_index,
            facts.coverage,
            len(desa),
            online=online,
            tile_down_kbps=facts.tile_down_kbps,
            slow_down_kbps=params.slow_down_kbps,
        )
    ]
    if layers.speed_tiles is not None and facts.tile_index is not None:
        parts.append(speed_sums(layers.speed_tiles, facts.tile_index, len(desa)))
    if layers.towers is not None and facts.tower_index is not None:
        parts.append(tower_counts(layers.towers, facts.tower_index, len(desa)))
    if layers.podes is not None and facts.podes_index is not None:
        parts.append(podes_counts(layers.podes, facts.podes_index, len(desa)))
    if facts.operator_reach is not None:
        none = msme_no_operator(facts.operator_reach, facts.area_index, len(desa))
        parts.append(pd.DataFrame({"msme_no_operator": none}))
    if facts.operator_covered is not None:
        none = msme_no_operator_coverage(facts.operator_covered, facts.area_index, len(desa))
        parts.append(pd.DataFrame({"msme_no_operator_coverage": none}))
    table = area_indicators(desa, pd.concat(parts, axis=1), areas, level=level)
    groups = Groups.at(desa["kode"], level)
    if (
        layers.towers is not None
        and facts.tower_index is not None
        and facts.tower_km is not None
        and facts.operator_reach is not None
    ):
        towers = tower_area_facts(
            table["kode"],
            groups,
            area_index=facts.area_index,
            tower_km=facts.tower_km,
            tower_operator=layers.towers["operator"].to_numpy(),
            tower_index=facts.tower_index,
            reached=facts.operator_reach,
        )
        table["operator_count"] = towers["operator_count"].to_numpy()
        table["operator_class"] = operator_class(table["operator_count"])
        table["msme_tower_km"] = towers["msme_tower_km"].to_numpy()
        table["operators_reaching"] = towers["operators_reaching"].to_numpy()
    if facts.operator_covered is not None:
        group = groups.of_points(facts.area_index)
        covering = operators_covering(facts.operator_covered, group, len(groups.names))
        by_code = pd.Series(covering, groups.names)
        table["operators_covering"] = table["kode"].map(by_code).fillna(0).astype("int64")
    return table
