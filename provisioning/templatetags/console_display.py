"""How the console shows what services recorded as data: lifecycle details and rollout counts,
in the reader's language and time zone, never as raw keys, ISO timestamps or server paths."""

from datetime import datetime
from pathlib import PurePath
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from provisioning.models import RolloutItem
from tenants.models import Tenant

register = template.Library()

# Every key a service writes into LifecycleRecord.detail (provisioning/tests/test_console_pages.py
# checks the services' source for keys missing here).
DETAIL_LABELS: dict[str, Any] = {
    "reason": _("alasan"),
    "delete_after": _("boleh dihapus mulai"),
    "previous_status": _("status sebelumnya"),
    "path": _("berkas"),
    "tables": _("tabel"),
    "source_schema": _("skema asal"),
    "kode": _("kode wilayah"),
    "archived_at": _("diarsipkan pada"),
    "job": _("penerapan"),
    "version": _("versi"),
    "migrations": _("migrasi"),
    "export": _("arsip"),
}
_TIMES = frozenset({"delete_after", "archived_at"})
TIME_FORMAT = "d-m-Y H:i T"
EMPTY = "\N{EN DASH}"  # what the console shows for a missing value


def _value(key: str, value: Any) -> str:
    if value in (None, "", [], {}):
        return EMPTY
    if key in _TIMES:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return str(date_filter(timezone.localtime(moment), TIME_FORMAT))
    if key == "path":
        return PurePath(str(value)).name  # the server's directories are nobody's business
    if key == "previous_status":
        return str(dict(Tenant.Status.choices).get(value, value))
    if key in ("job", "export"):
        return f"#{value}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@register.filter
def detail_items(detail: Any) -> list[tuple[str, str]]:
    """(label, value) pairs of a lifecycle record's detail; an unknown key keeps its name."""
    if not isinstance(detail, dict):
        return []
    return [(str(DETAIL_LABELS.get(key, key)), _value(key, value)) for key, value in detail.items()]


@register.filter
def summary_items(summary: Any) -> list[tuple[str, Any]]:
    """A rollout job's counts per item status, labelled in the reader's language."""
    if not isinstance(summary, dict):
        return []
    labels = dict(RolloutItem.Status.choices)
    return [(str(labels.get(status, status)), count) for status, count in summary.items()]


@register.filter
def file_name(path: Any) -> str:
    """The last part of a server path: enough to tell archives apart, nothing about the disk."""
    return PurePath(str(path)).name
