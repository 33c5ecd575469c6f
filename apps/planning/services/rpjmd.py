"""Writes of the RPJMD (Bappeda) and of each OPD's Renstra (its own OPD's writers), one audited
service pair for every kind of node: `rpjmd_node_save` creates or changes, `rpjmd_node_delete`
removes a node nothing hangs on. The kinds, their fields and checks are in rpjmd_kinds.KINDS."""

from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from apps.access.roles import missing_role_message, user_has_role
from apps.accounts.models import Role
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.planning.errors import PlanningError, PlanningForbidden
from apps.planning.services._common import opd_check, writer_check
from apps.planning.services.rpjmd_kinds import Kind, kind_get
from apps.reference.models import Nomenklatur

RPJMD_WRITERS = (Role.BAPPEDA,)
RENSTRA_WRITERS = (Role.BAPPEDA, Role.OPD_OPERATOR, Role.KEPALA_OPD)


# Kinds whose nodes are unique by some fields: (those fields, the field a refusal names). Checked
# after the writer's permission, so a refusal never tells someone else's OPD what exists.
UNIQUE: dict[str, tuple[tuple[str, ...], str]] = {
    "rpjmd": (("period",), "period"),
    "misi": (("rpjmd", "urutan"), "urutan"),
    "program-prioritas": (("sasaran", "program", "opd"), "program"),
    "renstra": (("period", "opd"), "opd"),
    "renstra-program": (("sasaran", "nomenklatur"), "nomenklatur"),
}


def _unique(kind: "Kind", node: Any) -> None:
    if kind.name not in UNIQUE:
        return
    fields, field = UNIQUE[kind.name]
    rows = kind.model._default_manager.filter(**{f: getattr(node, f) for f in fields})
    if node.pk:
        rows = rows.exclude(pk=node.pk)
    if rows.exists():
        raise PlanningError(_("Sudah ada dengan isian yang sama."), field=field)


def plain(value: Any) -> Any:
    """A field's value as JSON: a reference by code (nomenclature, OPD) or id, amounts as text."""
    if isinstance(value, Nomenklatur) or hasattr(value, "bidang_kode"):
        return value.kode
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


def node_values(kind: Kind, node: Any) -> dict[str, Any]:
    """A node as JSON: ids of parents (no query), codes of referenced rows, years as given."""
    out: dict[str, Any] = {"id": node.pk}
    for f in kind.fields:
        out[f.name] = (
            getattr(node, f.name + "_id") if f.type == "id" else plain(getattr(node, f.name))
        )
    return out


def _allowed(actor: Any, kind: Kind, node: Any = None) -> None:
    """RPJMD nodes: Bappeda. Renstra nodes: their OPD's writers (given `node`, its OPD)."""
    writers = RENSTRA_WRITERS if kind.renstra else RPJMD_WRITERS
    writer_check(actor)
    if not user_has_role(actor, *writers):
        raise PlanningForbidden(missing_role_message(writers), field="role")
    if kind.renstra and node is not None:
        opd_check(actor, node.opd_code, *writers)


def _action(kind: Kind, deleted: bool) -> AuditAction:
    if kind.renstra:
        return (
            AuditAction.PLANNING_RENSTRA_DELETED if deleted else AuditAction.PLANNING_RENSTRA_SAVED
        )
    return AuditAction.PLANNING_RPJMD_DELETED if deleted else AuditAction.PLANNING_RPJMD_SAVED


@transaction.atomic
def rpjmd_node_save(*, actor: Any, kind: str, data: dict[str, Any], node: Any = None) -> Any:
    """Create (`node` None) or change one node of `kind`; every field is checked before anything
    is written. Renstra nodes: the writer's OPD must hold the node before and after."""
    spec = kind_get(kind)
    if node is not None:
        if not isinstance(node, spec.model):
            raise PlanningError(_("Jenis isian RPJMD/Renstra tidak dikenal."), field="jenis")
        _allowed(actor, spec, node)
        before = node_values(spec, node)
    else:
        _allowed(actor, spec)
        node, before = spec.model(), None
    for name, value in spec.parse(data, node).items():
        setattr(node, name, value)
    _allowed(actor, spec, node)
    _unique(spec, node)
    node.save()
    after = node_values(spec, node)
    audit_record(
        actor=actor,
        action=_action(spec, deleted=False),
        target=node,
        changes={"jenis": spec.name, "sebelum": before, "sesudah": after},
    )
    return node


@transaction.atomic
def rpjmd_node_delete(*, actor: Any, kind: str, node: Any) -> None:
    """Remove a node that nothing (no child, no RKPD entry) hangs on."""
    spec = kind_get(kind)
    if not isinstance(node, spec.model):
        raise PlanningError(_("Jenis isian RPJMD/Renstra tidak dikenal."), field="jenis")
    _allowed(actor, spec, node)
    before = node_values(spec, node)
    audit_record(actor=actor, action=_action(spec, deleted=True), target=node, changes=before)
    try:
        with transaction.atomic():
            node.delete()
    except ProtectedError:
        raise PlanningError(
            _("Isian ini masih memiliki turunan atau dipakai rencana; hapus itu lebih dahulu."),
            field="id",
        ) from None
