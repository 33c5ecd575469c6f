"""RPJMD and Renstra through the API and the pages: JSON refusals naming the field, role
boundaries for every role, and isolation between two regions."""

import json
from typing import Any

import pytest
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.planning.models import Period
from apps.planning.models_rpjmd import RenstraSasaran, RpjmdSasaran
from apps.planning.tests.conftest import DINKES, DISDIK, MakePerson, client_as
from apps.planning.tests.rpjmd_support import Built, build
from tenants.models import Tenant

API = "/api/perencanaan/rpjmd/"


@pytest.fixture
def built(stages: Any, person: MakePerson) -> Built:
    return build(person(Role.BAPPEDA), Period.objects.get())


def _send(client: Any, method: str, path: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(
        API + path, data=json.dumps(data), content_type="application/json"
    )


def test_bappeda_builds_the_rpjmd_through_the_api_and_a_refusal_names_its_field(
    built: Built, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.BAPPEDA))
    made = _send(
        client,
        "post",
        "indikator/",
        {
            "sasaran": built.sasaran.pk,
            "uraian": "IPM",
            "satuan": "indeks",
            "baseline": "70",
            "target": {"2025": "71", "2029": "75"},
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["target"] == {"2025": "71.00", "2029": "75.00"}
    refused = _send(
        client,
        "post",
        "indikator/",
        {
            "sasaran": built.sasaran.pk,
            "uraian": "IPM",
            "satuan": "indeks",
            "target": {"2035": "1"},
        },
    )
    assert refused.status_code == 400
    assert refused.json()["field"] == "target" and "2035" in refused.json()["message"]
    wrong = _send(
        client,
        "post",
        "program-prioritas/",
        {"sasaran": built.sasaran.pk, "program": "1.02", "opd": DINKES},
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "program"
    listed = client.get(API + f"sasaran/?periode={built.period.pk}")
    assert [r["id"] for r in listed.json()["results"]] == [built.sasaran.pk]
    changed = _send(
        client,
        "put",
        f"sasaran/{built.sasaran.pk}/",
        {"tujuan": built.tujuan.pk, "kode": "1.1.1", "uraian": "Diubah"},
    )
    assert changed.status_code == 200 and changed.json()["uraian"] == "Diubah"


# role -> (writes the RPJMD, writes Dinkes' Renstra, writes Disdik's Renstra, reads)
ROLES = {
    Role.ADMIN: (False, False, False, True),
    Role.BAPPEDA: (True, True, True, True),
    Role.OPD_OPERATOR: (False, True, False, True),
    Role.KEPALA_OPD: (False, True, False, True),
    Role.TAPD: (False, False, False, True),
    Role.BPKAD: (False, False, False, True),
    Role.DPRD: (False, False, False, True),
    Role.INSPEKTORAT: (False, False, False, True),
    Role.OPERATOR_DESA: (False, False, False, True),
    Role.OPERATOR_KECAMATAN: (False, False, False, True),
    Role.PERIZINAN_FRONT: (False, False, False, False),
    Role.PERIZINAN_BACK: (False, False, False, False),
    Role.KEPALA_DPMPTSP: (False, False, False, False),
}


@pytest.mark.parametrize("role", list(ROLES), ids=[str(r) for r in ROLES])
def test_every_role_meets_its_rpjmd_and_renstra_boundaries(
    built: Built, person: MakePerson, medan: Tenant, role: str
) -> None:
    rpjmd, own, other, reads = ROLES[role]  # type: ignore[index]
    client = client_as(medan, person(role, opd=DINKES))
    sasaran = _send(
        client, "post", "sasaran/", {"tujuan": built.tujuan.pk, "kode": "1.1.9", "uraian": "Baru"}
    )
    assert (sasaran.status_code == 201) is rpjmd, sasaran.content
    own_write = _send(
        client,
        "post",
        "renstra-sasaran/",
        {"tujuan": built.renstra_tujuan.pk, "kode": "1.9", "uraian": "Baru"},
    )
    assert (own_write.status_code == 201) is own, own_write.content
    disdik = _send(client, "post", "renstra/", {"period": built.period.pk, "opd": DISDIK})
    assert (disdik.status_code == 201) is other, disdik.content
    assert (client.get(API + "sasaran/").status_code == 200) is reads
    page = client.get(f"/perencanaan/renstra/{DINKES}/?periode={built.period.pk}")
    assert (page.status_code == 200) is reads
    tree = client.get("/perencanaan/rpjmd/")
    assert (tree.status_code == 200) is reads
    if reads:
        assert "Kota sehat" in tree.content.decode()


def test_an_opd_operator_cannot_change_another_opds_renstra_through_the_api(
    built: Built, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.OPD_OPERATOR, opd=DISDIK))
    path = f"renstra-sasaran/{built.renstra_sasaran.pk}/"
    changed = _send(
        client, "put", path, {"tujuan": built.renstra_tujuan.pk, "kode": "1.1", "uraian": "Dibajak"}
    )
    assert changed.status_code == 403
    assert client.delete(API + path).status_code == 403
    assert RenstraSasaran.objects.get(pk=built.renstra_sasaran.pk).uraian == "RS"


def test_regions_do_not_see_each_others_rpjmd(
    built: Built, person: MakePerson, medan: Tenant, buol: Tenant
) -> None:
    sasaran_id = built.sasaran.pk
    with schema_context(buol.schema_name):
        assert not RpjmdSasaran.objects.exists()
        from apps.accounts.models import RoleAssignment, User

        user = User.objects.create_user(email="bappeda-buol@example.org")
        RoleAssignment.objects.create(user=user, role=Role.BAPPEDA)
        client = client_as(buol, user)
        assert client.get(API + f"sasaran/{sasaran_id}/").status_code == 404
        assert client.get(API + "sasaran/").json()["results"] == []
        refused = _send(client, "post", "strategi/", {"sasaran": sasaran_id, "uraian": "S"})
        assert refused.status_code == 400 and refused.json()["field"] == "sasaran"
    with schema_context(medan.schema_name):
        assert RpjmdSasaran.objects.filter(pk=sasaran_id).exists()


def test_the_form_pages_add_and_refuse_naming_the_field(
    built: Built, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.BAPPEDA))
    form = client.get(
        f"/perencanaan/rpjmd/indikator/tambah/?sasaran={built.sasaran.pk}&periode={built.period.pk}"
    )
    assert form.status_code == 200 and 'name="target_2029"' in form.content.decode()
    post = {
        "sasaran": built.sasaran.pk,
        "uraian": "Angka harapan hidup",
        "satuan": "tahun",
        "baseline": "72",
        "target_2025": "72.5",
        "target_2026": "-1",
    }
    refused = client.post(f"/perencanaan/rpjmd/indikator/tambah/?periode={built.period.pk}", post)
    assert refused.status_code == 400 and "(target)" in refused.content.decode()
    post["target_2026"] = "73"
    saved = client.post(f"/perencanaan/rpjmd/indikator/tambah/?periode={built.period.pk}", post)
    assert saved.status_code == 302
    tree = client.get(saved["Location"]).content.decode()
    assert "Angka harapan hidup" in tree and "Program prioritas" in tree
    operator = client_as(medan, person(Role.OPD_OPERATOR, opd=DISDIK))
    denied = operator.post(
        f"/perencanaan/rpjmd/renstra-sasaran/{built.renstra_sasaran.pk}/",
        {"tujuan": built.renstra_tujuan.pk, "kode": "1", "uraian": "X"},
    )
    assert denied.status_code == 403
    renstra = client.get(f"/perencanaan/renstra/{DINKES}/?periode={built.period.pk}")
    assert "Mendukung sasaran RPJMD" in renstra.content.decode()
