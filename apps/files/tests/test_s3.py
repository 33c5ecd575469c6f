"""The S3 backend (django-storages) against a real S3-compatible server: moto's, on loopback.

moto[server] answers the S3 HTTP API on 127.0.0.1; the storage talks to it through boto3 exactly
as it would to MinIO or a cloud bucket, so these tests store, read, list and delete over HTTP.
"""

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.base import ContentFile
from moto.server import ThreadedMotoServer

from apps.files.archive import region_files_export, region_files_restore
from apps.files.storage import RegionFileStorage
from tenants.models import Tenant

BUCKET = "berkas-uji"


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
def s3_settings(settings: Any, s3_endpoint: str, monkeypatch: Any) -> Any:
    """FILES_STORAGE as base.py builds it when AWS_STORAGE_BUCKET_NAME is set."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "uji")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "uji-rahasia")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.FILES_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "region_name": "us-east-1",
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_stores_reads_lists_and_deletes_under_the_region_prefix(
    s3_settings: Any, medan: Tenant, buol: Tenant
) -> None:
    medan_files = RegionFileStorage(schema_name=medan.schema_name)
    buol_files = RegionFileStorage(schema_name=buol.schema_name)
    # when both regions store the same name
    assert medan_files.save("umum/a/surat.pdf", ContentFile(b"%PDF medan")) == "umum/a/surat.pdf"
    buol_files.save("umum/a/surat.pdf", ContentFile(b"%PDF buol"))
    medan_files.save("musrenbang/b/foto.jpg", ContentFile(b"\xff\xd8\xff"))
    # then the bucket keys carry each region's prefix
    keys = sorted(o["Key"] for o in s3_settings.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == [
        f"{medan.schema_name}/musrenbang/b/foto.jpg",
        f"{medan.schema_name}/umum/a/surat.pdf",
        f"{buol.schema_name}/umum/a/surat.pdf",
    ]
    # and each region reads, sizes and lists only its own
    assert medan_files.open("umum/a/surat.pdf").read() == b"%PDF medan"
    assert buol_files.size("umum/a/surat.pdf") == len(b"%PDF buol")
    assert medan_files.listdir("") == (["musrenbang", "umum"], [])
    assert list(medan_files.walk()) == ["musrenbang/b/foto.jpg", "umum/a/surat.pdf"]
    assert list(buol_files.walk()) == ["umum/a/surat.pdf"]
    # when Medan deletes its file, Buol's stays
    medan_files.delete("umum/a/surat.pdf")
    assert not medan_files.exists("umum/a/surat.pdf")
    assert buol_files.exists("umum/a/surat.pdf")


def test_export_and_restore_through_s3(s3_settings: Any, medan: Tenant, tmp_path: Any) -> None:
    RegionFileStorage(schema_name=medan.schema_name).save("umum/a/s.pdf", ContentFile(b"%PDF s"))
    checksums = region_files_export(schema_name=medan.schema_name, target=tmp_path / "files")
    assert list(checksums) == ["umum/a/s.pdf"]
    region_files_restore(schema_name="daerah_12_07", source=tmp_path / "files", checksums=checksums)
    restored = RegionFileStorage(schema_name="daerah_12_07")
    assert restored.open("umum/a/s.pdf").read() == b"%PDF s"
