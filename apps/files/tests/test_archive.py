"""A region's files travel in its export archive, with checksums, and come back on restore."""

import hashlib
import tarfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.files.archive import region_files_export, region_files_restore, region_files_verify
from apps.files.errors import FileArchiveError
from apps.files.storage import RegionFileStorage
from provisioning import restore, services
from provisioning.archive import ArchiveInvalidError
from tenants.models import Tenant

NEW_KODE = "12.07"  # Deli Serdang: in the registry, no tenant in the test database
FILES = {"umum/a1/Surat.pdf": b"%PDF-1.7 surat", "musrenbang/b2/foto.jpg": b"\xff\xd8\xff foto"}


@pytest.fixture(scope="module", autouse=True)
def _drop_restored(django_db_blocker: Any) -> Iterator[None]:
    """Restores commit their data under a temporary `restore_*` schema (provisioning.archive)."""
    yield
    with django_db_blocker.unblock():
        conn = psycopg2.connect(**connection.get_connection_params())
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'restore\\_%%'")
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        conn.close()


@pytest.fixture
def central(db: None) -> User:
    return User.objects.create_user(email="pusat@berbagi.test", platform_role="central_support")


def _put(schema_name: str, files: dict[str, bytes]) -> None:
    storage = RegionFileStorage(schema_name=schema_name)
    for name, content in files.items():
        assert storage.save(name, ContentFile(content)) == name


def _contents(schema_name: str) -> dict[str, bytes]:
    storage = RegionFileStorage(schema_name=schema_name)
    return {name: storage.open(name).read() for name in storage.walk()}


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_export_carries_the_files_and_a_restore_brings_them_to_the_new_region(
    central: User, medan: Tenant, tmp_path: Path
) -> None:
    # given Medan holds two files (and Buol one that must not travel)
    _put(medan.schema_name, FILES)
    _put("daerah_72_05", {"umum/x/buol.pdf": b"%PDF buol"})
    # when Medan is exported
    export = services.region_export(tenant=medan, actor=central, directory=tmp_path / "ekspor")
    # then the manifest lists exactly its files with their checksums, and the tar holds them
    assert export.manifest["files"] == {name: _sha(content) for name, content in FILES.items()}
    with tarfile.open(export.path) as tar:
        assert {m.name for m in tar.getmembers() if m.isfile()} >= {f"files/{n}" for n in FILES}
    # and restored as a new region, the files sit under the new region's prefix
    restored = services.region_restore(path=Path(export.path), actor=central, kode=NEW_KODE)
    assert _contents(restored.schema_name) == FILES
    assert _contents(medan.schema_name) == FILES


def test_a_restore_with_altered_files_is_refused_before_anything_changes(
    central: User, buol: Tenant, tmp_path: Path
) -> None:
    # given an export of Buol whose file was altered inside the tar afterwards
    _put(buol.schema_name, {"umum/a/izin.pdf": b"%PDF asli"})
    export = services.region_export(tenant=buol, actor=central, directory=tmp_path)
    tampered = tmp_path / "diubah.tar"
    with tarfile.open(export.path) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "files/umum/a/izin.pdf":
                content = b"%PDF palsu"
                member.size = len(content)
                target.addfile(member, ContentFile(content))
            else:
                target.addfile(member, data)
    # and Buol's files changed since
    _put(buol.schema_name, {"umum/b/baru.pdf": b"%PDF baru"})
    services.region_suspend(tenant=buol, actor=central)
    # when the tampered archive is restored over Buol, then it is refused
    with pytest.raises(ArchiveInvalidError, match=r"izin\.pdf"):
        restore.archive_restore_schema(path=tampered, target_schema=buol.schema_name)
    # and Buol's files are as they were
    assert set(_contents(buol.schema_name)) == {"umum/a/izin.pdf", "umum/b/baru.pdf"}


def _tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    return root


@pytest.mark.parametrize(
    ("on_disk", "manifest"),
    [
        ({"a/x.pdf": b"2"}, {"a/x.pdf": _sha(b"1")}),  # altered
        ({}, {"a/x.pdf": _sha(b"1")}),  # missing
        ({"a/x.pdf": b"1", "a/y.pdf": b"2"}, {"a/x.pdf": _sha(b"1")}),  # extra
        ({"a/x.pdf": b"1"}, {"a/x.pdf": _sha(b"1"), "../x.pdf": _sha(b"1")}),  # escaping name
    ],
)
def test_verification_refuses_every_kind_of_mismatch(
    on_disk: dict[str, bytes], manifest: dict[str, str], tmp_path: Path
) -> None:
    with pytest.raises(FileArchiveError):
        region_files_verify(source=_tree(tmp_path / "files", on_disk), checksums=manifest)


def test_files_round_trip_between_prefixes(medan: Tenant, tmp_path: Path) -> None:
    _put(medan.schema_name, FILES)
    checksums = region_files_export(schema_name=medan.schema_name, target=tmp_path / "files")
    _put("daerah_12_07", {"lama/sisa.pdf": b"%PDF sisa"})
    count = region_files_restore(
        schema_name="daerah_12_07", source=tmp_path / "files", checksums=checksums
    )
    assert count == len(FILES)
    assert _contents("daerah_12_07") == FILES  # the old file is gone
    assert region_files_export(schema_name="daerah_99_99", target=tmp_path / "kosong") == {}


def test_deleting_a_region_deletes_its_files_once_committed(
    central: User,
    medan: Tenant,
    buol: Tenant,
    media_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given Medan and Buol hold files, and Medan is archived past its retention
    _put(medan.schema_name, FILES)
    _put(buol.schema_name, {"umum/x/buol.pdf": b"%PDF buol"})
    services.region_archive(tenant=medan, actor=central)
    medan.lifecycle.delete_after = timezone.now() - timedelta(seconds=1)
    medan.lifecycle.save()
    # when Medan is deleted and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        services.region_delete(tenant=medan, actor=central, confirmation=medan.slug)
    # then no file of Medan is left, and Buol's are untouched
    assert not (media_root / medan.schema_name).exists()
    assert _contents(buol.schema_name) == {"umum/x/buol.pdf": b"%PDF buol"}
