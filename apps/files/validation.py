"""Upload checks: size, type by extension confirmed by the file's own first bytes, a safe name.

The content type stored and served is the one this table assigns to the extension, never the
client's claim; a file whose bytes are not what its extension says is refused.
"""

import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from apps.files.errors import FileError

SNIFF_BYTES = 16


def _starts(*magics: bytes) -> Callable[[bytes, IO[bytes]], bool]:
    return lambda head, _stream: any(head.startswith(m) for m in magics)


def _webp(head: bytes, _stream: IO[bytes]) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def _office(folder: str) -> Callable[[bytes, IO[bytes]], bool]:
    """An Office Open XML package: a zip with [Content_Types].xml and the format's folder."""

    def check(head: bytes, stream: IO[bytes]) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(stream) as package:
                names = package.namelist()
        except (zipfile.BadZipFile, OSError):
            return False
        return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)

    return check


@dataclass(frozen=True)
class FileType:
    content_type: str
    sniff: Callable[[bytes, IO[bytes]], bool]


FILE_TYPES: dict[str, FileType] = {
    "pdf": FileType("application/pdf", _starts(b"%PDF-")),
    "png": FileType("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    "jpg": FileType("image/jpeg", _starts(b"\xff\xd8\xff")),
    "jpeg": FileType("image/jpeg", _starts(b"\xff\xd8\xff")),
    "webp": FileType("image/webp", _webp),
    "xlsx": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _office("xl/")
    ),
    "docx": FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _office("word/"),
    ),
}

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
NAME_MAX = 120


def name_sanitise(raw: str) -> str:
    """A display and storage name: the last path segment, ASCII letters, digits, '.', '_', '-'."""
    base = re.split(r"[/\\]", raw or "")[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_name).strip(".-_ ")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        stem, ext = cleaned, ""
    ext = ext.lower()
    stem = stem[: NAME_MAX - len(ext) - 1].rstrip(".-_") or "berkas"
    return f"{stem}.{ext}" if ext else stem


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    extension: str
    content_type: str
    size: int


def upload_check(
    *, upload: Any, extensions: frozenset[str] = frozenset(), max_bytes: int | None = None
) -> CheckedUpload:
    """Name, size and type of an uploaded file, or FileError(field='file') saying what is wrong."""
    limit = min(max_bytes or settings.FILES_MAX_UPLOAD_BYTES, settings.FILES_MAX_UPLOAD_BYTES)
    name = name_sanitise(str(getattr(upload, "name", "") or ""))
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise FileError(_("Berkas kosong."), field="file")
    if size > limit:
        raise FileError(
            _("Berkas terlalu besar: %(size)s; batasnya %(limit)s.")
            % {"size": size_label(size), "limit": size_label(limit)},
            field="file",
        )
    allowed = sorted(extensions or FILE_TYPES)
    extension = name.rpartition(".")[2] if "." in name else ""
    if extension not in allowed:
        raise FileError(
            _("Jenis berkas tidak diizinkan; yang diterima: %(types)s.")
            % {"types": ", ".join(allowed)},
            field="file",
        )
    file_type = FILE_TYPES[extension]
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    matches = file_type.sniff(head, upload)
    upload.seek(0)
    if not matches:
        raise FileError(
            _("Isi berkas tidak sesuai dengan jenisnya (.%(ext)s).") % {"ext": extension},
            field="file",
        )
    return CheckedUpload(name, extension, file_type.content_type, size)


def size_label(size: int) -> str:
    """Bytes as '512 B', '1,5 KB', '10 MB' (decimal comma)."""
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024 or unit == "MB":
            text = f"{value:.0f}" if unit == "B" or value >= 100 else f"{value:.1f}"
            return f"{text.replace('.', ',').removesuffix(',0')} {unit}"
        value /= 1024
    return f"{size} B"
