"""What the console's operations pages show: exports downloaded (and recorded) instead of server
paths, lifecycle details and rollout counts in words, regions by name, times in WIB."""

import ast
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from provisioning.models import LifecycleRecord, RegionExport, RolloutItem, RolloutJob
from provisioning.templatetags.console_display import DETAIL_LABELS, EMPTY
from tenants.models import TemplateVersion, Tenant

CONSOLE = settings.BASE_DOMAIN


def _export(tenant: Tenant, directory: Path, content: bytes = b"arsip") -> RegionExport:
    path = directory / f"{tenant.schema_name}-20270101T000000.tar"
    path.write_bytes(content)
    return RegionExport.objects.create(
        tenant=tenant,
        schema_name=tenant.schema_name,
        path=str(path),
        size_bytes=len(content),
        sha256="0" * 64,
    )


def _download_url(export: RegionExport) -> str:
    return f"/operasi/daerah/{export.schema_name}/arsip/{export.pk}/"


def test_central_support_downloads_an_export_and_the_download_is_recorded(
    console: Client, central: User, buol: Tenant, tmp_path: Path
) -> None:
    # given
    export = _export(buol, tmp_path, b"isi arsip buol")

    # when
    response = console.get(_download_url(export))

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"isi arsip buol"  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment")
    assert Path(export.path).name in response["Content-Disposition"]
    record = LifecycleRecord.objects.get(tenant=buol, action=LifecycleRecord.Action.DOWNLOAD)
    assert record.actor == central
    assert record.detail["export"] == export.pk
    with schema_context(buol.schema_name):
        assert AuditEntry.objects.filter(action="region.download").exists()


def test_only_central_support_downloads_exports(
    make_console_user: Callable[..., User], buol: Tenant, tmp_path: Path
) -> None:
    export = _export(buol, tmp_path)
    provincial = Client(HTTP_HOST=CONSOLE)
    provincial.force_login(
        make_console_user("sulteng@berbagi.test", role="provincial_admin", province_code="72")
    )

    refused = provincial.get(_download_url(export))
    anonymous = Client(HTTP_HOST=CONSOLE).get(_download_url(export))

    assert refused.status_code == 403
    assert anonymous.status_code == 302 and "/akun/login/" in anonymous["Location"]
    assert not LifecycleRecord.objects.filter(action=LifecycleRecord.Action.DOWNLOAD).exists()


def test_an_export_is_only_reachable_under_its_own_region(
    console: Client, buol: Tenant, medan: Tenant, tmp_path: Path
) -> None:
    export = _export(buol, tmp_path)
    assert console.get(f"/operasi/daerah/{medan.schema_name}/arsip/{export.pk}/").status_code == 404


def test_a_vanished_archive_file_is_refused_with_a_message_not_a_500(
    console: Client, buol: Tenant, tmp_path: Path
) -> None:
    export = _export(buol, tmp_path)
    Path(export.path).unlink()

    response = console.get(_download_url(export), follow=True)

    assert response.status_code == 200
    assert "Berkas arsip ini sudah tidak ada di server." in response.content.decode()
    assert not LifecycleRecord.objects.filter(action=LifecycleRecord.Action.DOWNLOAD).exists()


def test_the_region_page_shows_no_server_path_and_links_downloads_for_central_support_only(
    console: Client, make_console_user: Callable[..., User], buol: Tenant, tmp_path: Path
) -> None:
    export = _export(buol, tmp_path)
    provincial = Client(HTTP_HOST=CONSOLE)
    provincial.force_login(
        make_console_user("sulteng@berbagi.test", role="provincial_admin", province_code="72")
    )

    for client, may_download in ((console, True), (provincial, False)):
        body = client.get(f"/operasi/daerah/{buol.schema_name}/").content.decode()
        assert Path(export.path).name in body
        assert str(tmp_path) not in body
        assert (_download_url(export) in body) is may_download


def _detail_keys_written_by_services() -> set[str]:
    """Every constant key of a `detail={...}` argument in the console's services."""
    keys: set[str] = set()
    for folder in ("operations", "provisioning", "tenants"):
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.keyword) and node.arg == "detail":
                    value = node.value
                    if isinstance(value, ast.BoolOp):  # detail or {}
                        value = value.values[0]
                    if isinstance(value, ast.Dict):
                        keys |= {str(k.value) for k in value.keys if isinstance(k, ast.Constant)}
    return keys


def test_every_lifecycle_detail_key_the_services_write_has_a_label() -> None:
    keys = _detail_keys_written_by_services()
    assert {"reason", "path", "delete_after"} <= keys  # the scan finds what it should
    assert keys - set(DETAIL_LABELS) == set()


def test_lifecycle_history_speaks_indonesian_with_local_times_and_file_names(
    console: Client, buol: Tenant
) -> None:
    # given: one record carrying every key a service writes
    when = datetime(2027, 1, 31, 17, 30, tzinfo=UTC)
    detail = {key: "x" for key in DETAIL_LABELS}
    detail.update(
        path="/srv/berbagi/exports/daerah_72_05-1.tar",
        delete_after=when.isoformat(),
        archived_at=when.isoformat(),
        previous_status="suspended",
        reason="",
    )
    LifecycleRecord.objects.create(
        tenant=buol,
        schema_name=buol.schema_name,
        region_name=buol.name,
        action="archive",
        detail=detail,
    )

    # when
    body = console.get(f"/operasi/daerah/{buol.schema_name}/").content.decode()

    # then
    history = body.split("Riwayat siklus hidup", 1)[1]
    for key in DETAIL_LABELS:
        assert f"{key}:" not in history
    assert f"alasan: {EMPTY}" in history
    assert "berkas: daerah_72_05-1.tar" in history and "/srv/" not in history
    assert "boleh dihapus mulai: 01-02-2027 00:30 WIB" in history
    assert "status sebelumnya: Ditangguhkan" in history


def test_rollouts_name_regions_and_count_in_words(
    console: Client, medan: Tenant, buol: Tenant
) -> None:
    # given
    version = TemplateVersion.objects.order_by("-created_at").first()
    assert version is not None
    job = RolloutJob.objects.create(
        template_version=version, status="done", summary={"skipped": 1, "done": 1}
    )
    for tenant, status in ((medan, "skipped"), (buol, "done")):
        RolloutItem.objects.create(
            job=job, tenant=tenant, schema_name=tenant.schema_name, status=status
        )

    # when
    detail = console.get(f"/operasi/rilis/{job.pk}/").content.decode()
    releases = console.get("/operasi/rilis/").content.decode()

    # then
    rows = detail.split("<tbody>", 1)[1]
    assert medan.name in rows and buol.name in rows
    assert medan.schema_name not in rows and buol.schema_name not in rows
    summary = releases.split(f">{job.pk}</a>", 1)[1].split("</tr>", 1)[0]
    assert "Sudah mutakhir: 1" in summary and "Selesai: 1" in summary
    assert "skipped" not in summary and "done:" not in summary
