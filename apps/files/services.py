"""Writing and deleting region files; each writes its audit entry in the same transaction."""

import hashlib
import uuid
from typing import Any

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.files.models import StoredFile
from apps.files.owners import owner_get
from apps.files.storage import RegionFileStorage
from apps.files.validation import upload_check
from tenants.db import schema_current


def _sha256(upload: Any) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else iter(upload.read, b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _storage_here() -> RegionFileStorage:
    """The storage of the region this connection serves, bound to it (refused outside a region)."""
    return RegionFileStorage(schema_name=schema_current())


@transaction.atomic
def file_store(
    *,
    upload: Any,
    owner_app: str,
    actor: Actor,
) -> StoredFile:
    """Check and store an upload under the current region's prefix, record it and audit it.

    If the row cannot be written the stored bytes are removed again.
    """
    owner = owner_get(owner_app)
    checked = upload_check(upload=upload, extensions=owner.extensions, max_bytes=owner.max_bytes)
    storage = _storage_here()
    file_id = uuid.uuid4()
    sha256 = _sha256(upload)
    path = storage.save(f"{owner.app}/{file_id.hex}/{checked.name}", upload)
    try:
        stored = StoredFile.objects.create(
            id=file_id,
            owner_app=owner.app,
            name=checked.name,
            path=path,
            content_type=checked.content_type,
            size=checked.size,
            sha256=sha256,
            uploaded_by=actor if isinstance(actor, User) else None,
            uploaded_by_label=str(getattr(actor, "email", "") or actor)[:255],
        )
        audit_record(
            actor=actor,
            action=AuditAction.FILE_STORED,
            target=stored,
            changes={"owner_app": owner.app, "size": checked.size, "sha256": sha256},
        )
    except Exception:
        storage.delete(path)
        raise
    return stored


@transaction.atomic
def file_delete(*, stored: StoredFile, actor: Actor) -> None:
    """Remove the row and audit it; the bytes go once the transaction commits (kept on rollback)."""
    storage = _storage_here()
    path = stored.path
    audit_record(
        actor=actor,
        action=AuditAction.FILE_DELETED,
        target=stored,
        changes={"owner_app": stored.owner_app, "name": stored.name, "sha256": stored.sha256},
    )
    stored.delete()
    transaction.on_commit(lambda: storage.delete(path))
