"""The ranking and its evidence as one GeoPackage, for the GIS office.

Layers (EPSG:4326, so they overlay national data without a transform):

* ``ranked_<level>`` -- the ranked areas with every column of the ranked table (all
  indicators, contributions, stability and tier when present) and ``data_status``;
* ``msme_uncovered`` -- the MSME points not covered by 4G, with the code of the finest
  area they were placed in (``kode_desa`` on the demo; ``kode_kecamatan`` when the user's
  own areas are kecamatan), the code of their area at the ranked level and
  ``coverage_unknown`` (no-data pixel);
* ``towers``, ``speed_tiles``, ``backbone`` -- as loaded, when present;
* ``proposed_sites`` and ``proposed_sites_reach`` (their reach discs) -- when given (the
  siting feature);
* ``sources`` and ``rejected`` -- attribute tables: provenance, licence, vintage and
  synthetic flag of each layer; the rejected rows with reasons.

Text is stored as it is: a GeoPackage has no formulas, so names stay intact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.config import GEO_CRS, LEVEL_CODE_LENGTH, LEVELS
from infra_gap.errors import DataError
from infra_gap.export import rejected_rows, status_label
from infra_gap.io.bundle import geopackage_bytes
from infra_gap.layers import Layers

if TYPE_CHECKING:
    from infra_gap.pipeline import PointFacts

__all__ = ["ranked_geopackage", "uncovered_msme"]


def uncovered_msme(
    layers: Layers, facts: PointFacts, *, level: str, codes: list[str] | None = None
) -> gpd.GeoDataFrame:
    """MSME points not covered by 4G, with the codes of their finest area and ranked area.

    Parameters
    ----------
    layers
        The layers (``msme`` and the finest level of ``areas``: the one MSMEs are placed
        in, ``desa`` on the demo, the user's own level otherwise).
    facts
        Placement and coverage of each MSME (:func:`infra_gap.pipeline.place_and_cover`).
    level
        Level of the ``kode_<level>`` column.
    codes
        Keep only points in these areas (codes at ``level``); all when None.

    Returns
    -------
    GeoDataFrame in the work CRS: the MSME columns, ``kode_<finest level>`` (e.g.
    ``kode_desa``), ``kode_<level>`` (the same column when the levels are equal) and
    ``coverage_unknown``.  Unplaced points (outside every area) are left out: they are in
    the rejected rows.

    Raises
    ------
    DataError
        When ``level`` is finer than the finest level of ``layers.areas``.
    """
    finest = next((lv for lv in LEVELS if lv in layers.areas), None)
    if finest is None or LEVELS.index(level) < LEVELS.index(finest):
        msg = f"MSMEs are placed in {finest} areas; they cannot be listed by {level}"
        raise DataError(msg)
    finest_codes = layers.areas[finest]["kode"].to_numpy().astype("str")
    keep = (~facts.coverage.covered) & (facts.area_index >= 0)
    idx = np.flatnonzero(keep)
    kode_finest = finest_codes[facts.area_index[idx]]
    kode_area = pd.Series(kode_finest).str.slice(0, LEVEL_CODE_LENGTH[level]).to_numpy()
    inside = np.isin(kode_area, codes) if codes is not None else np.ones(len(idx), dtype=bool)
    idx = idx[inside]
    out = layers.msme.iloc[idx].copy()
    out[f"kode_{finest}"] = kode_finest[inside]
    out[f"kode_{level}"] = kode_area[inside]
    out["coverage_unknown"] = facts.coverage.unknown[idx]
    return out.reset_index(drop=True)


def _as_geo(frame: gpd.GeoDataFrame, synthetic: bool) -> gpd.GeoDataFrame:
    out = frame.to_crs(GEO_CRS)
    out["data_status"] = status_label(synthetic)
    return out


def ranked_geopackage(
    ranked: pd.DataFrame,
    layers: Layers,
    *,
    level: str,
    facts: PointFacts | None = None,
    sites: gpd.GeoDataFrame | None = None,
    codes: list[str] | None = None,
) -> bytes:
    """GeoPackage bytes of a ranking with its evidence layers.

    Parameters
    ----------
    ranked
        Ranked table at ``level`` (``kode`` plus any columns).
    layers
        The layers behind it (area geometry, towers, tiles, backbone, sources).
    level
        Level of ``ranked``.
    facts
        Placement and coverage of the MSMEs; without it there is no ``msme_uncovered``
        layer.
    sites
        Proposed sites, written as ``proposed_sites`` when given, with their reach discs
        as ``proposed_sites_reach`` when they have ``radius_km``.
    codes
        Restrict the ranked areas and uncovered MSMEs to these area codes; the towers,
        tiles and backbone stay whole.

    Raises
    ------
    DataError
        When a ranked ``kode`` is not an area of ``level``.
    """
    areas = layers.areas[level]
    if codes is not None:
        ranked = ranked[ranked["kode"].isin(codes)]
    unknown = sorted(set(ranked["kode"]) - set(areas["kode"]))
    if unknown:
        msg = f"ranked `kode` value(s) not among the {level} areas: {unknown[:5]}"
        raise DataError(msg)
    geom = areas.set_index("kode").geometry
    cols = [c for c in ranked.columns if c != "geometry"]
    table = gpd.GeoDataFrame(
        ranked[cols].reset_index(drop=True),
        geometry=geom.reindex(ranked["kode"]).to_numpy(),
        crs=areas.crs,
    )
    synthetic = layers.synthetic
    frames: dict[str, pd.DataFrame] = {f"ranked_{level}": _as_geo(table, synthetic)}
    if facts is not None:
        pts = uncovered_msme(layers, facts, level=level, codes=codes)
        frames["msme_uncovered"] = _as_geo(pts, synthetic)
    for name in ("towers", "speed_tiles", "backbone"):
        layer = getattr(layers, name)
        if layer is not None:
            frames[name] = _as_geo(
                layer, any(s.synthetic for s in layers.sources if s.layer == name)
            )
    if sites is not None:
        frames["proposed_sites"] = _as_geo(sites, synthetic)
        if "radius_km" in sites:
            from infra_gap.siteplan import reach_discs  # the siting stage, only when used

            frames["proposed_sites_reach"] = _as_geo(reach_discs(sites), synthetic)
    frames["sources"] = pd.DataFrame(
        {
            "layer": [s.layer for s in layers.sources],
            "origin": [s.origin for s in layers.sources],
            "licence": [s.licence for s in layers.sources],
            "vintage": [s.vintage for s in layers.sources],
            "synthetic": [s.synthetic for s in layers.sources],
            "operator": [s.operator for s in layers.sources],
            "technology": [s.technology for s in layers.sources],
            "url": [s.url for s in layers.sources],
        }
    )
    rejected = rejected_rows(layers, facts.rejected if facts is not None else None)
    frames["rejected"] = pd.DataFrame(rejected)
    return geopackage_bytes(frames)
