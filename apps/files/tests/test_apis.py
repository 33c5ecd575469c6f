"""Upload, metadata, delete and download over HTTP: only staff of the file's own region, only
through the permission-checked API, never by a public path."""

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.files import owners, services
from apps.files.models import StoredFile
from apps.files.owners import FileOwner
from apps.files.tests.conftest import SAMPLES, StaffUser, client_for, upload
from tenants.models import Tenant


def _stored(tenant: Tenant, content: bytes = SAMPLES["pdf"], owner_app: str = "umum") -> StoredFile:
    with schema_context(tenant.schema_name):
        return services.file_store(
            upload=upload("Surat Izin.pdf", content), owner_app=owner_app, actor="uji"
        )


def _download(tenant: Tenant, user: Any, file_id: Any) -> Any:
    return client_for(tenant, user).get(f"/api/berkas/{file_id}/unduh/")


def test_upload_then_download_as_an_attachment(medan: Tenant, region_user: StaffUser) -> None:
    user = region_user(medan, "admin@medan.test")
    client = client_for(medan, user)
    created = client.post("/api/berkas/", {"file": upload("Surat Izin.pdf", SAMPLES["pdf"])})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "Surat-Izin.pdf" and body["content_type"] == "application/pdf"
    response = client.get(body["download_url"])
    assert response.status_code == 200
    assert response.getvalue() == SAMPLES["pdf"]
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Surat-Izin.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(f"/api/berkas/{body['id']}/").json()["sha256"] == body["sha256"]


def test_a_refused_upload_is_json_naming_the_field(medan: Tenant, region_user: StaffUser) -> None:
    client = client_for(medan, region_user(medan, "admin@medan.test"))
    response = client.post("/api/berkas/", {"file": upload("foto.png", SAMPLES["pdf"])})
    assert response.status_code == 400
    assert response.json()["field"] == "file"
    assert "tidak sesuai" in response.json()["message"]


def test_only_staff_upload_and_delete(medan: Tenant, region_user: StaffUser) -> None:
    stored = _stored(medan)
    no_role = client_for(medan, region_user(medan, "warga@medan.test", roles=()))
    assert (
        no_role.post("/api/berkas/", {"file": upload("a.pdf", SAMPLES["pdf"])}).status_code == 403
    )
    assert no_role.delete(f"/api/berkas/{stored.pk}/").status_code == 404
    admin = client_for(medan, region_user(medan, "admin@medan.test"))
    assert admin.delete(f"/api/berkas/{stored.pk}/").status_code == 204
    with schema_context(medan.schema_name):
        assert not StoredFile.objects.filter(pk=stored.pk).exists()


def test_a_file_of_one_region_cannot_be_fetched_from_another(
    medan: Tenant, buol: Tenant, region_user: StaffUser
) -> None:
    # given a file of Medan and an admin of Buol
    stored = _stored(medan)
    buol_admin = region_user(buol, "admin@buol.test")
    # when Buol's admin asks Buol's host for Medan's id, for the file and its metadata
    for path in (f"/api/berkas/{stored.pk}/unduh/", f"/api/berkas/{stored.pk}/"):
        response = client_for(buol, buol_admin).get(path)
        # then Buol does not know the file
        assert response.status_code == 404
        assert response.json()["field"] == "file_id"


def test_anonymous_and_roleless_users_get_nothing(medan: Tenant, region_user: StaffUser) -> None:
    stored = _stored(medan)
    for user in (None, region_user(medan, "warga@medan.test", roles=())):
        for path in (f"/api/berkas/{stored.pk}/unduh/", f"/api/berkas/{stored.pk}/"):
            response = client_for(medan, user).get(path)
            assert response.status_code in (401, 403, 404)
            assert SAMPLES["pdf"] not in response.content


def test_guessed_ids_and_traversal_paths_find_nothing(
    medan: Tenant, region_user: StaffUser
) -> None:
    _stored(medan)
    client = client_for(medan, region_user(medan, "admin@medan.test"))
    for path in (
        f"/api/berkas/{uuid.uuid4()}/unduh/",
        "/api/berkas/1/unduh/",
        f"/api/berkas/../../{medan.schema_name}/umum/unduh/",
        "/api/berkas/%2e%2e%2f%2e%2e%2fetc%2fpasswd/unduh/",
        f"/media/{medan.schema_name}/umum/",
        f"/{medan.schema_name}/umum/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path


def test_a_tampered_path_cannot_leave_the_region(
    medan: Tenant, buol: Tenant, region_user: StaffUser
) -> None:
    # given a Buol file, and a Medan row whose path was rewritten to climb into Buol's prefix
    secret = _stored(buol, SAMPLES["pdf"] + b"rahasia buol")
    mine = _stored(medan)
    with schema_context(medan.schema_name):
        StoredFile.objects.filter(pk=mine.pk).update(path=f"../{buol.schema_name}/{secret.path}")
    # when it is downloaded, then nothing of Buol's comes back
    response = _download(medan, region_user(medan, "admin@medan.test"), mine.pk)
    assert response.status_code == 400
    assert response.json()["field"] == "path"


def test_the_owner_apps_rule_decides_who_sees_a_file(
    medan: Tenant, region_user: StaffUser, monkeypatch: Any
) -> None:
    owner = FileOwner(app="uji_izin", may_view=lambda user, f: user.email.startswith("dpm"))
    monkeypatch.setitem(owners._OWNERS, owner.app, owner)
    stored = _stored(medan, owner_app="uji_izin")
    back_office = region_user(medan, "dpmptsp@medan.test", roles=(Role.PERIZINAN_BACK,))
    bappeda = region_user(medan, "bappeda@medan.test", roles=(Role.BAPPEDA,))
    assert _download(medan, back_office, stored.pk).status_code == 200
    assert _download(medan, bappeda, stored.pk).status_code == 404


def test_a_download_costs_a_bounded_number_of_statements(
    medan: Tenant, region_user: StaffUser, django_assert_max_num_queries: Any
) -> None:
    stored = _stored(medan)
    client = client_for(medan, region_user(medan, "admin@medan.test"))
    client.get(f"/api/berkas/{stored.pk}/")  # warm the routing cache
    # session, user, role assignments, the file row
    with django_assert_max_num_queries(4):
        assert client.get(f"/api/berkas/{stored.pk}/unduh/").status_code == 200


def _patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), entry.callback))
    return found


@pytest.mark.parametrize("urlconf", ["saas.urls_tenant", "saas.urls_public"])
def test_no_url_serves_files_from_storage_directly(urlconf: str, settings: Any) -> None:
    patterns = _patterns(get_resolver(urlconf))
    assert patterns
    for route, callback in patterns:
        assert getattr(callback, "__wrapped__", callback) is not serve, route
        assert "media" not in route, route
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"


def test_files_never_go_under_static_or_a_served_directory(settings: Any, media_root: Path) -> None:
    assert not str(media_root).startswith(str(settings.STATIC_ROOT))
    assert Path(settings.MEDIA_ROOT).resolve() not in [
        Path(d).resolve() for d in settings.STATICFILES_DIRS
    ]


def test_refusals_speak_the_chosen_language(medan: Tenant, region_user: StaffUser) -> None:
    client = client_for(medan, region_user(medan, "admin@medan.test"))
    bad = {"file": upload("foto.png", SAMPLES["pdf"])}
    assert client.post("/api/berkas/", bad).json()["message"] == (
        "Isi berkas tidak sesuai dengan jenisnya (.png)."
    )
    client.cookies["django_language"] = "en"
    bad = {"file": upload("foto.png", SAMPLES["pdf"])}
    assert client.post("/api/berkas/", bad).json()["message"] == (
        "The file's content does not match its type (.png)."
    )
    missing = client.get(f"/api/berkas/{uuid.uuid4()}/unduh/")
    assert missing.json() == {
        "field": "file_id",
        "message": "File not found.",
        "errors": [{"field": "file_id", "message": "File not found."}],
    }
