"""The ranking and its evidence as one GeoPackage, for the GIS office.

Layers (EPSG:4326, so they overlay national data without a transform):

* ``ranked_<level>`` -- the ranked areas with every column of the ranked table (all
  indicators, contributions, stability and tier when present) and ``data_status``;
* ``msme_uncovered`` -- the MSME points not covered by 4G, with the code of the finest
  area they were placed in (``kode_desa`` on the demo; ``kode_kecamatan`` when the user's
  own areas are kecamatan), the code of their area at the ranked level and
  ``coverage_unknown`` (no-data pixel);
* ``towers``, ``speed_tiles``, ``backbone_lines`` and ``backbone_pops`` -- the features
  that touch the exported areas (or all, or none: ``evidence``), one geometry type per
  layer (ArcGIS needs it);
* ``proposed_sites`` and ``proposed_sites_reach`` (their reach discs) -- when given (the
  siting feature);
* ``sources`` and ``rejected`` -- attribute tables: provenance, licence, vintage and
  synthetic flag of each layer; the rejected rows with reasons.

Each layer has a description (``gpkg_contents``), each spatial layer a default QGIS style
(``layer_styles``: the ranked layer coloured by score class as in the app, with a legend),
and ``gpkg_metadata`` holds JSON documents naming each source, its date, licence and
synthetic flag, linked to the layers made from it (``gpkg_metadata_reference``).

Text is stored as it is: a GeoPackage has no formulas, so names stay intact.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from infra_gap import __version__
from infra_gap.config import GEO_CRS, LEVEL_CODE_LENGTH, LEVELS
from infra_gap.errors import DataError
from infra_gap.io.bundle import GpkgMetadata, geopackage_bytes
from infra_gap.layers import Layers
from infra_gap.outputs.export import rejected_rows, status_label
from infra_gap.outputs.gpkg_style import describe_layer, layer_qml
from infra_gap.point_frames import as_points
from infra_gap.provenance import UNKNOWN

if TYPE_CHECKING:
    from infra_gap.analysis.pipeline import PointFacts

__all__ = ["EVIDENCE_CHOICES", "ranked_geopackage", "uncovered_msme"]

#: What the GeoPackage holds of the towers, speed tiles and backbone.
EVIDENCE_CHOICES = ("clip", "all", "none")


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
        Placement and coverage of each MSME (:func:`infra_gap.analysis.pipeline.place_and_cover`).
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
    out = as_points(layers.msme.iloc[idx].copy())
    out[f"kode_{finest}"] = kode_finest[inside]
    out[f"kode_{level}"] = kode_area[inside]
    out["coverage_unknown"] = facts.coverage.unknown[idx]
    return out.reset_index(drop=True)


def _as_geo(frame: gpd.GeoDataFrame, synthetic: bool) -> gpd.GeoDataFrame:
    out = frame.to_crs(GEO_CRS)
    out["data_status"] = status_label(synthetic)
    return out


def _within(layer: gpd.GeoDataFrame, region: BaseGeometry | None) -> gpd.GeoDataFrame:
    """The features of ``layer`` that touch ``region`` (all when None), geometry uncut."""
    if region is None or layer.empty:
        return layer
    hits = layer.sindex.query(region, predicate="intersects")
    return layer.iloc[np.sort(hits)]


def _evidence(
    layers: Layers, region: BaseGeometry | None
) -> dict[str, tuple[gpd.GeoDataFrame, str]]:
    """Towers, speed tiles and backbone in ``region``, one geometry type per layer.

    Returns layer name -> (features, source layer name).  The backbone is split into
    ``backbone_lines`` and ``backbone_pops`` (points of presence).
    """
    out: dict[str, tuple[gpd.GeoDataFrame, str]] = {}
    for name in ("towers", "speed_tiles"):
        layer = getattr(layers, name)
        if layer is not None:
            out[name] = (_within(layer, region), name)
    bb = layers.backbone
    if bb is not None:
        bb = _within(bb, region)
        points = bb.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
        if (~points).any():
            out["backbone_lines"] = (bb[~points], "backbone")
        if points.any():
            out["backbone_pops"] = (bb[points], "backbone")
    return out


def _sources_frame(layers: Layers) -> pd.DataFrame:
    return pd.DataFrame(
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


def _metadata(
    layers: Layers,
    derived: Mapping[str, str],
    *,
    level: str,
    n_areas: int,
    method: Mapping[str, object] | None = None,
) -> list[GpkgMetadata]:
    """One document for the whole export, then one per input layer (linked to its layers).

    ``method`` (the scoring choices, e.g. ``unknownAsNeed``) goes into the first document.
    """
    entries = {s.layer: asdict(s) for s in layers.sources}
    for entry in entries.values():
        entry["date"] = entry.pop("vintage")
        entry["source"] = entry.pop("origin")
        for key in ("source", "licence", "date"):
            entry[key] = entry[key] if entry[key] not in {"", "as supplied"} else UNKNOWN
    whole = {
        "title": f"infra-gap priority list, {level} level ({n_areas} areas)",
        "created": dt.date.today().isoformat(),
        "generator": f"infra-gap {__version__}",
        "synthetic": layers.synthetic,
        "data_status": status_label(layers.synthetic),
        "sources": list(entries.values()),
    }
    if method:
        whole["method"] = dict(method)
    docs = [_json_md(whole, ())]
    for name, entry in entries.items():
        tables = tuple(t for t, src in derived.items() if src == name)
        docs.append(_json_md(entry, tables))
    return docs


def _json_md(doc: Mapping[str, object], tables: tuple[str, ...]) -> GpkgMetadata:
    return GpkgMetadata(
        text=json.dumps(doc, ensure_ascii=False, indent=1),
        mime_type="application/json",
        standard_uri="https://specs.frictionlessdata.io/data-resource/#sources",
        tables=tables,
    )


def ranked_geopackage(
    ranked: pd.DataFrame,
    layers: Layers,
    *,
    level: str,
    facts: PointFacts | None = None,
    sites: gpd.GeoDataFrame | None = None,
    codes: list[str] | None = None,
    evidence: str = "clip",
    lang: str = "id",
    method: Mapping[str, object] | None = None,
) -> bytes:
    """GeoPackage bytes of a ranking with its evidence layers, styles and metadata.

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
        Restrict the ranked areas and uncovered MSMEs to these area codes.
    evidence
        ``"clip"`` (default): towers, speed tiles and backbone features that touch the
        exported areas; ``"all"``: every feature; ``"none"``: no evidence layers.
    lang
        Language of the layer descriptions and the legend labels.
    method
        Scoring choices stated in the export's metadata document (``unknownAsNeed``,
        ``unknownRule``: :meth:`infra_gap.outputs.export.ExportMeta.method`).

    Raises
    ------
    DataError
        When a ranked ``kode`` is not an area of ``level``, or ``evidence`` is unknown.
    """
    if evidence not in EVIDENCE_CHOICES:
        msg = f"`evidence` must be one of {', '.join(EVIDENCE_CHOICES)}, got {evidence!r}"
        raise DataError(msg)
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
    syn = {s.layer: s.synthetic for s in layers.sources}
    ranked_name = f"ranked_{level}"
    frames: dict[str, pd.DataFrame] = {ranked_name: _as_geo(table, synthetic)}
    boundary = next((s.layer for s in layers.sources if s.layer in {"areas", "boundaries"}), "")
    derived = {ranked_name: boundary}
    if facts is not None:
        pts = uncovered_msme(layers, facts, level=level, codes=codes)
        frames["msme_uncovered"] = _as_geo(pts, synthetic)
        derived["msme_uncovered"] = "msme"
    if evidence != "none":
        region = table.geometry.union_all() if evidence == "clip" else None
        for name, (layer, source) in _evidence(layers, region).items():
            if len(layer):  # an empty layer would have no geometry type
                frames[name] = _as_geo(layer, syn.get(source, synthetic))
                derived[name] = source
    if sites is not None:
        frames["proposed_sites"] = _as_geo(sites, synthetic)
        if "radius_km" in sites:
            from infra_gap.siting.plan import reach_discs  # the siting stage, only when used

            frames["proposed_sites_reach"] = _as_geo(reach_discs(sites), synthetic)
    frames["sources"] = _sources_frame(layers)
    rejected = rejected_rows(layers, facts.rejected if facts is not None else None)
    frames["rejected"] = pd.DataFrame(rejected)
    descriptions = {
        n: describe_layer(n, level=level, synthetic=synthetic, lang=lang) for n in frames
    }
    styles = {n: qml for n in frames if (qml := layer_qml(n, lang=lang)) is not None}
    return geopackage_bytes(
        frames,
        descriptions=descriptions,
        styles=styles,
        metadata=_metadata(layers, derived, level=level, n_areas=len(table), method=method),
    )
