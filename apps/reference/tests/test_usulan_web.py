"""Standard-price requests through the API and the pages: role boundaries, JSON field+message
refusals, the Bahasa Indonesia refusal of a second approval by the first approver, and an
item's price history page and API."""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.reference.models import StandarHarga, UsulanHarga
from tenants.models import Tenant

DINKES = "1.02.0.00.0.00.01.0000"
DISDIK = "1.01.0.00.0.00.01.0000"
ATK = "5.1.02.01.01.0024"
HOST = "medan.localhost"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    settings.FILES_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": root},
    }
    return root


@pytest.fixture
def clients(priced: None, medan: Tenant) -> Iterator[dict[str, Client]]:
    """A signed-in client per role in Medan."""
    made: dict[str, Client] = {}
    spec = {
        "operator": [(Role.OPD_OPERATOR, DINKES)],
        "operator_lain": [(Role.OPD_OPERATOR, DISDIK)],
        "bpkad": [(Role.BPKAD, "")],
        "tapd": [(Role.TAPD, "")],
        "keduanya": [(Role.BPKAD, ""), (Role.TAPD, "")],
        "inspektorat": [(Role.INSPEKTORAT, "")],
        "perizinan": [(Role.PERIZINAN_FRONT, "")],
    }
    with schema_context(medan.schema_name):
        for name, roles in spec.items():
            user = User.objects.create_user(email=f"{name}@medan.go.id")
            for role, opd in roles:
                RoleAssignment.objects.create(user=user, role=role, opd_code=opd)
            client = Client(HTTP_HOST=HOST)
            client.force_login(user)
            made[name] = client
    yield made


def _propose(client: Client, **overrides: Any) -> Any:
    body: dict[str, Any] = {
        "jenis_usulan": "item_baru",
        "opd": DINKES,
        "alasan": "Tiga penawaran",
        "jenis_standar": "SSH",
        "kode": "SSH.99.0001",
        "uraian": "Masker medis",
        "satuan": "kotak",
        "harga": "65000",
        "rekening": [ATK],
    }
    body.update(overrides)
    return client.post("/api/reference/usulan/", body, content_type="application/json")


def test_api_proposes_approves_twice_and_the_item_appears(
    clients: dict[str, Client], medan: Tenant
) -> None:
    created = _propose(clients["operator"])
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "diajukan" and created.json()["rekening"] == [ATK]
    first = clients["bpkad"].post(f"/api/reference/usulan/{pk}/setujui/", {}, "application/json")
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "diajukan"
    second = clients["tapd"].post(f"/api/reference/usulan/{pk}/setujui/", {}, "application/json")
    assert second.json()["status"] == "disetujui"
    assert [p["peran"] for p in second.json()["persetujuan"]] == ["bpkad", "tapd"]
    item_id = second.json()["item"]
    history = clients["operator"].get(f"/api/reference/harga/{item_id}/riwayat/")
    assert history.status_code == 200
    assert history.json()["riwayat"][0]["harga_baru"] == "65000.00"
    listed = clients["inspektorat"].get("/api/reference/harga/", {"q": "SSH.99.0001"}).json()
    assert listed["results"][0]["id"] == item_id


def test_api_refusals_name_the_field(clients: dict[str, Client]) -> None:
    negative = _propose(clients["operator"], harga="-5")
    assert negative.status_code == 400
    assert negative.json()["field"] == "harga"
    above = _propose(clients["operator"], rekening=["5.1.02.01.01"])
    assert above.json()["field"] == "rekening" and "sub rincian objek" in above.json()["message"]
    pk = _propose(clients["operator"]).json()["id"]
    clients["keduanya"].post(f"/api/reference/usulan/{pk}/setujui/", {}, "application/json")
    again = clients["keduanya"].post(
        f"/api/reference/usulan/{pk}/setujui/", {"peran": "tapd"}, "application/json"
    )
    assert again.status_code == 403
    assert again.json()["field"] == "persetujuan"
    assert "orang lain" in again.json()["message"]


def test_api_role_boundaries(clients: dict[str, Client], priced: None) -> None:
    pk = _propose(clients["operator"]).json()["id"]
    # another OPD neither sees nor proposes for the health office
    assert clients["operator_lain"].get(f"/api/reference/usulan/{pk}/").status_code == 404
    assert clients["operator_lain"].get("/api/reference/usulan/").json()["count"] == 0
    assert _propose(clients["operator_lain"], kode="SSH.99.0002").status_code == 403
    # deciders cannot propose; proposers cannot decide; observers read only
    assert _propose(clients["bpkad"], kode="SSH.99.0003").status_code == 403
    url = f"/api/reference/usulan/{pk}/setujui/"
    assert clients["operator"].post(url, {}, "application/json").status_code == 403
    assert clients["inspektorat"].get(f"/api/reference/usulan/{pk}/").status_code == 200
    assert clients["inspektorat"].post(url, {}, "application/json").status_code == 403
    # a role outside budgeting reads nothing; anonymous callers are refused
    assert clients["perizinan"].get("/api/reference/usulan/").status_code == 403
    assert Client(HTTP_HOST=HOST).get("/api/reference/usulan/").status_code in (401, 403)
    reject = clients["tapd"].post(
        f"/api/reference/usulan/{pk}/tolak/", {"alasan": ""}, "application/json"
    )
    assert reject.status_code == 400 and reject.json()["field"] == "alasan"


def test_api_request_is_invisible_in_another_region(
    clients: dict[str, Client], buol: Tenant
) -> None:
    pk = _propose(clients["operator"]).json()["id"]
    with schema_context(buol.schema_name):
        user = User.objects.create_user(email="bpkad@buol.go.id")
        RoleAssignment.objects.create(user=user, role=Role.BPKAD)
        client = Client(HTTP_HOST="buol.localhost")
        client.force_login(user)
    assert client.get(f"/api/reference/usulan/{pk}/").status_code == 404
    assert (
        client.post(f"/api/reference/usulan/{pk}/setujui/", {}, "application/json").status_code
        == 404
    )


def test_pages_propose_approve_and_show_the_price_history(
    clients: dict[str, Client], medan: Tenant
) -> None:
    with schema_context(medan.schema_name):
        item = StandarHarga.objects.get(kode="SSH.01.0001")
    form = clients["operator"].get("/referensi/usulan/baru/")
    assert form.status_code == 200 and DINKES.encode() in form.content
    posted = clients["operator"].post(
        "/referensi/usulan/baru/",
        {
            "jenis_usulan": "harga_baru",
            "opd": DINKES,
            "item": "SSH.01.0001",
            "harga": "5000",
            "alasan": "Harga naik",
        },
    )
    assert posted.status_code == 302, posted.content.decode()[:2000]
    with schema_context(medan.schema_name):
        usulan = UsulanHarga.objects.get()
    detail = posted["Location"]
    page = clients["bpkad"].get(detail)
    assert b'id="approve-form"' in page.content
    clients["keduanya"].post(f"/referensi/usulan/{usulan.pk}/setujui/", {"peran": "bpkad"})
    refused = clients["keduanya"].post(f"/referensi/usulan/{usulan.pk}/setujui/", {"peran": ""})
    assert refused.status_code == 400
    assert "persetujuan kedua harus diberikan orang lain" in refused.content.decode()
    done = clients["tapd"].post(f"/referensi/usulan/{usulan.pk}/setujui/")
    assert done.status_code == 302
    listing = clients["inspektorat"].get("/referensi/usulan/", {"status": "disetujui"})
    assert usulan.nomor.encode() in listing.content
    history = clients["inspektorat"].get(f"/referensi/harga/item/{item.pk}/riwayat/")
    text = history.content.decode()
    assert "Rp 4.500,00" in text and "Rp 5.000,00" in text and usulan.nomor in text
    with schema_context(medan.schema_name):
        item.refresh_from_db()
    assert item.harga == Decimal("5000.00")


def test_page_shows_a_refusal_on_its_field(clients: dict[str, Client]) -> None:
    response = clients["operator"].post(
        "/referensi/usulan/baru/",
        {
            "jenis_usulan": "item_baru",
            "opd": DINKES,
            "jenis_standar": "SSH",
            "kode": "SSH.99.0009",
            "uraian": "Sarung tangan",
            "satuan": "kotak",
            "harga": "0",
            "rekening": ATK,
            "alasan": "perlu",
        },
    )
    assert response.status_code == 400
    assert "Harga harus lebih besar dari nol" in response.content.decode()
    assert clients["bpkad"].get("/referensi/usulan/baru/").status_code == 403
    assert clients["perizinan"].get("/referensi/usulan/").status_code == 403
