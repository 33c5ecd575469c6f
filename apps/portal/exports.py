"""A frozen document's tables as CSV (one table) and XLSX (a sheet per table), each with its
total row; amounts are exact decimals, as frozen."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.portal.tables import Table


def _total_row(table: Table) -> list[object] | None:
    if not table.summed:
        return None
    cells: list[object] = [table.totals.get(c.key, "") for c in table.columns]
    cells[0] = _("JUMLAH")
    return cells


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if v is None else v for v in table.cells(row)])
    total = _total_row(table)
    if total is not None:
        writer.writerow(total)
    return out.getvalue()


def tables_xlsx(tables: list[Table], *, title: str) -> bytes:
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append([title])
        sheet.append([table.title])
        sheet.append([c.label for c in table.columns])
        for row in table.rows:
            sheet.append(table.cells(row))
        total = _total_row(table)
        if total is not None:
            sheet.append(total)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
