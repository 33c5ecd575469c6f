"""The budget's documents as XLSX and PDF: the RKA of an OPD, its DPA, the APBD summary and a
revision's comparison. Amounts are written as exact numbers (XLSX) or Rp 1.234.567,00 text (PDF);
every total is the sum of the same rows the page shows, equal to the database's to the sen."""

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.budgeting.formatting import rupiah_sen, signed_rupiah
from apps.budgeting.selectors.summary import ApbdSummary
from apps.core.pdf import FONT, PdfTable, unicode_pdf

ZERO = Decimal("0.00")


@dataclass
class Document:
    """A titled table: headers, widths (mm, landscape A4), rows, and the total line."""

    title: str
    subtitle: str
    headers: list[str]
    widths: list[int]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] = field(default_factory=list)


def rka_document(rows: list[dict[str, Any]], *, title: str, subtitle: str) -> Document:
    """One line per budget line; a heading line per sub kegiatan with its total."""
    doc = Document(
        title=title,
        subtitle=subtitle,
        headers=[
            _("Kode"),
            _("Uraian"),
            _("Koefisien"),
            _("Satuan"),
            _("Harga"),
            _("PPN"),
            _("Jumlah"),
        ],
        widths=[40, 92, 50, 20, 30, 10, 35],
    )
    current, total = None, ZERO
    sub_totals: dict[int, Decimal] = {}
    for row in rows:
        sub_totals[row["rka_id"]] = sub_totals.get(row["rka_id"], ZERO) + row["jumlah"]
    for row in rows:
        if row["rka_id"] != current:
            current = row["rka_id"]
            doc.rows.append(
                [row["sub_kegiatan"], row["sub_kegiatan_nama"], "", "", "", "", sub_totals[current]]
            )
        doc.rows.append(
            [
                row["rekening_kode"],
                f"{row['kode_harga']} {row['uraian']}",
                coefficient(row),
                row["satuan"],
                row["harga"],
                "11%" if row["ppn"] else "",
                row["jumlah"],
            ]
        )
        total += row["jumlah"]
    doc.total = ["", _("JUMLAH"), "", "", "", "", total]
    return doc


def coefficient(row: dict[str, Any]) -> str:
    """2 orang x 3 hari x 2 kali."""
    parts = []
    for n in (1, 2, 3, 4):
        value = row.get(f"volume_{n}")
        if value is not None:
            parts.append(f"{format(value.normalize(), 'f')} {row.get(f'satuan_{n}', '')}".strip())
    return " x ".join(parts)


def summary_document(summary: ApbdSummary) -> Document:
    doc = Document(
        title=_("Ringkasan APBD tahun %(year)s") % {"year": summary.tahun},
        subtitle=summary.versi,
        headers=[_("Kode"), _("Uraian"), _("Jumlah")],
        widths=[40, 180, 50],
    )
    for row in summary.per_kelompok:
        doc.rows.append([row.kode, row.nama, row.jumlah])
    doc.rows += [
        ["", _("Jumlah pendapatan"), summary.pendapatan],
        ["", _("Jumlah belanja"), summary.belanja],
        ["", _("Surplus/(defisit)"), summary.surplus_defisit],
        ["6.1", _("Penerimaan pembiayaan"), summary.penerimaan_pembiayaan],
        ["6.2", _("Pengeluaran pembiayaan"), summary.pengeluaran_pembiayaan],
        ["", _("Pembiayaan neto"), summary.pembiayaan_neto],
    ]
    for row in summary.per_opd:
        doc.rows.append([row.kode, row.nama, row.jumlah])
    doc.total = ["", _("SiLPA tahun berkenaan"), summary.silpa]
    return doc


def compare_document(compare: dict[str, Any], *, title: str) -> Document:
    doc = Document(
        title=title,
        subtitle=_("Semula: %(before)s; menjadi: %(after)s")
        % {"before": compare["induk"].label, "after": compare["versi"].label},
        headers=[
            _("OPD"),
            _("Sub kegiatan"),
            _("Rekening"),
            _("Uraian"),
            _("Semula"),
            _("Menjadi"),
            _("Bertambah/(berkurang)"),
        ],
        widths=[28, 34, 32, 70, 35, 35, 40],
    )
    for line in compare["lines"]:
        doc.rows.append(
            [
                line["opd"],
                line["sub_kegiatan"],
                line["rekening"],
                line["uraian"],
                line["semula"],
                line["menjadi"],
                line["selisih"],
            ]
        )
    for kode, sums in compare["totals"]["kelompok"].items():
        doc.rows.append(
            ["", "", kode, _("Jumlah kelompok"), sums["semula"], sums["menjadi"], sums["selisih"]]
        )
    total = compare["total"]
    doc.total = ["", "", "", _("JUMLAH"), total["semula"], total["menjadi"], total["selisih"]]
    return doc


def to_xlsx(doc: Document) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(doc.title[:31].replace("/", "-"))
    sheet.append([doc.title])
    sheet.append([doc.subtitle])
    sheet.append([h.upper() for h in doc.headers])
    for cells in [*doc.rows, doc.total]:
        sheet.append([float(c) if isinstance(c, Decimal) else c for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_text(cell: Any, signed: bool) -> str:
    if isinstance(cell, Decimal):
        return signed_rupiah(cell) if signed else rupiah_sen(cell)
    return str(cell)


def to_pdf(doc: Document, *, signed_last: bool = False) -> bytes:
    """A landscape A4 table in the vendored Unicode font (names outside Latin-1 print); long
    text is cut, amounts never are."""
    pdf = unicode_pdf(orientation="L")
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, doc.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    pdf.cell(0, 5, doc.subtitle, new_x="LMARGIN", new_y="NEXT")
    table = PdfTable(pdf, doc.widths, [h.upper() for h in doc.headers])
    last = len(doc.widths) - 1
    for cells in [*doc.rows, doc.total]:
        table.line(
            [_cell_text(c, signed_last and i == last) for i, c in enumerate(cells)],
            bold=cells is doc.total,
            right={i for i, c in enumerate(cells) if isinstance(c, Decimal)},
        )
    table.finish()
    return bytes(pdf.output())
