"""Region exports kept in an S3-compatible bucket (OPERATIONS_EXPORT_STORAGE=s3): moto's S3
server on loopback stands in for MinIO or a cloud bucket; django-storages talks HTTP to it."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.db import connection
from django.test import Client
from moto.server import ThreadedMotoServer

from apps.accounts.models import User
from provisioning import archive, services
from provisioning.export_store import export_exists, export_local
from provisioning.tests.conftest import CONSOLE, schemas_drop
from tenants.models import Tenant

BUCKET = "ekspor-uji"


@pytest.fixture(scope="module", autouse=True)
def _drop_restored(django_db_blocker: Any) -> Iterator[None]:
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'restore\\_%%'")
        schemas_drop([row[0] for row in cursor.fetchall()])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_exports(settings: Any, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "uji")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "uji-rahasia")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.OPERATIONS_EXPORT_STORAGE = "s3"
    settings.EXPORTS_S3_OPTIONS = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "addressing_style": "path",
        "location": "exports",
        "default_acl": None,
        "file_overwrite": False,
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_an_export_moves_to_the_bucket_and_comes_back_for_download_and_restore(
    s3_exports: Any, central: User, buol: Tenant, tmp_path: Path
) -> None:
    # when Buol is exported with the S3 store
    export = services.region_export(tenant=buol, actor=central, directory=tmp_path)
    # then the archive is in the bucket, under exports/, and not left on the volume
    assert export.path.startswith(f"s3://{BUCKET}/exports/")
    keys = [o["Key"] for o in s3_exports.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [export.path.removeprefix(f"s3://{BUCKET}/")]
    assert list(tmp_path.iterdir()) == []
    assert export_exists(export.path)
    stored = s3_exports.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    # and central support downloads the very bytes the bucket holds
    client = Client(HTTP_HOST=CONSOLE)
    client.force_login(central)
    response = client.get(f"/operasi/daerah/{buol.schema_name}/arsip/{export.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored  # type: ignore[attr-defined]
    # and a restore fetches it back and brings the data as it was
    services.region_suspend(tenant=buol, actor=central)
    with export_local(export.path) as local:
        restored = services.region_restore(path=local, actor=central, tenant=buol)
    assert archive.schema_checksums(restored.schema_name) == export.manifest["tables"]


def test_a_missing_object_is_refused_with_a_message(
    s3_exports: Any, central: User, buol: Tenant, tmp_path: Path
) -> None:
    export = services.region_export(tenant=buol, actor=central, directory=tmp_path)
    s3_exports.delete_object(Bucket=BUCKET, Key=export.path.removeprefix(f"s3://{BUCKET}/"))
    client = Client(HTTP_HOST=CONSOLE)
    client.force_login(central)
    response = client.get(f"/operasi/daerah/{buol.schema_name}/arsip/{export.pk}/", follow=True)
    assert "tidak ada" in response.content.decode()
