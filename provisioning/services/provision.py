"""Provisioning a kabupaten/kota: clone the master template, add what is the region's own.

`tenant_provision` validates, records a ProvisioningJob (provisioning_job_create; the console and
the API then run it as a Celery task), then runs every step in ONE transaction
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
from datetime import timedelta
from typing import Any

import psycopg2
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.access.roles import is_central_support, is_provincial_admin
from apps.accounts.models import Invitation, Role, User
from apps.accounts.services import invitation_create
from apps.audit.actions import AuditAction
from apps.audit.platform.services import platform_audit_record
from apps.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from apps.wilayah.services import wilayah_fill
from provisioning.clone import schema_clone
from provisioning.errors import ProvisioningError
from provisioning.models import ProvisioningJob
from provisioning.services.versions import template_version_ensure
from tenants import services as tenant_services
from tenants.models import Domain, Region, TemplateVersion, Tenant

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


def region_admin_invite(*, tenant: Tenant, email: str, invited_by: str) -> Invitation:
    """Invite the first admin of `tenant` (the new region): an inactive user with an unusable
    password, activated when they accept the emailed invitation (after commit). `invited_by` is
    a label: the console user's id means nothing inside the region."""
    with schema_context(tenant.schema_name):
        User.objects.create_user(email=email, password=None, is_active=False)
        return invitation_create(tenant=tenant, email=email, role=Role.ADMIN, invited_by=invited_by)


def provision_can_request(*, user: User | None, region: Region) -> bool:
    """Central support may provision anywhere; a provincial admin only in their own province
    (apps.access decides). None is the operator at the command line."""
    if user is None:
        return True
    return is_central_support(user) or is_provincial_admin(user, region.kode[:2])


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
    _leftovers_refuse(region)
    return region


def _leftovers_refuse(region: Region) -> None:
    """A schema or a Host that already carries the new region's name (left by hand, or by
    something outside the platform) is a clear 409, not a failure halfway through the copy."""
    schema_name = Tenant.schema_name_for(region.kode)
    if tenant_services.schema_exists(schema_name):
        raise ConflictError(
            _(
                "Skema %(schema)s sudah ada di basis data tanpa daerah terdaftar; "
                "periksa dan hapus skema itu sebelum menyiapkan %(nama)s."
            )
            % {"schema": schema_name, "nama": region.nama},
            field="kode_wilayah",
        )
    host = f"{region.slug}.{settings.BASE_DOMAIN}"
    if Domain.objects.filter(domain=host).exists():
        raise ConflictError(
            _("Alamat %(host)s sudah dipakai daerah lain.") % {"host": host},
            field="kode_wilayah",
        )


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


# Second key of pg_advisory_xact_lock(JOB_LOCK_KEY, job id), held by the run of that job for its
# whole transaction: a RUNNING job whose lock nobody holds belongs to a process that died.
JOB_LOCK_KEY = 0x42726A62
# A job just marked running takes its lock within milliseconds; younger ones are left alone.
JOB_REAP_GRACE = timedelta(seconds=30)


def tenant_provision(
    *, kode_wilayah: str, admin_email: str, requested_by: User | None
) -> ProvisioningJob:
    """Provision one kabupaten/kota from the master template, here and now; returns the job.

    Raises ApplicationError (400 unknown code or bad email), PermissionDeniedError (403 outside the
    requester's province), ConflictError (409 already provisioned or being provisioned, also for
    the loser of a race) or ProvisioningError (a step failed; nothing of the region remains).
    """
    job = provisioning_job_create(
        kode_wilayah=kode_wilayah, admin_email=admin_email, requested_by=requested_by
    )
    return provisioning_job_run(job=job)


def provisioning_job_create(
    *, kode_wilayah: str, admin_email: str, requested_by: User | None
) -> ProvisioningJob:
    """Validate and record a pending job (run it with provisioning_job_run, e.g. as a task).
    A region with a pending or running job is a 409 (one active job per region, a unique index);
    jobs of that region whose process died are marked failed first."""
    admin_email = (admin_email or "").strip().lower()
    try:
        validate_email(admin_email)
    except ValidationError as exc:
        raise ApplicationError(_("Alamat email admin tidak valid."), field="admin_email") from exc
    region = provision_region_validate(kode_wilayah=kode_wilayah, requested_by=requested_by)
    provisioning_jobs_reap(region=region)
    try:
        with transaction.atomic():
            return ProvisioningJob.objects.create(
                region=region,
                requested_by=requested_by,
                admin_email=admin_email,
                status=ProvisioningJob.Status.PENDING,
                steps=[
                    {"name": s, "label": str(ProvisioningJob.Step(s).label), "status": "pending"}
                    for s in STEPS
                ],
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("%(nama)s sedang disiapkan.") % {"nama": region.nama}, field="kode_wilayah"
        ) from exc


def provisioning_job_run(*, job: ProvisioningJob) -> ProvisioningJob:
    """Run a pending job's steps; returns it finished (raises as tenant_provision does)."""
    if job.status != ProvisioningJob.Status.PENDING:
        raise ConflictError(
            _("Pekerjaan %(id)s berstatus %(status)s.")
            % {"id": job.pk, "status": job.get_status_display()},
            field="job",
        )
    job.status = ProvisioningJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    channel = _ProgressChannel(job)
    started = time.perf_counter()
    try:
        _provision_run(job=job, region=job.region, channel=channel)
    except Exception as exc:
        _job_fail(job=job, exc=exc, started=started)
        raise
    finally:
        channel.close()
    return job


def provisioning_jobs_reap(*, region: Region | None = None) -> list[int]:
    """Mark failed the running jobs whose process died (their job lock is free); never raises for
    a job that is alive. Runs before a region's new job and periodically (provisioning.tasks)."""
    jobs = ProvisioningJob.objects.filter(
        status=ProvisioningJob.Status.RUNNING, started_at__lt=timezone.now() - JOB_REAP_GRACE
    )
    if region is not None:
        jobs = jobs.filter(region=region)
    candidates = list(jobs.values_list("pk", flat=True))
    if not candidates:
        return []
    dead: list[int] = []
    probe = psycopg2.connect(**connection.get_connection_params())
    probe.autocommit = True
    try:
        with probe.cursor() as cursor:
            for job_id in candidates:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [JOB_LOCK_KEY, job_id])
                if cursor.fetchone()[0]:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [JOB_LOCK_KEY, job_id])
                    dead.append(job_id)
    finally:
        probe.close()
    for job in ProvisioningJob.objects.filter(pk__in=dead, status=ProvisioningJob.Status.RUNNING):
        _job_fail(
            job=job,
            exc=ProvisioningError(_("Proses penyiapan berhenti sebelum selesai."), field=None),
            started=None,
        )
    return dead


class _ProvisionSteps:
    """The steps of one run, named as STEPS; each keeps what the later ones need. The module's
    functions are looked up at call time, so a test can make any step fail after its work."""

    def __init__(self, *, job: ProvisioningJob, region: Region, version: TemplateVersion) -> None:
        self.job, self.region, self.version = job, region, version
        self.tenant: Tenant | None = None
        self.wilayah: dict[str, int] = {}

    def _tenant(self) -> Tenant:
        assert self.tenant is not None, "register runs first"
        return self.tenant

    def register(self) -> None:
        self.tenant = tenant_services.tenant_register(region=self.region, with_domain=False)

    def clone(self) -> None:
        schema_clone(source=settings.TEMPLATE_SCHEMA_NAME, target=self._tenant().schema_name)

    def wilayah_step(self) -> None:
        with schema_context(self._tenant().schema_name):
            kecamatan, desa = wilayah_fill(kode_kabkota=self.region.kode)
        self.wilayah = {"kecamatan": kecamatan, "desa": desa}

    def domain(self) -> None:
        tenant_services.domain_primary_create(tenant=self._tenant())

    def invite(self) -> None:
        requester = self.job.requested_by
        inviter = f"{requester.email} (konsol)" if requester else "operator platform"
        tenant = self._tenant()
        invitation = region_admin_invite(
            tenant=tenant, email=self.job.admin_email, invited_by=inviter
        )
        self.job.invitation = {
            "email": invitation.email,
            "invitation_id": invitation.pk,
            "schema_name": tenant.schema_name,
            "created_at": timezone.now().isoformat(),
            "expires_at": invitation.expires_at.isoformat(),
            "status": "pending",
        }

    def activate(self) -> None:
        tenant = self._tenant()
        tenant.template_version = self.version
        tenant.save(update_fields=["template_version", "updated_at"])
        tenant_services.tenant_set_status(tenant=tenant, status=Tenant.Status.ACTIVE)

    def by_name(self) -> dict[str, Callable[[], None]]:
        return {
            ProvisioningJob.Step.REGISTER: self.register,
            ProvisioningJob.Step.CLONE: self.clone,
            ProvisioningJob.Step.WILAYAH: self.wilayah_step,
            ProvisioningJob.Step.DOMAIN: self.domain,
            ProvisioningJob.Step.INVITE: self.invite,
            ProvisioningJob.Step.ACTIVATE: self.activate,
        }


def _provision_locks(*, job: ProvisioningJob, region: Region) -> None:
    """This job's own lock first (while the run lives, the reaper leaves the job alone), then
    the one that serialises provisioning; the region is re-checked under it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [JOB_LOCK_KEY, job.pk])
        cursor.execute("SET LOCAL lock_timeout = '60s'")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PROVISIONING_LOCK_KEY])
    # The loser of a race for the same code stops here.
    if Tenant.objects.filter(region=region).exists():
        raise ConflictError(
            _("%(nama)s sudah disiapkan.") % {"nama": region.nama}, field="kode_wilayah"
        )


def _provision_run(*, job: ProvisioningJob, region: Region, channel: _ProgressChannel) -> None:
    started = time.perf_counter()
    with transaction.atomic():
        _provision_locks(job=job, region=region)
        version = template_version_ensure(notes="Dicatat otomatis saat penyiapan daerah.")
        steps = _ProvisionSteps(job=job, region=region, version=version)
        actions = steps.by_name()
        for index, name in enumerate(STEPS):
            job.step = name
            entry = job.steps[index]
            entry["status"] = "running"
            channel.write(job)
            step_started = time.perf_counter()
            actions[name]()
            entry["status"] = "done"
            entry["ms"] = round((time.perf_counter() - step_started) * 1000, 2)
            if name == ProvisioningJob.Step.WILAYAH:
                entry["counts"] = steps.wilayah
            job.progress = round(100 * (index + 1) / len(STEPS))

        job.tenant = steps.tenant
        job.template_version = version
        job.status = ProvisioningJob.Status.SUCCEEDED
        job.step = ""
        job.finished_at = timezone.now()
        job.duration_ms = round((time.perf_counter() - started) * 1000, 2)
        job.save()
        platform_audit_record(
            actor=job.requested_by,
            action=AuditAction.REGION_PROVISIONED,
            target=job.tenant,
            changes={"kode": region.kode, "job": job.pk, "admin_email": job.admin_email},
        )
    logger.info(
        "region provisioned",
        extra={"kode_wilayah": region.kode, "job": job.pk, "ms": job.duration_ms},
    )


def _job_fail(*, job: ProvisioningJob, exc: BaseException, started: float | None) -> None:
    """Record the failure on the job row (the region's own transaction is already rolled back)."""
    for entry in job.steps:
        if entry.get("status") == "running":
            entry["status"] = "failed"
    job.status = ProvisioningJob.Status.FAILED
    job.error = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    job.error_field = getattr(exc, "field", None) or ""
    job.tenant = None
    job.finished_at = timezone.now()
    if started is not None:
        job.duration_ms = round((time.perf_counter() - started) * 1000, 2)
    job.save()
    logger.warning(
        "region provisioning failed",
        extra={"kode_wilayah": job.region_id, "job": job.pk, "step": job.step},
    )
