"""Provisioning a kabupaten/kota: clone the master template, add what is the region's own.

`tenant_provision` validates, records a ProvisioningJob, then runs every step in ONE transaction
holding a PostgreSQL advisory lock (provisioning is serialised): register the tenant row, clone the
template schema, add the region's kecamatan and desa, create its domain, invite its first admin,
activate. Any failure rolls the whole transaction back (no schema, no tenant row, no domain); the
job row, written outside that transaction, keeps the failed step and message; calling again
succeeds.
Progress is written on a side connection so a poller sees it while the transaction is still open.
"""

import json
import logging
import time
from collections.abc import Callable
from typing import Any

import psycopg2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.accounts.models import Invitation, Role, User
from apps.accounts.services import invitation_create
from apps.wilayah.services import wilayah_fill
from provisioning.clone import schema_clone
from provisioning.errors import InjectedFailure, ProvisioningError
from provisioning.models import ProvisioningJob
from tenants import services as tenant_services
from tenants.errors import ApplicationError, ConflictError, PermissionDeniedError
from tenants.models import Region, Tenant

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock key shared by every provisioning run ("Brbg").
PROVISIONING_LOCK_KEY = 0x42726267

STEPS: list[str] = [
    ProvisioningJob.Step.REGISTER,
    ProvisioningJob.Step.CLONE,
    ProvisioningJob.Step.WILAYAH,
    ProvisioningJob.Step.DOMAIN,
    ProvisioningJob.Step.INVITE,
    ProvisioningJob.Step.ACTIVATE,
]


def region_admin_invite(*, email: str, invited_by: str) -> Invitation:
    """Invite the region's first admin in the CURRENT schema (the new region's): an inactive user
    with an unusable password, activated when they accept the emailed invitation (after commit).
    `invited_by` is a label: the console user's id means nothing inside the region."""
    if connection.schema_name == settings.PUBLIC_SCHEMA_NAME:  # type: ignore[attr-defined]
        raise ProvisioningError(_("Admin daerah harus dibuat di skema daerah, bukan di public."))
    User.objects.create_user(email=email, password=None, is_active=False)
    return invitation_create(email=email, role=Role.ADMIN, invited_by=invited_by)


def provision_can_request(*, user: User | None, region: Region) -> bool:
    """Central support (and superusers) may provision anywhere; a provincial admin only in their
    own province. None is the operator at the command line."""
    if user is None or user.is_superuser:
        return True
    if user.platform_role == User.PlatformRole.CENTRAL_SUPPORT:
        return True
    return (
        user.platform_role == User.PlatformRole.PROVINCIAL_ADMIN
        and bool(user.province_code)
        and user.province_code == region.kode[:2]
    )


def provision_region_validate(*, kode_wilayah: str, requested_by: User | None) -> Region:
    """The checks every new region passes (provisioning, restore under a new code): a
    kabupaten/kota of the registry (400), within the requester's reach (403), not yet a tenant
    (409)."""
    kode = (kode_wilayah or "").strip()
    region = (
        Region.objects.select_related("induk")
        .filter(kode=kode, tingkat=Region.Level.KABUPATEN_KOTA)
        .first()
    )
    if region is None:
        raise ApplicationError(
            _("Kode wilayah %(kode)s bukan kabupaten/kota dalam daftar wilayah.")
            % {"kode": repr(kode)},
            field="kode_wilayah",
        )
    if not provision_can_request(user=requested_by, region=region):
        raise PermissionDeniedError(
            _("%(nama)s berada di luar provinsi yang Anda kelola.") % {"nama": region.nama},
            field="kode_wilayah",
        )
    if Tenant.objects.filter(region=region).exists():
        raise ConflictError(
            _("%(nama)s sudah disiapkan.") % {"nama": region.nama}, field="kode_wilayah"
        )
    return region


class _ProgressChannel:
    """Writes job progress on its own autocommit connection, visible while the work transaction
    is open. Inert when the caller is already inside a transaction (nobody else could see the job
    row) and never fatal: progress is informative only."""

    def __init__(self, job: ProvisioningJob) -> None:
        self.job_id = job.pk
        self.conn: Any = None
        if connection.in_atomic_block:
            return
        try:
            self.conn = psycopg2.connect(**connection.get_connection_params())
            self.conn.autocommit = True
            with self.conn.cursor() as cursor:
                # Progress is informative: no need to wait for its WAL flush on every step.
                cursor.execute("SET synchronous_commit = off")
        except psycopg2.Error:
            logger.warning("provisioning progress channel unavailable", exc_info=True)
            self.conn = None

    def write(self, job: ProvisioningJob) -> None:
        if self.conn is None:
            return
        try:
            with self.conn.cursor() as cursor:
                cursor.execute(
                    f'UPDATE public."{ProvisioningJob._meta.db_table}" '
                    "SET step = %s, progress = %s, steps = %s WHERE id = %s",
                    [job.step, job.progress, json.dumps(job.steps), self.job_id],
                )
        except psycopg2.Error:
            logger.warning("provisioning progress write failed", exc_info=True)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _fail_at_setting() -> str | None:
    value = getattr(settings, "PROVISIONING_FAIL_AT", None)
    return str(value) if value else None


def tenant_provision(
    *,
    kode_wilayah: str,
    admin_email: str,
    requested_by: User | None,
    fail_at: str | None = None,
) -> ProvisioningJob:
    """Provision one kabupaten/kota from the master template; returns the finished job.

    Raises ApplicationError (400 unknown code or bad email), PermissionDeniedError (403 outside the
    requester's province), ConflictError (409 already provisioned, also for the loser of a race) or
    ProvisioningError (a step failed; nothing of the region remains). `fail_at` (or the setting
    PROVISIONING_FAIL_AT) names a step to fail on purpose after its work is done.
    """
    fail_at = fail_at or _fail_at_setting()
    if fail_at is not None and fail_at not in STEPS:
        raise ApplicationError(
            _("Langkah tidak dikenal: %(step)s.") % {"step": fail_at}, field="fail_at"
        )
    admin_email = (admin_email or "").strip().lower()
    try:
        validate_email(admin_email)
    except ValidationError as exc:
        raise ApplicationError(_("Alamat email admin tidak valid."), field="admin_email") from exc
    region = provision_region_validate(kode_wilayah=kode_wilayah, requested_by=requested_by)

    job = ProvisioningJob.objects.create(
        region=region,
        requested_by=requested_by,
        admin_email=admin_email,
        status=ProvisioningJob.Status.RUNNING,
        started_at=timezone.now(),
        steps=[
            {"name": s, "label": str(ProvisioningJob.Step(s).label), "status": "pending"}
            for s in STEPS
        ],
    )
    channel = _ProgressChannel(job)
    started = time.perf_counter()
    try:
        _provision_run(job=job, region=region, fail_at=fail_at, channel=channel)
    except Exception as exc:
        _job_fail(job=job, exc=exc, started=started)
        raise
    finally:
        channel.close()
    return job


def _provision_run(
    *, job: ProvisioningJob, region: Region, fail_at: str | None, channel: _ProgressChannel
) -> None:
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '60s'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROVISIONING_LOCK_KEY])
        # Re-checked under the lock: the loser of a race for the same code stops here.
        if Tenant.objects.filter(region=region).exists():
            raise ConflictError(
                _("%(nama)s sudah disiapkan.") % {"nama": region.nama}, field="kode_wilayah"
            )
        version = tenant_services.template_version_current()
        state: dict[str, Any] = {}

        def register() -> None:
            state["tenant"] = tenant_services.tenant_register(region=region, with_domain=False)

        def clone() -> None:
            schema_clone(source=settings.TEMPLATE_SCHEMA_NAME, target=state["tenant"].schema_name)

        def wilayah() -> None:
            with schema_context(state["tenant"].schema_name):
                kecamatan, desa = wilayah_fill(kode_kabkota=region.kode)
            state["wilayah"] = {"kecamatan": kecamatan, "desa": desa}

        def domain() -> None:
            state["domain"] = tenant_services.domain_primary_create(tenant=state["tenant"])

        def invite() -> None:
            requester = job.requested_by
            inviter = f"{requester.email} (konsol)" if requester else "operator platform"
            with schema_context(state["tenant"].schema_name):
                invitation = region_admin_invite(email=job.admin_email, invited_by=inviter)
            state["accept_url"] = invitation.accept_url
            job.invitation = {
                "email": invitation.email,
                "invitation_id": invitation.pk,
                "schema_name": state["tenant"].schema_name,
                "created_at": timezone.now().isoformat(),
                "expires_at": invitation.expires_at.isoformat(),
                "status": "pending",
            }

        def activate() -> None:
            tenant: Tenant = state["tenant"]
            tenant.template_version = version
            tenant.save(update_fields=["template_version", "updated_at"])
            tenant_services.tenant_set_status(tenant=tenant, status=Tenant.Status.ACTIVE)

        actions: dict[str, Callable[[], None]] = {
            ProvisioningJob.Step.REGISTER: register,
            ProvisioningJob.Step.CLONE: clone,
            ProvisioningJob.Step.WILAYAH: wilayah,
            ProvisioningJob.Step.DOMAIN: domain,
            ProvisioningJob.Step.INVITE: invite,
            ProvisioningJob.Step.ACTIVATE: activate,
        }
        for index, name in enumerate(STEPS):
            job.step = name
            entry = job.steps[index]
            entry["status"] = "running"
            channel.write(job)
            step_started = time.perf_counter()
            actions[name]()
            if fail_at == name:
                raise InjectedFailure(
                    _("Kegagalan disengaja pada langkah %(step)s.") % {"step": name}, field=None
                )
            entry["status"] = "done"
            entry["ms"] = round((time.perf_counter() - step_started) * 1000, 2)
            if name == ProvisioningJob.Step.WILAYAH:
                entry["counts"] = state["wilayah"]
            job.progress = round(100 * (index + 1) / len(STEPS))

        job.tenant = state["tenant"]
        job.template_version = version
        job.status = ProvisioningJob.Status.SUCCEEDED
        job.step = ""
        job.finished_at = timezone.now()
        job.duration_ms = round((time.perf_counter() - started) * 1000, 2)
        job.save()
    logger.info(
        "region provisioned",
        extra={"kode_wilayah": region.kode, "job": job.pk, "ms": job.duration_ms},
    )


def _job_fail(*, job: ProvisioningJob, exc: BaseException, started: float) -> None:
    """Record the failure on the job row (the region's own transaction is already rolled back)."""
    for entry in job.steps:
        if entry.get("status") == "running":
            entry["status"] = "failed"
    job.status = ProvisioningJob.Status.FAILED
    job.error = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    job.error_field = getattr(exc, "field", None) or ""
    job.tenant = None
    job.finished_at = timezone.now()
    job.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    job.save()
    logger.warning(
        "region provisioning failed",
        extra={"kode_wilayah": job.region_id, "job": job.pk, "step": job.step},
    )
