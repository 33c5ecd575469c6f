"""Publishing a year's document: computed once by its kind's provider, frozen, audited."""

import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Role
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.portal.documents import Envelope
from apps.portal.errors import PortalError
from apps.portal.models import Publikasi
from apps.portal.population import penduduk
from apps.portal.providers import provider_get

TAHUN_MIN, TAHUN_MAX = 2000, 2100


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 unescaped; Decimals and dates as strings."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _actor_label(actor: Any) -> str:
    """Shown publicly: the person's name, never their email (the audit chain names the user)."""
    return str(getattr(actor, "full_name", "") or "Admin daerah")[:255]


def _check(*, actor: Any, jenis: str, tahun: int) -> None:
    from apps.access.roles import is_support_session, user_has_role

    if is_support_session(actor) or not user_has_role(actor, Role.ADMIN):
        raise PortalError(_("Hanya admin daerah yang boleh menerbitkan dokumen."), field="role")
    if jenis not in Publikasi.Jenis.values:
        raise PortalError(_("Jenis dokumen tidak dikenal."), field="jenis")
    if not TAHUN_MIN <= tahun <= TAHUN_MAX:
        raise PortalError(_("Tahun harus antara 2000 dan 2100."), field="tahun")


@transaction.atomic
def publikasi_publish(*, actor: Any, jenis: str, tahun: int, kode_wilayah: str) -> Publikasi:
    """Freeze the year's document of `jenis` as the next version; its SHA-256 joins the audit
    chain. Earlier versions stay readable; nothing is written when the provider refuses."""
    _check(actor=actor, jenis=jenis, tahun=tahun)
    data = dict(provider_get(jenis)(tahun))
    # One publisher at a time per region: the next version number is taken under a lock.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('portal.publikasi_publish'))")
    last = Publikasi.objects.filter(jenis=jenis, tahun=tahun).aggregate(v=Max("versi"))["v"]
    envelope: Envelope = {
        "jenis": jenis,
        "tahun": tahun,
        "kode_wilayah": kode_wilayah,
        "penduduk": penduduk(kode_wilayah),
        "data": data,
    }
    isi = canonical_json(envelope)
    publikasi = Publikasi.objects.create(
        jenis=jenis,
        tahun=tahun,
        versi=(last or 0) + 1,
        isi=isi,
        sha256=hashlib.sha256(isi.encode("utf-8")).hexdigest(),
        diterbitkan_pada=timezone.now(),
        diterbitkan_oleh=_actor_label(actor),
    )
    audit_record(
        actor=actor,
        action=AuditAction.PORTAL_PUBLISHED,
        target=publikasi,
        changes={
            "jenis": jenis,
            "tahun": tahun,
            "versi": publikasi.versi,
            "sha256": publikasi.sha256,
        },
    )
    return publikasi
