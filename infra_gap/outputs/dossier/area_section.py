"""One dossier section per selected area.

Locator map, key figures, contributions, stability, sectors, the BAKTI checklist with the
blank-spot evidence, and proposed sites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from infra_gap.outputs.dossier.charts import AreaLookup, MapLayers, bars_png, locator_map_png
from infra_gap.outputs.dossier.figures import fmt_figure, tier_label
from infra_gap.outputs.dossier.page import DossierPdf
from infra_gap.outputs.dossier.proposal import desa_section, readiness_section, sites_section
from infra_gap.outputs.dossier.text import DOSSIER_TEXT, tr
from infra_gap.outputs.export import ExportMeta, column_label
from infra_gap.ranking.uncertainty import need_class_label
from infra_gap.registry import INDICATORS
from infra_gap.text.numfmt import fmt_value

__all__ = ["AreaDoc", "area_section", "blank_spot_evidence", "sector_name"]


def blank_spot_evidence(
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
                unc=fmt_figure("msme_uncovered", row["msme_uncovered"], lang),
                tot=fmt_figure("msme_total", row["msme_total"], lang),
                share=fmt_figure("msme_uncovered_share", row["msme_uncovered_share"], lang),
                area=fmt_figure(
                    "area_uncovered_share", row.get("area_uncovered_share", np.nan), lang
                ),
            )
            + tag("coverage")
        )
    if "tower_count" in row:
        out.append(
            tr("ev_towers", lang).format(
                towers=fmt_figure("tower_count", row["tower_count"], lang),
                ops=fmt_figure("operator_count", row.get("operator_count", np.nan), lang),
                cls=tr(f"op_{row.get('operator_class', 'none')}", lang),
                km=fmt_figure("msme_tower_km", row.get("msme_tower_km", np.nan), lang),
            )
            + tag("towers")
        )
    if "speed_tests" in row:
        text = tr("ev_speed", lang).format(
            mbps=fmt_figure("speed_down_mbps", row.get("speed_down_mbps", np.nan), lang),
            tests=fmt_figure("speed_tests", row["speed_tests"], lang),
            slow=fmt_figure("msme_below_4g_speed", row.get("msme_below_4g_speed", np.nan), lang),
        )
        if bool(row.get("speed_low_evidence", False)):
            text += " " + tr("ev_weak", lang)
        out.append(text + tag("speed_tiles"))
    if bool(row.get("evidence_conflict", False)):
        out.append(tr("ev_conflict", lang))
    return out


@dataclass(frozen=True)
class AreaDoc:
    """What every area section needs besides its row."""

    look: AreaLookup
    maps: MapLayers
    meta: ExportMeta
    checklist: Mapping[str, Mapping[str, str]]
    syn: Mapping[str, bool]
    src: Mapping[str, str]
    n_areas: int


def area_section(pdf: DossierPdf, i: int, row: pd.Series, doc: AreaDoc) -> None:
    """Add the section of area ``row`` (number ``i`` in the dossier)."""
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
            tier=f" - {tier_label(row['tier'], lang)}" if has_tier else "",
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
    pairs = [
        (column_label(k, lang), fmt_figure(k, row[k], lang)) for k in INDICATORS if k in row.index
    ]
    half = (len(pairs) + 1) // 2
    rows = zip(pairs[:half], [*pairs[half:], ("", "")], strict=False)
    pdf.grid([(*a, *b) for a, b in rows], (58, 32, 58, 32), head=False, size=7.5)
    contrib = [
        (pdf.s(column_label(c, lang).split(": ", 1)[-1], 40), float(row[c]))
        for c in row.index
        if c.startswith("contrib_")
    ]
    sectors = [(pdf.s(sector_name(s, lang), 30), n, u) for s, n, u in look.sectors(mask, unc)]
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
                fmt_figure("msme_total", n, lang),
                fmt_figure("msme_total", u, lang),
                fmt_figure("msme_uncovered_share", u / n if n else np.nan, lang),
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
        blank_spot_evidence(row, doc.syn, doc.src, lang),
        basis=basis if isinstance(basis, str) else "",
    )


def sector_name(code: str, lang: str) -> str:
    """A sector code's name in ``lang`` (the code itself when it has none)."""
    key = f"sektor_{code}"
    return tr(key, lang) if key in DOSSIER_TEXT else code
