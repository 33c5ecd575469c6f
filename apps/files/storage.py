"""The region file storage: every key lives under the region's schema name.

`RegionFileStorage` wraps the backend that settings.FILES_STORAGE names (FileSystemStorage under
MEDIA_ROOT by default, django-storages' S3Storage when AWS_STORAGE_BUCKET_NAME is set) and prefixes
every name with the schema of the region it serves: `daerah_12_71/berkas/<id>/surat.pdf`. It refuses
to work on the public or template schema and refuses names that could leave the prefix ('..', '.',
empty segments, absolute paths, backslashes, NUL). It has no public URL: files are served only by
the permission-checked download API (apps.files.apis).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from apps.files.errors import FileContextError, FilePathError
from tenants.db import schema_current

_SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_DRIVE = re.compile(r"^[A-Za-z]:")


def backend_build() -> Storage:
    """A fresh instance of the configured backend (settings.FILES_STORAGE)."""
    config = settings.FILES_STORAGE
    backend_class = import_string(config["BACKEND"])
    storage: Storage = backend_class(**config.get("OPTIONS", {}))
    return storage


def path_clean(name: str) -> str:
    """The name itself when it is a plain relative path; FilePathError otherwise."""
    if (
        not isinstance(name, str)
        or not name
        or "\x00" in name
        or "\\" in name
        or name.startswith("/")
        or _DRIVE.match(name)
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise FilePathError(
            _("Nama berkas tidak sah: %(name)s") % {"name": repr(name)[:120]}, field="path"
        )
    return name


class RegionFileStorage(Storage):
    """A Django storage confined to one region's prefix (its schema name).

    `schema_name` names the region explicitly (exports, restores, tasks); without it the current
    connection's schema is used, as in a request routed to a region.
    """

    def __init__(self, *, schema_name: str | None = None, backend: Storage | None = None) -> None:
        self._schema_name = schema_name
        self.backend = backend if backend is not None else backend_build()
        if schema_name is not None:
            self.prefix  # noqa: B018  (an explicit region is checked at once)

    @property
    def prefix(self) -> str:
        schema = self._schema_name or schema_current()
        if schema in (settings.PUBLIC_SCHEMA_NAME, settings.TEMPLATE_SCHEMA_NAME) or not (
            _SCHEMA_NAME.match(schema)
        ):
            raise FileContextError(
                _("Penyimpanan berkas daerah dipakai di luar konteks daerah (%(schema)s).")
                % {"schema": schema}
            )
        return schema

    def key(self, name: str) -> str:
        """The backend key of a region-relative name."""
        return f"{self.prefix}/{path_clean(name)}"

    def _directory_key(self, path: str) -> str:
        return self.prefix if path == "" else self.key(path)

    def _relative(self, key: str) -> str:
        prefix = f"{self.prefix}/"
        if not key.startswith(prefix):
            raise FilePathError(_("Backend mengembalikan nama di luar prefiks daerah."))
        return path_clean(key[len(prefix) :])

    def save(self, name: str | None, content: IO[Any], max_length: int | None = None) -> str:
        path_clean(name if name is not None else getattr(content, "name", ""))
        return super().save(name, content, max_length=max_length)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        return self._relative(self.backend.get_available_name(self.key(name), max_length))

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        return self.backend.open(self.key(name), mode)

    def _save(self, name: str, content: File[Any]) -> str:
        return self._relative(self.backend.save(self.key(name), content))

    def delete(self, name: str) -> None:
        self.backend.delete(self.key(name))

    def exists(self, name: str) -> bool:
        return self.backend.exists(self.key(name))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        return self.backend.listdir(self._directory_key(path))

    def size(self, name: str) -> int:
        return self.backend.size(self.key(name))

    def get_modified_time(self, name: str) -> datetime:
        return self.backend.get_modified_time(self.key(name))

    def get_created_time(self, name: str) -> datetime:
        return self.backend.get_created_time(self.key(name))

    def get_accessed_time(self, name: str) -> datetime:
        return self.backend.get_accessed_time(self.key(name))

    def path(self, name: str) -> str:
        return self.backend.path(self.key(name))

    def url(self, name: str | None) -> str:
        raise FilePathError(
            _("Berkas daerah tidak punya URL publik; unduh melalui API berkas."), field="path"
        )

    def walk(self, directory: str = "") -> Iterator[str]:
        """Every file below `directory` (region-relative), depth first, in a stable order."""
        try:
            directories, files = self.listdir(directory)
        except FileNotFoundError:  # a region that never stored a file has no directory yet
            return
        base = f"{directory.rstrip('/')}/" if directory else ""
        for name in sorted(files):
            yield f"{base}{name}"
        for name in sorted(directories):
            yield from self.walk(f"{base}{name}")
