"""PostgreSQL refuses writes to an enacted version whoever sends the SQL; revisions keep the
enacted figures and show semula / menjadi / bertambah (berkurang)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from apps.budgeting.errors import BudgetError
from apps.budgeting.models import Dpa, Pendapatan, Rincian, Versi
from apps.budgeting.selectors.consistency import consistency_report
from apps.budgeting.selectors.revision import revision_compare
from apps.budgeting.selectors.summary import apbd_summary
from apps.budgeting.services.lines import line_create, line_delete, line_update
from apps.budgeting.services.workflow import (
    budget_enact,
    dpa_issue,
    revision_create,
    rka_submit,
    rka_verify,
)
from apps.budgeting.tests.conftest import DINKES, YEAR, Budget, fill_and_enact, line

RAW = [
    "UPDATE budgeting_rincian SET jumlah = 1 WHERE versi_id = %(v)s",
    "DELETE FROM budgeting_rincian WHERE versi_id = %(v)s",
    "UPDATE budgeting_rka SET catatan = 'x' WHERE versi_id = %(v)s",
    "DELETE FROM budgeting_pendapatan WHERE versi_id = %(v)s",
    "UPDATE budgeting_pembiayaan SET jumlah = 0 WHERE versi_id = %(v)s",
    "UPDATE budgeting_versi SET status = 'draf' WHERE id = %(v)s",
    "DELETE FROM budgeting_versi WHERE id = %(v)s",
    """INSERT INTO budgeting_rincian (versi_id, rka_id, rekening_id, jenis_harga, kode_harga,
       uraian, spesifikasi, satuan, harga, volume_1, satuan_1, satuan_2, satuan_3, satuan_4,
       volume, ppn, jumlah, sumber_dana_id, lokasi, catatan, dibuat_pada)
       SELECT versi_id, rka_id, rekening_id, jenis_harga, kode_harga, 'siluman', '', satuan,
       harga, volume_1, satuan_1, '', '', '', volume, ppn, jumlah, sumber_dana_id, '', '', now()
       FROM budgeting_rincian WHERE versi_id = %(v)s LIMIT 1""",
]


@pytest.mark.parametrize("sql", RAW, ids=[s.split()[0] + "-" + s.split()[2] for s in RAW])
def test_raw_sql_cannot_touch_an_enacted_version(budget: Budget, sql: str) -> None:
    fill_and_enact(budget)
    total = Rincian.objects.filter(versi=budget.versi).count()
    with (
        pytest.raises(IntegrityError) as caught,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, {"v": budget.versi.pk})
    assert "terkunci" in str(caught.value)
    assert Rincian.objects.filter(versi=budget.versi).count() == total
    assert Versi.objects.get(pk=budget.versi.pk).status == Versi.Status.ENACTED


def test_raw_sql_may_change_a_draft_version(budget: Budget) -> None:
    made = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0]))
    with connection.cursor() as cursor:
        cursor.execute("UPDATE budgeting_rincian SET lokasi = 'x' WHERE id = %s", [made.pk])
    made.refresh_from_db()
    assert made.lokasi == "x"


def test_the_orm_and_the_admin_path_are_refused_too(budget: Budget) -> None:
    made = fill_and_enact(budget)
    made[0].jumlah = Decimal(1)
    with pytest.raises(IntegrityError), transaction.atomic():
        made[0].save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pendapatan.objects.filter(versi=budget.versi).delete()


def test_the_enacted_digest_still_matches_its_rows(budget: Budget) -> None:
    fill_and_enact(budget)
    report = consistency_report(budget.versi)
    assert report["kunci_utuh"] is True and report["bermasalah"] == 0


def test_a_revision_keeps_the_enacted_figures_and_shows_semula_menjadi(budget: Budget) -> None:
    made = fill_and_enact(budget)
    enacted = {r.pk: r.jumlah for r in Rincian.objects.filter(versi=budget.versi)}
    with pytest.raises(BudgetError):
        revision_create(actor=budget.bpkad, tahun=YEAR, jenis="lain")
    revision = revision_create(actor=budget.bpkad, tahun=YEAR, jenis=Versi.Jenis.PERGESERAN)
    assert revision.label == "Pergeseran anggaran ke-1" and revision.induk_id == budget.versi.pk
    copies = {r.asal_id: r for r in Rincian.objects.filter(versi=revision)}
    assert {k: v.jumlah for k, v in copies.items()} == enacted
    # change one line, drop one, add one
    line_update(
        actor=budget.operator, line=copies[made[0].pk], data=line(budget.entries[0], volume_1="1")
    )
    line_delete(actor=budget.disdik_operator, line=copies[made[2].pk])
    added = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[2]))
    doc = revision_compare(revision)
    by_origin = {
        (row["sub_kegiatan"], row["rekening"], row["semula"], row["menjadi"])
        for row in doc["lines"]
    }
    assert (
        made[0].rka.plan_entry.sub_kegiatan.kode,
        made[0].rekening.kode,
        made[0].jumlah,
        Decimal("195000.00"),
    ) in by_origin
    assert (
        made[2].rka.plan_entry.sub_kegiatan.kode,
        made[2].rekening.kode,
        made[2].jumlah,
        Decimal(0),
    ) in by_origin
    assert (
        added.rka.plan_entry.sub_kegiatan.kode,
        added.rekening.kode,
        Decimal(0),
        added.jumlah,
    ) in by_origin
    assert doc["total"]["semula"] == sum(enacted.values())
    assert doc["total"]["menjadi"] == sum(r.jumlah for r in Rincian.objects.filter(versi=revision))
    assert doc["total"]["selisih"] == doc["total"]["menjadi"] - doc["total"]["semula"]
    assert sum(t["selisih"] for t in doc["totals"]["opd"].values()) == doc["total"]["selisih"]
    # the enacted version is unchanged
    assert {r.pk: r.jumlah for r in Rincian.objects.filter(versi=budget.versi)} == enacted
    # same workflow, then the revision is what the summary shows
    rka_submit(actor=budget.kepala, tahun=YEAR, opd=DINKES)
    for rka in revision.rka.filter(status="diajukan"):
        rka_verify(actor=budget.tapd, rka=rka, accept=True)
    assert not revision.rka.exclude(status="diterima").exists()  # the emptied RKA went away
    budget_enact(actor=budget.bpkad, tahun=YEAR, dasar_hukum="Perkada pergeseran 1")
    summary = apbd_summary(YEAR)
    assert summary is not None and summary.versi == "Pergeseran anggaran ke-1"
    assert summary.belanja == doc["total"]["menjadi"]


def test_the_apbd_balances(budget: Budget) -> None:
    fill_and_enact(budget)
    summary = apbd_summary(YEAR)
    assert summary is not None
    lines = sum(r.jumlah for r in Rincian.objects.filter(versi=budget.versi))
    assert summary.belanja == lines and summary.pendapatan == Decimal("250000000.00")
    assert summary.surplus_defisit == summary.pendapatan - summary.belanja
    assert summary.penerimaan_pembiayaan == Decimal("10000000.00")
    assert summary.pembiayaan_neto == Decimal("10000000.00")
    assert summary.silpa == summary.surplus_defisit + summary.pembiayaan_neto
    assert sum(r.jumlah for r in summary.per_opd) == summary.belanja
    assert sum(r.jumlah for r in summary.per_urusan) == summary.belanja
    belanja_groups = [r for r in summary.per_kelompok if r.kode.startswith("5.")]
    assert [r.kode for r in belanja_groups] == ["5.1"]
    assert sum(r.jumlah for r in belanja_groups) == summary.belanja


def test_no_summary_before_enactment_and_the_dpa_after(budget: Budget) -> None:
    assert apbd_summary(YEAR) is None
    fill_and_enact(budget)
    dpa = dpa_issue(actor=budget.bpkad, tahun=YEAR, opd=DINKES)
    expected = sum(r.jumlah for r in Rincian.objects.filter(versi=budget.versi, rka__opd=dpa.opd))
    assert dpa.jumlah == expected and Dpa.objects.count() == 1
    with pytest.raises(BudgetError):
        dpa_issue(actor=budget.bpkad, tahun=YEAR, opd=DINKES)


def test_the_consistency_report_names_what_imported_lines_break(budget: Budget) -> None:
    good = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[0]))
    bad = line_create(actor=budget.operator, tahun=YEAR, data=line(budget.entries[1]))
    # as if imported from an older template version: a typed price and a disallowed account
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE budgeting_rincian SET harga = 70000, rekening_id = "
            "(SELECT id FROM reference_rekening WHERE kode = '5.1.02.01.01.0052') WHERE id = %s",
            [bad.pk],
        )
    report = consistency_report(budget.versi)
    assert report["diperiksa"] == 2 and report["bermasalah"] == 1
    (row,) = report["rincian"]
    assert row["id"] == bad.pk and row["di_atas_standar"] is True
    reasons = " ".join(row["masalah"])
    assert "tidak diizinkan" in reasons and "di atas standar harga" in reasons
    assert "volume x harga" in reasons
    assert good.pk not in {r["id"] for r in report["rincian"]}
