"""The console API: POST returns the job, GET polls it; errors are JSON {field, message}."""

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from rest_framework.test import APIClient

from apps.accounts.models import User
from provisioning.models import ProvisioningJob
from tenants.models import Tenant


def _staff(email: str, role: str, province: str = "") -> User:
    user = User.objects.create_user(
        email=email, password="x", platform_role=role, province_code=province
    )
    # Platform staff must have TOTP on the console (apps.accounts); the API is behind it.
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def console() -> APIClient:
    return APIClient(HTTP_HOST=settings.BASE_DOMAIN)


@pytest.fixture
def sulteng_admin(db: None) -> User:
    return _staff("sulteng@example.org", User.PlatformRole.PROVINCIAL_ADMIN, "72")


def test_post_queues_the_job_as_a_task_and_the_job_can_be_polled(
    console: APIClient, sulteng_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    console.force_login(sulteng_admin)

    # when the job is posted, its task runs once the request's transaction commits
    with django_capture_on_commit_callbacks(execute=True) as queued:
        created = console.post(
            "/api/provisioning/jobs/",
            {"kode_wilayah": "72.10", "admin_email": "admin@sigi.example"},
            format="json",
        )

    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending" and queued
    polled = console.get(f"/api/provisioning/jobs/{created.json()['id']}/")
    assert polled.status_code == 200
    job = polled.json()
    assert job["status"] == "succeeded" and job["progress"] == 100
    assert job["kode_wilayah"] == "72.10" and job["schema_name"] == "daerah_72_10"
    assert job["domain"] == f"sigi.{settings.BASE_DOMAIN}"
    listed = console.get("/api/provisioning/jobs/?kode_wilayah=72.10").json()
    assert [j["id"] for j in listed] == [job["id"]]


def test_a_second_post_for_a_region_already_pending_is_409(
    console: APIClient, sulteng_admin: User
) -> None:
    console.force_login(sulteng_admin)
    body = {"kode_wilayah": "72.10", "admin_email": "admin@sigi.example"}
    first = console.post("/api/provisioning/jobs/", body, format="json")
    second = console.post("/api/provisioning/jobs/", body, format="json")
    assert first.status_code == 201 and first.json()["status"] == "pending"
    assert (second.status_code, second.json()["field"]) == (409, "kode_wilayah")
    assert ProvisioningJob.objects.filter(region_id="72.10").count() == 1


def test_an_admin_of_72_cannot_provision_12_71(console: APIClient, sulteng_admin: User) -> None:
    console.force_login(sulteng_admin)

    response = console.post(
        "/api/provisioning/jobs/",
        {"kode_wilayah": "12.07", "admin_email": "a@ds.example"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json()["field"] == "kode_wilayah" and response.json()["message"]
    assert not Tenant.objects.filter(region_id="12.07").exists()


def test_unknown_code_is_400_and_already_provisioned_is_409(
    console: APIClient, sulteng_admin: User, medan: Tenant
) -> None:
    support = _staff("pusat@example.org", User.PlatformRole.CENTRAL_SUPPORT)
    console.force_login(support)

    unknown = console.post(
        "/api/provisioning/jobs/", {"kode_wilayah": "99.99", "admin_email": "a@b.example"}
    )
    again = console.post(
        "/api/provisioning/jobs/", {"kode_wilayah": "12.71", "admin_email": "a@b.example"}
    )
    bad_email = console.post(
        "/api/provisioning/jobs/", {"kode_wilayah": "72.10", "admin_email": "nope"}
    )

    assert (unknown.status_code, unknown.json()["field"]) == (400, "kode_wilayah")
    assert (again.status_code, again.json()["field"]) == (409, "kode_wilayah")
    assert (bad_email.status_code, bad_email.json()["field"]) == (400, "admin_email")


def test_a_provincial_admin_sees_only_their_provinces_jobs(
    console: APIClient, sulteng_admin: User
) -> None:
    sumut = _staff("sumut@example.org", User.PlatformRole.PROVINCIAL_ADMIN, "12")
    console.force_login(sumut)
    job = console.post(
        "/api/provisioning/jobs/", {"kode_wilayah": "12.07", "admin_email": "a@ds.example"}
    ).json()

    console.force_login(sulteng_admin)

    assert console.get(f"/api/provisioning/jobs/{job['id']}/").status_code == 404
    assert all(
        j["kode_wilayah"].startswith("72.") for j in console.get("/api/provisioning/jobs/").json()
    )


def test_people_who_are_not_platform_staff_get_403(console: APIClient, db: None) -> None:
    citizen = User.objects.create_user(email="warga@example.org", password="x")
    console.force_login(citizen)

    response = console.post(
        "/api/provisioning/jobs/", {"kode_wilayah": "72.10", "admin_email": "a@b.example"}
    )

    assert response.status_code == 403
    assert not ProvisioningJob.objects.filter(region_id="72.10").exists()


def test_the_console_page_lists_only_the_admins_province(
    console: APIClient, sulteng_admin: User, buol: Tenant
) -> None:
    console.force_login(sulteng_admin)

    page = console.get("/penyiapan/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Kabupaten Buol" in html and "Kabupaten Sigi" in html
    assert "Kota Medan" not in html
    assert 'data-kode="72.10"' in html and "progressbar" in html
    assert console.get("/penyiapan/?provinsi=12").content.decode().count("Kota Medan") == 0
