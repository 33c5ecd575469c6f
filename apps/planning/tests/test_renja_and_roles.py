"""Renja review (kepala OPD submits, Bappeda accepts or returns with notes), wilayah binding of
operator desa/kecamatan, the calendar through the API, and the declared public page."""

import json
from typing import Any

import pytest

from apps.access.decorators import PUBLIC_PAGE_VIEWS
from apps.accounts.models import Role, RoleAssignment, User
from apps.accounts.services import user_roles_set
from apps.core.errors import ApplicationError
from apps.planning.errors import PlanningError, PlanningForbidden
from apps.planning.models import RenjaReview, Stage
from apps.planning.services.plan import renja_submit, renja_verify
from apps.planning.tests.conftest import DINKES, DISDIK, YEAR, MakePerson, a_desa, client_as
from tenants.models import Tenant


def test_the_kepala_opd_submits_their_renja_and_bappeda_returns_then_accepts_it(
    stages: Any, person: MakePerson
) -> None:
    kepala, operator, bappeda = (
        person(Role.KEPALA_OPD, opd=DINKES),
        person(Role.OPD_OPERATOR, opd=DINKES),
        person(Role.BAPPEDA),
    )
    with pytest.raises(PlanningForbidden):
        renja_submit(actor=operator, tahun=YEAR, opd=DINKES)
    with pytest.raises(PlanningForbidden):
        renja_submit(actor=kepala, tahun=YEAR, opd=DISDIK)
    review = renja_submit(actor=kepala, tahun=YEAR, opd=DINKES)
    with pytest.raises(PlanningError) as no_notes:
        renja_verify(actor=bappeda, review=review, accept=False)
    assert no_notes.value.field == "catatan"
    renja_verify(actor=bappeda, review=review, accept=False, catatan="Target belum terukur")
    assert RenjaReview.objects.get().status == RenjaReview.State.RETURNED
    review = renja_submit(actor=kepala, tahun=YEAR, opd=DINKES)
    renja_verify(actor=bappeda, review=review, accept=True)
    assert RenjaReview.objects.get().status == RenjaReview.State.ACCEPTED


def test_renja_apis_follow_the_roles(stages: Any, person: MakePerson, medan: Tenant) -> None:
    kepala, bappeda = person(Role.KEPALA_OPD, opd=DINKES), person(Role.BAPPEDA)
    body = json.dumps({"tahun": YEAR, "opd": DINKES})
    submit = client_as(medan, kepala).post(
        "/api/perencanaan/renja/ajukan/", body, content_type="application/json"
    )
    assert submit.status_code == 201
    path = f"/api/perencanaan/renja/{submit.json()['id']}/verifikasi/"
    verdict = json.dumps({"terima": True})
    assert (
        client_as(medan, kepala).post(path, verdict, content_type="application/json").status_code
        == 403
    )
    assert (
        client_as(medan, bappeda).post(path, verdict, content_type="application/json").status_code
        == 200
    )


def test_operator_roles_need_a_wilayah_code_of_this_region(in_medan: Any) -> None:
    user = User.objects.create_user(email="desa@example.org")
    for role, code in (
        (Role.OPERATOR_DESA, ""),
        (Role.OPERATOR_DESA, "72.05.01.2001"),
        (Role.OPERATOR_KECAMATAN, a_desa(0).kode),
    ):
        with pytest.raises(ApplicationError) as refused:
            user_roles_set(
                user=user, roles=[role], opd_code="", wilayah_code=code, changed_by="uji"
            )
        assert refused.value.field == "wilayah_code"
    user_roles_set(
        user=user,
        roles=[Role.OPERATOR_DESA],
        opd_code="",
        wilayah_code=a_desa(0).kode,
        changed_by="uji",
    )
    assert RoleAssignment.objects.get(user=user).wilayah_code == a_desa(0).kode


def test_bappeda_keeps_the_calendar_through_the_api(
    in_medan: Any, person: MakePerson, medan: Tenant
) -> None:
    bappeda, operator = person(Role.BAPPEDA), person(Role.OPD_OPERATOR, opd=DINKES)
    api = "/api/perencanaan/"
    period = client_as(medan, bappeda).post(
        api + "periode/",
        {"nama": "RPJMD 2025-2029", "tahun_awal": 2025},
        content_type="application/json",
    )
    assert period.status_code == 201
    body = {
        "period": period.json()["id"],
        "tahun": YEAR,
        "jenis": "forum_opd",
        "dibuka_pada": "2026-01-01",
        "ditutup_pada": "2026-12-31",
    }
    assert (
        client_as(medan, operator)
        .post(api + "tahapan/", body, content_type="application/json")
        .status_code
        == 403
    )
    stage = client_as(medan, bappeda).post(api + "tahapan/", body, content_type="application/json")
    assert stage.status_code == 201
    pk = stage.json()["id"]
    assert client_as(medan, bappeda).post(f"{api}tahapan/{pk}/buka/").status_code == 200
    closed = client_as(medan, bappeda).post(f"{api}tahapan/{pk}/tutup/")
    assert closed.status_code == 201 and len(closed.json()["sha256"]) == 64
    assert Stage.objects.get(pk=pk).status == Stage.State.CLOSED
    frozen = client_as(medan, operator).get(f"{api}snapshot/{closed.json()['snapshot']}/")
    assert frozen.status_code == 200


def test_the_tracking_page_is_the_declared_public_page() -> None:
    assert "apps.planning.views.track_page" in PUBLIC_PAGE_VIEWS
