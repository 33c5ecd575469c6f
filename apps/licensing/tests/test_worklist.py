"""The counter's worklist opens on what waits for the signed-in role: the front office sees the
berkas checks, payments and handovers (and the applications back with applicants), the back
office the technical reviews, recommendations and SKRD, kepala DPMPTSP the decisions and
issuances; "semua" shows every application, on the page, in its XLSX and in the API."""

import io
import re
from typing import Any

import pytest
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from rest_framework.test import APIClient

from apps.accounts.models import Role, User
from apps.licensing.models import Langkah, Permohonan, Step
from apps.licensing.services.steps import langkah_complete
from apps.licensing.tests.conftest import Day
from apps.licensing.tests.test_path import WHO, apply, run_to_end
from tenants.models import Tenant
from tests.pages import host_of, region_client


def _to(p: Permohonan, people: dict[str, User], step: str) -> Permohonan:
    while p.langkah_sekarang != step:
        p = langkah_complete(
            permohonan=p,
            step=p.langkah_sekarang,
            actor=people[WHO[p.langkah_sekarang]],
            hasil=Langkah.Hasil.SETUJU,
            data={"referensi": "BANK-1"},
        )
    return p


@pytest.fixture
def board(standards: Any, people: dict[str, User], day: Day) -> dict[str, str]:
    """One application waiting at each of several steps, one returned, one finished."""
    fee = {"besaran": {"luas_m2": "5"}}
    at: dict[str, str] = {
        step: _to(apply(standards["fee"], people, **fee), people, step).nomor
        for step in (Step.BERKAS, Step.TEKNIS, Step.KEPUTUSAN, Step.SKRD, Step.PEMBAYARAN)
    }
    returned = langkah_complete(
        permohonan=apply(standards["free"], people),
        step=Step.BERKAS,
        actor=people["front"],
        hasil=Langkah.Hasil.KEMBALIKAN,
        catatan="KTP buram",
    )
    at["dikembalikan"] = returned.nomor
    at["selesai"] = run_to_end(apply(standards["free"], people), people, day).nomor
    return at


EXPECTED: dict[str, set[str]] = {
    Role.PERIZINAN_FRONT: {Step.BERKAS, Step.PEMBAYARAN, "dikembalikan"},
    Role.PERIZINAN_BACK: {Step.TEKNIS, Step.SKRD},
    Role.KEPALA_DPMPTSP: {Step.KEPUTUSAN},
}


def _numbers(html: str) -> set[str]:
    return set(re.findall(r"PZ-\d{4}-\d{6}-[A-Z0-9]{4}", html))


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_worklist_opens_on_what_waits_for_the_role(
    medan: Tenant, board: dict[str, str], role: str
) -> None:
    client, _user = region_client(medan, role)
    page = client.get("/perizinan/")
    assert page.status_code == 200
    assert _numbers(page.content.decode()) == {board[k] for k in EXPECTED[role]}
    everything = client.get("/perizinan/", {"lingkup": "semua"}).content.decode()
    assert _numbers(everything) == set(board.values())
    book = load_workbook(io.BytesIO(client.get("/perizinan/", {"format": "xlsx"}).content))
    assert {r[0] for r in list(book.active.values)[1:]} == {board[k] for k in EXPECTED[role]}


def test_a_user_with_two_roles_sees_the_steps_of_both(medan: Tenant, board: dict[str, str]) -> None:
    client, _user = region_client(medan, Role.PERIZINAN_FRONT, Role.PERIZINAN_BACK)
    expected = EXPECTED[Role.PERIZINAN_FRONT] | EXPECTED[Role.PERIZINAN_BACK]
    assert _numbers(client.get("/perizinan/").content.decode()) == {board[k] for k in expected}
    # a filter narrows within the role's own list
    narrowed = client.get("/perizinan/", {"langkah": Step.TEKNIS}).content.decode()
    assert _numbers(narrowed) == {board[Step.TEKNIS]}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_api_lists_by_role_on_request(medan: Tenant, board: dict[str, str], role: str) -> None:
    _client, user = region_client(medan, role)
    api = APIClient(HTTP_HOST=host_of(medan))
    api.force_login(user)
    mine = api.get("/api/perizinan/permohonan/", {"lingkup": "peran"}).json()
    assert {r["nomor"] for r in mine["results"]} == {board[k] for k in EXPECTED[role]}
    assert api.get("/api/perizinan/permohonan/").json()["count"] == len(board)
    with schema_context(medan.schema_name):
        assert Permohonan.objects.count() == len(board)
