"""The REST API: JSON refusals naming the field, role boundaries for every role, the public
tracking number, and isolation between two regions."""

import json
from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.planning.models import PlanEntry, Proposal
from apps.planning.services.musrenbang import proposal_create
from apps.planning.services.plan import plan_entry_create
from apps.planning.tests.conftest import (
    DINKES,
    DISDIK,
    YEAR,
    MakePerson,
    a_desa,
    client_as,
    entry_input,
)
from tenants.models import Tenant

API = "/api/perencanaan/"


def _body(**overrides: Any) -> dict[str, Any]:
    return {**entry_input(**overrides).__dict__}


def _post(client: Any, path: str, data: dict[str, Any]) -> Any:
    return client.post(API + path, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        ("sub_kegiatan", {"sub_kegiatan": "1.02"}),
        ("desa", {"desa": "72.05.01.2001"}),
        ("pagu", {"pagu": "-100"}),
        ("pagu", {"pagu": "100.50"}),
        ("tahun", {"tahun": 99999}),
    ],
)
def test_a_refused_entry_answers_json_naming_the_field(
    stages: Any, person: MakePerson, medan: Tenant, field: str, bad: dict[str, Any]
) -> None:
    client = client_as(medan, person(Role.BAPPEDA))
    response = _post(client, "entri/", _body(**bad))
    assert response.status_code == 400, response.content
    assert response.json()["field"] == field and response.json()["message"]
    assert PlanEntry.objects.count() == 0


def test_a_write_outside_an_open_stage_answers_409_naming_the_stage(
    in_medan: Any, person: MakePerson, medan: Tenant
) -> None:
    response = _post(client_as(medan, person(Role.BAPPEDA)), "entri/", _body())
    assert response.status_code == 409
    assert response.json()["field"] == "tahap" and "2027" in response.json()["message"]


# role -> (may add an entry for DINKES, may add for DISDIK, may read entries, may set a ceiling)
ROLE_RULES = {
    Role.ADMIN: (False, False, True, False),
    Role.BAPPEDA: (True, True, True, True),
    Role.OPD_OPERATOR: (True, False, True, False),
    Role.KEPALA_OPD: (True, False, True, False),
    Role.TAPD: (False, False, True, False),
    Role.BPKAD: (False, False, True, False),
    Role.DPRD: (False, False, True, False),
    Role.INSPEKTORAT: (False, False, True, False),
    Role.OPERATOR_DESA: (False, False, True, False),
    Role.OPERATOR_KECAMATAN: (False, False, True, False),
    Role.PERIZINAN_FRONT: (False, False, False, False),
    Role.PERIZINAN_BACK: (False, False, False, False),
    Role.KEPALA_DPMPTSP: (False, False, False, False),
}


def test_every_role_is_covered_by_the_rules() -> None:
    assert set(ROLE_RULES) == set(Role)


@pytest.mark.parametrize("role", list(ROLE_RULES), ids=str)
def test_role_boundaries_of_the_plan(
    stages: Any, person: MakePerson, medan: Tenant, role: Role
) -> None:
    own, other, read, ceiling = ROLE_RULES[role]
    desa = a_desa(0)
    user = person(role, opd=DINKES, wilayah=desa.kode)
    client = client_as(medan, user)
    assert (_post(client, "entri/", _body()).status_code == 201) is own
    assert (_post(client, "entri/", _body(opd=DISDIK)).status_code == 201) is other
    assert (client.get(API + "entri/", {"tahun": YEAR}).status_code == 200) is read
    answer = _post(client, "pagu-opd/", {"tahun": YEAR, "opd": DINKES, "pagu": "1000"})
    assert (answer.status_code == 201) is ceiling
    if answer.status_code != 201:
        assert answer.json()["message"]


def test_desa_operators_propose_and_see_only_their_own_place(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    desa, other = a_desa(0), a_desa(-1)
    bappeda = person(Role.BAPPEDA)
    theirs = proposal_create(
        actor=bappeda,
        tahun=YEAR,
        sumber="musrenbang",
        desa=other.kode,
        masalah="m",
        usulan="u",
        volume="1",
        satuan="unit",
        biaya="1000",
        prioritas=1,
    )
    client = client_as(medan, person(Role.OPERATOR_DESA, wilayah=desa.kode))
    body = {
        "tahun": YEAR,
        "sumber": "musrenbang",
        "desa": desa.kode,
        "masalah": "Jalan rusak",
        "usulan": "Pengaspalan",
        "volume": "100",
        "satuan": "meter",
        "biaya": "50000000",
        "prioritas": 1,
    }
    assert _post(client, "usulan/", body).status_code == 201
    refused = _post(client, "usulan/", {**body, "desa": other.kode})
    assert refused.status_code == 403 and refused.json()["field"] == "desa"
    listed = client.get(API + "usulan/", {"tahun": YEAR}).json()["results"]
    assert {row["desa"] for row in listed} == {desa.kode}
    assert client.get(f"{API}usulan/{theirs.pk}/").status_code == 404


def test_a_wrongly_typed_upload_is_refused_as_json(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    desa = a_desa(0)
    client = client_as(medan, person(Role.OPERATOR_DESA, wilayah=desa.kode))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        API + "usulan/",
        {
            "tahun": YEAR,
            "sumber": "musrenbang",
            "desa": desa.kode,
            "masalah": "m",
            "usulan": "u",
            "volume": "1",
            "satuan": "unit",
            "biaya": "1",
            "prioritas": 1,
            "berkas": SimpleUploadedFile("foto.png", b"bukan gambar"),
        },
    )
    assert response.status_code == 400 and response.json()["field"]
    assert Proposal.objects.count() == 0


def test_public_tracking_shows_the_path_and_no_personal_data(
    stages: Any, person: MakePerson, medan: Tenant
) -> None:
    desa = a_desa(0)
    operator = person(Role.OPERATOR_DESA, wilayah=desa.kode)
    operator.full_name = "Siti Rahmawati"
    operator.save()
    bappeda = person(Role.BAPPEDA)
    proposal = proposal_create(
        actor=operator,
        tahun=YEAR,
        sumber="musrenbang",
        desa=desa.kode,
        masalah="Banjir",
        usulan="Drainase",
        volume="10",
        satuan="meter",
        biaya="1000000",
        prioritas=1,
    )
    _post(
        client_as(medan, bappeda),
        f"usulan/{proposal.pk}/rekomendasi/",
        {"tingkat": "kecamatan", "jenis": "tolak", "alasan": "Sudah dianggarkan desa"},
    )
    anonymous = client_as(medan, None)
    api = anonymous.get(f"{API}lacak/{proposal.nomor}/")
    page = anonymous.get(f"/perencanaan/lacak/{proposal.nomor}/")
    assert api.status_code == page.status_code == 200
    text = api.content.decode() + page.content.decode()
    assert "Sudah dianggarkan desa" in text and desa.nama in text
    assert "Siti" not in text and operator.email not in text
    assert anonymous.get(f"{API}lacak/MR-0000-TIDAKADA/").json()["field"] == "nomor"


def test_planning_rows_of_one_region_are_invisible_from_another(
    stages: Any, person: MakePerson, medan: Tenant, buol: Tenant
) -> None:
    entry = plan_entry_create(actor=person(Role.BAPPEDA), data=entry_input())
    proposal = proposal_create(
        actor=person(Role.BAPPEDA),
        tahun=YEAR,
        sumber="musrenbang",
        desa=a_desa(0).kode,
        masalah="m",
        usulan="u",
        volume="1",
        satuan="unit",
        biaya="1",
        prioritas=1,
    )
    with schema_context(buol.schema_name):
        assert not PlanEntry.objects.filter(pk=entry.pk).exists()
        assert not Proposal.objects.exists()
        from apps.accounts.models import RoleAssignment, User

        user = User.objects.create_user(email="bappeda-buol@example.org")
        RoleAssignment.objects.create(user=user, role=Role.BAPPEDA)
        client = client_as(buol, user)
        assert client.get(f"{API}entri/{entry.pk}/").status_code == 404
        assert client.get(API + "entri/", {"tahun": YEAR}).json()["results"] == []
        assert client.get(f"{API}lacak/{proposal.nomor}/").status_code == 404
