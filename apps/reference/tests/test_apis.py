"""The region's read-only reference APIs."""

from django.contrib.auth import get_user_model
from django.test import Client
from django_tenants.utils import schema_context

from apps.reference.models import ReferenceRelease
from tenants.models import Tenant

User = get_user_model()


def _client(tenant: Tenant) -> Client:
    client = Client()
    with schema_context(tenant.schema_name):
        client.force_login(User.objects.create_user(email="staf@medan.go.id", password="x-123456"))
    return client


def test_sub_kegiatan_search(loaded: ReferenceRelease, medan: Tenant) -> None:
    response = _client(medan).get(
        "/api/reference/sub-kegiatan/", {"q": "rumah sakit"}, HTTP_HOST="medan.localhost"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] > 3
    first = body["results"][0]
    assert {"kode", "nama", "induk", "kode_lama", "indikator", "satuan"} <= first.keys()
    assert all(row["tingkat"] == "sub_kegiatan" for row in body["results"])


def test_lists_of_accounts_prices_permits_and_opd(
    loaded: ReferenceRelease, priced: None, medan: Tenant
) -> None:
    client = _client(medan)
    client.defaults["HTTP_HOST"] = "medan.localhost"
    rekening = client.get("/api/reference/rekening/", {"q": "5.1.02.01.01.0024"}).json()
    assert rekening["results"][0]["tingkat"] == "sub_rincian_objek"
    harga = client.get("/api/reference/harga/", {"rekening": "5.1.02.01.01.0025"}).json()
    assert harga["count"] >= 5
    assert all("5.1.02.01.01.0025" in row["rekening"] for row in harga["results"])
    izin = client.get("/api/reference/izin/", {"q": "PBG", "berlaku": "1"}).json()
    assert izin["results"][0]["waktu_hari_kerja"] == 28
    opd = client.get("/api/reference/opd/", {"q": "DPMPTSP"}).json()
    assert opd["results"][0]["bidang"] == ["2.18"]
    dana = client.get("/api/reference/sumber-dana/").json()
    assert dana["count"] >= 10


def test_reference_apis_need_a_signed_in_user(loaded: ReferenceRelease, medan: Tenant) -> None:
    response = Client().get("/api/reference/rekening/", HTTP_HOST="medan.localhost")
    assert response.status_code in (401, 403)
    assert "message" in response.json()
