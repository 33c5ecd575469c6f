"""Where finished region exports live: on a volume (OPERATIONS_EXPORT_DIR) or in an S3-compatible
bucket (OPERATIONS_EXPORT_STORAGE=s3, through django-storages), chosen by settings.

An export is always written and checked as a local file first (pg_dump and tar need one); with
S3 it is then moved to the bucket and its record keeps `s3://<bucket>/<key>`. Readers ask for a
local copy (restore) or a stream (download) without knowing which store holds it.
"""

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from django.conf import settings
from django.core.files import File

S3_SCHEME = "s3://"


def _bucket() -> Any:
    from storages.backends.s3 import S3Storage

    return S3Storage(**settings.EXPORTS_S3_OPTIONS)


def _key(location: str) -> str:
    """The key inside the storage's location of `s3://<bucket>/<location>/<key>`."""
    rest = location.removeprefix(S3_SCHEME).split("/", 1)[1]
    prefix = settings.EXPORTS_S3_OPTIONS.get("location", "")
    return rest.removeprefix(f"{prefix}/") if prefix else rest


def export_keep(local: Path) -> str:
    """Keep a finished archive where settings say; returns its location (a path or s3://...)."""
    if settings.OPERATIONS_EXPORT_STORAGE != "s3":
        return str(local)
    bucket = _bucket()
    with local.open("rb") as handle:
        key = bucket.save(local.name, File(handle, name=local.name))
    local.unlink()
    prefix = settings.EXPORTS_S3_OPTIONS.get("location", "")
    return f"{S3_SCHEME}{bucket.bucket_name}/{prefix + '/' if prefix else ''}{key}"


def export_exists(location: str) -> bool:
    if location.startswith(S3_SCHEME):
        return bool(_bucket().exists(_key(location)))
    return Path(location).is_file()


def export_name(location: str) -> str:
    return Path(location.removeprefix(S3_SCHEME)).name


def export_open(location: str) -> IO[bytes]:
    """A binary stream of the archive (for a download)."""
    if location.startswith(S3_SCHEME):
        return cast(IO[bytes], _bucket().open(_key(location), "rb"))
    return Path(location).open("rb")


@contextmanager
def export_local(location: str) -> Iterator[Path]:
    """A local file holding the archive for as long as the block runs (restore reads a path)."""
    if not location.startswith(S3_SCHEME):
        yield Path(location)
        return
    with tempfile.TemporaryDirectory(prefix="berbagi-export-") as tmp:
        local = Path(tmp) / export_name(location)
        with export_open(location) as source, local.open("wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        yield local
