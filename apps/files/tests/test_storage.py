"""RegionFileStorage: keys under the region's prefix; nothing outside a region or the prefix."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django_tenants.utils import schema_context

from apps.files.errors import FileContextError, FilePathError
from apps.files.storage import RegionFileStorage
from tenants.models import Tenant

# Names that would leave the prefix or are not plain relative paths.
ESCAPES = [
    "",
    "..",
    "../daerah_72_05/berkas.pdf",
    "umum/../../daerah_72_05/berkas.pdf",
    "umum/./berkas.pdf",
    "umum//berkas.pdf",
    "umum/",
    "/etc/passwd",
    "C:/Windows/win.ini",
    "umum\\..\\..\\berkas.pdf",
    "berkas.pdf\x00.png",
]

# Every storage operation that takes a name, called with that name.
OPERATIONS: dict[str, Callable[[RegionFileStorage, str], Any]] = {
    "open": lambda s, n: s.open(n),
    "save": lambda s, n: s.save(n, ContentFile(b"x")),
    "exists": lambda s, n: s.exists(n),
    "delete": lambda s, n: s.delete(n),
    "size": lambda s, n: s.size(n),
    "path": lambda s, n: s.path(n),
    "get_modified_time": lambda s, n: s.get_modified_time(n),
    "get_created_time": lambda s, n: s.get_created_time(n),
    "get_accessed_time": lambda s, n: s.get_accessed_time(n),
    "get_available_name": lambda s, n: s.get_available_name(n),
    "listdir": lambda s, n: s.listdir(n) if n else s.listdir("../x"),
}


def test_each_region_keeps_its_files_under_its_own_schema_prefix(
    medan: Tenant, buol: Tenant, media_root: Path
) -> None:
    # when both regions store the same name
    with schema_context(medan.schema_name):
        saved = RegionFileStorage().save("umum/surat.pdf", ContentFile(b"medan"))
    with schema_context(buol.schema_name):
        RegionFileStorage().save("umum/surat.pdf", ContentFile(b"buol"))
    # then each lands under its own schema and reads back its own bytes
    assert saved == "umum/surat.pdf"
    assert (media_root / medan.schema_name / "umum" / "surat.pdf").read_bytes() == b"medan"
    assert (media_root / buol.schema_name / "umum" / "surat.pdf").read_bytes() == b"buol"
    with schema_context(buol.schema_name):
        assert RegionFileStorage().open("umum/surat.pdf").read() == b"buol"
        assert list(RegionFileStorage().walk()) == ["umum/surat.pdf"]


def test_an_explicit_region_does_not_depend_on_the_connection(medan: Tenant) -> None:
    storage = RegionFileStorage(schema_name=medan.schema_name)
    storage.save("a/b.pdf", ContentFile(b"1"))
    with schema_context(medan.schema_name):
        assert RegionFileStorage().exists("a/b.pdf")


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize(
    "schema", [settings.PUBLIC_SCHEMA_NAME, settings.TEMPLATE_SCHEMA_NAME, "Bad-Name"]
)
def test_refuses_every_operation_outside_a_region(operation: str, schema: str, db: None) -> None:
    with pytest.raises(FileContextError):
        OPERATIONS[operation](RegionFileStorage(schema_name=None), "umum/x.pdf")
    with pytest.raises(FileContextError):
        RegionFileStorage(schema_name=schema)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@pytest.mark.parametrize("name", ESCAPES)
def test_refuses_every_name_that_leaves_the_prefix(
    operation: str, name: str, medan: Tenant, media_root: Path
) -> None:
    storage = RegionFileStorage(schema_name=medan.schema_name)
    with pytest.raises(FilePathError):
        OPERATIONS[operation](storage, name)
    assert not any(p.is_file() for p in media_root.rglob("*")) if media_root.exists() else True


def test_has_no_public_url(medan: Tenant) -> None:
    storage = RegionFileStorage(schema_name=medan.schema_name)
    storage.save("umum/x.pdf", ContentFile(b"1"))
    with pytest.raises(FilePathError):
        storage.url("umum/x.pdf")


def _configured_backend(extra_env: dict[str, str]) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(extra_env, DJANGO_SETTINGS_MODULE="saas.settings.base")
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps(settings.FILES_STORAGE, default=str))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, check=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_the_backend_is_a_volume_by_default_and_s3_when_a_bucket_is_set() -> None:
    volume = _configured_backend({"MEDIA_ROOT": "/srv/berkas"})
    assert volume["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert volume["OPTIONS"]["location"] == "/srv/berkas"
    s3 = _configured_backend(
        {"AWS_STORAGE_BUCKET_NAME": "berkas", "AWS_S3_ENDPOINT_URL": "http://minio:9000"}
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "berkas"
    assert s3["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert s3["OPTIONS"]["default_acl"] is None  # private objects
