"""The dossier's cover: province summary, a map of the selected areas, the method in brief."""

from __future__ import annotations

import numpy as np
import pandas as pd

from infra_gap import __version__
from infra_gap.layers import Layers
from infra_gap.outputs.dossier.charts import MapLayers, overview_map_png
from infra_gap.outputs.dossier.figures import fmt_figure, tier_label
from infra_gap.outputs.dossier.page import FONT, DossierPdf
from infra_gap.outputs.dossier.text import tr
from infra_gap.outputs.export import ExportMeta, column_label
from infra_gap.ranking.uncertainty import factor_names
from infra_gap.text.numfmt import fmt_value

__all__ = ["cover_page"]


def cover_page(
    pdf: DossierPdf,
    ranked: pd.DataFrame,
    sel: pd.DataFrame,
    layers: Layers,
    meta: ExportMeta,
    region: str,
    maps: MapLayers,
) -> None:
    """Add the cover page: summary of ``ranked``, the map and list of ``sel``, the method."""
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
        (tr("s_areas", lang).format(level=meta.level), fmt_figure("msme_total", len(ranked), lang)),
        (tr("s_msme", lang), fmt_figure("msme_total", total, lang)),
        (
            tr("s_unc", lang),
            f"{fmt_figure('msme_total', unc, lang)} "
            f"({fmt_figure('msme_uncovered_share', unc / total if total else np.nan, lang)})",
        ),
    ]
    if "msme_coverage_unknown" in ranked:
        n_unknown = ranked["msme_coverage_unknown"].sum()
        rows.append((tr("s_unknown", lang), fmt_figure("msme_total", n_unknown, lang)))
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
            tier_label(r.get("tier"), lang),
            fmt_figure("msme_uncovered", r["msme_uncovered"], lang),
            fmt_figure("msme_uncovered_share", r["msme_uncovered_share"], lang),
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
                draws=fmt_figure("msme_total", st.get("draws", 0), lang),
                conc=f"{st.get('concentration', 0):g}",
                n=int(st.get("top_n", 10)),
                factors=factor_names(st, lang),
            )
        )
        if "tier" in ranked:
            pdf.para(tr("tiers", lang).format(n=int(st.get("top_n", 10))))
    pdf.para(tr("placement", lang) + " " + tr("ntia", lang) + " " + tr(meta.unknown_key, lang))
