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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from infra_gap import __version__
from infra_gap.config import LEVELS
from infra_gap.errors import DataError
from infra_gap.layers import Layers, Raster
from infra_gap.outputs.datadict import with_area_names
from infra_gap.outputs.dossier.charts import (
    AreaLookup,
    MapLayers,
    bars_png,
    locator_map_png,
    overview_map_png,
)
from infra_gap.outputs.dossier.checklist import CHECKLIST_FIELDS
from infra_gap.outputs.dossier.letter import count_sites, letter_pages
from infra_gap.outputs.dossier.page import FONT, DossierPdf
from infra_gap.outputs.dossier.proposal import desa_section, readiness_section, sites_section
from infra_gap.outputs.dossier.text import DOSSIER_TEXT, tr
from infra_gap.outputs.export import (
    ExportMeta,
    column_label,
    export_text,
    rejected_rows,
    row_accounts,
)
from infra_gap.outputs.views import fmt_indicator, join_names
from infra_gap.point_frames import point_xy
from infra_gap.provenance import evidence_lines, source_fields
from infra_gap.ranking.uncertainty import factor_lines, factor_names, need_class_label
from infra_gap.registry import INDICATORS
from infra_gap.text.numfmt import fmt_value

if TYPE_CHECKING:
    from infra_gap.analysis.pipeline import PointFacts  # the dossier only reads its arrays

__all__ = ["CHECKLIST_FIELDS", "DOSSIER_TEXT", "dossier_pdf"]


def _fmt(name: str, value: Any, lang: str) -> str:
    return fmt_indicator(name, float(value), lang)


def _tier(value: Any, lang: str) -> str:
    return "" if value is None or pd.isna(value) else tr("tier", lang).format(t=int(value))


def _cover(
    pdf: DossierPdf,
    ranked: pd.DataFrame,
    sel: pd.DataFrame,
    layers: Layers,
    meta: ExportMeta,
    region: str,
    maps: MapLayers,
) -> None:
    lang = pdf.lang
    pdf.add_page()
    pdf.heading(tr("title", lang), 18)
    subtitle = tr("subtitle", lang).format(
        region=region, level=meta.level, date=meta.date.isoformat(), version=__version__
    )
    pdf.para(subtitle if region else subtitle.removeprefix(" - "))
    if layers.synthetic:
        pdf.set_draw_color(192, 0, 0)
        pdf.set_text_color(192, 0, 0)
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(
            0, 4.5, tr("syn_box", lang), border=1, padding=2, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(0)
        pdf.set_draw_color(0)
        pdf.ln(2)
    pdf.heading(tr("summary", lang))
    total, unc = float(ranked["msme_total"].sum()), float(ranked["msme_uncovered"].sum())
    rows = [
        (tr("s_areas", lang).format(level=meta.level), _fmt("msme_total", len(ranked), lang)),
        (tr("s_msme", lang), _fmt("msme_total", total, lang)),
        (
            tr("s_unc", lang),
            f"{_fmt('msme_total', unc, lang)} "
            f"({_fmt('msme_uncovered_share', unc / total if total else np.nan, lang)})",
        ),
    ]
    if "msme_coverage_unknown" in ranked:
        n_unknown = ranked["msme_coverage_unknown"].sum()
        rows.append((tr("s_unknown", lang), _fmt("msme_total", n_unknown, lang)))
    if "tier" in ranked:
        counts = ranked["tier"].value_counts()
        rows.append(
            (tr("s_tiers", lang), " / ".join(str(int(counts.get(t, 0))) for t in (1, 2, 3)))
        )
    rows.append((tr("s_selected", lang), str(len(sel))))
    pdf.grid(rows, (70, 110), head=False)
    pdf.heading(tr("map_head", lang))
    geoms = layers.areas[meta.level].set_index("kode").geometry.reindex(sel["kode"])
    tiers = [0 if pd.isna(v) else int(v) for v in sel["tier"]] if "tier" in sel else [0] * len(sel)
    pdf.png(overview_map_png(geoms, [str(i + 1) for i in range(len(sel))], tiers, maps), 97)
    pdf.para(tr("map_note", lang), 7.5)
    pdf.heading(tr("list_head", lang))
    body = [
        (
            i + 1,
            int(r["rank"]),
            r["kode"],
            r["nama"],
            _tier(r.get("tier"), lang),
            _fmt("msme_uncovered", r["msme_uncovered"], lang),
            _fmt("msme_uncovered_share", r["msme_uncovered_share"], lang),
            fmt_value("score", r["score"], lang),
        )
        for i, (_, r) in enumerate(sel.iterrows())
    ]
    pdf.grid([tr("list_cols", lang).split("|"), *body], (9, 20, 23, 50, 22, 22, 17, 17))
    pdf.heading(tr("method_head", lang))
    weights = "; ".join(f"{column_label(k, lang)} {v:.2f}" for k, v in meta.weights.items())
    pdf.para(
        tr("method", lang).format(
            weights=weights or "-", norm=meta.normalisation, cov=f"{meta.covered_min:g}"
        )
    )
    if meta.stability:
        st = meta.stability
        pdf.para(
            tr("method_stab", lang).format(
                draws=_fmt("msme_total", st.get("draws", 0), lang),
                conc=f"{st.get('concentration', 0):g}",
                n=int(st.get("top_n", 10)),
                factors=factor_names(st, lang),
            )
        )
        if "tier" in ranked:
            pdf.para(tr("tiers", lang).format(n=int(st.get("top_n", 10))))
    pdf.para(tr("placement", lang) + " " + tr("ntia", lang) + " " + tr(meta.unknown_key, lang))


def _evidence(
    row: pd.Series, syn: Mapping[str, bool], src: Mapping[str, str], lang: str
) -> list[str]:
    """Blank-spot evidence, one line per layer, with its source and date.

    An unknown source or date reads "tidak diketahui"; a synthetic layer is marked.
    """
    out: list[str] = []
    unknown = tr("unknown", lang)

    def tag(layer: str) -> str:
        dated = f" ({src.get(layer, unknown)})"
        return dated + (tr("syn_tag", lang) if syn.get(layer) else "")

    if "msme_uncovered" in row:
        out.append(
            tr("ev_cov", lang).format(
                unc=_fmt("msme_uncovered", row["msme_uncovered"], lang),
                tot=_fmt("msme_total", row["msme_total"], lang),
                share=_fmt("msme_uncovered_share", row["msme_uncovered_share"], lang),
                area=_fmt("area_uncovered_share", row.get("area_uncovered_share", np.nan), lang),
            )
            + tag("coverage")
        )
    if "tower_count" in row:
        out.append(
            tr("ev_towers", lang).format(
                towers=_fmt("tower_count", row["tower_count"], lang),
                ops=_fmt("operator_count", row.get("operator_count", np.nan), lang),
                cls=tr(f"op_{row.get('operator_class', 'none')}", lang),
                km=_fmt("msme_tower_km", row.get("msme_tower_km", np.nan), lang),
            )
            + tag("towers")
        )
    if "speed_tests" in row:
        text = tr("ev_speed", lang).format(
            mbps=_fmt("speed_down_mbps", row.get("speed_down_mbps", np.nan), lang),
            tests=_fmt("speed_tests", row["speed_tests"], lang),
            slow=_fmt("msme_below_4g_speed", row.get("msme_below_4g_speed", np.nan), lang),
        )
        if bool(row.get("speed_low_evidence", False)):
            text += " " + tr("ev_weak", lang)
        out.append(text + tag("speed_tiles"))
    if bool(row.get("evidence_conflict", False)):
        out.append(tr("ev_conflict", lang))
    return out


@dataclass(frozen=True)
class _Doc:
    """What every area section needs besides its row."""

    look: AreaLookup
    maps: MapLayers
    meta: ExportMeta
    checklist: Mapping[str, Mapping[str, str]]
    syn: Mapping[str, bool]
    src: Mapping[str, str]
    n_areas: int


def _area(pdf: DossierPdf, i: int, row: pd.Series, doc: _Doc) -> None:
    lang, code, look = pdf.lang, str(row["kode"]), doc.look
    pdf.add_page()
    pdf.heading(tr("section", lang).format(i=i, nama=row["nama"]), 15)
    parent = look.parent(code)
    has_tier = "tier" in row and not pd.isna(row["tier"])
    pdf.para(
        tr("section_line", lang).format(
            kode=code,
            parent=f" - {parent}" if parent else "",
            rank=int(row["rank"]),
            n=doc.n_areas,
            score=fmt_value("score", row["score"], lang),
            tier=f" - {_tier(row['tier'], lang)}" if has_tier else "",
        ),
        9,
    )
    mask = look.msme_mask(code)
    unc = mask & ~look.covered
    sites = look.sites_in(code)
    site_xy = shapely.get_coordinates(sites.geometry.to_numpy()) if sites is not None else None
    legend = [pdf.s(t) for t in tr("legend", lang).split("|")]
    png = locator_map_png(
        look.geometry(code),
        doc.maps,
        inner=look.inner(code),
        uncovered_xy=look.xy[unc],
        sites_xy=site_xy,
        legend=legend,
    )
    pdf.png(png, 114)
    pdf.heading(tr("figures", lang))
    pairs = [(column_label(k, lang), _fmt(k, row[k], lang)) for k in INDICATORS if k in row.index]
    half = (len(pairs) + 1) // 2
    rows = zip(pairs[:half], [*pairs[half:], ("", "")], strict=False)
    pdf.grid([(*a, *b) for a, b in rows], (58, 32, 58, 32), head=False, size=7.5)
    contrib = [
        (pdf.s(column_label(c, lang).split(": ", 1)[-1], 40), float(row[c]))
        for c in row.index
        if c.startswith("contrib_")
    ]
    sectors = [(pdf.s(_sector(s, lang), 30), n, u) for s, n, u in look.sectors(mask, unc)]
    t = [pdf.s(x) for x in tr("charts", lang).split("|")]
    pdf.png(bars_png(contrib, sectors, titles=t), 58)
    pdf.heading(tr("stab_head", lang))
    if {"rank_low", "rank_high", "top_n_share"} <= set(row.index):
        pdf.para(
            tr("stab", lang).format(
                rank=int(row["rank"]),
                low=int(row["rank_low"]),
                high=int(row["rank_high"]),
                n=int(doc.meta.stability.get("top_n", 10)),
                share=fmt_value("top_n_share", row["top_n_share"], lang),
            )
        )
    else:
        pdf.para(tr("stab_none", lang))
    pdf.heading(tr("sector_head", lang))
    if sectors:
        body = [
            (
                s,
                _fmt("msme_total", n, lang),
                _fmt("msme_total", u, lang),
                _fmt("msme_uncovered_share", u / n if n else np.nan, lang),
            )
            for s, n, u in sectors
        ]
        pdf.grid([tr("sector_cols", lang).split("|"), *body], (70, 35, 35, 40))
    else:
        pdf.para(tr("sector_none", lang))
    if "need_class" in row.index:
        pdf.para(
            tr("need_line", lang).format(
                cls=need_class_label(row["need_class"], lang),
                n=int(doc.meta.stability.get("top_n", 10)),
            )
        )
    desa_section(pdf, code, look)
    sites_section(pdf, sites, lang)
    basis = row.get("eligible_basis", "")
    readiness_section(
        pdf,
        code,
        doc.checklist.get(code, {}),
        _evidence(row, doc.syn, doc.src, lang),
        basis=basis if isinstance(basis, str) else "",
    )


def _sector(code: str, lang: str) -> str:
    key = f"sektor_{code}"
    return tr(key, lang) if key in DOSSIER_TEXT else code


def _annex(
    pdf: DossierPdf, layers: Layers, facts: PointFacts, ranked: pd.DataFrame, meta: ExportMeta
) -> None:
    lang = pdf.lang
    pdf.add_page()
    pdf.heading(tr("annex", lang), 14)
    if layers.synthetic:
        pdf.para(tr("syn_box", lang), bold=True)
    for line in evidence_lines(layers.sources, lang):  # source, date, licence of each layer
        pdf.para(line)
    pdf.heading(tr("acc_head", lang))
    accounts = row_accounts(layers, facts.accounts)
    acc = [
        (a.source, *(_fmt("msme_total", v, lang) for v in (a.read, a.used, a.rejected)))
        for a in accounts
    ]
    head = [tr("acc_src", lang), *export_text("acc_head", lang).split("|")]
    pdf.grid([head, *acc], (45, 45, 45, 45))
    n_rejected = len(rejected_rows(layers, facts.rejected))
    pdf.para(tr("rejected", lang).format(n=_fmt("msme_total", n_rejected, lang)))
    pdf.heading(tr("def_head", lang))
    defs = [
        (
            column_label(k, lang),
            ind.definition_id if lang == "id" else ind.definition_en,
            ind.source,
        )
        for k, ind in INDICATORS.items()
        if k in ranked.columns
    ]
    pdf.grid([tr("def_cols", lang).split("|"), *defs], (50, 90, 40), size=7)
    pdf.heading(tr("rules_head", lang))
    pdf.para(export_text("score", lang))
    if meta.stability:
        pdf.heading(tr("uncert_head", lang))
        for line in factor_lines(meta.stability, lang, indicators=len(meta.weights)):
            pdf.para(line)
    pdf.para(tr("placement", lang) + " " + tr("ntia", lang) + " " + tr(meta.unknown_key, lang))


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
    _cover(pdf, ranked, sel, layers, meta, region, maps)
    doc = _Doc(
        look=look, maps=maps, meta=meta, checklist=checklist, syn=syn, src=src, n_areas=len(ranked)
    )
    for i, (_, row) in enumerate(sel.iterrows(), start=1):
        _area(pdf, i, row, doc)
    _annex(pdf, layers, facts, ranked, meta)
    desa_names = {}
    for code in sel["kode"].astype("str"):
        lo, hi = look.span(code) if not look.finest else (0, 0)
        desa_names[code] = [str(n) for n in look.desa["nama"].iloc[lo:hi]]
    letter_pages(
        pdf, sel, desa=desa_names, sites=count_sites(sites, list(sel["kode"])), region=region
    )
    return bytes(pdf.output())
