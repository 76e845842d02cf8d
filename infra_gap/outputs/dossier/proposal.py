"""The proposal parts of an area's dossier section: its desa, its sites and its readiness.

:func:`proposal_sites` proposes sites for each chosen area (the cheapest sites that reach
80% of the area's uncovered MSMEs, at most :data:`MAX_SITES_PER_AREA`, chosen by
:func:`infra_gap.siting.plan.suggest_sites` among candidates inside the area);
:func:`desa_section`, :func:`sites_section` and :func:`readiness_section` print them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from infra_gap.outputs.dossier.checklist import CHECKLIST_TEXT, status_3t
from infra_gap.outputs.dossier.page import DossierPdf
from infra_gap.outputs.dossier.text import tr
from infra_gap.outputs.views import fmt_indicator
from infra_gap.ranking.uncertainty import need_class_label, need_classes
from infra_gap.text.i18n import fmt_int, t

if TYPE_CHECKING:
    from infra_gap.analysis.pipeline import PointFacts
    from infra_gap.layers import Layers
    from infra_gap.outputs.dossier.charts import AreaLookup

__all__ = [
    "MAX_SITES_PER_AREA",
    "POPULATION_COLUMNS",
    "desa_section",
    "proposal_sites",
    "readiness_section",
    "sites_section",
]

#: Sites proposed per area at most (a dossier proposes, a full plan is ``infra-gap sites``).
MAX_SITES_PER_AREA = 5
#: Desa population columns looked for in the boundary file (none on the demo).
POPULATION_COLUMNS = ("penduduk", "penduduk_total", "jumlah_penduduk", "population", "JML_PDDK")
_SHARE = 0.8  # share of an area's uncovered MSMEs the proposed sites aim to reach


def proposal_sites(layers: Layers, facts: PointFacts, codes: Sequence[str]) -> gpd.GeoDataFrame:
    """Proposed sites of each area in ``codes``, with a ``kode`` column naming the area.

    Site ids read ``<area code>/S<n>``.  Costs, backhaul and the MSMEs newly covered are
    the site plan's (:data:`infra_gap.siting.plan.SITE_COLUMNS`).
    """
    from infra_gap.siting.plan import area_site_needs, suggest_sites  # siting is heavy
    from infra_gap.siting.problem import NoCandidatesError, siting_problem

    frames = []
    for code in codes:
        try:
            problem = siting_problem(layers, facts, area=code)
        except NoCandidatesError:  # every MSME of the area has coverage: no site proposed
            continue
        if not len(problem.candidates):
            continue
        needed = int(area_site_needs(problem, [code], share=_SHARE)["sites_needed"].iloc[0])
        if needed == 0:
            continue
        plan = suggest_sites(problem, count=min(needed, MAX_SITES_PER_AREA), method="greedy")
        sites = plan.sites.copy()
        sites["site_id"] = [f"{code}/S{i}" for i in range(1, len(sites) + 1)]
        sites.insert(0, "kode", code)
        frames.append(sites)
    if not frames:
        crs = next(iter(layers.areas.values())).crs
        return gpd.GeoDataFrame({"kode": []}, geometry=[], crs=crs)
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)


def _count(value: float, lang: str) -> str:
    return fmt_int(value, lang) if np.isfinite(value) else tr("unknown", lang)


def desa_section(pdf: DossierPdf, code: str, look: AreaLookup) -> None:
    """The desa inside the area: population, MSMEs, MSMEs without 4G and the need class."""
    lang = pdf.lang
    lo, hi = look.span(code)
    if hi <= lo or look.finest:
        return
    desa = look.desa.iloc[lo:hi]
    placed = look.area_index[(look.area_index >= lo) & (look.area_index < hi)] - lo
    total = np.bincount(placed, minlength=hi - lo).astype("float64")
    unc_idx = look.area_index[(look.area_index >= lo) & (look.area_index < hi) & ~look.covered] - lo
    unc = np.bincount(unc_idx, minlength=hi - lo).astype("float64")
    pop_col = next((c for c in POPULATION_COLUMNS if c in desa.columns), None)
    pop = (
        pd.to_numeric(desa[pop_col], errors="coerce").to_numpy(dtype="float64")
        if pop_col
        else np.full(hi - lo, np.nan)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        share = pd.Series(np.where(total > 0, unc / total, np.nan))
    classes = need_classes(share)
    pdf.heading(tr("desa_head", lang).format(n=hi - lo))
    rows = [
        (
            str(k),
            str(n),
            _count(p, lang),
            _count(t, lang),
            _count(u, lang),
            need_class_label(c, lang),
        )
        for k, n, p, t, u, c in zip(
            desa["kode"], desa["nama"], pop, total, unc, classes, strict=True
        )
    ]
    pdf.grid([tr("desa_cols", lang).split("|"), *rows], (30, 44, 24, 22, 24, 36), size=7)
    if pop_col is None:
        pdf.para(tr("desa_pop_unknown", lang), 7.5)


def _cell(value: Any, lang: str) -> str:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return str(value)
    return fmt_indicator("msme_tower_km", float(value), lang)


def _million(value: Any, lang: str) -> str:
    v = float(value)
    return fmt_int(v / 1e6, lang) if np.isfinite(v) else tr("unknown", lang)


def sites_section(pdf: DossierPdf, sites: gpd.GeoDataFrame | None, lang: str) -> None:
    """The area's proposed sites: coordinates, backhaul, MSMEs newly covered and costs."""
    pdf.heading(tr("sites_head", lang))
    if sites is None or not len(sites):
        pdf.para(tr("sites_none", lang))
        return
    needed = {"site_id", "lon", "lat", "msme_new", "capex_idr"}
    if not needed <= set(sites.columns):  # a user's own points: their first six columns
        cols = [c for c in sites.columns if c != sites.geometry.name][:6]
        cells = [[_cell(v, lang) for v in rec] for rec in sites[cols].itertuples(index=False)]
        pdf.grid([cols, *cells], [180 / len(cols)] * len(cols))
        return
    total_col = "cost_total_idr" if "cost_total_idr" in sites else "cost_idr"
    rows = []
    for _, s in sites.iterrows():
        backhaul = str(s.get("backhaul", "-"))
        if "backhaul_idr" in s and float(s["backhaul_idr"] or 0) > 0:
            backhaul += f" (Rp {fmt_int(float(s['backhaul_idr']), lang)})"
        rows.append(
            (
                str(s["site_id"]),
                str(s.get("kode_desa", "")),
                f"{float(s['lon']):.5f}, {float(s['lat']):.5f}",
                backhaul,
                fmt_int(float(s["msme_new"]), lang),
                _million(s["capex_idr"], lang),
                _million(s.get("opex_idr_per_year", np.nan), lang),
                _million(s.get(total_col, np.nan), lang),
            )
        )
    widths = (24, 27, 31, 24, 15, 20, 19, 20)
    pdf.grid([tr("sites_cols", lang).split("|"), *rows], widths, size=7)
    pdf.para(
        tr("sites_total", lang).format(
            n=fmt_int(len(sites), lang),
            msme=fmt_int(float(sites["msme_new"].sum()), lang),
            capex=fmt_int(float(sites["capex_idr"].sum()), lang),
            total=fmt_int(float(sites[total_col].sum()), lang)
            if total_col in sites
            else tr("unknown", lang),
        )
    )
    pdf.para(tr("sites_note", lang), 7.5)


def readiness_section(
    pdf: DossierPdf,
    code: str,
    entry: Mapping[str, str],
    evidence: Sequence[str],
    *,
    basis: str = "",
) -> None:
    """The readiness checklist: 3T status pre-filled, evidence, and what the planner fills."""
    lang = pdf.lang
    pdf.heading(tr("chk_head", lang))
    missing = tr("missing", lang)
    rows: list[tuple[str, str, str]] = []
    for field in CHECKLIST_TEXT:
        given = (entry.get(field) or "").strip()
        if field == "status_3t":
            value = status_3t(code, lang, basis=basis) + (f"\n{given}" if given else "")
            state = tr("chk_auto", lang)
        elif field == "blank_spot":
            value = "\n".join([f"- {given or missing}", *(f"- {e}" for e in evidence)])
            state = tr("chk_done", lang) if given else tr("chk_partial", lang)
        else:
            value = given or missing
            state = tr("chk_done", lang) if given else tr("chk_todo", lang)
        rows.append((t(field, lang, sections=("checklist",)), value, state))
    pdf.grid([tr("chk_cols", lang).split("|"), *rows], (55, 100, 25), limit=1500)
