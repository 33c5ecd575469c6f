"""The region's read-only reference APIs."""

from django.contrib.auth import get_user_model
from django.db.models import F
from django.test import Client
from django_tenants.utils import schema_context

from apps.reference.models import Nomenklatur, ReferenceRelease
from apps.reference.services import reference_release_upgrade
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


def test_nomenclature_api_returns_the_2027_1_fields_and_successors(
    loaded: ReferenceRelease, medan: Tenant
) -> None:
    # given Medan brought to release 2027.1
    with schema_context(medan.schema_name):
        reference_release_upgrade(versi="2027.1", actor="uji")
        renumbered = (
            Nomenklatur.objects.filter(retired_at=None)
            .exclude(kode_sebelumnya="")
            .exclude(kode_sebelumnya=F("kode"))
            .order_by("kode")
            .first()
        )
        assert renumbered is not None
        old = Nomenklatur.objects.get(kode=renumbered.kode_sebelumnya)
        assert old.retired
        spm = Nomenklatur.objects.filter(spm=True, retired_at=None).exclude(
            definisi_operasional=""
        )[0]
    client = _client(medan)
    client.defaults["HTTP_HOST"] = "medan.localhost"
    # then a current item carries every 2027.1 field
    row = client.get("/api/reference/nomenklatur/", {"q": spm.kode}).json()["results"][0]
    assert row["kode"] == spm.kode and row["spm"] is True
    assert row["definisi_operasional"] == spm.definisi_operasional
    assert {"jenis", "tag", "pelaksana", "kekhususan", "kode_sebelumnya", "retired"} <= row.keys()
    assert row["retired"] is False and row["pengganti"] is None
    # and a retired item shows its state and suggested successor
    body = client.get("/api/reference/nomenklatur/", {"q": old.kode, "retired": "1"}).json()
    retired = next(r for r in body["results"] if r["kode"] == old.kode)
    assert retired["retired"] is True and retired["retired_at"] is not None
    assert retired["pengganti"] == renumbered.kode
    new = next(
        r
        for r in client.get("/api/reference/nomenklatur/", {"q": renumbered.kode}).json()["results"]
        if r["kode"] == renumbered.kode
    )
    assert new["kode_sebelumnya"] == old.kode


def test_openapi_schema_declares_the_2027_1_fields(medan: Tenant) -> None:
    schema = Client().get("/api/schema/", {"format": "json"}, HTTP_HOST="medan.localhost").json()
    fields = schema["components"]["schemas"]["NomenklaturOutput"]["properties"]
    for name in ("kode_sebelumnya", "spm", "jenis", "tag", "pelaksana", "definisi_operasional"):
        assert name in fields
    assert fields["pengganti"].get("nullable") is True
    assert fields["retired"]["type"] == "boolean"
    assert "/api/reference/usulan/{id}/setujui/" in schema["paths"]
    assert "/api/reference/harga/{id}/riwayat/" in schema["paths"]
