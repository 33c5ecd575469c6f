"""Stages, snapshots and the diff of two plan versions."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.planning.errors import PlanningNotFound
from apps.planning.models import Snapshot, Stage
from apps.planning.selectors.diff import plan_diff, snapshot_rows
from apps.planning.selectors.plan import plan_rows


def stages_list(*, tahun: int | None = None) -> QuerySet[Stage]:
    rows = Stage.objects.select_related("period", "snapshot")
    if tahun:
        rows = rows.filter(tahun=tahun)
    return rows.order_by("tahun", "dibuka_pada", "id")


def snapshot_get(pk: int, *, field: str) -> Snapshot:
    snapshot = Snapshot.objects.select_related("stage").filter(pk=pk).first()
    if snapshot is None:
        raise PlanningNotFound(_("Cuplikan %(id)s tidak ditemukan.") % {"id": pk}, field=field)
    return snapshot


def diff_between(*, dari: int | None, ke: int | None) -> dict[str, Any]:
    """Snapshot `dari` (default: the latest) against snapshot `ke`, or against the live plan of
    the same year."""
    if dari is None:
        latest = Snapshot.objects.order_by("-id").values_list("pk", flat=True).first()
        if latest is None:
            raise PlanningNotFound(_("Belum ada tahapan yang ditutup."), field="dari")
        dari = latest
    before = snapshot_get(dari, field="dari")
    if ke is None:
        after_rows, after_label = plan_rows(tahun=before.tahun), _("Rencana saat ini")
    else:
        after = snapshot_get(ke, field="ke")
        after_rows, after_label = snapshot_rows(after), str(after.stage)
    result = plan_diff(snapshot_rows(before), after_rows)
    result["dari"] = {"id": before.pk, "label": str(before.stage), "sha256": before.sha256}
    result["ke"] = {"id": ke, "label": after_label}
    return result
