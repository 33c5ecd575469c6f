"""Provisioning with real commits: two concurrent calls for one code, progress seen from outside.

These tests commit (threads have their own connections), so each cleans up after itself: the
schema is dropped and the tenant, domain and job rows deleted; the session regions are untouched.
"""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest
from django.conf import settings
from django.db import connection, connections

from apps.core.errors import ConflictError
from provisioning import services as provisioning_services
from provisioning.models import ProvisioningJob
from provisioning.services import PROVISIONING_LOCK_KEY, tenant_provision
from tenants.models import Domain, Tenant

KODE = "72.10"
SCHEMA = "daerah_72_10"


def _cleanup() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
    Domain.objects.filter(tenant__region_id=KODE).delete()
    Tenant.objects.filter(region_id=KODE).delete()
    ProvisioningJob.objects.filter(region_id=KODE).delete()


@pytest.fixture
def committed(django_db_blocker: Any) -> Iterator[None]:
    """Database access outside a test transaction, cleaned before and after."""
    with django_db_blocker.unblock():
        _cleanup()
        try:
            yield
        finally:
            _cleanup()


def _advisory_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND objid = %s",
            [PROVISIONING_LOCK_KEY & 0xFFFFFFFF],
        )
        return int(cursor.fetchone()[0])


def test_two_concurrent_calls_for_one_code_give_one_region_and_one_409(committed: None) -> None:
    # given: the provisioning lock is held, so the first call queues on it with its job pending
    holder = psycopg2.connect(**connection.get_connection_params())
    holder.autocommit = True
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PROVISIONING_LOCK_KEY])
    outcomes: list[Any] = []

    def provision(email: str) -> None:
        try:
            outcomes.append(
                tenant_provision(kode_wilayah=KODE, admin_email=email, requested_by=None)
            )
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=provision, args=(f"admin{i}@sigi.example",)) for i in range(2)
    ]
    try:
        for thread in threads:
            thread.start()
        # when: one waits for the lock while the other is refused at once (one active job)
        deadline = time.monotonic() + 30
        while (_advisory_waiters() < 1 or not outcomes) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _advisory_waiters() == 1 and len(outcomes) == 1, outcomes
    finally:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [PROVISIONING_LOCK_KEY])
        holder.close()
        for thread in threads:
            thread.join(timeout=60)

    # then
    jobs = [o for o in outcomes if isinstance(o, ProvisioningJob)]
    conflicts = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(jobs) == 1 and len(conflicts) == 1, outcomes
    assert conflicts[0].status_code == 409 and conflicts[0].field == "kode_wilayah"
    assert Tenant.objects.filter(region_id=KODE).count() == 1
    assert Domain.objects.filter(tenant__region_id=KODE).count() == 1
    statuses = list(ProvisioningJob.objects.filter(region_id=KODE).values_list("status", flat=True))
    assert statuses == [ProvisioningJob.Status.SUCCEEDED]


def test_progress_is_visible_to_another_connection_while_the_job_runs(committed: None) -> None:
    # given: a watcher polling the job table on its own connection
    seen: set[tuple[str, int]] = set()
    stop = threading.Event()
    watcher = psycopg2.connect(**connection.get_connection_params())
    watcher.autocommit = True

    def watch() -> None:
        with watcher.cursor() as cursor:
            while not stop.is_set():
                cursor.execute(
                    f"SELECT step, progress FROM public.{ProvisioningJob._meta.db_table} "
                    "WHERE region_id = %s",
                    [KODE],
                )
                seen.update((str(s), int(p)) for s, p in cursor.fetchall())

    thread = threading.Thread(target=watch)
    # Hold the lock briefly so the watcher sees the job before the work starts.
    holder = psycopg2.connect(**connection.get_connection_params())
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PROVISIONING_LOCK_KEY])
    thread.start()

    def work() -> None:
        try:
            tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 30
    while _advisory_waiters() < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    holder.close()  # releases the lock
    worker.join(timeout=60)
    stop.set()
    thread.join(timeout=10)
    watcher.close()

    # then: at least the running state and the final one were observed from outside
    assert ("", 100) in seen
    assert any(step == "register" for step, _ in seen)
    assert Tenant.objects.get(region_id=KODE).status == Tenant.Status.ACTIVE


def test_a_killed_provisioning_is_marked_failed_and_the_region_provisions_again(
    committed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: a real provisioning process, held mid-run by the provisioning lock, then killed
    holder = psycopg2.connect(**connection.get_connection_params())
    holder.autocommit = True
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [PROVISIONING_LOCK_KEY])
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {
        **os.environ,
        "DATABASE_URL": urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
    }
    child = subprocess.Popen(
        [sys.executable, "manage.py", "provision_region", KODE, "--admin-email", "a@sigi.example"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        running = ProvisioningJob.objects.filter(
            region_id=KODE, status=ProvisioningJob.Status.RUNNING
        )
        while not (running.exists() and _advisory_waiters() == 1):
            assert time.monotonic() < deadline and child.poll() is None, "child did not start"
            time.sleep(0.05)
        child.kill()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        holder.close()
    job = running.get()
    # when the reaper runs (the grace period for a job just started shortened for the test)
    monkeypatch.setattr(provisioning_services.provision, "JOB_REAP_GRACE", timedelta(0))
    deadline = time.monotonic() + 30
    while not provisioning_services.provisioning_jobs_reap() and time.monotonic() < deadline:
        time.sleep(0.1)  # the server notices the dead connection and frees its lock
    # then the job is failed, nothing of the region remains, and provisioning succeeds again
    job.refresh_from_db()
    assert job.status == ProvisioningJob.Status.FAILED and job.error
    assert not Tenant.objects.filter(region_id=KODE).exists()
    again = tenant_provision(kode_wilayah=KODE, admin_email="a@sigi.example", requested_by=None)
    assert again.status == ProvisioningJob.Status.SUCCEEDED
