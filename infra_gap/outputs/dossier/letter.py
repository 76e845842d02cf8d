"""The cover letter template (surat usulan) addressed to BAKTI, the dossier's last pages.

A template: the signatory, the letter number and the date are left as blanks for the
Bupati/Wali Kota's office to fill; the areas, their desa and proposed sites are filled in
from the dossier.  BAKTI (Badan Aksesibilitas Telekomunikasi dan Informasi) is the agency of
the Ministry of Communication and Digital Affairs (Komdigi) that builds 4G sites in 3T
areas; requests are tracked on the PASTI BAKTI portal.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from infra_gap.outputs.dossier.page import FONT, DossierPdf
from infra_gap.outputs.dossier.text import tr
from infra_gap.text.i18n import fmt_int

__all__ = ["letter_pages"]


def letter_pages(
    pdf: DossierPdf,
    sel: pd.DataFrame,
    *,
    desa: dict[str, list[str]],
    sites: dict[str, int],
    region: str,
) -> None:
    """Write the letter: addressee, subject, the area list, the enclosures, the signature.

    Parameters
    ----------
    sel
        The dossier's areas in order (``kode``, ``nama``, ``msme_uncovered``).
    desa
        Area code -> names of its desa.
    sites
        Area code -> number of proposed sites.
    region
        The proposing region, e.g. ``"Provinsi Sumatera Utara"``.
    """
    lang = pdf.lang
    pdf.add_page()
    pdf.heading(tr("letter_title", lang), 13)
    pdf.para(tr("letter_note", lang), 7.5)
    _lines(pdf, tr("letter_head", lang).format(region=region or "..."))
    _lines(pdf, tr("letter_to", lang))
    pdf.para(tr("letter_subject", lang).format(n=len(sel)), bold=True)
    pdf.para(tr("letter_open", lang).format(region=region or "..."))
    rows = []
    for i, (_, r) in enumerate(sel.iterrows(), start=1):
        code = str(r["kode"])
        names = desa.get(code, [])
        shown = ", ".join(names[:12]) + (f" (+{len(names) - 12})" if len(names) > 12 else "")
        rows.append(
            (
                str(i),
                f"{r['nama']} ({code})",
                shown or "-",
                fmt_int(float(r.get("msme_uncovered", 0)), lang),
                fmt_int(sites.get(code, 0), lang),
            )
        )
    pdf.grid([tr("letter_cols", lang).split("|"), *rows], (8, 42, 90, 20, 20), size=7.5)
    pdf.para(tr("letter_body", lang))
    pdf.para(tr("letter_enclosures", lang))
    pdf.ln(4)
    pdf.set_font(FONT, "", 9)
    for line in tr("letter_sign", lang).split("|"):
        pdf.cell(0, 5, pdf.s(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.para(tr("letter_cc", lang), 8)


def _lines(pdf: DossierPdf, text: str) -> None:
    """One line per line of ``text`` (a paragraph would join them)."""
    pdf.set_font(FONT, "", 8.5)
    for line in text.split("\n"):
        pdf.cell(0, 4.3, pdf.s(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def count_sites(sites: pd.DataFrame | None, codes: Sequence[str]) -> dict[str, int]:
    """Proposed sites per area code (0 when none)."""
    if sites is None or "kode" not in sites:
        return dict.fromkeys(codes, 0)
    counts = sites["kode"].astype("str").value_counts()
    return {c: int(counts.get(c, 0)) for c in codes}
