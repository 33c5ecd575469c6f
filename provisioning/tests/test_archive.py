from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from apps.accounts.models import User
from provisioning import archive, restore, services
from provisioning.models import LifecycleRecord
from provisioning.tests.conftest import schemas_drop
from tenants.models import Tenant

NEW_KODE = "12.07"  # Deli Serdang: in the registry, no tenant in the test database


@pytest.fixture(scope="module", autouse=True)
def _drop_restored(django_db_blocker: Any) -> Iterator[None]:
    """psql commits the restored data under a temporary `restore_*` name; the rename into place
    is rolled back with each test, so those schemas are dropped once the module is done."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'restore\\_%%'")
        schemas_drop([row[0] for row in cursor.fetchall()])


def test_export_then_restore_into_a_new_region_gives_equal_checksums(
    central: User, medan: Tenant, tmp_path: Path
) -> None:
    before = archive.schema_checksums(medan.schema_name)
    # when Medan is exported
    export = services.region_export(tenant=medan, actor=central, directory=tmp_path)
    manifest = export.manifest
    assert Path(export.path).is_file() and export.path.endswith(".tar")
    assert manifest["schema_name"] == medan.schema_name
    assert manifest["tables"]["django_migrations"]["rows"] > 0
    assert manifest["tables"] == before
    # and restored as a new region
    restored = services.region_restore(path=Path(export.path), actor=central, kode=NEW_KODE)
    # then the restored schema holds the very same data
    assert restored.status == Tenant.Status.ACTIVE
    assert restored.schema_name == Tenant.schema_name_for(NEW_KODE)
    assert archive.schema_checksums(restored.schema_name) == manifest["tables"]
    assert set(
        LifecycleRecord.objects.filter(
            schema_name__in=[medan.schema_name, restored.schema_name]
        ).values_list("action", flat=True)
    ) == {"export", "restore"}


def test_restore_over_the_same_region_replaces_its_data(
    central: User, buol: Tenant, tmp_path: Path
) -> None:
    # given an export of Buol, then a change made after it
    export = services.region_export(tenant=buol, actor=central, directory=tmp_path)
    services.region_suspend(tenant=buol, actor=central)
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{buol.schema_name}".django_migrations WHERE id < 3')
    assert archive.schema_checksums(buol.schema_name) != export.manifest["tables"]
    # when the archive is restored over it
    manifest = restore.archive_restore_schema(
        path=Path(export.path), target_schema=buol.schema_name
    )
    assert manifest["restored_as"] == buol.schema_name
    # then its data equals the export again
    now = archive.schema_checksums(buol.schema_name)
    assert now == export.manifest["tables"]


def test_the_schema_rename_leaves_copy_data_alone() -> None:
    script = (
        "CREATE TABLE daerah_12_71.t (x text);\n"
        "COPY daerah_12_71.t (x) FROM stdin;\n"
        "daerah_12_71.t stays\n"
        "\\.\n"
        "SELECT pg_catalog.setval('\"daerah_12_71\".t_id_seq', 1);\n"
        "SET transaction_timeout = 0;\n"
    )
    out = restore.rename_schema_in_script(script, "daerah_12_71", "restore_x", 150000)
    assert out == (
        "CREATE TABLE restore_x.t (x text);\n"
        "COPY restore_x.t (x) FROM stdin;\n"
        "daerah_12_71.t stays\n"
        "\\.\n"
        "SELECT pg_catalog.setval('\"restore_x\".t_id_seq', 1);\n"
    )
