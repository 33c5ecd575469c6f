"""file_store / file_delete: bytes under the region's prefix, a row, and an audit entry each."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.audit.services import verify_chain
from apps.files import selectors, services
from apps.files.errors import FileContextError, FileError
from apps.files.models import StoredFile
from apps.files.tests.conftest import SAMPLES, StaffUser, upload
from tenants.models import Tenant


def test_stores_a_file_with_its_checksum_and_audits_it(
    medan: Tenant, region_user: StaffUser, media_root: Path
) -> None:
    user = region_user(medan, "bappeda@medan.test")
    with schema_context(medan.schema_name):
        # when a photo is stored
        stored = services.file_store(
            upload=upload("Foto Musrenbang.JPG", SAMPLES["jpg"], "text/html"),
            owner_app="umum",
            actor=user,
        )
        # then row, bytes and audit entry agree
        row = StoredFile.objects.get(pk=stored.pk)
        entry = AuditEntry.objects.get(action="files.stored", target_id=str(stored.pk))
        assert verify_chain().ok
    assert row.name == "Foto-Musrenbang.jpg"
    assert row.content_type == "image/jpeg"
    assert row.uploaded_by_id == user.pk
    assert row.path == f"umum/{stored.pk.hex}/Foto-Musrenbang.jpg"
    on_disk = media_root / medan.schema_name / row.path
    assert on_disk.read_bytes() == SAMPLES["jpg"]
    assert row.sha256 == hashlib.sha256(SAMPLES["jpg"]).hexdigest() == entry.changes["sha256"]
    assert entry.actor_id == str(user.pk)


def test_refuses_a_bad_upload_and_stores_nothing(medan: Tenant, media_root: Path) -> None:
    with schema_context(medan.schema_name):
        with pytest.raises(FileError):
            services.file_store(upload=upload("x.pdf", b"MZ"), owner_app="umum", actor="uji")
        with pytest.raises(FileError) as unknown:
            services.file_store(
                upload=upload("x.pdf", SAMPLES["pdf"]), owner_app="tidak_ada", actor="uji"
            )
        assert not StoredFile.objects.exists()
    assert unknown.value.field == "owner_app"
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_bytes_are_removed_when_the_row_cannot_be_recorded(
    medan: Tenant, media_root: Path, monkeypatch: Any
) -> None:
    def audit_fails(**kwargs: Any) -> None:
        raise RuntimeError("audit gagal")

    monkeypatch.setattr(services, "audit_record", audit_fails)
    with schema_context(medan.schema_name), pytest.raises(RuntimeError):
        services.file_store(upload=upload("x.pdf", SAMPLES["pdf"]), owner_app="umum", actor="uji")
    assert not any(p.is_file() for p in media_root.rglob("*"))


def test_refused_outside_a_region(db: None) -> None:
    with pytest.raises(FileContextError):
        services.file_store(upload=upload("x.pdf", SAMPLES["pdf"]), owner_app="umum", actor="uji")


def test_delete_audits_and_removes_the_bytes_only_after_commit(
    medan: Tenant, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with schema_context(medan.schema_name):
        stored = services.file_store(
            upload=upload("x.pdf", SAMPLES["pdf"]), owner_app="umum", actor="uji"
        )
        on_disk = media_root / medan.schema_name / stored.path
        file_id = str(stored.pk)
        with django_capture_on_commit_callbacks(execute=False) as pending:
            services.file_delete(stored=stored, actor="uji")
        # before commit the bytes are still there (a rollback would keep a consistent pair)
        assert on_disk.is_file()
        assert not StoredFile.objects.filter(pk=file_id).exists()
        assert AuditEntry.objects.filter(action="files.deleted", target_id=file_id).exists()
        for callback in pending:
            callback()
    assert not on_disk.exists()


def test_the_list_selector_filters_by_owner_app(medan: Tenant) -> None:
    with schema_context(medan.schema_name):
        first = services.file_store(
            upload=upload("a.pdf", SAMPLES["pdf"]), owner_app="umum", actor="uji"
        )
        StoredFile.objects.create(
            owner_app="lain",
            name="b.pdf",
            path="lain/b.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
        assert [f.pk for f in selectors.stored_file_list(owner_app="umum")] == [first.pk]
        assert selectors.stored_file_list().count() == 2
        assert selectors.stored_file_get(file_id=first.pk) == first
        assert selectors.stored_file_get(file_id="bukan-uuid") is None


def test_deleting_users_in_public_or_a_region_keeps_the_files_label(
    medan: Tenant, region_user: StaffUser
) -> None:
    # a platform user (public has no files table) and a region user who uploaded a file
    User.objects.create_user(email="staf@berbagi.test", platform_role="central_support").delete()
    uploader = region_user(medan, "bappeda@medan.test")
    with schema_context(medan.schema_name):
        stored = services.file_store(
            upload=upload("a.pdf", SAMPLES["pdf"]), owner_app="umum", actor=uploader
        )
        User.objects.filter(pk=uploader.pk).delete()
        assert StoredFile.objects.get(pk=stored.pk).uploaded_by_label == "bappeda@medan.test"
