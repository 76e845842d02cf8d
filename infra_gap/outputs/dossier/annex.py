"""The dossier's annex: sources, licences, row accounting, indicator definitions, rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from infra_gap.layers import Layers
from infra_gap.outputs.dossier.figures import fmt_figure
from infra_gap.outputs.dossier.page import DossierPdf
from infra_gap.outputs.dossier.text import tr
from infra_gap.outputs.export import (
    ExportMeta,
    column_label,
    export_text,
    rejected_rows,
    row_accounts,
)
from infra_gap.provenance import evidence_lines
from infra_gap.ranking.uncertainty import factor_lines
from infra_gap.registry import INDICATORS

if TYPE_CHECKING:
    from infra_gap.analysis.pipeline import PointFacts  # the annex only reads its accounts

__all__ = ["annex_pages"]


def annex_pages(
    pdf: DossierPdf, layers: Layers, facts: PointFacts, ranked: pd.DataFrame, meta: ExportMeta
) -> None:
    """Add the annex: sources, row accounting, definitions, scoring rules, uncertainty."""
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
        (a.source, *(fmt_figure("msme_total", v, lang) for v in (a.read, a.used, a.rejected)))
        for a in accounts
    ]
    head = [tr("acc_src", lang), *export_text("acc_head", lang).split("|")]
    pdf.grid([head, *acc], (45, 45, 45, 45))
    n_rejected = len(rejected_rows(layers, facts.rejected))
    pdf.para(tr("rejected", lang).format(n=fmt_figure("msme_total", n_rejected, lang)))
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
