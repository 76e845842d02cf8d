"""The PDF dossier: one document a planner attaches to a BAKTI request.

Bahasa Indonesia by default, English on request.  A cover (province summary, a map of the
selected areas, the method in brief), one section per selected area (locator map, key
figures with units, contribution chart, stability, uncovered MSMEs by sector, the BAKTI
checklist, proposed sites when given) and an annex (sources, licences, vintages, row
accounting, indicator definitions, the synthetic-data notice).  Every page footer says
"DEMO SINTETIS" when any layer is synthetic.

Fonts (DejaVu Sans, shipped with matplotlib) are embedded, so no system font is needed.
User text is never markup here (no ``write_html``, no ``markdown=True``); it passes
through :func:`infra_gap.outputs.dossier.charts.safe_text`, so a glyph the font lacks (emoji)
prints as U+FFFD, and the page-count alias is live only inside the footer, so a name
holding ``{nb}`` prints as typed.

The parts are in modules named by what they do: :mod:`.cover`, :mod:`.area_section`,
:mod:`.annex` and the letter (:mod:`.letter`); this module checks the request and puts them in
order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.config import LEVELS
from infra_gap.errors import DataError
from infra_gap.layers import Layers, Raster
from infra_gap.outputs.datadict import with_area_names
from infra_gap.outputs.dossier.annex import annex_pages
from infra_gap.outputs.dossier.area_section import AreaDoc, area_section
from infra_gap.outputs.dossier.charts import AreaLookup, MapLayers
from infra_gap.outputs.dossier.checklist import CHECKLIST_FIELDS
from infra_gap.outputs.dossier.cover import cover_page
from infra_gap.outputs.dossier.letter import count_sites, letter_pages
from infra_gap.outputs.dossier.page import DossierPdf
from infra_gap.outputs.dossier.text import DOSSIER_TEXT, tr
from infra_gap.outputs.export import ExportMeta
from infra_gap.outputs.views import join_names
from infra_gap.point_frames import point_xy
from infra_gap.provenance import source_fields

if TYPE_CHECKING:
    from infra_gap.analysis.pipeline import PointFacts  # the dossier only reads its arrays

__all__ = ["CHECKLIST_FIELDS", "DOSSIER_TEXT", "dossier_pdf"]


def _region_of(sel: pd.DataFrame, layers: Layers, level: str, lang: str) -> str:
    """The kabupaten of the selected areas (one to three, "A dan B"), or "" for more or none.

    For a cover and letter without a given region (own files): names come from the
    boundary files (:func:`infra_gap.outputs.datadict.with_area_names`), never guessed.
    """
    if level == "kabupaten":
        names = sel["nama"].astype("str")
    else:
        names = with_area_names(sel[["kode", "nama"]], layers, level)["nama_kab"].astype("str")
    unique = list(dict.fromkeys(n.strip() for n in names if n and n.strip() and n != "nan"))
    return join_names(unique, lang) if 1 <= len(unique) <= 3 else ""


def dossier_pdf(
    ranked: pd.DataFrame,
    layers: Layers,
    facts: PointFacts,
    *,
    codes: Sequence[str],
    meta: ExportMeta,
    lang: str = "id",
    checklist: Mapping[str, Mapping[str, str]] | None = None,
    sites: gpd.GeoDataFrame | None = None,
    region: str = "",
) -> bytes:
    """PDF bytes of the dossier for the areas ``codes``, in the order given.

    Parameters
    ----------
    ranked
        Ranked table at ``meta.level`` (all areas: the cover summarises them), with the
        stability columns when present.
    layers
        The layers behind it: geometry for the maps, sources for the annex.
    facts
        Placement and coverage of each MSME (:func:`infra_gap.analysis.pipeline.place_and_cover`).
    codes
        Area codes at ``meta.level``, one section each.
    meta
        Level, weights, thresholds, stability settings and date.
    lang
        ``"id"`` (default) or ``"en"``.
    checklist
        Area code -> the user's BAKTI entries, keys in :data:`CHECKLIST_FIELDS`; anything
        missing or blank prints as "belum diisi" / "not yet filled".
    sites
        Proposed sites (points, work CRS; a ``kode`` column ties them to areas, else their
        location does); a section per area when given.
    region
        Name printed on the cover, e.g. ``"Provinsi Sumatera Utara"``.

    Raises
    ------
    DataError
        For no codes, a code not in ``ranked``, or an unknown checklist field.
    """
    checklist = checklist or {}
    if not codes:
        msg = "`codes` is empty: choose at least one area for the dossier"
        raise DataError(msg)
    known = set(ranked["kode"]) & set(layers.areas[meta.level]["kode"])
    missing = [c for c in codes if c not in known]
    if missing:
        msg = f"area code(s) {missing[:5]} not in the {meta.level} ranking and areas"
        raise DataError(msg)
    bad = sorted({k for e in checklist.values() for k in e} - set(CHECKLIST_FIELDS))
    if bad:
        msg = f"unknown checklist field(s) {bad}; allowed: {list(CHECKLIST_FIELDS)}"
        raise DataError(msg)
    sel = ranked.set_index("kode").loc[list(codes)].reset_index()
    names = {
        str(k): str(v)
        for lvl in ("kabupaten", "kecamatan")
        if lvl in layers.areas
        for k, v in zip(layers.areas[lvl]["kode"], layers.areas[lvl]["nama"], strict=True)
    }
    msme = layers.msme
    look = AreaLookup(
        level=meta.level,
        areas=layers.areas[meta.level].set_index("kode"),
        desa=layers.areas[next(lv for lv in LEVELS if lv in layers.areas)],
        names=names,
        xy=np.column_stack(point_xy(msme)),
        area_index=facts.area_index,
        covered=facts.coverage.covered,
        sektor=msme["sektor"].to_numpy() if "sektor" in msme else None,
        sites=sites,
    )
    bb = layers.backbone
    maps = MapLayers(
        outline=layers.areas[next(lv for lv in LEVELS[::-1] if lv in layers.areas)].geometry,
        coverage=layers.coverage if isinstance(layers.coverage, Raster) else None,
        covered_min=meta.covered_min,
        towers=layers.towers.geometry if layers.towers is not None else None,
        backbone=bb.geometry if bb is not None else None,
    )
    syn = {s.layer: s.synthetic for s in layers.sources}
    src = {
        s.layer: ", ".join(source_fields(s, lang)[k] for k in ("source", "date"))
        for s in layers.sources
    }
    pdf = DossierPdf(
        lang=lang,
        synthetic=layers.synthetic,
        running=tr("running", lang).format(date=meta.date.isoformat()),
    )
    pdf.set_title(tr("title", lang))
    pdf.set_author("infra-gap")
    pdf.set_lang(lang)
    region = region or _region_of(sel, layers, meta.level, lang)
    cover_page(pdf, ranked, sel, layers, meta, region, maps)
    doc = AreaDoc(
        look=look, maps=maps, meta=meta, checklist=checklist, syn=syn, src=src, n_areas=len(ranked)
    )
    for i, (_, row) in enumerate(sel.iterrows(), start=1):
        area_section(pdf, i, row, doc)
    annex_pages(pdf, layers, facts, ranked, meta)
    desa_names = {}
    for code in sel["kode"].astype("str"):
        lo, hi = look.span(code) if not look.finest else (0, 0)
        desa_names[code] = [str(n) for n in look.desa["nama"].iloc[lo:hi]]
    letter_pages(
        pdf, sel, desa=desa_names, sites=count_sites(sites, list(sel["kode"])), region=region
    )
    return bytes(pdf.output())
