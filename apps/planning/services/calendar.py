"""The planning calendar: RPJMD periods, stages, opening and closing (closing freezes a snapshot
whose SHA-256 goes into the region's audit chain)."""

import datetime
import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.planning.errors import PlanningError
from apps.planning.models import Period, Snapshot, Stage
from apps.planning.roles import BAPPEDA
from apps.planning.selectors.plan import plan_rows, totals
from apps.planning.services._common import role_check


@transaction.atomic
def period_create(*, actor: Any, nama: str, tahun_awal: int) -> Period:
    """A five-year RPJMD period (Bappeda); periods do not overlap."""
    role_check(actor, *BAPPEDA)
    nama = (nama or "").strip()[:200]
    if not nama:
        raise PlanningError(_("Wajib diisi."), field="nama")
    if not 2000 <= tahun_awal <= 2100:
        raise PlanningError(_("Tahun di luar rentang 2000-2100."), field="tahun_awal")
    if Period.objects.filter(tahun_awal__lte=tahun_awal + 4, tahun_akhir__gte=tahun_awal).exists():
        raise PlanningError(
            _("Periode RPJMD bertumpang tindih dengan periode yang sudah ada."),
            field="tahun_awal",
        )
    period = Period.objects.create(nama=nama, tahun_awal=tahun_awal, tahun_akhir=tahun_awal + 4)
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_PERIOD_CREATED,
        target=period,
        changes={"nama": nama, "tahun_awal": tahun_awal},
    )
    return period


@transaction.atomic
def stage_create(
    *,
    actor: Any,
    period: Period,
    tahun: int,
    jenis: str,
    dibuka_pada: datetime.date,
    ditutup_pada: datetime.date,
) -> Stage:
    """Schedule one stage of a plan year within the period (Bappeda)."""
    role_check(actor, *BAPPEDA)
    if jenis not in Stage.Kind.values:
        raise PlanningError(_("Jenis tahapan tidak dikenal."), field="jenis")
    if not period.tahun_awal <= tahun <= period.tahun_akhir:
        raise PlanningError(
            _("Tahun %(year)s di luar periode %(period)s.") % {"year": tahun, "period": period},
            field="tahun",
        )
    if ditutup_pada < dibuka_pada:
        raise PlanningError(
            _("Tanggal tutup tidak boleh sebelum tanggal buka."), field="ditutup_pada"
        )
    if Stage.objects.filter(tahun=tahun, jenis=jenis).exists():
        raise PlanningError(_("Tahapan ini sudah dijadwalkan untuk tahun itu."), field="jenis")
    stage = Stage.objects.create(
        period=period, tahun=tahun, jenis=jenis, dibuka_pada=dibuka_pada, ditutup_pada=ditutup_pada
    )
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_STAGE_CREATED,
        target=stage,
        changes={
            "tahun": tahun,
            "jenis": jenis,
            "dibuka": str(dibuka_pada),
            "ditutup": str(ditutup_pada),
        },
    )
    return stage


@transaction.atomic
def stage_open(*, actor: Any, stage: Stage) -> Stage:
    """Open a planned stage (Bappeda)."""
    role_check(actor, *BAPPEDA)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.status != Stage.State.PLANNED:
        raise PlanningError(
            _("Tahapan ini sudah %(state)s.") % {"state": stage.get_status_display().lower()},
            field="status",
        )
    stage.status = Stage.State.OPEN
    stage.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.PLANNING_STAGE_OPENED, target=stage)
    return stage


def snapshot_content(*, tahun: int, stage: Stage) -> str:
    """The plan of `tahun` as canonical JSON text (sorted keys, no spaces)."""
    rows = plan_rows(tahun=tahun)
    sums = {level: {k: str(v) for k, v in values.items()} for level, values in totals(rows).items()}
    body = {"tahun": tahun, "tahap": stage.jenis, "entri": rows, "total": sums}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@transaction.atomic
def stage_close(*, actor: Any, stage: Stage) -> Snapshot:
    """Close an open stage (Bappeda) and freeze the year's plan; the snapshot's hash joins the
    audit chain."""
    role_check(actor, *BAPPEDA)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.status != Stage.State.OPEN:
        raise PlanningError(_("Hanya tahapan yang dibuka dapat ditutup."), field="status")
    stage.status = Stage.State.CLOSED
    stage.save(update_fields=["status"])
    content = snapshot_content(tahun=stage.tahun, stage=stage)
    digest = hashlib.sha256(content.encode()).hexdigest()
    snapshot = Snapshot.objects.create(stage=stage, tahun=stage.tahun, isi=content, sha256=digest)
    audit_record(
        actor=actor,
        action=AuditAction.PLANNING_STAGE_CLOSED,
        target=stage,
        changes={"snapshot": snapshot.pk, "sha256": digest, "tahun": stage.tahun},
    )
    return snapshot
