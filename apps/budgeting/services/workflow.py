"""The budget's workflow: the kepala OPD submits, TAPD verifies each sub kegiatan, BPKAD enacts
(PostgreSQL locks the version, its digest joins the audit chain) and issues the DPA; after that a
revision (pergeseran or APBD-Perubahan) starts from a copy of the enacted version."""

import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.budgeting import roles
from apps.budgeting.errors import BudgetError
from apps.budgeting.models import Dpa, Pembiayaan, Pendapatan, Rincian, Rka, TahunAnggaran, Versi
from apps.budgeting.services._common import (
    draft_version,
    latest_enacted,
    opd_check,
    opd_get,
    text,
    version_editable,
    writer_check,
    year_get,
)


@transaction.atomic
def rka_submit(*, actor: Any, tahun: int, opd: str) -> int:
    """The kepala OPD submits every draft or returned RKA of the OPD; returns how many."""
    opd_row = opd_get(opd)
    opd_check(actor, opd_row.kode, *roles.SUBMITTERS)
    version = draft_version(tahun, lock=True)
    rows = Rka.objects.filter(
        versi=version, opd=opd_row, status__in=(Rka.Status.DRAFT, Rka.Status.RETURNED)
    )
    ids = list(
        rows.filter(Exists(Rincian.objects.filter(rka=OuterRef("pk"))))
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        raise BudgetError(
            _("Tidak ada RKA OPD %(opd)s yang dapat diajukan.") % {"opd": opd_row.kode},
            field="opd",
        )
    Rka.objects.filter(pk__in=ids).update(status=Rka.Status.SUBMITTED)
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_RKA_SUBMITTED,
        target=version,
        changes={"opd": opd_row.kode, "rka": ids},
    )
    return len(ids)


@transaction.atomic
def rka_verify(
    *,
    actor: Any,
    rka: Rka,
    accept: bool,
    catatan: str = "",
    catatan_rincian: dict[int, str] | None = None,
) -> Rka:
    """TAPD accepts a submitted RKA, or returns it with a note (and notes on lines)."""
    writer_check(actor, *roles.VERIFIERS)
    rka = Rka.objects.select_for_update().select_related("versi__tahun").get(pk=rka.pk)
    version_editable(rka.versi)
    if rka.status != Rka.Status.SUBMITTED:
        raise BudgetError(_("RKA ini belum diajukan."), field="status")
    catatan = text(catatan, field="catatan", limit=4000, required=not accept)
    notes = {
        int(k): text(v, field="catatan_rincian", limit=2000, required=False)
        for k, v in (catatan_rincian or {}).items()
    }
    own = set(rka.rincian.filter(pk__in=notes).values_list("pk", flat=True))
    if set(notes) - own:
        raise BudgetError(_("Catatan menunjuk rincian di luar RKA ini."), field="catatan_rincian")
    for pk, note in notes.items():
        Rincian.objects.filter(pk=pk).update(catatan=note)
    rka.status = Rka.Status.ACCEPTED if accept else Rka.Status.RETURNED
    rka.catatan = catatan
    rka.save(update_fields=["status", "catatan"])
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_RKA_VERIFIED,
        target=rka,
        changes={
            "status": rka.status,
            "catatan": catatan,
            "rincian": {str(k): v for k, v in notes.items()},
        },
    )
    return rka


def version_content(version: Versi) -> str:
    """The version as canonical JSON text: every line, revenue and financing row, sorted."""
    lines = (
        version.rincian.order_by("id")
        .annotate(sub=F("rka__plan_entry_id"), opd=F("rka__opd__kode"), rek=F("rekening__kode"))
        .values_list("id", "sub", "opd", "rek", "kode_harga", "harga", "volume", "ppn", "jumlah")
    )
    revenue = version.pendapatan.order_by("id").values_list(
        "id", "opd__kode", "rekening__kode", "jumlah"
    )
    financing = version.pembiayaan.order_by("id").values_list("id", "rekening__kode", "jumlah")
    body = {
        "tahun": version.tahun.tahun,
        "versi": [version.jenis, version.nomor],
        "rincian": [[str(v) for v in row] for row in lines],
        "pendapatan": [[str(v) for v in row] for row in revenue],
        "pembiayaan": [[str(v) for v in row] for row in financing],
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def version_digest(version: Versi) -> str:
    return hashlib.sha256(version_content(version).encode()).hexdigest()


@transaction.atomic
def budget_enact(*, actor: Any, tahun: int, dasar_hukum: str) -> Versi:
    """BPKAD enacts the draft version once TAPD accepted every RKA; PostgreSQL locks it from
    then on and its SHA-256 digest joins the audit chain."""
    writer_check(actor, *roles.ENACTORS)
    version = draft_version(tahun, lock=True)
    dasar_hukum = text(dasar_hukum, field="dasar_hukum", limit=300)
    rka = Rka.objects.filter(versi=version)
    if not rka.exists():
        raise BudgetError(_("Belum ada RKA untuk ditetapkan."), field="versi")
    pending = rka.exclude(status=Rka.Status.ACCEPTED).count()
    if pending:
        raise BudgetError(
            _("%(n)d RKA belum diterima TAPD; APBD belum dapat ditetapkan.") % {"n": pending},
            field="versi",
        )
    digest = version_digest(version)
    total = version.rincian.aggregate(s=Sum("jumlah"))["s"] or 0
    version.status = Versi.Status.ENACTED
    version.dasar_hukum = dasar_hukum
    version.digest = digest
    version.ditetapkan_pada = timezone.now()
    version.save(update_fields=["status", "dasar_hukum", "digest", "ditetapkan_pada"])
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_ENACTED,
        target=version,
        changes={
            "tahun": tahun,
            "versi": version.label,
            "sha256": digest,
            "belanja": str(total),
            "dasar_hukum": dasar_hukum,
        },
    )
    return version


@transaction.atomic
def dpa_issue(*, actor: Any, tahun: int, opd: str) -> Dpa:
    """BPKAD issues an OPD's DPA from the year's latest enacted version (once per version)."""
    writer_check(actor, *roles.ENACTORS)
    opd_row = opd_get(opd)
    version = latest_enacted(tahun)
    if version is None:
        raise BudgetError(
            _("APBD tahun %(year)s belum ditetapkan.") % {"year": tahun}, field="tahun"
        )
    if Dpa.objects.filter(versi=version, opd=opd_row).exists():
        raise BudgetError(_("DPA OPD ini untuk versi tersebut sudah diterbitkan."), field="opd")
    total = version.rincian.filter(rka__opd=opd_row).aggregate(s=Sum("jumlah"))["s"] or 0
    if not total:
        raise BudgetError(
            _("OPD %(opd)s tidak memiliki belanja.") % {"opd": opd_row.kode}, field="opd"
        )
    nomor = f"DPA/{opd_row.kode}/{tahun}/{version.jenis.upper()}-{version.nomor}"
    dpa = Dpa.objects.create(versi=version, opd=opd_row, nomor=nomor, jumlah=total)
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_DPA_ISSUED,
        target=dpa,
        changes={"nomor": nomor, "jumlah": str(total), "versi": version.pk},
    )
    return dpa


def _copy(source: Versi, target: Versi) -> None:
    """Copy RKA (as drafts), lines, revenue and financing; each copy remembers its origin."""
    rka_map: dict[int, int] = {}
    for old in source.rka.all().only("pk", "plan_entry_id", "opd_id"):
        rka_map[old.pk] = Rka.objects.create(
            versi=target, plan_entry_id=old.plan_entry_id, opd_id=old.opd_id
        ).pk
    fields = [
        f.attname
        for f in Rincian._meta.concrete_fields
        if f.attname not in ("id", "versi_id", "rka_id", "asal_id", "catatan", "dibuat_pada")
    ]
    copies = []
    for line in source.rincian.all().values("id", "rka_id", *fields):
        values = {k: line[k] for k in fields}
        copies.append(
            Rincian(versi=target, rka_id=rka_map[line["rka_id"]], asal_id=line["id"], **values)
        )
    Rincian.objects.bulk_create(copies, batch_size=2000)
    Pendapatan.objects.bulk_create(
        Pendapatan(
            versi=target,
            opd_id=r.opd_id,
            rekening_id=r.rekening_id,
            uraian=r.uraian,
            jumlah=r.jumlah,
            asal=r,
        )
        for r in source.pendapatan.all()
    )
    Pembiayaan.objects.bulk_create(
        Pembiayaan(
            versi=target, rekening_id=r.rekening_id, uraian=r.uraian, jumlah=r.jumlah, asal=r
        )
        for r in source.pembiayaan.all()
    )


@transaction.atomic
def revision_create(*, actor: Any, tahun: int, jenis: str) -> Versi:
    """A pergeseran (numbered) or the APBD-Perubahan (once) from the latest enacted version,
    whose figures stay as they are."""
    writer_check(actor, *roles.TREASURY)
    year: TahunAnggaran = year_get(tahun)
    if jenis not in (Versi.Jenis.PERGESERAN, Versi.Jenis.PERUBAHAN):
        raise BudgetError(_("Jenis perubahan anggaran tidak dikenal."), field="jenis")
    source = latest_enacted(tahun)
    if source is None:
        raise BudgetError(
            _("APBD tahun %(year)s belum ditetapkan.") % {"year": tahun}, field="jenis"
        )
    if Versi.objects.filter(tahun=year, status=Versi.Status.DRAFT).exists():
        raise BudgetError(_("Masih ada versi anggaran yang sedang disusun."), field="jenis")
    nomor = 0
    if jenis == Versi.Jenis.PERGESERAN:
        nomor = Versi.objects.filter(tahun=year, jenis=jenis).count() + 1
    elif Versi.objects.filter(tahun=year, jenis=jenis).exists():
        raise BudgetError(_("APBD-Perubahan tahun ini sudah ada."), field="jenis")
    version = Versi.objects.create(tahun=year, jenis=jenis, nomor=nomor, induk=source)
    _copy(source, version)
    audit_record(
        actor=actor,
        action=AuditAction.BUDGET_REVISION_CREATED,
        target=version,
        changes={"tahun": tahun, "versi": version.label, "induk": source.pk},
    )
    return version
