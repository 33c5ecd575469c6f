"""CSV and XLSX readers yielding (line number, {canonical column: text}) with header aliases.

Ministries and regions publish the same lists under varying headers ("kode", "Kode Rekening",
"KD", "Uraian", "Nama Barang" ...); each kind declares its aliases and the readers map them.

Both readers stream: a CSV is checked in one pass over fixed-size chunks (size limit, NUL and
control bytes, encoding) and then parsed record by record; an XLSX is read row by row by
openpyxl's read-only mode. Parsing is strict: an unterminated quote, a row with a different
number of cells than the header, or a line break inside a single-line column stops the import
with the file, the line and the reason, never a traceback and never a silently merged row.
"""

import codecs
import csv
import re
from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from apps.reference.errors import ReferenceImportError

Row = tuple[int, dict[str, str]]

# Limits for one file; module constants so a test or an operator can adjust them.
MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_COLUMNS = 200
# Python's csv module refuses fields longer than its field_size_limit (131,072 by default);
# an unterminated quote reaches it after swallowing the rest of the file.
MAX_FIELD_CHARS = csv.field_size_limit()
CHUNK = 1024 * 1024
REQUIRED_COLUMNS = ("kode", "nama", "sub_kegiatan")
# Signatures of binary formats people upload by mistake under a .csv name.
BINARY_SIGNATURES = {
    b"PK\x03\x04": "XLSX/ZIP",
    b"\xd0\xcf\x11\xe0": "XLS (Excel 97-2003)",
    b"%PDF": "PDF",
    b"\x1f\x8b": "GZIP",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def header_key(text: str) -> str:
    """'Kode Rekening ' -> 'kode_rekening'; '(Rp)' and punctuation dropped."""
    return "_".join(re.sub(r"[^0-9a-z]+", " ", text.strip().lower()).split())


def _columns(
    headers: list[str], aliases: Mapping[str, tuple[str, ...]], file: str, line: int
) -> list[str | None]:
    if len(headers) > MAX_COLUMNS:
        raise ReferenceImportError(
            file=file,
            line=line,
            reason=_("%(count)s kolom, batasnya %(limit)s")
            % {"count": len(headers), "limit": MAX_COLUMNS},
        )
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
    missing = [c for c in REQUIRED_COLUMNS if c in aliases and c not in seen]
    if missing:
        raise ReferenceImportError(
            file=file,
            line=line,
            reason=_("header tidak memuat kolom %(missing)s (header terbaca: %(headers)s)")
            % {"missing": ", ".join(missing), "headers": ", ".join(h[:40] for h in headers[:12])},
        )
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


def _refuse_binary(head: bytes, file: str) -> None:
    for signature, name in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise ReferenceImportError(
                file=file,
                line=None,
                reason=_(
                    "berkas biner (%(format)s), bukan teks CSV; simpan sebagai .csv atau "
                    "unggah dengan ekstensi yang benar"
                )
                % {"format": name},
            )


def csv_encoding(path: Path, *, file: str) -> str:
    """One streaming pass: size limit, binary and NUL/control bytes, encoding (UTF-8 with or
    without BOM, else Windows-1252). Returns the codec to read the file with."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReferenceImportError(
            file=file,
            line=None,
            reason=_("berkas %(size)s MB melebihi batas %(limit)s MB")
            % {"size": size // 2**20, "limit": MAX_FILE_BYTES // 2**20},
        )
    decoders: dict[str, codecs.IncrementalDecoder] = {
        codec: codecs.getincrementaldecoder(codec)() for codec in ("utf-8-sig", "cp1252")
    }
    failed: dict[str, int] = {}
    line = 1
    with path.open("rb") as handle:
        first = True
        while chunk := handle.read(CHUNK):
            if first:
                _refuse_binary(chunk, file)
                first = False
            _check_chunk(chunk, decoders, failed, line, file)
            line += chunk.count(b"\n")
        for codec, decoder in decoders.items():
            if codec not in failed:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    failed[codec] = line
    for codec in decoders:
        if codec not in failed:
            return codec
    raise ReferenceImportError(
        file=file,
        line=failed["utf-8-sig"],
        reason=_("bukan teks UTF-8 atau Windows-1252 (berkas biner?)"),
    )


def _check_chunk(
    chunk: bytes,
    decoders: dict[str, codecs.IncrementalDecoder],
    failed: dict[str, int],
    line: int,
    file: str,
) -> None:
    nul = chunk.find(b"\0")
    if nul >= 0:
        raise ReferenceImportError(
            file=file,
            line=line + chunk[:nul].count(b"\n"),
            reason=_("berisi byte NUL (berkas biner atau rusak?)"),
        )
    checked = False
    for codec, decoder in decoders.items():
        if codec in failed:
            continue
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            failed[codec] = line + chunk[: exc.start].count(b"\n")
            continue
        if checked:
            continue
        checked = True  # control characters are looked for in the codec that will be used
        match = _CONTROL.search(text)
        if match is not None:
            at = line + text[: match.start()].count("\n")
            raise ReferenceImportError(
                file=file,
                line=at,
                reason=_("berisi karakter kontrol %(char)s (berkas biner atau rusak?)")
                % {"char": f"0x{ord(match.group()):02x}"},
            )


def _delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(4096)
    return ";" if sample.count(";") > sample.count(",") else ","


def read_csv(
    path: Path,
    *,
    file: str,
    aliases: Mapping[str, tuple[str, ...]],
    multiline: Collection[str] = (),
) -> Iterator[Row]:
    encoding = csv_encoding(path, file=file)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=_delimiter(path, encoding), strict=True)
        yield from _csv_records(reader, file=file, aliases=aliases, multiline=multiline)


def _csv_records(
    reader: Any, *, file: str, aliases: Mapping[str, tuple[str, ...]], multiline: Collection[str]
) -> Iterator[Row]:
    headers: list[str] | None = None
    columns: list[str | None] = []
    line = rows = 0
    while True:
        start = line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ReferenceImportError(file=file, line=start, reason=_csv_reason(exc)) from exc
        line = reader.line_num
        if _is_blank(record):
            continue
        if headers is None:
            headers = record
            columns = _columns(headers, aliases, file, start)
            continue
        rows += 1
        if rows > MAX_ROWS:
            raise ReferenceImportError(
                file=file, line=start, reason=_("lebih dari %(limit)s baris") % {"limit": MAX_ROWS}
            )
        _check_shape(record, headers, columns, multiline, file=file, line=start)
        yield (
            start,
            {column: record[i].strip() for i, column in enumerate(columns) if column is not None},
        )
    if headers is None:
        raise ReferenceImportError(file=file, line=None, reason=_("berkas kosong (tanpa header)"))


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return _(
            "sel lebih dari %(limit)s karakter: tanda kutip yang dibuka di baris ini tidak ditutup?"
        ) % {"limit": MAX_FIELD_CHARS}
    if "unexpected end of data" in text:
        return _("tanda kutip yang dibuka di baris ini tidak ditutup sampai akhir berkas")
    if "expected after" in text:
        return _('tanda kutip penutup diikuti teks lain (contoh salah: "abc"def)')
    return _("CSV rusak (%(error)s)") % {"error": text}


def _check_shape(
    record: list[str],
    headers: list[str],
    columns: list[str | None],
    multiline: Collection[str],
    *,
    file: str,
    line: int,
) -> None:
    extra = record[len(headers) :]
    if len(record) < len(headers) or any(v.strip() for v in extra):
        raise ReferenceImportError(
            file=file,
            line=line,
            reason=_("%(count)s kolom, header %(headers)s kolom")
            % {"count": len(record), "headers": len(headers)},
        )
    for i, column in enumerate(columns):
        if column is not None and column not in multiline and "\n" in record[i].strip():
            raise ReferenceImportError(
                file=file,
                line=line,
                reason=_("kolom %(column)s berisi pergantian baris: tanda kutip tidak ditutup?")
                % {"column": column},
            )


def read_xlsx(
    path: Path, *, file: str, aliases: Mapping[str, tuple[str, ...]], sheet: str | None = None
) -> Iterator[Row]:
    from openpyxl import load_workbook

    if path.stat().st_size > MAX_FILE_BYTES:
        raise ReferenceImportError(
            file=file,
            line=None,
            reason=_("berkas melebihi batas %(limit)s MB") % {"limit": MAX_FILE_BYTES // 2**20},
        )
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a bad file
        raise ReferenceImportError(
            file=file,
            line=None,
            reason=_("bukan berkas XLSX yang valid (%(error)s)") % {"error": exc},
        ) from exc
    try:
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        yield from _xlsx_records(worksheet.iter_rows(values_only=True), file=file, aliases=aliases)
    except KeyError as exc:
        raise ReferenceImportError(
            file=file, line=None, reason=_("lembar kerja %(sheet)s tidak ada") % {"sheet": sheet}
        ) from exc
    finally:
        workbook.close()


def _xlsx_records(
    raw_rows: Iterator[tuple[Any, ...]], *, file: str, aliases: Mapping[str, tuple[str, ...]]
) -> Iterator[Row]:
    headers: list[str] | None = None
    columns: list[str | None] = []
    try:
        for number, raw in enumerate(raw_rows, start=1):
            record = [_cell(v) for v in raw]
            if _is_blank(record):
                continue
            if headers is None:
                headers = record
                columns = _columns(headers, aliases, file, number)
                continue
            if number > MAX_ROWS + 1:
                raise ReferenceImportError(
                    file=file,
                    line=number,
                    reason=_("lebih dari %(limit)s baris") % {"limit": MAX_ROWS},
                )
            if any(_CONTROL.search(v) for v in record):
                raise ReferenceImportError(
                    file=file, line=number, reason=_("berisi karakter kontrol (sel rusak?)")
                )
            yield (
                number,
                {
                    column: record[i] if i < len(record) else ""
                    for i, column in enumerate(columns)
                    if column is not None
                },
            )
    except ReferenceImportError:
        raise
    except Exception as exc:  # openpyxl raises several unrelated types for a damaged sheet part
        raise ReferenceImportError(
            file=file, line=None, reason=_("lembar kerja rusak (%(error)s)") % {"error": exc}
        ) from exc
    if headers is None:
        raise ReferenceImportError(file=file, line=None, reason=_("lembar kerja kosong"))


def read_rows(
    path: Path,
    *,
    aliases: Mapping[str, tuple[str, ...]],
    file: str | None = None,
    multiline: Collection[str] = (),
) -> Iterator[Row]:
    """Rows of a .csv or .xlsx file, streamed; `file` is the name used in error messages."""
    name = file or path.name
    try:
        if not path.is_file():
            raise ReferenceImportError(file=name, line=None, reason=_("bukan berkas"))
        if path.stat().st_size == 0:
            raise ReferenceImportError(file=name, line=None, reason=_("berkas kosong (0 byte)"))
    except OSError as exc:
        raise ReferenceImportError(
            file=name,
            line=None,
            reason=_("tidak dapat dibaca (%(error)s)") % {"error": exc.strerror},
        ) from exc
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _guard_os(read_csv(path, file=name, aliases=aliases, multiline=multiline), name)
    if suffix in (".xlsx", ".xlsm"):
        return _guard_os(read_xlsx(path, file=name, aliases=aliases), name)
    raise ReferenceImportError(
        file=name, line=None, reason=_("format tidak didukung (gunakan .csv atau .xlsx)")
    )


def _guard_os(rows: Iterator[Row], file: str) -> Iterator[Row]:
    try:
        yield from rows
    except OSError as exc:
        raise ReferenceImportError(
            file=file,
            line=None,
            reason=_("tidak dapat dibaca (%(error)s)") % {"error": exc.strerror or exc},
        ) from exc
