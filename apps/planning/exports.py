"""The plan in the tabular shape planners hand around (kode, program / kegiatan / sub kegiatan,
indikator, target, lokasi, pagu, OPD, sumber dana) as XLSX and PDF, totals equal to the page's."""

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.pdf import FONT, PdfTable, unicode_pdf
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
        # empty cells as None: openpyxl writes no element for them (half the cells of a plan)
        sheet.append([int(c) if isinstance(c, Decimal) else c if c != "" else None for c in cells])
    sheet.append(["", _("JUMLAH"), "", "", "", int(tree.pagu), "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WIDTHS = (34, 70, 52, 22, 28, 32, 26, 20)


def plan_pdf(tree: TreeNode, *, title: str) -> bytes:
    """A landscape A4 table in the vendored Unicode font (names outside Latin-1 print); long
    text is cut, amounts never are."""
    pdf = unicode_pdf(orientation="L")
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    table = PdfTable(pdf, WIDTHS, [h.upper() for h in HEADERS])
    for level, cells in table_lines(tree):
        table.line(
            [rupiah_text(c) if isinstance(c, Decimal) else str(c) for c in cells],
            bold=level != "sub_kegiatan",
            right={i for i, c in enumerate(cells) if isinstance(c, Decimal)},
        )
    table.finish()
    pdf.set_font(FONT, "B", 8)
    if pdf.get_y() + 6 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.cell(sum(WIDTHS[:5]), 6, _("JUMLAH"), border=1)
    pdf.cell(WIDTHS[5], 6, rupiah_text(tree.pagu), border=1, align="R")
    pdf.ln()
    return bytes(pdf.output())
