"""CSV and XLSX readers yielding (line number, {canonical column: text}) with header aliases.

Ministries and regions publish the same lists under varying headers ("kode", "Kode Rekening",
"KD", "Uraian", "Nama Barang" ...); each kind declares its aliases and the readers map them.
"""

import csv
import io
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from apps.reference.errors import ReferenceImportError

Row = tuple[int, dict[str, str]]


def header_key(text: str) -> str:
    """'Kode Rekening ' -> 'kode_rekening'; '(Rp)' and punctuation dropped."""
    return "_".join(re.sub(r"[^0-9a-z]+", " ", text.strip().lower()).split())


def _columns(
    headers: list[str], aliases: Mapping[str, tuple[str, ...]], file: str, line: int
) -> list[str | None]:
    lookup = {alias: canonical for canonical, names in aliases.items() for alias in names}
    lookup.update({canonical: canonical for canonical in aliases})
    mapped: list[str | None] = [lookup.get(header_key(h)) for h in headers]
    seen: set[str] = set()
    for column in mapped:
        if column is not None:
            if column in seen:
                raise ReferenceImportError(
                    file=file,
                    line=line,
                    reason=_("kolom '%(column)s' muncul lebih dari sekali") % {"column": column},
                )
            seen.add(column)
    return mapped


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel stores 25000 as 25000.0 and 0.1 as 0.1: keep the exact decimal text.
        text = format(Decimal(repr(value)).normalize(), "f")
        return text
    return str(value).strip()


def _is_blank(values: list[str]) -> bool:
    return not any(v for v in values)


def read_csv(data: bytes, *, file: str, aliases: Mapping[str, tuple[str, ...]]) -> Iterator[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    columns: list[str | None] = []
    line = 0
    for record in reader:
        start, line = line + 1, reader.line_num
        if headers is None:
            if _is_blank(record):
                continue
            headers = record
            columns = _columns(headers, aliases, file, start)
            continue
        if _is_blank(record):
            continue
        if len(record) > len(headers) and any(v.strip() for v in record[len(headers) :]):
            raise ReferenceImportError(
                file=file,
                line=start,
                reason=_("%(count)s kolom, header hanya %(headers)s kolom")
                % {"count": len(record), "headers": len(headers)},
            )
        values = {
            column: record[i].strip() if i < len(record) else ""
            for i, column in enumerate(columns)
            if column is not None
        }
        yield start, values
    if headers is None:
        raise ReferenceImportError(file=file, line=None, reason=_("berkas kosong (tanpa header)"))


def read_xlsx(data: bytes, *, file: str, aliases: Mapping[str, tuple[str, ...]]) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise ReferenceImportError(
            file=file,
            line=None,
            reason=_("bukan berkas XLSX yang valid (%(error)s)") % {"error": exc},
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        headers: list[str] | None = None
        columns: list[str | None] = []
        for number, raw in enumerate(sheet.iter_rows(values_only=True), start=1):
            record = [_cell(v) for v in raw]
            if headers is None:
                if _is_blank(record):
                    continue
                headers = record
                columns = _columns(headers, aliases, file, number)
                continue
            if _is_blank(record):
                continue
            yield (
                number,
                {
                    column: record[i] if i < len(record) else ""
                    for i, column in enumerate(columns)
                    if column is not None
                },
            )
        if headers is None:
            raise ReferenceImportError(file=file, line=None, reason=_("lembar kerja kosong"))
    finally:
        workbook.close()


def read_rows(
    path: Path, *, aliases: Mapping[str, tuple[str, ...]], file: str | None = None
) -> Iterator[Row]:
    """Rows of a .csv or .xlsx file; `file` is the name used in error messages."""
    name = file or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReferenceImportError(
            file=name,
            line=None,
            reason=_("tidak dapat dibaca (%(error)s)") % {"error": exc.strerror},
        ) from exc
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(data, file=name, aliases=aliases)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, file=name, aliases=aliases)
    raise ReferenceImportError(
        file=name, line=None, reason=_("format tidak didukung (gunakan .csv atau .xlsx)")
    )
