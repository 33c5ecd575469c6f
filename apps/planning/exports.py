"""The plan in the tabular shape planners hand around (kode, program / kegiatan / sub kegiatan,
indikator, target, lokasi, pagu, OPD, sumber dana) as XLSX and PDF, totals equal to the page's."""

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from apps.core.pdf import FONT, unicode_pdf
from apps.planning.formatting import number_text, rupiah_text
from apps.planning.selectors.plan import TreeNode

HEADERS = ("kode", "uraian", "indikator", "target", "lokasi", "pagu", "opd", "sumber dana")


def table_lines(tree: TreeNode) -> list[tuple[str, list[Any]]]:
    """(level, cells) from the tree: each program/kegiatan line with its total, then its rows."""
    lines: list[tuple[str, list[Any]]] = []

    def walk(node: TreeNode) -> None:
        for child in node.anak:
            lines.append((child.tingkat, [child.kode, child.nama, "", "", "", child.pagu, "", ""]))
            walk(child)
        for row in node.rows:
            target = f"{number_text(row['target'])} {row['satuan']}"
            lines.append(
                (
                    "sub_kegiatan",
                    [
                        row["kode"],
                        row["nama"],
                        row["indikator"],
                        target,
                        row["lokasi"] or _("Seluruh daerah"),
                        Decimal(row["pagu"]),
                        row["opd_nama"],
                        row["sumber_dana_nama"],
                    ],
                )
            )
            # Further indicators on lines of their own, with no pagu (totals stay the rows').
            for extra in row.get("indikator_lain", ()):
                target = f"{number_text(extra['target'])} {extra['satuan']}"
                lines.append(("indikator", ["", "", extra["uraian"], target, "", "", "", ""]))

    walk(tree)
    return lines


def plan_xlsx(tree: TreeNode, *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("RKPD")
    sheet.append([title])
    sheet.append([h.upper() for h in HEADERS])
    for _level, cells in table_lines(tree):
        sheet.append([int(c) if isinstance(c, Decimal) else c for c in cells])
    sheet.append(["", _("JUMLAH"), "", "", "", int(tree.pagu), "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WIDTHS = (34, 70, 52, 22, 28, 32, 26, 20)
ROW = 4.0  # mm, one table line
PAD = 1.0  # mm, text inset in a cell


class _Table:
    """Draws the table with text and rules directly: fpdf's cell() lays each cell out as
    styled text, which at 60,000 cells took most of the export's time."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.edges = [pdf.l_margin]
        for width in WIDTHS:
            self.edges.append(self.edges[-1] + width)
        self.top = pdf.get_y()
        self.bold: bool | None = None

    def _font(self, bold: bool) -> None:
        if bold != self.bold:
            self.pdf.set_font(FONT, "B" if bold else "", 6)
            self.bold = bold

    def _close_page(self) -> None:
        """The column rules from the table's top on this page to its last line."""
        pdf, bottom = self.pdf, self.pdf.get_y()
        pdf.line(self.edges[0], self.top, self.edges[-1], self.top)
        for x in self.edges:
            pdf.line(x, self.top, x, bottom)

    def header(self) -> None:
        self._font(True)
        self.line([h.upper() for h in HEADERS], bold=True)

    def line(self, cells: list[Any], *, bold: bool) -> None:
        pdf = self.pdf
        if pdf.get_y() + ROW > pdf.h - pdf.b_margin:
            self._close_page()
            pdf.add_page()
            self.top = pdf.get_y()
            self.bold = None
            self.header()
        self._font(bold)
        y = pdf.get_y()
        baseline = y + ROW * 0.72
        for index, cell in enumerate(cells):
            if cell == "":
                continue
            width = WIDTHS[index]
            text = rupiah_text(cell) if isinstance(cell, Decimal) else str(cell)
            limit = int(width * 0.8)  # characters of 6 pt DejaVu that fit the column
            text = text if len(text) <= limit else text[: limit - 2] + ".."
            if isinstance(cell, Decimal):  # amounts right-aligned
                x = self.edges[index + 1] - PAD - pdf.get_string_width(text)
            else:
                x = self.edges[index] + PAD
            pdf.text(x, baseline, text)
        pdf.line(self.edges[0], y + ROW, self.edges[-1], y + ROW)
        pdf.set_y(y + ROW)

    def finish(self) -> None:
        self._close_page()


def plan_pdf(tree: TreeNode, *, title: str) -> bytes:
    """A landscape A4 table in the vendored Unicode font (names outside Latin-1 print); long
    text is cut."""
    pdf = unicode_pdf(orientation="L")
    pdf.set_auto_page_break(auto=False, margin=10)
    pdf.set_line_width(0.2)
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    table = _Table(pdf)
    table.header()
    for level, cells in table_lines(tree):
        table.line(cells, bold=level != "sub_kegiatan")
    table.finish()
    pdf.set_font(FONT, "B", 8)
    if pdf.get_y() + 6 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.cell(sum(WIDTHS[:5]), 6, _("JUMLAH"), border=1)
    pdf.cell(WIDTHS[5], 6, rupiah_text(tree.pagu), border=1, align="R")
    pdf.ln()
    return bytes(pdf.output())
