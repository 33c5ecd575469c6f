"""The plan in the tabular shape planners hand around (kode, program / kegiatan / sub kegiatan,
indikator, target, lokasi, pagu, OPD, sumber dana) as XLSX and PDF, totals equal to the page's."""

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

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


def _latin(text: Any) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


WIDTHS = (34, 70, 52, 22, 28, 32, 26, 20)


def plan_pdf(tree: TreeNode, *, title: str) -> bytes:
    """A landscape A4 table with core fonts (fast at thousands of rows); long text is cut."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, _latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 7)
    for width, head in zip(WIDTHS, HEADERS, strict=True):
        pdf.cell(width, 5, head.upper(), border=1)
    pdf.ln()
    for level, cells in table_lines(tree):
        pdf.set_font("Helvetica", "" if level == "sub_kegiatan" else "B", 6)
        for width, cell in zip(WIDTHS, cells, strict=True):
            text = rupiah_text(cell) if isinstance(cell, Decimal) else str(cell)
            limit = int(width * 0.9)
            text = text if len(text) <= limit else text[: limit - 2] + ".."
            pdf.cell(
                width, 4, _latin(text), border=1, align="R" if isinstance(cell, Decimal) else "L"
            )
        pdf.ln()
    pdf.set_font("Helvetica", "B", 8)
    pdf.cell(sum(WIDTHS[:5]), 6, _latin(_("JUMLAH")), border=1)
    pdf.cell(WIDTHS[5], 6, _latin(rupiah_text(tree.pagu)), border=1, align="R")
    pdf.ln()
    return bytes(pdf.output())
