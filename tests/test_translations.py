"""Refusals raised from Python speak the chosen language: Indonesian by default, English with
the language cookie (API JSON messages, console pages, labels, importer errors)."""

from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.reference.errors import ReferenceImportError
from apps.reference.services import reference_import
from provisioning.models import ProvisioningJob
from tenants.models import Tenant

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
