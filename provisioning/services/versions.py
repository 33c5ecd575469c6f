"""Template versions, produced here only: the master template's state (migrations and reference
checksum) recorded or published as a version, and the reference-data diff a version brings to a
region (through apps.reference)."""

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.platform.services import platform_audit_record
from apps.reference import services as reference_services
from apps.reference.services import reference_checksum, reference_release_current
from provisioning import rollout
from provisioning.errors import RolloutError
from provisioning.services._common import _actor_label
from tenants.models import TemplateVersion, Tenant

logger = logging.getLogger(__name__)


def reference_diff_apply(*, schema_name: str, template_version: TemplateVersion) -> dict[str, Any]:
    """Bring one region's reference data to the release the template version carries (each
    shipped release in between, in order): new codes added, changed ones updated, withdrawn ones
    marked retired, nothing deleted (apps.reference). `changes` sums the counts per kind."""
    versi = template_version.reference_release or reference_services.starter_release_label()
    with schema_context(schema_name):
        releases = reference_services.reference_release_upgrade(
            versi=versi, actor=f"rollout {template_version.label}"
        )
    changes: dict[str, dict[str, int]] = {}
    for release in releases:
        for kind, counts in release.perubahan.items():
            total = changes.setdefault(kind, {})
            for key, count in counts.items():
                total[key] = total.get(key, 0) + int(count)
    return {"status": "applied", "release": str(releases[-1])[:200], "changes": changes}


def reference_diff_totals(reference: dict[str, Any]) -> dict[str, int]:
    """Added, changed (updated or restored) and retired rows over every kind of a rollout item's
    reference diff (its `reference` field); zeros when none was applied."""
    totals = {"added": 0, "changed": 0, "retired": 0}
    for counts in (reference.get("changes") or {}).values():
        totals["added"] += int(counts.get("ditambah", 0))
        totals["changed"] += int(counts.get("diubah", 0)) + int(counts.get("dipulihkan", 0))
        totals["retired"] += int(counts.get("dipensiunkan", 0))
    return totals


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
    actor: Actor = None,
    release: str = "",
) -> TemplateVersion:
    """Bring the master template up to the code's migrations and, when `release` names a shipped
    reference-data release (e.g. 2027.1), to that release; then record it as a version."""
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
    if release:
        reference_services.release_directory(versi=release)
        with schema_context(template.schema_name):
            reference_services.reference_release_upgrade(
                versi=release, actor=f"sistem: templat induk {label}"
            )
    state = template_migration_state()
    checksum, release = template_reference_checksum()
    with transaction.atomic():
        version = TemplateVersion.objects.create(
            label=label,
            notes=notes,
            reference_checksum=checksum[:64],
            reference_release=release[:64],
            migration_state=state,
            digest=template_digest(state, checksum),
        )
        template.template_version = version
        template.save(update_fields=["template_version", "updated_at"])
        platform_audit_record(
            actor=actor,
            action=AuditAction.TEMPLATE_VERSION_PUBLISHED,
            target=version,
            changes={"label": label, "digest": version.digest, "release": release},
        )
    logger.info("template version %s published by %s", label, _actor_label(actor))
    return version


def template_migration_state(*, schema_name: str | None = None) -> dict[str, list[str]]:
    """The migrations applied in the template schema, per app, sorted (one cheap query)."""
    schema = schema_name or settings.TEMPLATE_SCHEMA_NAME
    state: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations ORDER BY app, name')
        for app, name in cursor.fetchall():
            state.setdefault(app, []).append(name)
    return state


def template_reference_checksum() -> tuple[str, str]:
    """(checksum, release label) of the template's reference data, computed over every row."""
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        current = reference_release_current()
        return reference_checksum(), current.versi if current else ""


def template_reference_recorded() -> str:
    """The data checksum the template's latest reference release recorded when it was loaded
    ("" when none): one query, unlike recomputing the checksum over every reference row."""
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        current = reference_release_current()
    return current.checksum_data if current else ""


def template_digest(state: dict[str, list[str]], checksum: str) -> str:
    """What identifies a template version: its migrations and its reference-data checksum."""
    payload = json.dumps({"migrations": state, "reference": checksum}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def template_version_record(*, notes: str = "") -> TemplateVersion:
    """Record the template's current state (migrations + reference checksum); idempotent."""
    state = template_migration_state()
    checksum, release = template_reference_checksum()
    digest = template_digest(state, checksum)
    existing = TemplateVersion.objects.filter(digest=digest).first()
    if existing is not None:
        return existing
    label = f"{timezone.now():%Y.%m.%d}-{digest[:8]}"
    version = TemplateVersion.objects.create(
        label=label,
        notes=notes,
        reference_checksum=checksum,
        reference_release=release,
        migration_state=state,
        digest=digest,
    )
    platform_audit_record(
        actor=None,
        action=AuditAction.TEMPLATE_VERSION_RECORDED,
        target=version,
        changes={"label": label, "notes": notes},
    )
    return version


def template_version_matching() -> TemplateVersion | None:
    """The latest recorded version matching the template's migrations and reference release,
    or None. Cheap (the template's django_migrations and its latest release); writes nothing."""
    state = template_migration_state()
    recorded = template_reference_recorded()
    for version in TemplateVersion.objects.order_by("-created_at", "-id")[:5]:
        if version.migration_state == state and version.reference_checksum == recorded:
            return version
    return None


def template_version_ensure(*, notes: str = "") -> TemplateVersion:
    """The version matching the template, recorded first when none does (the reference checksum
    is recomputed over every row only then)."""
    return template_version_matching() or template_version_record(notes=notes)
