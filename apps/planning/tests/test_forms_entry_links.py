"""The RKPD entry page form with what the entry serves (program prioritas, RPJMD and Renstra
sasaran of the period holding its year) and its further output indicators as table rows: saved
through the service, a refusal shown in the very row and input it names, nothing half-saved."""

import re
from decimal import Decimal
from html import unescape
from typing import Any

import pytest

from apps.accounts.models import Role
from apps.audit.models import AuditEntry
from apps.planning.models import Period, PlanEntry
from apps.planning.models_rpjmd import EntryIndikator
from apps.planning.services.rpjmd import rpjmd_node_save
from apps.planning.tests.conftest import DINKES, DISDIK, MakePerson, client_as
from apps.planning.tests.rpjmd_support import Built, build, kab_codes
from apps.planning.tests.test_forms import entry_post, field_error
from tenants.models import Tenant

NEW = "/perencanaan/entri/baru/"


@pytest.fixture
def built(stages: Any, person: MakePerson) -> Built:
    return build(person(Role.BAPPEDA), Period.objects.get())


def cell_error(response: Any, name: str) -> str:
    """The error shown in the table cell of input `name` ('' when there is none)."""
    html = response.content.decode()
    match = re.search(rf'<td class="field[^"]*" data-field="{name}">(.*?)</td>', html, re.S)
    assert match, f"no input {name} in the indicator table"
    error = re.search(r'<p class="field-error"[^>]*>(.*?)</p>', match.group(1), re.S)
    return unescape(error.group(1)).strip() if error else ""


def _row(n: int, uraian: str = "", satuan: str = "", target: str = "", berikut: str = "") -> Any:
    return {
        f"lain-{n}-uraian": uraian,
        f"lain-{n}-satuan": satuan,
        f"lain-{n}-target": target,
        f"lain-{n}-target_berikut": berikut,
    }


def _post(b: Built, **fields: str) -> dict[str, str]:
    links = {
        "sub_kegiatan": kab_codes(b.program, 1)[0],
        "program_prioritas": str(b.prioritas.pk),
        "rpjmd_sasaran": str(b.sasaran.pk),
        "renstra_sasaran": str(b.renstra_sasaran.pk),
    }
    return {**entry_post(), **links, **fields}


def _written() -> tuple[Any, ...]:
    return (
        list(PlanEntry.objects.values_list("pk", "renstra_sasaran_id", "pagu")),
        list(EntryIndikator.objects.values_list("pk", "target")),
        AuditEntry.objects.count(),
    )


def _disdik_sasaran(b: Built, bappeda: Any) -> Any:
    renstra = rpjmd_node_save(
        actor=bappeda, kind="renstra", data={"period": b.period.pk, "opd": DISDIK}
    )
    tujuan = rpjmd_node_save(
        actor=bappeda,
        kind="renstra-tujuan",
        data={"renstra": renstra.pk, "kode": "9", "uraian": "Tujuan pendidikan"},
    )
    return rpjmd_node_save(
        actor=bappeda,
        kind="renstra-sasaran",
        data={"tujuan": tujuan.pk, "kode": "9.1", "uraian": "Sasaran pendidikan"},
    )


def test_an_entry_is_added_with_its_links_and_two_further_indicators(
    built: Built, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.OPD_OPERATOR, opd=DINKES))
    # given the form of the plan year: the period's choices, two blank indicator rows
    page = client.get(NEW).content.decode()
    assert f'<option value="{built.renstra_sasaran.pk}">' in page
    assert f"1.1 {built.renstra_sasaran.uraian}" in page and "1.1.1 S" in page
    assert 'name="lain-1-target"' in page and 'name="lain-2-target"' not in page
    # when two indicators are typed the Indonesian way, a blank row between them
    rows = {
        **_row(0, "Jumlah kader dilatih", "orang", "12,5", "1.250,75"),
        **_row(1),
        **_row(2, "Jumlah posyandu aktif", "unit", "30", "32"),
    }
    response = client.post(NEW, _post(built, **rows))
    # then the entry serves the RPJMD and its Renstra and carries both indicators in order
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = PlanEntry.objects.get()
    assert (entry.program_prioritas, entry.rpjmd_sasaran, entry.renstra_sasaran) == (
        built.prioritas,
        built.sasaran,
        built.renstra_sasaran,
    )
    assert list(
        entry.indikator_lain.values_list("urutan", "uraian", "target", "target_berikut")
    ) == [
        (2, "Jumlah kader dilatih", Decimal("12.50"), Decimal("1250.75")),
        (3, "Jumlah posyandu aktif", Decimal("30.00"), Decimal("32.00")),
    ]


def test_an_edit_clears_a_link_and_removes_an_indicator(
    built: Built, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.OPD_OPERATOR, opd=DINKES))
    rows = {
        **_row(0, "Kader dilatih", "orang", "10", "12"),
        **_row(1, "Posyandu", "unit", "3", "4"),
    }
    assert client.post(NEW, _post(built, **rows)).status_code == 302
    entry = PlanEntry.objects.get()
    url = f"/perencanaan/entri/{entry.pk}/ubah/"
    # the edit form shows both indicators, the chosen links, and two blank rows after them
    page = client.get(url).content.decode()
    assert 'value="Kader dilatih"' in page and 'value="Posyandu"' in page
    assert f'<option value="{built.renstra_sasaran.pk}" selected>' in page
    assert 'name="lain-3-target"' in page and 'name="lain-4-target"' not in page
    # when the Renstra sasaran is set to none and the first indicator blanked out
    response = client.post(
        url, _post(built, renstra_sasaran="", **_row(0), **_row(1, "Posyandu", "unit", "5", "6"))
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.renstra_sasaran is None and entry.program_prioritas == built.prioritas
    assert list(entry.indikator_lain.values_list("urutan", "uraian", "target")) == [
        (2, "Posyandu", Decimal("5.00"))
    ]


def test_a_bad_indicator_target_is_refused_in_its_own_row_and_nothing_is_saved(
    built: Built, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.OPD_OPERATOR, opd=DINKES))
    before = _written()
    rows = {
        **_row(0, "Kader dilatih", "orang", "10", "12"),
        **_row(1),  # blank: the service's second indicator is the page's third row
        **_row(2, "Posyandu", "unit", "-3", "4"),
    }
    response = client.post(NEW, _post(built, **rows))
    assert response.status_code == 400
    assert cell_error(response, "lain-2-target") == "Angka harus lebih besar dari nol."
    assert (
        cell_error(response, "lain-0-target") == "" and cell_error(response, "lain-1-target") == ""
    )
    html = response.content.decode()
    assert 'aria-describedby="id_lain-2-target-error"' in html
    assert 'value="Posyandu"' in html  # what was typed is kept
    assert _written() == before


def test_a_renstra_sasaran_of_another_opd_is_refused_next_to_it_and_nothing_is_saved(
    built: Built, person: MakePerson, medan: Tenant
) -> None:
    client = client_as(medan, person(Role.OPD_OPERATOR, opd=DINKES))
    assert client.post(NEW, _post(built, **_row(0, "Kader", "orang", "1", "2"))).status_code == 302
    entry = PlanEntry.objects.get()
    other = _disdik_sasaran(built, person(Role.BAPPEDA))
    # the choice is offered, labelled with its OPD, and the service refuses it for this entry
    page = client.get(f"/perencanaan/entri/{entry.pk}/ubah/").content.decode()
    assert "9.1 Sasaran pendidikan" in page
    before = _written()
    response = client.post(
        f"/perencanaan/entri/{entry.pk}/ubah/",
        _post(built, renstra_sasaran=str(other.pk), pagu="9", **_row(0)),
    )
    assert response.status_code == 400
    assert field_error(response, "renstra_sasaran") == "Sasaran Renstra ini milik OPD lain."
    assert _written() == before
