"""The PDF dossier: one document a planner attaches to a BAKTI request.

Bahasa Indonesia by default, English on request.  A cover (province summary, a map of the
selected areas, the method in brief), one section per selected area (locator map, key
figures with units, contribution chart, stability, uncovered MSMEs by sector, the BAKTI
checklist, proposed sites when given) and an annex (sources, licences, vintages, row
accounting, indicator definitions, the synthetic-data notice).  Every page footer says
"DEMO SINTETIS" when any layer is synthetic.

Fonts (DejaVu Sans, shipped with matplotlib) are embedded, so no system font is needed.
User text is never markup here (no ``write_html``, no ``markdown=True``); it passes
through :func:`infra_gap.dossier_charts.safe_text`, so a glyph the font lacks (emoji)
prints as U+FFFD, and the page-count alias is live only inside the footer, so a name
holding ``{nb}`` prints as typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from fpdf import FPDF
from fpdf.fonts import TTFFont

from infra_gap import __version__
from infra_gap.dossier_charts import (
    AreaLookup,
    MapLayers,
    bars_png,
    locator_map_png,
    overview_map_png,
    safe_text,
)
from infra_gap.errors import DataError
from infra_gap.export import (
    ExportMeta,
    column_label,
    export_text,
    rejected_rows,
    row_accounts,
)
from infra_gap.i18n import fmt_int
from infra_gap.layers import Layers, Raster
from infra_gap.provenance import evidence_lines
from infra_gap.registry import INDICATORS
from infra_gap.views import fmt_indicator

if TYPE_CHECKING:
    from infra_gap.pipeline import PointFacts  # the dossier only reads its arrays

__all__ = ["CHECKLIST_FIELDS", "DOSSIER_TEXT", "dossier_pdf"]

#: Fields of the BAKTI checklist a user fills in, per area code (domain.md, "What they
#: submit"): 3T status, blank-spot report, 20 x 20 m land, caretaker.
CHECKLIST_FIELDS = ("status_3t", "blank_spot", "lahan", "penjaga")
_FONT = "dejavu"
_CELL = 300  # characters of user text per table cell; headings take 2,000
_LINES = 12  # lines per table cell

# fmt: off
#: Every text the dossier prints, (Indonesian, English).
DOSSIER_TEXT: Mapping[str, tuple[str, str]] = MappingProxyType({
    "title": ("Berkas usulan BTS 4G untuk BAKTI", "4G site request dossier for BAKTI"),
    "subtitle": ("{region} - tingkat {level} - dibuat {date} dengan infra-gap {version}",
                 "{region} - {level} level - made {date} with infra-gap {version}"),
    "running": ("infra-gap - Berkas usulan BTS 4G - {date}",
                "infra-gap - 4G request dossier - {date}"),
    "syn_box": ("DEMO SINTETIS. Angka UMKM, menara, cakupan 4G, tes kecepatan dan backbone di "
                "berkas ini berasal dari data sintetis; hanya batas wilayah dan statistik "
                "kabupaten yang nyata. Angka ini bukan fakta dan tidak boleh diajukan.",
                "SYNTHETIC DEMO. The MSME, tower, 4G coverage, speed-test and backbone figures "
                "in this dossier come from synthetic data; only the boundaries and kabupaten "
                "statistics are real. They are not facts and must not be submitted."),
    "footer_syn": ("DEMO SINTETIS - bukan fakta", "DEMO SINTETIS / SYNTHETIC DEMO - not facts"),
    "page": ("Halaman {p}", "Page {p}"),
    "summary": ("Ringkasan provinsi", "Province summary"),
    "s_areas": ("Wilayah ({level})", "Areas ({level})"),
    "s_msme": ("UMKM", "MSMEs"),
    "s_unc": ("UMKM tanpa sinyal 4G", "MSMEs without 4G"),
    "s_unknown": ("UMKM tanpa data cakupan", "MSMEs with no coverage data"),
    "s_tiers": ("Wilayah Prioritas 1 / 2 / 3", "Areas in Priority 1 / 2 / 3"),
    "s_selected": ("Wilayah dalam berkas ini", "Areas in this dossier"),
    "map_head": ("Peta wilayah terpilih", "Map of the selected areas"),
    "map_note": ("Kiri: provinsi (kotak biru = perbesaran); kanan: perbesaran, nomor = urutan "
                 "dalam berkas. Hijau muda: cakupan 4G. Isi: merah Prioritas 1, oranye 2, "
                 "abu-abu 3.",
                 "Left: the province (blue box = zoom); right: the zoom, numbers = order in this "
                 "dossier. Light green: 4G coverage. Fill: red Priority 1, orange 2, grey 3."),
    "list_head": ("Wilayah terpilih", "Selected areas"),
    "list_cols": ("No|Peringkat|Kode|Nama|Prioritas|UMKM tanpa 4G|Porsi|Skor",
                  "No|Rank|Code|Name|Priority|MSMEs without 4G|Share|Score"),
    "method_head": ("Metodologi singkat", "Method in brief"),
    "method": ("Skor tiap wilayah = jumlah bobot x nilai indikator ternormalisasi ({norm}). "
               "Bobot: {weights}. Piksel tercakup bila nilainya >= {cov}.",
               "Each area's score = sum of weight x normalised indicator ({norm}). "
               "Weights: {weights}. A pixel is covered when its value is >= {cov}."),
    "method_stab": ("Stabilitas: {draws} undian bobot Dirichlet di sekitar bobot terpilih "
                    "(konsentrasi {conc}); dilaporkan rentang peringkat persentil 5-95 dan porsi "
                    "undian di {n} besar.",
                    "Stability: {draws} Dirichlet weight draws around the chosen weights "
                    "(concentration {conc}); reported as the 5th-95th percentile rank range and "
                    "the share of draws in the top {n}."),
    "section": ("{i}. {nama}", "{i}. {nama}"),
    "section_line": ("Kode {kode}{parent} - peringkat {rank} dari {n} - skor {score}{tier}",
                     "Code {kode}{parent} - rank {rank} of {n} - score {score}{tier}"),
    "tier": ("Prioritas {t}", "Priority {t}"),
    "legend": ("Wilayah|UMKM tanpa 4G|Menara|Backbone / PoP|Cakupan 4G|Lokasi usulan",
               "Area|MSMEs without 4G|Tower|Backbone / PoP|4G coverage|Proposed site"),
    "figures": ("Angka kunci", "Key figures"),
    "charts": ("Kontribusi ke skor|UMKM per sektor|semua UMKM|tanpa 4G",
               "Contribution to score|MSMEs by sector|all MSMEs|without 4G"),
    "stab_head": ("Stabilitas peringkat", "Rank stability"),
    "stab": ("Peringkat {rank}; bila bobot diperdebatkan, peringkatnya {low}-{high} (persentil "
             "5-95) dan masuk {n} besar pada {share} undian.",
             "Rank {rank}; when the weights are argued over, it ranks {low}-{high} (5th-95th "
             "percentile) and is in the top {n} in {share} of draws."),
    "stab_none": ("Stabilitas belum dihitung untuk peringkat ini.",
                  "Stability was not computed for this ranking."),
    "sector_head": ("UMKM tanpa 4G per sektor", "MSMEs without 4G by sector"),
    "sector_cols": ("Sektor|UMKM|Tanpa 4G|Porsi tanpa 4G",
                    "Sector|MSMEs|Without 4G|Share without 4G"),
    "sector_none": ("Register UMKM tidak memuat kolom sektor.",
                    "The MSME register has no sector column."),
    "chk_head": ("Daftar periksa BAKTI", "BAKTI checklist"),
    "chk_cols": ("Syarat|Isian / bukti", "Requirement|Entry / evidence"),
    "chk_status_3t": ("1. Status 3T (Perpres 63/2020) atau lokasi prioritas",
                      "1. 3T status (Perpres 63/2020) or priority location"),
    "chk_blank_spot": ("2. Blank spot (bukti per sumber)", "2. Blank spot (evidence per source)"),
    "chk_lahan": ("3. Lahan 20 x 20 m (hibah / milik pemda)",
                  "3. 20 x 20 m land (grant / owned by local government)"),
    "chk_penjaga": ("4. Penjaga lokasi", "4. Site caretaker"),
    "missing": ("belum diisi", "not yet filled"),
    "ev_user": ("Laporan Diskominfo / survei: {v}", "Diskominfo report / survey: {v}"),
    "ev_cov": ("Raster cakupan: {unc} dari {tot} UMKM ({share}) tanpa 4G; {area} luas "
               "wilayah tanpa 4G.",
               "Coverage raster: {unc} of {tot} MSMEs ({share}) without 4G; {area} of the area "
               "without 4G."),
    "ev_towers": ("Menara: {towers} menara, {ops} operator ({cls}); median jarak UMKM ke "
                  "menara {km} km.",
                  "Towers: {towers} towers, {ops} operators ({cls}); median MSME distance to a "
                  "tower {km} km."),
    "ev_speed": ("Tes kecepatan: unduh rata-rata {mbps} Mbps dari {tests} tes; {slow} UMKM di "
                 "ubin < 5 Mbps.",
                 "Speed tests: mean download {mbps} Mbps from {tests} tests; {slow} MSMEs in "
                 "tiles < 5 Mbps."),
    "ev_weak": ("Bukti lemah (< 50 tes).", "Weak evidence (< 50 tests)."),
    "ev_conflict": ("Bukti bertentangan: peta menyebut tercakup, tetapi tes lambat atau tidak ada.",
                    "Conflicting evidence: coverage says covered, but tests are slow or absent."),
    "syn_tag": (" [demo sintetis]", " [synthetic demo]"),
    "op_none": ("tidak ada", "none"), "op_single": ("tunggal", "single"),
    "op_several": ("lebih dari satu", "several"),
    "sites_head": ("Lokasi usulan", "Proposed sites"),
    "sites_none": ("Belum ada lokasi usulan di wilayah ini.", "No proposed site in this area yet."),
    "sites_cols": ("Lokasi|Desa|Bujur, lintang|UMKM baru|Capex (Rp)|Backhaul|Opex/tahun (Rp)",
                   "Site|Desa|Lon, lat|New MSMEs|Capex (Rp)|Backhaul|Opex/year (Rp)"),
    "sites_total": ("Jumlah: {n} lokasi, {msme} UMKM baru terjangkau, capex Rp {capex}.",
                    "Total: {n} sites, {msme} MSMEs newly covered, capex Rp {capex}."),
    "annex": ("Lampiran: sumber data, lisensi dan catatan",
              "Annex: data sources, licences and notes"),
    "acc_head": ("Akuntansi baris", "Row accounting"),
    "acc_src": ("Sumber", "Source"),
    "rejected": ("Baris ditolak seluruhnya: {n} (rinciannya di XLSX, lembar Data ditolak).",
                 "Rows rejected in all: {n} (listed in the XLSX, sheet Data ditolak)."),
    "def_head": ("Definisi indikator", "Indicator definitions"),
    "def_cols": ("Indikator (satuan)|Definisi|Sumber", "Indicator (unit)|Definition|Source"),
    "rules_head": ("Aturan", "Rules"),
    "sektor_perdagangan": ("Perdagangan", "Trade"),
    "sektor_makanan_minuman": ("Makanan & minuman", "Food & drink"),
    "sektor_pertanian_perikanan": ("Pertanian & perikanan", "Farming & fishing"),
    "sektor_jasa": ("Jasa", "Services"),
    "sektor_fesyen_kerajinan": ("Fesyen & kerajinan", "Fashion & crafts"),
    "sektor_lainnya": ("Lainnya", "Other"),
})
# fmt: on


def tr(key: str, lang: str) -> str:
    """A dossier text in ``lang``; shared export notes come from :mod:`infra_gap.export`."""
    if key in DOSSIER_TEXT:
        return DOSSIER_TEXT[key][0 if lang == "id" else 1]
    return export_text(key, lang)


class _Pdf(FPDF):
    """A4 portrait with the running header, the synthetic footer and safe-text helpers."""

    def __init__(self, *, lang: str, synthetic: bool, running: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang, self.synthetic, self.running = lang, synthetic, running
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        self.add_font(_FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(_FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        font = self.fonts[_FONT]
        self.charset = frozenset(font.cmap if isinstance(font, TTFFont) else range(32, 127))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 14, 15)

    def s(self, text: object, limit: int | None = _CELL) -> str:
        return safe_text(text, self.charset, limit=limit)

    def header(self) -> None:
        # User text on this page is never a page-count alias (fpdf2 documents None).
        self.alias_nb_pages(None)  # type: ignore[arg-type]
        if self.page_no() > 1:
            self.set_font(_FONT, "", 7)
            self.set_text_color(120)
            self.cell(0, 4, self.running, new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-13)
        self.alias_nb_pages("{nb}")
        if self.synthetic:
            self.set_font(_FONT, "B", 8)
            self.set_text_color(192, 0, 0)
            self.cell(120, 5, tr("footer_syn", self.lang))
        self.set_font(_FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, tr("page", self.lang).format(p=self.page_no()) + "/{nb}", align="R")
        self.set_text_color(0)

    def heading(self, text: str, size: float = 11, *, keep: float = 30) -> None:
        if self.will_page_break(keep):  # keep a heading with what follows it
            self.add_page()
        self.set_font(_FONT, "B", size)
        self.multi_cell(0, size * 0.5, self.s(text, 2000), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, text: str, size: float = 8.5, *, bold: bool = False) -> None:
        self.set_font(_FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.s(text, None), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def grid(
        self,
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        head: bool = True,
        size: float = 8,
        limit: int = _CELL,
    ) -> None:
        """Draw a table whose cells keep ``limit`` characters and 12 lines each.

        So a row always fits on a page: fpdf2 refuses a taller one.
        """
        self.set_font(_FONT, "", size)
        with self.table(
            col_widths=tuple(widths),
            width=sum(widths),
            align="LEFT",
            text_align="LEFT",
            line_height=size * 0.48,
            first_row_as_headings=head,
        ) as table:
            for rec in rows:
                row = table.row()
                for v in rec:
                    row.cell(self._cell(v, limit))
        self.ln(2)

    def _cell(self, value: object, limit: int) -> str:
        lines = str(value).split("\n")
        if len(lines) > _LINES:
            lines = [*lines[: _LINES - 1], " ".join(lines[_LINES - 1 :])]
        out: list[str] = []
        for line in lines:
            budget = limit - sum(len(p) for p in out)
            if budget <= 0:
                break
            out.append(self.s(line, budget))
        return "\n".join(out)

    def png(self, data: bytes, height: float) -> None:
        if self.will_page_break(height):
            self.add_page()
        self.image(BytesIO(data), x=self.l_margin, w=self.epw, h=height)
        self.ln(1)


def _fmt(name: str, value: Any, lang: str) -> str:
    return fmt_indicator(name, float(value), lang)


def _tier(value: Any, lang: str) -> str:
    return "" if value is None or pd.isna(value) else tr("tier", lang).format(t=int(value))


def _filled(entry: Mapping[str, str], key: str, lang: str) -> str:
    value = entry.get(key)
    return str(value) if value is not None and str(value).strip() else tr("missing", lang)


def _cover(
    pdf: _Pdf,
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
    pdf.para(
        tr("subtitle", lang).format(
            region=region or "-", level=meta.level, date=meta.date.isoformat(), version=__version__
        )
    )
    if layers.synthetic:
        pdf.set_draw_color(192, 0, 0)
        pdf.set_text_color(192, 0, 0)
        pdf.set_font(_FONT, "B", 9)
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
            f"{r['score']:.3f}",
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
            )
        )
        if "tier" in ranked:
            pdf.para(tr("tiers", lang).format(n=int(st.get("top_n", 10))))
    pdf.para(tr("placement", lang) + " " + tr("ntia", lang))


def _evidence(
    row: pd.Series, entry: Mapping[str, str], syn: Mapping[str, bool], lang: str
) -> list[str]:
    """Blank-spot evidence, one line per source, each marked when the source is synthetic."""
    tag = tr("syn_tag", lang)
    out = [tr("ev_user", lang).format(v=_filled(entry, "blank_spot", lang))]
    if "msme_uncovered" in row:
        out.append(
            tr("ev_cov", lang).format(
                unc=_fmt("msme_uncovered", row["msme_uncovered"], lang),
                tot=_fmt("msme_total", row["msme_total"], lang),
                share=_fmt("msme_uncovered_share", row["msme_uncovered_share"], lang),
                area=_fmt("area_uncovered_share", row.get("area_uncovered_share", np.nan), lang),
            )
            + (tag if syn.get("coverage") else "")
        )
    if "tower_count" in row:
        out.append(
            tr("ev_towers", lang).format(
                towers=_fmt("tower_count", row["tower_count"], lang),
                ops=_fmt("operator_count", row.get("operator_count", np.nan), lang),
                cls=tr(f"op_{row.get('operator_class', 'none')}", lang),
                km=_fmt("msme_tower_km", row.get("msme_tower_km", np.nan), lang),
            )
            + (tag if syn.get("towers") else "")
        )
    if "speed_tests" in row:
        text = tr("ev_speed", lang).format(
            mbps=_fmt("speed_down_mbps", row.get("speed_down_mbps", np.nan), lang),
            tests=_fmt("speed_tests", row["speed_tests"], lang),
            slow=_fmt("msme_below_4g_speed", row.get("msme_below_4g_speed", np.nan), lang),
        )
        if bool(row.get("speed_low_evidence", False)):
            text += " " + tr("ev_weak", lang)
        out.append(text + (tag if syn.get("speed_tiles") else ""))
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
    n_areas: int


def _area(pdf: _Pdf, i: int, row: pd.Series, doc: _Doc) -> None:
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
            score=f"{row['score']:.3f}",
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
                share=_fmt("msme_uncovered_share", row["top_n_share"], lang),
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
    pdf.heading(tr("chk_head", lang))
    entry = doc.checklist.get(code, {})
    evidence = "\n".join(f"- {e}" for e in _evidence(row, entry, doc.syn, lang))
    rows_chk = [
        (tr("chk_status_3t", lang), _filled(entry, "status_3t", lang)),
        (tr("chk_blank_spot", lang), evidence),
        (tr("chk_lahan", lang), _filled(entry, "lahan", lang)),
        (tr("chk_penjaga", lang), _filled(entry, "penjaga", lang)),
    ]
    pdf.grid([tr("chk_cols", lang).split("|"), *rows_chk], (55, 125), limit=1500)
    if sites is not None:
        _sites_section(pdf, sites, lang)


def _sites_section(pdf: _Pdf, sites: gpd.GeoDataFrame, lang: str) -> None:
    """The area's proposed sites: a site plan's columns when present, else the first six."""
    pdf.heading(tr("sites_head", lang))
    if not len(sites):
        pdf.para(tr("sites_none", lang))
        return
    if {"lon", "lat", *_PLAN_COLUMNS} - {"lonlat"} <= set(sites.columns):
        frame = sites.assign(
            lonlat=[f"{x:.5f}, {y:.5f}" for x, y in zip(sites["lon"], sites["lat"], strict=True)]
        )
        cells = [
            [_cell(v, lang) for v in rec]
            for rec in frame[list(_PLAN_COLUMNS)].itertuples(index=False)
        ]
        widths = (18, 30, 34, 20, 28, 20, 30)
        pdf.grid([tr("sites_cols", lang).split("|"), *cells], widths)
        total = tr("sites_total", lang).format(
            n=fmt_int(len(sites), lang),
            msme=fmt_int(float(sites["msme_new"].sum()), lang),
            capex=fmt_int(float(sites["capex_idr"].sum()), lang),
        )
        pdf.para(total)
        return
    cols = [c for c in sites.columns if c != sites.geometry.name][:6]
    cells = [[_cell(v, lang) for v in rec] for rec in sites[cols].itertuples(index=False)]
    pdf.grid([cols, *cells], [180 / len(cols)] * len(cols))


#: Columns of a site plan (:data:`infra_gap.siteplan.SITE_COLUMNS`) shown per site.
_PLAN_COLUMNS = (
    "site_id",
    "kode_desa",
    "lonlat",
    "msme_new",
    "capex_idr",
    "backhaul",
    "opex_idr_per_year",
)


def _sector(code: str, lang: str) -> str:
    key = f"sektor_{code}"
    return tr(key, lang) if key in DOSSIER_TEXT else code


def _cell(value: Any, lang: str) -> str:
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        return str(value)
    return fmt_indicator("msme_tower_km", float(value), lang)


def _annex(pdf: _Pdf, layers: Layers, facts: PointFacts, ranked: pd.DataFrame) -> None:
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
    pdf.para(tr("placement", lang) + " " + tr("ntia", lang))


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
        Placement and coverage of each MSME (:func:`infra_gap.pipeline.place_and_cover`).
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
        desa=layers.areas["desa"],
        names=names,
        xy=np.column_stack([msme.geometry.x.to_numpy(), msme.geometry.y.to_numpy()]),
        area_index=facts.area_index,
        covered=facts.coverage.covered,
        sektor=msme["sektor"].to_numpy() if "sektor" in msme else None,
        sites=sites,
    )
    bb = layers.backbone
    maps = MapLayers(
        outline=layers.areas["kabupaten"].geometry,
        coverage=layers.coverage if isinstance(layers.coverage, Raster) else None,
        covered_min=meta.covered_min,
        towers=layers.towers.geometry if layers.towers is not None else None,
        backbone=bb.geometry if bb is not None else None,
    )
    syn = {s.layer: s.synthetic for s in layers.sources}
    pdf = _Pdf(
        lang=lang,
        synthetic=layers.synthetic,
        running=tr("running", lang).format(date=meta.date.isoformat()),
    )
    pdf.set_title(tr("title", lang))
    pdf.set_author("infra-gap")
    pdf.set_lang(lang)
    _cover(pdf, ranked, sel, layers, meta, region, maps)
    doc = _Doc(look=look, maps=maps, meta=meta, checklist=checklist, syn=syn, n_areas=len(ranked))
    for i, (_, row) in enumerate(sel.iterrows(), start=1):
        _area(pdf, i, row, doc)
    _annex(pdf, layers, facts, ranked)
    return bytes(pdf.output())
