"""Template versions: the master template published as a version, and the reference-data diff a
version brings to a region (through apps.reference)."""

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.reference import services as reference_services
from operations import rollout
from operations.errors import RolloutError
from operations.services._common import _actor_label
from tenants.models import TemplateVersion, Tenant

logger = logging.getLogger(__name__)


def reference_diff_apply(*, schema_name: str, template_version: TemplateVersion) -> dict[str, Any]:
    """Bring one region's reference data to the release the template carries: new codes added,
    changed ones updated, withdrawn ones marked retired, nothing deleted (apps.reference)."""
    with schema_context(schema_name):
        release = reference_services.reference_diff_apply(actor=f"rollout {template_version.label}")
    return {"status": "applied", "release": str(release)[:200], "changes": release.perubahan}


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
) -> TemplateVersion:
    """Bring the master template up to the code's migrations, then record it as a version."""
    label = label.strip()
    if not label:
        raise RolloutError(_("Label versi wajib diisi."), field="label")
    if TemplateVersion.objects.filter(label=label).exists():
        raise RolloutError(_("Versi %(label)s sudah ada.") % {"label": label}, field="label")
    template = Tenant.objects.get(schema_name=settings.TEMPLATE_SCHEMA_NAME)
    plan = rollout.plan_build([template.schema_name])
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
            digest=tenant_services.template_digest(state, checksum),
        )
        template.template_version = version
        template.save(update_fields=["template_version", "updated_at"])
    logger.info("template version %s published by %s", label, _actor_label(actor))
    return version
