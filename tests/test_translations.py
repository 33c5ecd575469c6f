"""Refusals raised from Python speak the chosen language: Indonesian by default, English with
the language cookie (API JSON messages, console pages, labels, importer errors)."""

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import translation
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.accounts.models import Role, User
from apps.reference.errors import ReferenceImportError
from apps.reference.services import reference_import
from provisioning.models import ProvisioningJob
from tenants.models import Tenant
from tests.pages import console_client, region_client

JOBS = "/api/provisioning/jobs/"


def _staff(email: str, role: str = User.PlatformRole.CENTRAL_SUPPORT) -> User:
    user = User.objects.create_user(email=email, password="x", platform_role=role)
    # Platform staff need TOTP on the console; a registered authenticator satisfies the guard.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def _console(user: User | None = None, *, language: str | None = None) -> APIClient:
    client = APIClient(HTTP_HOST=settings.BASE_DOMAIN)
    if language:
        client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def test_already_provisioned_409_is_indonesian_by_default_and_english_with_the_cookie(
    medan: Tenant,
) -> None:
    support = _staff("pusat@example.org")
    payload = {"kode_wilayah": "12.71", "admin_email": "a@b.example"}

    default = _console(support).post(JOBS, payload, format="json")
    english = _console(support, language="en").post(JOBS, payload, format="json")

    assert (default.status_code, english.status_code) == (409, 409)
    assert default.json()["message"] == "Kota Medan sudah disiapkan."
    assert english.json()["message"] == "Kota Medan has already been provisioned."
    assert english.json()["field"] == "kode_wilayah"
    assert english.json()["errors"] == [
        {"field": "kode_wilayah", "message": "Kota Medan has already been provisioned."}
    ]


def test_unknown_region_code_400_is_translated(db: None) -> None:
    support = _staff("pusat@example.org")
    payload = {"kode_wilayah": "99.99", "admin_email": "a@b.example"}

    default = _console(support).post(JOBS, payload, format="json")
    english = _console(support, language="en").post(JOBS, payload, format="json")

    assert (default.status_code, english.status_code) == (400, 400)
    assert default.json()["message"] == (
        "Kode wilayah '99.99' bukan kabupaten/kota dalam daftar wilayah."
    )
    assert english.json()["message"] == (
        "Region code '99.99' is not a regency or city in the region list."
    )


def test_the_permission_refusal_of_the_provisioning_api_is_translated(db: None) -> None:
    citizen = User.objects.create_user(email="warga@example.org", password="x")
    payload = {"kode_wilayah": "72.10", "admin_email": "a@b.example"}

    default = _console(citizen).post(JOBS, payload, format="json")
    english = _console(citizen, language="en").post(JOBS, payload, format="json")

    assert (default.status_code, english.status_code) == (403, 403)
    assert default.json()["message"].startswith("Hanya staf platform")
    assert english.json()["message"] == (
        "Only platform staff (central support or a provincial admin) can provision regions."
    )


def test_job_step_labels_follow_the_readers_language(db: None) -> None:
    support = _staff("pusat@example.org")
    job = ProvisioningJob.objects.create(
        region_id="72.10",
        admin_email="a@b.example",
        status=ProvisioningJob.Status.RUNNING,
        # Recorded by an Indonesian requester.
        steps=[{"name": "register", "label": "Mendaftarkan daerah", "status": "running"}],
    )

    default = _console(support).get(f"{JOBS}{job.pk}/").json()
    english = _console(support, language="en").get(f"{JOBS}{job.pk}/").json()

    assert default["steps"][0]["label"] == "Mendaftarkan daerah"
    assert english["steps"] == [
        {"name": "register", "label": "Registering the region", "status": "running"}
    ]


def test_a_lifecycle_refusal_names_the_status_in_the_chosen_language(buol: Tenant) -> None:
    support = _staff("pusat@example.org")
    Tenant.objects.filter(pk=buol.pk).update(status=Tenant.Status.SUSPENDED)
    url = f"/api/operations/regions/{buol.schema_name}/suspend/"

    default = _console(support).post(url)
    english = _console(support, language="en").post(url)

    assert (default.status_code, english.status_code) == (409, 409)
    assert default.json()["message"] == f"{buol.name} berstatus Ditangguhkan, bukan aktif."
    assert english.json()["message"] == f"{buol.name} is Suspended, not active."


def test_an_unknown_region_in_the_operations_api_is_a_translated_404(db: None) -> None:
    support = _staff("pusat@example.org")
    url = "/api/operations/regions/daerah_99_99/resume/"

    default = _console(support).post(url)
    english = _console(support, language="en").post(url)

    assert (default.status_code, english.status_code) == (404, 404)
    assert default.json()["message"] == "Daerah daerah_99_99 tidak ditemukan."
    assert english.json()["message"] == "Region daerah_99_99 not found."


def test_the_console_page_refuses_people_without_a_platform_role_in_their_language(
    db: None,
) -> None:
    citizen = User.objects.create_user(email="warga@example.org", password="x")
    default = Client(HTTP_HOST=settings.BASE_DOMAIN)
    english = Client(HTTP_HOST=settings.BASE_DOMAIN)
    english.cookies["django_language"] = "en"
    for client in (default, english):
        client.force_login(citizen)

    indonesian_page = default.get("/operasi/")
    english_page = english.get("/operasi/")

    assert (indonesian_page.status_code, english_page.status_code) == (403, 403)
    assert "Halaman ini khusus staf platform." in indonesian_page.content.decode()
    assert "This page is for platform staff only." in english_page.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", "ssh_2027.csv, baris 2: harga 'dua ribu' bukan angka"),
        ("en", "ssh_2027.csv, line 2: price 'dua ribu' is not a number"),
    ],
)
def test_a_reference_import_error_speaks_the_active_language(
    medan: Tenant, tmp_path: Path, language: str, expected: str
) -> None:
    path = tmp_path / "ssh_2027.csv"
    path.write_text(
        "kode;jenis;uraian;satuan;harga satuan;kode rekening\n"
        "SSH.99.0002;SSH;Pulpen;buah;dua ribu;5.1.02.01.01.0024\n",
        encoding="utf-8",
    )

    with (
        schema_context(medan.schema_name),
        translation.override(language),
        pytest.raises(ReferenceImportError) as caught,
    ):
        reference_import(path=path, kind="harga")

    assert caught.value.message == expected


# Every page, in Bahasa Indonesia, for every role: no English words or raw keys reach the reader.
# Words that are English only (Indonesian pages use "alasan", "berkas", "penerapan", "cuplikan").
ENGLISH = re.compile(
    r"\b(reason|path|skipped|rollouts?|snapshots?|pending|running|failed|done|none|true|false|"
    r"error|delete_after|previous_status|source_schema|archived_at|not found|page not found|"
    r"forbidden|server error|sign in|sign out|signed in|password|submit|save|cancel|delete|"
    r"remove|welcome|settings|required|invalid|this field)\b",
    re.IGNORECASE,
)
# Answers that are not pages: JSON APIs (their messages are tested above), the language switch.
NOT_PAGES = ("api/", "i18n/")
ARG_VALUES = {"schema_name": "daerah_72_05", "action": "tangguhkan", "token": "x", "key": "x"}


class _VisibleText(HTMLParser):
    """Text a reader sees: text nodes outside script/style, plus title/aria-label/placeholder."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(self._hidden - 1, 0)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def _routes(urlconf: str) -> list[str]:
    """Every URL pattern of a URLconf as a route string, includes flattened."""

    def walk(patterns: list[Any], prefix: str) -> list[str]:
        routes: list[str] = []
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                routes += walk(entry.url_patterns, route)
            else:
                routes.append(route)
        return routes

    return walk(get_resolver(urlconf).url_patterns, "")


def _path(route: str, ids: dict[str, int]) -> str | None:
    """A concrete path for a route: known objects' ids, placeholders for the rest (the page then
    answers its own 404, which is checked too). None for routes that are not pages."""
    route = route.lstrip("^").rstrip("$")
    if route.startswith(NOT_PAGES) or "(?P" in route:
        return None

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name in ids:
            return str(ids[name])
        if converter == "int":
            return "999999"
        if converter == "uuid":
            return "00000000-0000-0000-0000-000000000000"
        return ARG_VALUES.get(name, "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


def _page_data(buol: Tenant, tmp_path: Path) -> dict[str, int]:
    """Rows every leaky field renders from: lifecycle details, a rollout summary, an export."""
    from provisioning.models import LifecycleRecord, RegionExport, RolloutItem, RolloutJob
    from tenants.models import TemplateVersion

    archive_file = tmp_path / "daerah_72_05-1.tar"
    archive_file.write_bytes(b"x")
    export = RegionExport.objects.create(
        tenant=buol, schema_name=buol.schema_name, path=str(archive_file), sha256="0" * 64
    )
    for action, detail in (
        ("suspend", {"reason": ""}),
        ("export", {"path": str(archive_file), "tables": 3}),
        ("archive", {"delete_after": "2027-01-31T17:30:00+00:00", "previous_status": "active"}),
        ("restore", {"path": str(archive_file), "source_schema": "daerah_72_05"}),
        ("upgrade", {"job": 1, "version": "v2", "migrations": ["0002_x"]}),
    ):
        LifecycleRecord.objects.create(
            tenant=buol,
            schema_name=buol.schema_name,
            region_name=buol.name,
            action=action,
            detail=detail,
        )
    version = TemplateVersion.objects.order_by("-created_at").first()
    assert version is not None
    job = RolloutJob.objects.create(
        template_version=version,
        status="done_with_errors",
        summary={"skipped": 1, "done": 1, "failed": 1, "pending": 0, "running": 0},
    )
    for status in ("skipped", "done", "failed"):
        RolloutItem.objects.create(
            job=job,
            tenant=buol,
            schema_name=f"{buol.schema_name}_{status}",
            status=status,
            path="python",
            migrations=["0002_x"],
        )
    return {"job_id": job.pk, "export_id": export.pk}


def _english_on(client: Client, routes: list[str], ids: dict[str, int]) -> dict[str, list[str]]:
    leaks: dict[str, list[str]] = {}
    for route in routes:
        path = _path(route, ids)
        if path is None or path.rstrip("/").endswith(f"/arsip/{ids.get('export_id')}"):
            continue  # not a page, or the archive file itself
        response = client.get(path)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        found = ENGLISH.findall(_visible_text(response.content.decode()))
        if found:
            leaks[f"{path} ({response.status_code})"] = sorted(set(found))
    return leaks


@pytest.mark.parametrize(
    "role", ["", "anonymous", User.PlatformRole.CENTRAL_SUPPORT, User.PlatformRole.PROVINCIAL_ADMIN]
)
def test_every_console_page_is_indonesian_for_every_platform_role(
    buol: Tenant, tmp_path: Path, role: str
) -> None:
    ids = _page_data(buol, tmp_path)
    if role == "anonymous":
        client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    else:
        client = console_client(role, province_code="72" if role == "provincial_admin" else "")

    assert _english_on(client, _routes("saas.urls_public"), ids) == {}


@pytest.mark.parametrize("role", ["", "anonymous", *Role.values])
def test_every_region_page_is_indonesian_for_every_region_role(buol: Tenant, role: str) -> None:
    client = Client(HTTP_HOST="buol.localhost") if role == "anonymous" else None
    if client is None:
        client, _user = region_client(buol, *([role] if role else []))

    assert _english_on(client, _routes("saas.urls_tenant"), {}) == {}
