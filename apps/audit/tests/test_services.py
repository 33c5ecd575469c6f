"""The per-region hash-chained audit log: appends link up, tampering is named by verify_chain()."""

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from apps.audit.actions import AuditAction
from apps.audit.models import AuditChainHead, AuditEntry
from apps.audit.services import GENESIS_HASH, audit_record, entry_hash, verify_chain
from tenants.models import Domain, Tenant
from tests.support import tenant_create_migrated

# A region no other test uses: the concurrency test creates it, commits to it and drops it.
SCRATCH_KODE = "19.71"


def _record_three(actor: Any = "uji") -> list[AuditEntry]:
    return [
        audit_record(actor=actor, action=AuditAction.ROLES_CHANGED, changes={"nilai": 1}),
        audit_record(
            actor=actor, action=AuditAction.USER_DEACTIVATED, changes={"nilai": 2, "teks": "ñ"}
        ),
        audit_record(actor=actor, action=AuditAction.USER_REACTIVATED, changes={"nilai": 3}),
    ]


def _head() -> tuple[int, str]:
    """The chain's head before a test writes (a provisioned region already holds entries)."""
    head = AuditChainHead.objects.first()
    return (head.seq, head.hash) if head is not None else (0, GENESIS_HASH)


def test_entries_link_to_the_previous_hash(medan: Tenant) -> None:
    with schema_context(medan.schema_name):
        seq0, hash0 = _head()
        first, second, third = _record_three()
        assert (first.seq, first.prev_hash) == (seq0 + 1, hash0)
        assert second.prev_hash == first.hash
        assert third.prev_hash == second.hash
        assert third.seq == first.seq + 2
        assert all(entry_hash(e) == e.hash for e in (first, second, third))
        head = AuditChainHead.objects.get()
        assert (head.seq, head.hash) == (third.seq, third.hash)


def test_stored_entries_hash_exactly_as_written(medan: Tenant) -> None:
    # given values whose JSON round trip differs from the Python value (tuple, date)
    import datetime

    with schema_context(medan.schema_name):
        entry = audit_record(
            actor=None,
            action=AuditAction.REFERENCE_IMPORTED,
            target=medan,
            changes={
                "daftar": (1, 2),
                "tanggal": datetime.date(2026, 1, 2),
                "angka": 1.5,
                "kecil": 1.5e-7,
                "besar": 1e20,  # jsonb hands this back as the integer 100000000000000000000
                "bulat": 2.0,
            },
        )
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert entry_hash(stored) == stored.hash == entry.hash
        assert stored.actor_label == "sistem"
        assert stored.target_type == "tenants.tenant"
        assert verify_chain().ok


def test_values_json_cannot_hold_are_refused(medan: Tenant) -> None:
    with schema_context(medan.schema_name), pytest.raises(ValueError):
        audit_record(
            actor=None, action=AuditAction.REFERENCE_IMPORTED, changes={"nilai": float("nan")}
        )


def test_intact_chain_verifies(medan: Tenant) -> None:
    with schema_context(medan.schema_name):
        seq0, _ = _head()
        entries = _record_three()
        verdict = verify_chain()
    assert verdict.ok
    assert verdict.checked == seq0 + len(entries)
    assert verdict.head_hash == entries[-1].hash
    assert verdict.broken_seq is None


def test_the_chain_a_new_region_starts_with_verifies(buol: Tenant) -> None:
    with schema_context(buol.schema_name):
        verdict = verify_chain()
        entries = AuditEntry.objects.count()
        head = _head()
    assert verdict.ok
    assert verdict.checked == entries >= 1  # provisioning's own entries
    assert (verdict.head_seq, verdict.head_hash) == head


def test_entry_rolls_back_with_the_callers_transaction(medan: Tenant) -> None:
    from django.db import transaction

    with schema_context(medan.schema_name):
        seq0, _ = _head()
        audit_record(actor="uji", action=AuditAction.ROLES_CHANGED)

        class Batal(Exception):
            pass

        with pytest.raises(Batal), transaction.atomic():
            audit_record(actor="uji", action=AuditAction.USER_DEACTIVATED)
            raise Batal
        assert not AuditEntry.objects.filter(action=AuditAction.USER_DEACTIVATED).exists()
        assert verify_chain().ok
        assert audit_record(actor="uji", action=AuditAction.USER_REACTIVATED).seq == seq0 + 2


def test_chains_are_per_region(medan: Tenant, buol: Tenant) -> None:
    with schema_context(medan.schema_name):
        _record_three()
    with schema_context(buol.schema_name):
        seq0, hash0 = _head()
        entry = audit_record(actor="uji", action=AuditAction.REFERENCE_IMPORTED)
        assert (entry.seq, entry.prev_hash) == (seq0 + 1, hash0)
        written = AuditEntry.objects.filter(seq__gt=seq0)
        assert list(written.values_list("action", flat=True)) == [AuditAction.REFERENCE_IMPORTED]


# --- concurrency: committed work from several connections --------------------------------------


def _scratch_drop(kode: str) -> None:
    schema_name = Tenant.schema_name_for(kode)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
    Domain.objects.filter(tenant__region_id=kode).delete()
    Tenant.objects.filter(region_id=kode).delete()


@pytest.fixture
def scratch_tenant(django_db_blocker: Any) -> Iterator[Tenant]:
    """A committed region of its own (threads need committed data); dropped completely after."""
    with django_db_blocker.unblock():
        _scratch_drop(SCRATCH_KODE)  # leftovers of an interrupted run
        tenant = tenant_create_migrated(kode=SCRATCH_KODE)
        try:
            yield tenant
        finally:
            connection.set_schema_to_public()  # type: ignore[attr-defined]
            _scratch_drop(SCRATCH_KODE)
            assert not Tenant.objects.filter(region_id=SCRATCH_KODE).exists()


def test_concurrent_appends_keep_one_unbroken_chain(scratch_tenant: Tenant) -> None:
    writers, per_writer = 4, 15
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(writer: int) -> None:
        try:
            with schema_context(scratch_tenant.schema_name):
                start.wait()
                for n in range(per_writer):
                    audit_record(
                        actor=f"penulis-{writer}",
                        action=AuditAction.REFERENCE_IMPORTED,
                        changes={"n": n},
                    )
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    with schema_context(scratch_tenant.schema_name):
        verdict = verify_chain()
        entries = list(AuditEntry.objects.order_by("seq"))
    assert verdict.ok, verdict.reason
    assert verdict.checked == writers * per_writer
    assert [e.seq for e in entries] == list(range(1, writers * per_writer + 1))
    assert len({e.prev_hash for e in entries}) == len(entries)  # no fork: every hash used once
    for writer in range(writers):
        mine = [e.changes["n"] for e in entries if e.actor_label == f"penulis-{writer}"]
        assert mine == list(range(per_writer))
