"""A region's files in its export archive and back (called from provisioning/archive.py).

Export copies every file under the region's prefix into the archive's `files/` folder and returns
their SHA-256 for the manifest. Restore first checks that the archive's files are exactly the
manifest's (none missing, none extra, none altered), then replaces the region's files with them,
under the target region's prefix, whatever backend (volume or S3) is configured.
"""

import hashlib
import shutil
from pathlib import Path

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from apps.files.errors import FileArchiveError, FilePathError
from apps.files.storage import RegionFileStorage, path_clean


def _sha256_path(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def region_files_export(*, schema_name: str, target: Path) -> dict[str, str]:
    """Copy the region's files into `target` (created only if there are files); path -> sha256."""
    storage = RegionFileStorage(schema_name=schema_name)
    checksums: dict[str, str] = {}
    for name in storage.walk():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with storage.open(name, "rb") as source, destination.open("wb") as out:
            for chunk in source.chunks():
                digest.update(chunk)
                out.write(chunk)
        checksums[name] = digest.hexdigest()
    return checksums


def region_files_verify(*, source: Path, checksums: dict[str, str]) -> None:
    """FileArchiveError unless the files under `source` are exactly `checksums`."""
    found = (
        {p.relative_to(source).as_posix(): p for p in source.rglob("*") if p.is_file()}
        if source.is_dir()
        else {}
    )
    problems = sorted(set(found) ^ set(checksums))
    shared = set(found) & set(checksums)
    problems += sorted(n for n in shared if _sha256_path(found[n]) != checksums[n])
    for name in checksums:
        try:
            path_clean(name)
        except FilePathError:
            problems.append(name)
    if problems:
        raise FileArchiveError(
            _("Berkas dalam arsip tidak cocok dengan manifest: %(files)s")
            % {"files": ", ".join(problems[:10])},
            field="archive",
        )


def region_files_restore(*, schema_name: str, source: Path, checksums: dict[str, str]) -> int:
    """Verify the archive's files, then make them the region's files; the count restored."""
    region_files_verify(source=source, checksums=checksums)
    storage = RegionFileStorage(schema_name=schema_name)
    for name in list(storage.walk()):
        storage.delete(name)
    for name in sorted(checksums):
        with (source / name).open("rb") as handle:
            saved = storage.save(name, File(handle, name=name))
        if saved != name:
            raise FileArchiveError(
                _("Berkas %(name)s tersimpan sebagai %(saved)s.") % {"name": name, "saved": saved}
            )
    return len(checksums)


def region_files_purge(*, schema_name: str) -> int:
    """Delete every file of a region (its schema is being dropped); the count deleted."""
    storage = RegionFileStorage(schema_name=schema_name)
    names = list(storage.walk())
    for name in names:
        storage.delete(name)
    if isinstance(storage.backend, FileSystemStorage):
        shutil.rmtree(storage.backend.path(storage.prefix), ignore_errors=True)
    return len(names)
