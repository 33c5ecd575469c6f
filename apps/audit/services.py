"""Appending to and verifying the hash chain of the current schema's audit log.

Every service that writes calls `audit_record` inside its own transaction, so an entry exists
exactly when the change it describes was committed.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def canonical_payload(
    *,
    seq: int,
    created_at: datetime,
    actor_id: str,
    actor_label: str,
    action: str,
    target_type: str,
    target_id: str,
    target_label: str,
    changes: Any,
    prev_hash: str,
) -> bytes:
    """The bytes that are hashed: sorted-key compact JSON, timestamps in UTC ISO 8601."""
    document = {
        "seq": seq,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "target_label": target_label,
        "changes": changes,
        "prev_hash": prev_hash,
    }
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(
        canonical_payload(
            seq=entry.seq,
            created_at=entry.created_at,
            actor_id=entry.actor_id,
            actor_label=entry.actor_label,
            action=entry.action,
            target_type=entry.target_type,
            target_id=entry.target_id,
            target_label=entry.target_label,
            changes=entry.changes,
            prev_hash=entry.prev_hash,
        )
    ).hexdigest()


def _describe_actor(actor: Any) -> tuple[str, str]:
    if actor is None:
        return "", "sistem"
    if isinstance(actor, str):
        return "", actor
    # A principal that is not a plain user (a support session) names both of its identities.
    identity = getattr(actor, "audit_identity", None)
    if callable(identity):
        actor_id, actor_label = identity()
        return str(actor_id)[:64], str(actor_label)
    return str(actor.pk), str(getattr(actor, "email", "") or actor)


def _describe_target(target: Any) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), str(target)[:255]
    return type(target).__name__, "", str(target)[:255]


def _jsonb_number(value: float) -> float | int:
    # jsonb keeps numbers as decimals and hands an integral 1e20 back as the integer
    # 100000000000000000000; store that form from the start so the hash survives the round trip.
    return int(value) if value.is_integer() and "e" in repr(value) else value


def _json_safe(changes: Any) -> Any:
    """Round-trip through JSON so the stored value hashes exactly as the written one.
    NaN and infinities, which jsonb cannot hold, raise ValueError."""
    text = json.dumps(changes or {}, sort_keys=True, default=str, allow_nan=False)
    return json.loads(text, parse_float=lambda s: _jsonb_number(float(s)))


@transaction.atomic
def audit_record(
    *, actor: Any, action: str, target: Any = None, changes: dict[str, Any] | None = None
) -> AuditEntry:
    """Append one entry to this schema's chain. Concurrent writers queue on the head row lock,
    so the chain never forks; the entry commits or rolls back with the caller's transaction."""
    head = AuditChainHead.objects.select_for_update().filter(singleton=True).first()
    if head is None:  # the migration creates the head; this covers a schema emptied by hand
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(singleton=True, seq=0, hash=GENESIS_HASH)], ignore_conflicts=True
        )
        head = AuditChainHead.objects.select_for_update().get(singleton=True)
    actor_id, actor_label = _describe_actor(actor)
    target_type, target_id, target_label = _describe_target(target)
    entry = AuditEntry(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label[:255],
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        changes=_json_safe(changes),
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    entry.save(force_insert=True)
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


def verify_chain() -> ChainVerdict:
    """Recompute every hash in order; name the first entry that does not match, link or follow."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainVerdict(
                False,
                checked,
                expected_seq - 1,
                prev_hash,
                expected_seq,
                _("entri #%(seq)s hilang dari rantai") % {"seq": expected_seq},
            )
        if entry.prev_hash != prev_hash:
            return ChainVerdict(
                False,
                checked,
                entry.seq - 1,
                prev_hash,
                entry.seq,
                _("entri #%(seq)s tidak menunjuk hash entri sebelumnya") % {"seq": entry.seq},
            )
        if entry_hash(entry) != entry.hash:
            return ChainVerdict(
                False,
                checked,
                entry.seq - 1,
                prev_hash,
                entry.seq,
                _("isi entri #%(seq)s tidak cocok dengan hash-nya") % {"seq": entry.seq},
            )
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(singleton=True).first()
    if head is not None and (head.seq, head.hash) != (checked, prev_hash):
        return ChainVerdict(
            False,
            checked,
            checked,
            prev_hash,
            checked + 1,
            _("kepala rantai menyebut entri #%(head)s, log berakhir di #%(last)s")
            % {"head": head.seq, "last": checked},
        )
    return ChainVerdict(True, checked, checked, prev_hash)
