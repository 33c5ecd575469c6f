"""Where a write happens (a region or the console) and its audit entry: the region's chain in a
region, the platform's chain (apps.audit.platform) on the console."""

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from apps.accounts.models import OPD_BOUND_ROLES, WILAYAH_BOUND_ROLES, Role
from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.platform.services import platform_audit_record
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError
from apps.reference.selectors import perangkat_daerah_list
from tenants.db import schema_current


def _in_region() -> bool:
    return bool(schema_current() != settings.PUBLIC_SCHEMA_NAME)


def _audit(
    *, actor: Actor, action: AuditAction, target: Any = None, changes: dict[str, Any] | None = None
) -> None:
    if _in_region():
        audit_record(actor=actor, action=action, target=target, changes=changes)
    else:
        platform_audit_record(actor=actor, action=action, target=target, changes=changes)


def opd_code_validate(*, roles: Iterable[str], opd_code: str) -> str:
    """The OPD of OPD-bound roles is one of this region's perangkat daerah (by code, in use);
    roles that are not OPD-bound take none. Returns the code to store."""
    opd_code = opd_code.strip()
    bound = [str(role) for role in roles if role in OPD_BOUND_ROLES]
    if not bound:
        if opd_code:
            raise ApplicationError(
                _("Peran ini tidak terikat pada OPD; kosongkan OPD."), field="opd_code"
            )
        return ""
    if not opd_code:
        raise ApplicationError(
            _("Peran %(role)s harus terikat pada satu OPD: pilih OPD.")
            % {"role": Role(bound[0]).label},
            field="opd_code",
        )
    if not perangkat_daerah_list().filter(kode=opd_code).exists():
        raise ApplicationError(
            _("OPD '%(code)s' tidak ada di daftar perangkat daerah daerah ini.")
            % {"code": opd_code},
            field="opd_code",
        )
    return opd_code


def wilayah_code_validate(*, roles: Iterable[str], wilayah_code: str) -> str:
    """Operator kecamatan takes a kecamatan code, operator desa a desa/kelurahan code, of this
    region (apps.wilayah holds only the region's own places); other roles take none (a code
    typed next to them is dropped). Returns the code to store."""
    from apps.wilayah.models import Desa, Kecamatan

    code = wilayah_code.strip()
    bound = sorted({str(role) for role in roles} & WILAYAH_BOUND_ROLES)
    if not bound:
        return ""
    if len(bound) > 1:
        raise ApplicationError(
            _(
                "Operator kecamatan dan operator desa/kelurahan masing-masing terikat pada "
                "wilayahnya sendiri: berikan hanya salah satu peran ini kepada satu pengguna."
            ),
            field="wilayah_code",
        )
    role = bound[0]
    kecamatan = role == Role.OPERATOR_KECAMATAN
    place = _("kecamatan") if kecamatan else _("desa/kelurahan")
    if not code:
        raise ApplicationError(
            _("Peran %(role)s harus terikat pada satu %(place)s: isi kode wilayah.")
            % {"role": Role(role).label, "place": place},
            field="wilayah_code",
        )
    rows = Kecamatan.objects if kecamatan else Desa.objects
    if "\x00" in code or not rows.filter(kode=code).exists():
        raise ApplicationError(
            _("Kode wilayah %(code)s bukan %(place)s di daerah ini.")
            % {"code": code.replace("\x00", "")[:13], "place": place},
            field="wilayah_code",
        )
    return code
