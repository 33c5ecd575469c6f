"""RKA lines: priced from the standard price, every refusal of the issue naming its field and
amounts, nothing half-saved; the workflow and role boundaries."""

from decimal import Decimal
from typing import Any

import pytest

from apps.audit.models import AuditEntry
from apps.budgeting.errors import BudgetError, BudgetForbidden, BudgetLockedError
from apps.budgeting.models import PaguOpd, Rincian, Rka, Versi
from apps.budgeting.services.lines import line_create, line_delete, line_update
from apps.budgeting.services.workflow import budget_enact, rka_submit, rka_verify
from apps.budgeting.tests.conftest import (
    ATK,
    DINKES,
    YEAR,
    Budget,
    fill_and_enact,
    line,
    price_list,
)
from apps.reference.models import StandarHarga


def test_a_line_copies_the_standard_price_and_computes_its_total(budget: Budget) -> None:
    before = AuditEntry.objects.count()
    made = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0]))
    assert (made.kode_harga, made.uraian, made.satuan) == (
        "SSH.01.0001",
        "Kertas HVS A4 80 gram",
        "rim",
    )
    assert made.harga == Decimal("65000.00") and made.volume == 6
    assert made.jumlah == Decimal("390000.00")
    assert made.rka.status == Rka.Status.DRAFT and made.rka.opd.kode == DINKES
    assert AuditEntry.objects.count() == before + 1


def test_ppn_is_added_and_rounded_to_the_sen(budget: Budget) -> None:
    data = line(
        budget.entries[0],
        rekening="5.1.02.01.01.0052",
        standar_harga="SSH.02.0001",
        volume_1="3",
        volume_2="",
        satuan_2="",
        ppn=True,
    )
    made = line_create(actor=budget.operator, tahun=YEAR, data=data)
    # 3 x 42.500,50 = 127.501,50; + 11% = 141.526,665 -> 141.526,67
    assert made.jumlah == Decimal("141526.67")


def test_four_volume_factors_multiply(budget: Budget) -> None:
    data = line(
        budget.entries[0],
        standar_harga="SSH.01.0002",
        volume_3="2",
        satuan_3="kali",
        volume_4="1.5",
        satuan_4="paket",
    )
    made = line_create(actor=budget.operator, tahun=YEAR, data=data)
    assert made.volume == Decimal("18") and made.jumlah == Decimal("81000.00")


BAD = [
    ("harga", {"harga": "1"}, "diketik"),
    ("standar_harga", {"standar_harga": "SSH.02.0001"}, "tidak boleh dianggarkan pada rekening"),
    ("standar_harga", {"standar_harga": "TIDAK.ADA"}, "tidak ada dalam daftar harga"),
    ("rekening", {"rekening": "5.1.02.01.01"}, "sub rincian objek"),
    ("rekening", {"rekening": "4.1.01.06.01.0001"}, "bukan rekening akun 5"),
    ("rekening", {"rekening": "5.9.99"}, "tidak dikenal"),
    ("volume_1", {"volume_1": "0"}, "lebih besar dari nol"),
    ("volume_1", {"volume_1": "-2"}, "lebih besar dari nol"),
    ("volume_2", {"volume_2": "-1"}, "lebih besar dari nol"),
    ("volume_1", {"volume_1": "1.001"}, "dua desimal"),
    ("volume_1", {"volume_1": "NaN"}, "tidak valid"),
    ("satuan_1", {"satuan_1": " "}, "Wajib"),
    ("sumber_dana", {"sumber_dana": "x"}, "Sumber dana"),
]


@pytest.mark.parametrize(("field", "bad", "words"), BAD, ids=[f"{f}-{b}" for f, b, _ in BAD])
def test_every_bad_line_is_refused_naming_its_field_and_nothing_is_saved(
    budget: Budget, field: str, bad: dict[str, Any], words: str
) -> None:
    audit = AuditEntry.objects.count()
    with pytest.raises(BudgetError) as caught:
        line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0], **bad))
    assert caught.value.field == field and words in caught.value.message
    assert not Rincian.objects.exists() and not Rka.objects.exists()
    assert AuditEntry.objects.count() == audit


def test_a_sub_kegiatan_outside_the_enacted_rkpd_is_refused(budget: Budget) -> None:
    with pytest.raises(BudgetError) as caught:
        line_create(actor=budget.operator, tahun=YEAR, data=line(budget.extra))
    assert caught.value.field == "plan_entry" and "RKPD" in caught.value.message
    assert budget.extra.sub_kegiatan.kode in caught.value.message
    assert not Rka.objects.exists()


def test_an_over_ceiling_line_names_both_amounts(budget: Budget) -> None:
    # 100.000.000 ceiling; 1.600 rim x 65.000 = 104.000.000
    data = line(budget.entries[0], volume_1="1600", volume_2="", satuan_2="")
    with pytest.raises(BudgetError) as caught:
        line_create(actor=budget.operator, tahun=YEAR, data=data)
    assert "Rp 104.000.000,00" in caught.value.message
    assert "Rp 100.000.000,00" in caught.value.message
    assert not Rincian.objects.exists()


def test_the_opd_ceiling_binds_across_sub_kegiatan(budget: Budget) -> None:
    PaguOpd.objects.filter(opd__kode=DINKES).update(pagu=Decimal("500000.00"))
    line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0]))  # 390.000
    with pytest.raises(BudgetError) as caught:
        line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[1]))
    assert "OPD" in caught.value.message and "Rp 780.000,00" in caught.value.message
    assert "Rp 500.000,00" in caught.value.message
    assert Rincian.objects.count() == 1


def test_an_operator_reaches_only_their_own_opd(budget: Budget) -> None:
    with pytest.raises(BudgetForbidden):
        line_create(actor=budget.disdik_operator, tahun=YEAR, data=line(budget.entries[0]))
    with pytest.raises(BudgetForbidden):
        line_create(actor=budget.tapd, tahun=YEAR, data=line(budget.entries[0]))
    assert not Rincian.objects.exists()


def test_a_later_price_list_leaves_existing_lines_untouched(budget: Budget) -> None:
    made = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0]))
    # the priced item itself changes, and a newer list with another price comes into force
    StandarHarga.objects.filter(pk=made.standar_harga_id or 0).update(harga=Decimal("123456.00"))
    price_list(YEAR, [("SSH.01.0001", "Kertas HVS A4 (baru)", "rim", "99000.00", [ATK])])
    made.refresh_from_db()
    assert made.harga == Decimal("65000.00") and made.uraian == "Kertas HVS A4 80 gram"
    # changing only the volume keeps the copied price
    made = line_update(actor=budget.operator, line=made, data=line(budget.entries[0], volume_1="3"))
    assert made.harga == Decimal("65000.00") and made.jumlah == Decimal("585000.00")
    # a new line is priced from the list now in force
    fresh = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[1]))
    assert fresh.harga == Decimal("99000.00") and fresh.uraian == "Kertas HVS A4 (baru)"


def test_the_workflow_submit_return_with_notes_accept_enact(budget: Budget) -> None:
    made = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0]))
    with pytest.raises(BudgetForbidden):
        rka_submit(actor=budget.operator, tahun=YEAR, opd=DINKES)
    assert rka_submit(actor=budget.kepala, tahun=YEAR, opd=DINKES) == 1
    rka = made.rka
    with pytest.raises(BudgetLockedError):
        line_update(actor=budget.operator, line=made, data=line(budget.entries[0], volume_1="1"))
    with pytest.raises(BudgetError) as caught:
        rka_verify(actor=budget.tapd, rka=rka, accept=False)
    assert caught.value.field == "catatan"
    rka = rka_verify(
        actor=budget.tapd,
        rka=rka,
        accept=False,
        catatan="Volume terlalu besar",
        catatan_rincian={made.pk: "Cukup 1 orang"},
    )
    made.refresh_from_db()
    assert rka.status == Rka.Status.RETURNED and made.catatan == "Cukup 1 orang"
    made = line_update(actor=budget.operator, line=made, data=line(budget.entries[0], volume_1="1"))
    with pytest.raises(BudgetError):
        budget_enact(actor=budget.bpkad, tahun=YEAR, dasar_hukum="Perda 1/2026")
    rka_submit(actor=budget.kepala, tahun=YEAR, opd=DINKES)
    rka_verify(actor=budget.tapd, rka=rka, accept=True)
    with pytest.raises(BudgetForbidden):
        budget_enact(actor=budget.tapd, tahun=YEAR, dasar_hukum="Perda 1/2026")
    version = budget_enact(actor=budget.bpkad, tahun=YEAR, dasar_hukum="Perda 1/2026")
    assert version.status == Versi.Status.ENACTED and len(version.digest) == 64
    entry = AuditEntry.objects.filter(action="budgeting.enacted").get()
    assert entry.changes["sha256"] == version.digest


def test_an_enacted_line_is_refused_by_the_services(budget: Budget) -> None:
    made = fill_and_enact(budget)
    with pytest.raises(BudgetLockedError):
        line_update(actor=budget.operator, line=made[0], data=line(budget.entries[0], volume_1="1"))
    with pytest.raises(BudgetLockedError):
        line_delete(actor=budget.operator, line=made[0])
    with pytest.raises(BudgetLockedError):
        line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[2]))
    made[0].refresh_from_db()
    assert made[0].volume_1 == 2
