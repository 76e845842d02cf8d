"""The dossier's page: A4 portrait, running header, synthetic footer, safe-text tables."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import TTFFont

from infra_gap.outputs.dossier.charts import safe_text
from infra_gap.outputs.dossier.text import tr

__all__ = ["CELL", "FONT", "DossierPdf"]

FONT = "dejavu"
CELL = 300  # characters of user text per table cell; headings take 2,000
_LINES = 12  # lines per table cell


class DossierPdf(FPDF):
    """A4 portrait with the running header, the synthetic footer and safe-text helpers."""

    def __init__(self, *, lang: str, synthetic: bool, running: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.lang, self.synthetic, self.running = lang, synthetic, running
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        self.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
        font = self.fonts[FONT]
        self.charset = frozenset(font.cmap if isinstance(font, TTFFont) else range(32, 127))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 14, 15)

    def s(self, text: object, limit: int | None = CELL) -> str:
        """``text`` with only the font's glyphs, cut to ``limit`` characters."""
        return safe_text(text, self.charset, limit=limit)

    def header(self) -> None:
        """The running header, from page 2 on."""
        # User text on this page is never a page-count alias (fpdf2 documents None).
        self.alias_nb_pages(None)  # type: ignore[arg-type]
        if self.page_no() > 1:
            self.set_font(FONT, "", 7)
            self.set_text_color(120)
            self.cell(0, 4, self.running, new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(2)

    def footer(self) -> None:
        """The synthetic-data notice and the page number."""
        self.set_y(-13)
        self.alias_nb_pages("{nb}")
        if self.synthetic:
            self.set_font(FONT, "B", 8)
            self.set_text_color(192, 0, 0)
            self.cell(120, 5, tr("footer_syn", self.lang))
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, tr("page", self.lang).format(p=self.page_no()) + "/{nb}", align="R")
        self.set_text_color(0)

    def heading(self, text: str, size: float = 11, *, keep: float = 30) -> None:
        """A bold heading kept on the page of what follows it."""
        if self.will_page_break(keep):  # keep a heading with what follows it
            self.add_page()
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, self.s(text, 2000), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def para(self, text: str, size: float = 8.5, *, bold: bool = False) -> None:
        """A paragraph of safe text."""
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.s(text, None), new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def grid(
        self,
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        *,
        head: bool = True,
        size: float = 8,
        limit: int = CELL,
    ) -> None:
        """Draw a table whose cells keep ``limit`` characters and 12 lines each.

        So a row always fits on a page: fpdf2 refuses a taller one.
        """
        self.set_font(FONT, "", size)
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
        """A PNG across the text width, on a new page when it does not fit."""
        if self.will_page_break(height):
            self.add_page()
        self.image(BytesIO(data), x=self.l_margin, w=self.epw, h=height)
        self.ln(1)
