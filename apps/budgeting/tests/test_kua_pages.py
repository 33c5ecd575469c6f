"""The KUA-PPAS page forms: opening a year, ceilings from the RKPD and per OPD, revenue and
financing, each through its service; every refusal shown next to its field with the typed value
kept and nothing written; role boundaries; another region sees none of it."""

from decimal import Decimal

import pytest
from django.http import HttpResponseBase
from django_tenants.utils import schema_context

from apps.accounts.models import Role, RoleAssignment, User
from apps.audit.models import AuditEntry
from apps.budgeting.models import PaguOpd, PaguSubKegiatan, Pembiayaan, Pendapatan, TahunAnggaran
from apps.budgeting.services.lines import line_create
from apps.budgeting.tests.conftest import (
    DINKES,
    DISDIK,
    PENDAPATAN,
    YEAR,
    Budget,
    client_as,
    fill_and_enact,
    line,
    rkpd_enacted,
)
from apps.planning.tests.conftest import MakePerson
from tenants.models import Tenant

KUA = "/anggaran/kua/"
PEMBIAYAAN_KELUAR = "6.2.02.01.01.0001"


def _page(response: HttpResponseBase) -> str:
    return bytes(response.content).decode()  # type: ignore[attr-defined]


def _field_error(html: str, form_id: str, field: str) -> str:
    """The message the page shows next to `field` of the form `form_id`."""
    start = html.index(f'id="{form_id}"')
    marker = f'id="id_{field}-error"'
    at = html.index(marker, start)
    return html[at : html.index("</p>", at)]


def test_the_page_shows_the_balance_in_rupiah_with_sen(budget: Budget) -> None:
    html = _page(client_as(budget.tenant, budget.tapd).get(f"{KUA}?tahun={YEAR}"))
    assert 'id="kua-pendapatan">Rp 250.000.000,00<' in html
    assert 'id="kua-belanja">Rp 0,00<' in html
    assert 'id="kua-surplus">Rp 250.000.000,00<' in html
    assert 'id="kua-neto">Rp 10.000.000,00<' in html
    assert 'id="kua-silpa">Rp 260.000.000,00<' in html
    assert "Rp 300.000.000,00" in html  # Dinkes' ceiling from three RKPD entries
    assert 'id="form-pendapatan"' in html and 'action="/anggaran/kua/buka/"' in html


@pytest.fixture
def rkpd_only(in_medan: Tenant, person: MakePerson) -> dict[str, User]:
    """An enacted RKPD for YEAR, no fiscal year opened yet."""
    rkpd_enacted(person(Role.BAPPEDA))
    return {"tapd": person(Role.TAPD), "bpkad": person(Role.BPKAD)}


def test_opening_a_year_and_taking_the_ceilings_from_the_rkpd(
    in_medan: Tenant, rkpd_only: dict[str, User]
) -> None:
    client = client_as(in_medan, rkpd_only["tapd"])
    page = client.post(f"{KUA}buka/", {"buka-tahun": YEAR}, follow=True)
    assert f"Tahun anggaran {YEAR} dibuka dengan APBD murni" in _page(page)
    assert TahunAnggaran.objects.filter(tahun=YEAR).exists()
    page = client.post(f"{KUA}pagu-rkpd/", {"rkpd-tahun": YEAR}, follow=True)
    assert "Pagu 5 sub kegiatan" in _page(page)
    assert PaguSubKegiatan.objects.count() == 5
    assert PaguOpd.objects.get(opd__kode=DINKES).pagu == Decimal("300000000.00")
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("-seq")[:2])
    assert actions == ["budgeting.ceilings_set", "budgeting.year_opened"]


def test_opening_a_year_refusals_keep_the_value_and_write_nothing(
    in_medan: Tenant, rkpd_only: dict[str, User]
) -> None:
    client = client_as(in_medan, rkpd_only["bpkad"])
    page = client.post(f"{KUA}buka/", {"buka-tahun": YEAR + 1})
    html = _page(page)
    assert page.status_code == 400
    assert f"RKPD tahun {YEAR + 1} belum ditetapkan" in _field_error(
        html, "form-buka", "buka-tahun"
    )
    assert f'value="{YEAR + 1}"' in html
    page = client.post(f"{KUA}buka/", {"buka-tahun": "dua ribu"})
    assert page.status_code == 400 and "angka bilangan" in _field_error(
        _page(page), "form-buka", "buka-tahun"
    )
    client.post(f"{KUA}buka/", {"buka-tahun": YEAR})
    page = client.post(f"{KUA}buka/", {"buka-tahun": YEAR})
    assert "sudah dibuka" in _field_error(_page(page), "form-buka", "buka-tahun")
    assert TahunAnggaran.objects.count() == 1
    # a year not opened: the ceilings' hidden year is refused above the form
    page = client.post(f"{KUA}pagu-rkpd/", {"rkpd-tahun": YEAR + 3})
    html = _page(page)
    assert page.status_code == 400 and 'id="kua-penolakan"' in html
    assert f"Tahun anggaran {YEAR + 3} belum dibuka" in html


def test_setting_an_opd_ceiling_and_its_refusals(budget: Budget) -> None:
    client = client_as(budget.tenant, budget.bpkad)
    form = {"pagu-tahun": YEAR, "pagu-opd": DINKES, "pagu-pagu": "350.000.000,50"}
    page = client.post(f"{KUA}pagu-opd/", form, follow=True)
    assert "menjadi Rp 350.000.000,50" in _page(page)
    assert PaguOpd.objects.get(opd__kode=DINKES).pagu == Decimal("350000000.50")
    line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0]))  # Rp 390.000
    page = client.post(f"{KUA}pagu-opd/", {**form, "pagu-pagu": "100000"})
    html = _page(page)
    message = _field_error(html, "form-pagu-opd", "pagu-pagu")
    assert page.status_code == 400
    assert "Rp 100.000,00" in message and "Rp 390.000,00" in message
    assert 'value="100000"' in html
    page = client.post(f"{KUA}pagu-opd/", {**form, "pagu-pagu": "banyak"})
    assert "Nilai rupiah tidak valid" in _field_error(_page(page), "form-pagu-opd", "pagu-pagu")
    page = client.post(f"{KUA}pagu-opd/", {**form, "pagu-pagu": "-5"})
    assert "tidak boleh negatif" in _field_error(_page(page), "form-pagu-opd", "pagu-pagu")
    page = client.post(f"{KUA}pagu-opd/", {**form, "pagu-opd": "9.99"})
    assert "OPD 9.99 tidak dikenal" in _field_error(_page(page), "form-pagu-opd", "pagu-opd")
    assert PaguOpd.objects.get(opd__kode=DINKES).pagu == Decimal("350000000.50")


def test_revenue_and_financing_through_the_forms(budget: Budget) -> None:
    client = client_as(budget.tenant, budget.tapd)
    revenue = {
        "pendapatan-tahun": YEAR,
        "pendapatan-opd": DISDIK,
        "pendapatan-rekening": PENDAPATAN,
        "pendapatan-jumlah": "1.250.000,75",
        "pendapatan-uraian": "Retribusi",
    }
    page = client.post(f"{KUA}pendapatan/", revenue, follow=True)
    assert "sebesar Rp 1.250.000,75 disimpan" in _page(page)
    assert 'id="kua-pendapatan">Rp 251.250.000,75<' in _page(page)
    financing = {
        "pembiayaan-tahun": YEAR,
        "pembiayaan-rekening": PEMBIAYAAN_KELUAR,
        "pembiayaan-jumlah": "4000000",
    }
    page = client.post(f"{KUA}pembiayaan/", financing, follow=True)
    html = _page(page)
    assert 'id="kua-neto">Rp 6.000.000,00<' in html
    assert 'id="kua-silpa">Rp 257.250.000,75<' in html
    row = Pendapatan.objects.get(opd__kode=DISDIK)
    page = client.post(f"{KUA}pendapatan/{row.pk}/hapus/", follow=True)
    assert "Baris dihapus" in _page(page) and not Pendapatan.objects.filter(pk=row.pk).exists()
    out = Pembiayaan.objects.get(rekening__kode=PEMBIAYAAN_KELUAR)
    client.post(f"{KUA}pembiayaan/{out.pk}/hapus/")
    assert not Pembiayaan.objects.filter(pk=out.pk).exists()


@pytest.mark.parametrize(
    ("rekening", "jumlah", "field", "expected"),
    [
        ("5.1.02.01.01.0024", "10", "rekening", "bukan rekening akun 4"),
        ("4.1.01", "10", "rekening", "tingkat jenis"),
        ("4.9.99.99.99.9999", "10", "rekening", "tidak dikenal"),
        (PENDAPATAN, "-1", "jumlah", "tidak boleh negatif"),
        (PENDAPATAN, "1,005", "jumlah", "dua desimal"),
    ],
)
def test_revenue_refusals_name_the_field(
    budget: Budget, rekening: str, jumlah: str, field: str, expected: str
) -> None:
    client = client_as(budget.tenant, budget.bpkad)
    data = {
        "pendapatan-tahun": YEAR,
        "pendapatan-opd": DINKES,
        "pendapatan-rekening": rekening,
        "pendapatan-jumlah": jumlah,
        "pendapatan-uraian": "Tetap di formulir",
    }
    page = client.post(f"{KUA}pendapatan/", data)
    html = _page(page)
    assert page.status_code == 400
    assert expected in _field_error(html, "form-pendapatan", f"pendapatan-{field}")
    assert 'value="Tetap di formulir"' in html and Pendapatan.objects.count() == 1


def test_financing_refuses_a_revenue_account(budget: Budget) -> None:
    client = client_as(budget.tenant, budget.bpkad)
    data = {"pembiayaan-tahun": YEAR, "pembiayaan-rekening": PENDAPATAN, "pembiayaan-jumlah": "1"}
    page = client.post(f"{KUA}pembiayaan/", data)
    message = _field_error(_page(page), "form-pembiayaan", "pembiayaan-rekening")
    assert "bukan rekening akun 6" in message and Pembiayaan.objects.count() == 1


def test_an_enacted_budget_refuses_revenue_financing_and_removal(budget: Budget) -> None:
    fill_and_enact(budget)
    client = client_as(budget.tenant, budget.bpkad)
    html = _page(client.get(f"{KUA}?tahun={YEAR}"))
    assert 'id="form-pendapatan"' not in html and "terkunci" in html
    data = {"pendapatan-tahun": YEAR, "pendapatan-opd": DINKES}
    page = client.post(f"{KUA}pendapatan/", {**data, "pendapatan-rekening": PENDAPATAN})
    assert page.status_code == 400 and f"Tidak ada APBD tahun {YEAR} yang sedang disusun" in _page(
        page
    )
    row = Pendapatan.objects.get()
    page = client.post(f"{KUA}pendapatan/{row.pk}/hapus/", follow=True)
    assert "terkunci" in _page(page) and Pendapatan.objects.filter(pk=row.pk).exists()


def test_role_boundaries(budget: Budget) -> None:
    for user in (budget.operator, budget.kepala, budget.people["dprd"], budget.people["bappeda"]):
        client = client_as(budget.tenant, user)
        html = _page(client.get(f"{KUA}?tahun={YEAR}"))
        assert "Rp 250.000.000,00" in html and 'id="form-pagu-opd"' not in html
        refused = client.post(
            f"{KUA}pagu-opd/", {"pagu-tahun": YEAR, "pagu-opd": DINKES, "pagu-pagu": "1"}
        )
        assert refused.status_code == 403, user
        assert client.post(f"{KUA}buka/", {"buka-tahun": YEAR + 1}).status_code == 403
    inspektorat = client_as(budget.tenant, budget.people["inspektorat"])
    assert inspektorat.get(f"{KUA}?tahun={YEAR}").status_code == 200
    assert inspektorat.post(f"{KUA}pagu-rkpd/", {"rkpd-tahun": YEAR}).status_code == 403
    outsider = User.objects.create_user(email="loket@example.org")
    RoleAssignment.objects.create(user=outsider, role=Role.PERIZINAN_FRONT)
    assert client_as(budget.tenant, outsider).get(KUA).status_code == 403
    assert client_as(budget.tenant, None).get(KUA).status_code == 302
    assert PaguOpd.objects.get(opd__kode=DINKES).pagu == Decimal("300000000.00")


def test_another_region_sees_none_of_this_kua(budget: Budget, buol: Tenant) -> None:
    row = Pendapatan.objects.get()
    with schema_context(buol.schema_name):
        tapd = User.objects.create_user(email="tapd-buol@example.org")
        RoleAssignment.objects.create(user=tapd, role=Role.TAPD)
        client = client_as(buol, tapd)
        html = _page(client.get(f"{KUA}?tahun={YEAR}"))
        assert "Rp 250.000.000,00" not in html and "belum dibuka" in html
        assert client.post(f"{KUA}pendapatan/{row.pk}/hapus/").status_code == 404
        data = {"pagu-tahun": YEAR, "pagu-opd": DINKES, "pagu-pagu": "1"}
        page = client.post(f"{KUA}pagu-opd/", data)
        assert page.status_code == 400 and "belum dibuka" in _page(page)
        assert not TahunAnggaran.objects.exists()
    assert Pendapatan.objects.filter(pk=row.pk).exists()
