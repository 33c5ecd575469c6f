"""Every kind of tampering with a region's chain is reported, by the full verification that the
schedule runs and by the snapshot when the head moved; an untouched chain stays intact."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.audit.actions import AuditAction
from apps.audit.chain import GENESIS_HASH, entry_hash
from apps.audit.models import AuditChainHead, AuditEntry
from apps.audit.platform.models import PublishedHead
from apps.audit.services import audit_record, verify_chain
from provisioning import services
from provisioning.models import RegionSnapshot
from tenants.models import Tenant


def _sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _update_payload(e: list[AuditEntry]) -> None:
    _sql("UPDATE audit_auditentry SET changes = %s WHERE seq = %s", ['{"n": 200}', e[1].seq])


def _delete_middle(e: list[AuditEntry]) -> None:
    _sql("DELETE FROM audit_auditentry WHERE seq = %s", [e[1].seq])


def _delete_tail_rewind_head(e: list[AuditEntry]) -> None:
    _sql("DELETE FROM audit_auditentry WHERE seq = %s", [e[2].seq])
    _sql("UPDATE audit_auditchainhead SET seq = %s, hash = %s", [e[1].seq, e[1].hash])


def _delete_head_row(e: list[AuditEntry]) -> None:
    _sql("DELETE FROM audit_auditchainhead")


def _wipe_log(e: list[AuditEntry]) -> None:
    _sql("DELETE FROM audit_auditentry")
    _sql("UPDATE audit_auditchainhead SET seq = 0, hash = %s", [GENESIS_HASH])


def _wipe_log_and_head(e: list[AuditEntry]) -> None:
    _sql("DELETE FROM audit_auditentry")
    _sql("DELETE FROM audit_auditchainhead")


def _forge_entry_with_correct_hash(e: list[AuditEntry]) -> None:
    last = e[2]
    forged = AuditEntry(
        seq=last.seq + 1,
        created_at=timezone.now(),
        actor_label="penyusup",
        action=AuditAction.ROLES_CHANGED,
        changes={"roles": ["admin"]},
        prev_hash=last.hash,
    )
    forged.hash = entry_hash(forged)  # SHA-256 is public: the hash is right, the HMAC cannot be
    forged.mac = "0" * 64
    forged.save(force_insert=True)
    _sql("UPDATE audit_auditchainhead SET seq = %s, hash = %s", [forged.seq, forged.hash])


def _rewrite_and_rechain(e: list[AuditEntry]) -> None:
    """Change an entry and recompute every later hash and the head: only the key catches it."""
    prev = e[0].hash
    for entry in e[1:]:
        row = AuditEntry.objects.get(pk=entry.pk)
        row.actor_label = "orang lain"
        row.prev_hash = prev
        row.hash = entry_hash(row)
        _sql(
            "UPDATE audit_auditentry SET actor_label = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row.actor_label, row.prev_hash, row.hash, row.pk],
        )
        prev = row.hash
    _sql("UPDATE audit_auditchainhead SET hash = %s", [prev])


def _reorder(e: list[AuditEntry]) -> None:
    a, b = e[1].seq, e[2].seq
    _sql("UPDATE audit_auditentry SET seq = 0 WHERE seq = %s", [a])
    _sql("UPDATE audit_auditentry SET seq = %s WHERE seq = %s", [a, b])
    _sql("UPDATE audit_auditentry SET seq = %s WHERE seq = 0", [b])


def _change_prev_hash(e: list[AuditEntry]) -> None:
    _sql("UPDATE audit_auditentry SET prev_hash = %s WHERE seq = %s", [GENESIS_HASH, e[2].seq])


TAMPER_KINDS: dict[str, Callable[[list[AuditEntry]], None]] = {
    "update a payload": _update_payload,
    "delete a middle row": _delete_middle,
    "delete the tail and rewind the head": _delete_tail_rewind_head,
    "delete the head row": _delete_head_row,
    "wipe the log": _wipe_log,
    "wipe the log and its head": _wipe_log_and_head,
    "forge an entry with a correct hash": _forge_entry_with_correct_hash,
    "rewrite an entry and recompute every later hash": _rewrite_and_rechain,
    "reorder two entries": _reorder,
    "change a previous hash": _change_prev_hash,
}


def _record_three(tenant: Tenant) -> list[AuditEntry]:
    with schema_context(tenant.schema_name):
        return [
            audit_record(actor="uji", action=AuditAction.ROLES_CHANGED, changes={"n": n})
            for n in range(3)
        ]


def _latest(tenant: Tenant) -> RegionSnapshot:
    return RegionSnapshot.objects.filter(tenant=tenant).order_by("-taken_at", "-id").first()  # type: ignore[return-value]


@pytest.mark.parametrize("kind", list(TAMPER_KINDS))
def test_every_kind_of_tampering_is_reported_by_the_full_verification(
    medan: Tenant, kind: str
) -> None:
    # given a chain whose head was published with a snapshot and found intact
    entries = _record_three(medan)
    services.snapshot_collect()
    assert _latest(medan).audit_ok is True
    # when it is tampered with behind the application's back
    with schema_context(medan.schema_name):
        TAMPER_KINDS[kind](entries)
    # then the scheduled full verification reports it, with a reason
    services.snapshot_collect(audit_full=True)
    snapshot = _latest(medan)
    assert snapshot.audit_ok is False, kind
    assert snapshot.audit_reason
    # and it stays reported on the next ordinary snapshot
    services.snapshot_collect()
    assert _latest(medan).audit_ok is False, kind


@pytest.mark.parametrize(
    "kind",
    [
        "delete the tail and rewind the head",
        "delete the head row",
        "wipe the log",
        "forge an entry with a correct hash",
    ],
)
def test_a_moved_head_is_verified_on_the_next_ordinary_snapshot(medan: Tenant, kind: str) -> None:
    entries = _record_three(medan)
    services.snapshot_collect()
    with schema_context(medan.schema_name):
        TAMPER_KINDS[kind](entries)
    services.snapshot_collect()
    assert _latest(medan).audit_ok is False, kind


def test_a_head_that_goes_backwards_is_named(medan: Tenant) -> None:
    entries = _record_three(medan)
    services.snapshot_collect()
    with schema_context(medan.schema_name):
        _delete_tail_rewind_head(entries)
    services.snapshot_collect()
    assert "mundur" in _latest(medan).audit_reason
    history = list(PublishedHead.objects.filter(tenant=medan).order_by("id"))
    assert [h.seq for h in history][-2:] == [entries[2].seq, entries[1].seq]


def test_a_hash_changed_at_the_same_seq_is_named(medan: Tenant) -> None:
    entries = _record_three(medan)
    services.snapshot_collect()
    with schema_context(medan.schema_name):
        _rewrite_and_rechain(entries)
    services.snapshot_collect()
    assert "berubah" in _latest(medan).audit_reason


def test_an_untouched_chain_is_intact_in_every_path(medan: Tenant) -> None:
    _record_three(medan)
    services.snapshot_collect()
    assert _latest(medan).audit_ok is True
    with schema_context(medan.schema_name):
        audit_record(actor="uji", action=AuditAction.USER_DEACTIVATED)
    services.snapshot_collect()
    services.snapshot_collect(audit_full=True)
    snapshot = _latest(medan)
    assert (snapshot.audit_ok, snapshot.audit_reason) == (True, "")


def test_an_unchanged_head_is_verified_again_once_the_interval_passed(
    medan: Tenant, settings: Any
) -> None:
    entries = _record_three(medan)
    services.snapshot_collect()
    with schema_context(medan.schema_name):
        _update_payload(entries)  # the head does not move
    services.snapshot_collect()
    assert _latest(medan).audit_ok is True  # not yet verified again
    settings.AUDIT_VERIFY_INTERVAL = 0
    services.snapshot_collect()
    assert _latest(medan).audit_ok is False


def test_deleting_the_head_row_does_not_break_later_writes(medan: Tenant) -> None:
    entries = _record_three(medan)
    with schema_context(medan.schema_name):
        _delete_head_row(entries)
        entry = audit_record(actor="uji", action=AuditAction.USER_REACTIVATED)
        rebuilt = AuditEntry.objects.get(seq=entries[2].seq + 1)
        verdict = verify_chain()
        head = AuditChainHead.objects.get()
    assert rebuilt.action == AuditAction.AUDIT_HEAD_REBUILT
    assert rebuilt.changes == {"head_found": None, "last_entry": entries[2].seq}
    assert entry.seq == entries[2].seq + 2
    assert (head.seq, head.hash) == (entry.seq, entry.hash)
    assert verdict.ok, verdict.reason


def test_a_restore_starts_the_published_history_again(medan: Tenant) -> None:
    from apps.audit.platform.services import chain_heads_rebase

    entries = _record_three(medan)
    services.snapshot_collect()
    with schema_context(medan.schema_name):
        _wipe_log(entries)  # what a restore of an older archive looks like from outside
    assert chain_heads_rebase(tenant=medan) >= 1
    services.snapshot_collect()
    assert _latest(medan).audit_ok is True


def test_entries_written_before_the_hmac_are_signed_by_the_migration(medan: Tenant) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("apps.audit.migrations.0003_entry_mac")
    with schema_context(medan.schema_name):
        _record_three(medan)
        _sql("UPDATE audit_auditentry SET mac = ''")
        assert not verify_chain().ok
        migration.sign_existing(apps, None)
        assert verify_chain().ok


def test_the_template_chain_that_regions_copy_verifies(db: None, settings: Any) -> None:
    with schema_context(settings.TEMPLATE_SCHEMA_NAME):
        verdict = verify_chain()
    assert verdict.ok, verdict.reason


def test_a_full_verification_saves_verdicts_in_one_update_per_distinct_verdict(
    medan: Tenant, buol: Tenant
) -> None:
    # given: both regions published and verified once; then Medan's chain is tampered with
    entries = _record_three(medan)
    services.snapshot_collect()
    with schema_context(medan.schema_name):
        _update_payload(entries)  # the head does not move: only a full check finds it

    # when
    with CaptureQueriesContext(connection) as queries:
        services.snapshot_collect(audit_full=True)

    # then: one UPDATE for Buol's (and the other regions') intact verdict, one for Medan's
    updates = [
        q["sql"] for q in queries if q["sql"].startswith(f'UPDATE "{PublishedHead._meta.db_table}"')
    ]
    assert len(updates) == 2, updates
    heads = {
        head.tenant_id: head
        for head in PublishedHead.objects.filter(tenant__in=[medan, buol], superseded=False)
    }
    assert heads[medan.id].ok is False and "cocok" in heads[medan.id].reason
    assert heads[buol.id].ok is True and heads[buol.id].reason == ""
    assert heads[medan.id].verified_at == heads[buol.id].verified_at
