"""PDFs in the vendored Unicode font: DejaVu Sans (static/fonts/dejavu, with its licence),
embedded as a subset, so names outside Latin-1 print in every application's documents; a
character the font lacks is left out with a warning in the log rather than failing."""

from collections.abc import Sequence, Set
from typing import Literal

from django.conf import settings
from fpdf import FPDF

FONT = "DejaVuSans"
FONT_DIR = settings.BASE_DIR / "static" / "fonts" / "dejavu"


def unicode_pdf(orientation: Literal["P", "L"] = "P") -> FPDF:
    """An A4 document with the vendored Unicode font under FONT (regular and bold)."""
    pdf = FPDF(orientation=orientation, format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    return pdf


ROW = 4.0  # mm, one table line
PAD = 1.0  # mm, text inset in a cell
SIZE = 6  # pt, table text


class PdfTable:
    """A ruled table drawn with text and lines directly, its header repeated on every page:
    fpdf's cell() lays out each cell as styled text, which at tens of thousands of cells took
    most of an export's time. Text in a column is cut to what fits (about `width * 0.8`
    characters of 6 pt DejaVu); right-aligned columns (amounts) are never cut."""

    def __init__(self, pdf: FPDF, widths: Sequence[float], headers: Sequence[str]) -> None:
        self.pdf = pdf
        self.widths = list(widths)
        self.headers = list(headers)
        self.edges = [pdf.l_margin]
        for width in self.widths:
            self.edges.append(self.edges[-1] + width)
        pdf.set_auto_page_break(auto=False, margin=pdf.b_margin)
        pdf.set_line_width(0.2)
        self.top = pdf.get_y()
        self.bold: bool | None = None
        self.line(self.headers, bold=True)

    def _font(self, bold: bool) -> None:
        if bold != self.bold:
            self.pdf.set_font(FONT, "B" if bold else "", SIZE)
            self.bold = bold

    def _close_page(self) -> None:
        """The column rules from the table's top on this page to its last line."""
        pdf, bottom = self.pdf, self.pdf.get_y()
        pdf.line(self.edges[0], self.top, self.edges[-1], self.top)
        for x in self.edges:
            pdf.line(x, self.top, x, bottom)

    def line(
        self, cells: Sequence[str], *, bold: bool = False, right: Set[int] = frozenset()
    ) -> None:
        """One row; `right`: the indexes of right-aligned cells."""
        pdf = self.pdf
        if pdf.get_y() + ROW > pdf.h - pdf.b_margin:
            self._close_page()
            pdf.add_page()
            self.top = pdf.get_y()
            self.bold = None
            self.line(self.headers, bold=True)
        self._font(bold)
        y = pdf.get_y()
        baseline = y + ROW * 0.72
        for index, text in enumerate(cells):
            if not text:
                continue
            if index in right:
                x = self.edges[index + 1] - PAD - pdf.get_string_width(text)
            else:
                limit = int(self.widths[index] * 0.8)
                text = text if len(text) <= limit else text[: limit - 2] + ".."
                x = self.edges[index] + PAD
            pdf.text(x, baseline, text)
        pdf.line(self.edges[0], y + ROW, self.edges[-1], y + ROW)
        pdf.set_y(y + ROW)

    def finish(self) -> None:
        self._close_page()
