"""Fixtures of region-file tests: a storage root per test, sample files of every type, clients."""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import Role, User
from apps.accounts.services import user_roles_set
from tenants.models import Tenant


def _office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


# One well-formed sample per extension of apps.files.validation.FILE_TYPES.
SAMPLES: dict[str, bytes] = {
    "pdf": b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,
    "jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 32,
    "jpeg": b"\xff\xd8\xff\xe1" + b"\x00" * 32,
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 24,
    "xlsx": _office("xl/"),
    "docx": _office("word/"),
}


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    """Every test stores into its own directory (the configured backend, a volume)."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.FILES_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root},
    }
    return root


StaffUser = Callable[..., User]


@pytest.fixture
def region_user(db: None) -> StaffUser:
    """region_user(tenant, email, roles=[Role.ADMIN]) made in the tenant's schema."""

    def make(tenant: Tenant, email: str, roles: tuple[str, ...] = (Role.ADMIN,)) -> User:
        with schema_context(tenant.schema_name):
            user = User.objects.create_user(email=email, password="rahasia-123456")
            if roles:
                user_roles_set(user=user, roles=list(roles), opd_code="", changed_by="uji")
        return user

    return make


def client_for(tenant: Tenant, user: User | None) -> Client:
    """A client on the tenant's host, signed in as `user` there (or anonymous)."""
    domain = tenant.get_primary_domain()
    assert domain is not None
    client = Client(HTTP_HOST=str(domain.domain))
    if user is not None:
        with schema_context(tenant.schema_name):
            client.force_login(user)
    return client
