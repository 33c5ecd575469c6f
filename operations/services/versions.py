"""Template versions: the master template published as a version, and the reference-data diff a
version brings to a region (the hook to apps.reference, when present)."""

import importlib
import inspect
import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.migrations.migration import Migration
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from operations import rollout
from operations.errors import RolloutError
from operations.services._common import _actor_label
from tenants.models import TemplateVersion, Tenant

logger = logging.getLogger(__name__)


def _reference_module() -> Any:
    try:
        return importlib.import_module("apps.reference.services")
    except ImportError:
        return None


def reference_diff_apply(*, schema_name: str, template_version: TemplateVersion) -> dict[str, Any]:
    """The single hook to the reference-data diff of a rollout (apps.reference, when present).

    Runs inside the region's schema; returns what the reference app reports (codes added,
    retired), or {"status": "unavailable"} while no reference app provides the diff.
    """
    module = _reference_module()
    function = getattr(module, "reference_diff_apply", None) if module else None
    if function is None:
        return {"status": "unavailable"}
    accepted = inspect.signature(function).parameters
    offered: dict[str, Any] = {
        "schema_name": schema_name,
        "template_version": template_version,
        "source_schema": settings.TEMPLATE_SCHEMA_NAME,
        "actor": f"rollout {template_version.label}",
    }
    kwargs = {k: v for k, v in offered.items() if k in accepted}
    with schema_context(schema_name):
        result = function(**kwargs)
    if isinstance(result, dict):
        return result
    changes = getattr(result, "perubahan", None)
    return {
        "status": "applied",
        "release": str(result)[:200],
        "changes": changes if isinstance(changes, dict) else {},
    }


def reference_diff_needed(*, current: TemplateVersion | None, target: TemplateVersion) -> bool:
    """The diff runs when the region's reference release may differ from the target's: no
    version yet, or versions whose reference checksums differ (or are unknown)."""
    if current is None:
        return True
    if not current.reference_checksum or not target.reference_checksum:
        return current.pk != target.pk
    return current.reference_checksum != target.reference_checksum


def template_version_publish(
    *,
    label: str,
    notes: str = "",
    actor: Any = None,
    extra_migrations: Sequence[Migration] = (),
) -> TemplateVersion:
    """Bring the master template up to the code's migrations, then record it as a version."""
    label = label.strip()
    if not label:
        raise RolloutError(_("Label versi wajib diisi."), field="label")
    if TemplateVersion.objects.filter(label=label).exists():
        raise RolloutError(_("Versi %(label)s sudah ada.") % {"label": label}, field="label")
    template = Tenant.objects.get(schema_name=settings.TEMPLATE_SCHEMA_NAME)
    plan = rollout.plan_build([template.schema_name], extra_migrations=extra_migrations)
    outcomes = rollout.migrate_schemas_fast(plan, [template.schema_name])
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise RolloutError(
            _("Migrasi templat induk gagal: %(error)s") % {"error": failed[0].error}, field="label"
        )
    from tenants import services as tenant_services

    state = tenant_services.template_migration_state()
    checksum, release = tenant_services.template_reference_checksum()
    with transaction.atomic():
        version = TemplateVersion.objects.create(
            label=label,
            notes=notes,
            reference_checksum=checksum[:64],
            reference_release=release[:64],
            migration_state=state,
            digest=tenant_services._template_digest(state, checksum),
        )
        template.template_version = version
        template.save(update_fields=["template_version", "updated_at"])
    logger.info("template version %s published by %s", label, _actor_label(actor))
    return version
