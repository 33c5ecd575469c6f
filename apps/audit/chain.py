"""The hash chain shared by every audit log (a region's, the platform's): appending and verifying.

An entry's hash covers its content, its seq and the previous entry's hash; its `mac` is an
HMAC-SHA256 of that hash under settings.AUDIT_HMAC_KEY, a key the database does not hold, so
someone who can write to the database can still not forge an entry whose hash is correct.
A copy of the head kept outside the chain (`anchors`, the heads published to the public schema)
catches what the chain alone cannot: a deleted tail with a rewound head, or a wiped log.
"""

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction, audit_action_check
from apps.audit.models import ChainEntry, ChainHead

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


def entry_hash(entry: ChainEntry) -> str:
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


def entry_mac(hash_hex: str) -> str:
    """HMAC-SHA256 of an entry's hash under AUDIT_HMAC_KEY (kept out of the database)."""
    key = str(settings.AUDIT_HMAC_KEY).encode("utf-8")
    return hmac.new(key, hash_hex.encode("ascii"), hashlib.sha256).hexdigest()


def _describe_actor(actor: Actor) -> tuple[str, str]:
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


def _new_entry(
    entry_model: type[ChainEntry],
    head: ChainHead,
    *,
    actor: Actor,
    action: AuditAction,
    target: Any,
    changes: dict[str, Any] | None,
) -> ChainEntry:
    actor_id, actor_label = _describe_actor(actor)
    target_type, target_id, target_label = _describe_target(target)
    entry = entry_model(
        seq=head.seq + 1,
        created_at=timezone.now(),
        actor_id=actor_id,
        actor_label=actor_label[:255],
        action=str(action),
        target_type=target_type,
        target_id=target_id,
        target_label=target_label,
        changes=_json_safe(changes),
        prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    entry.mac = entry_mac(entry.hash)
    entry.save(force_insert=True)
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return entry


def _head_locked(entry_model: type[ChainEntry], head_model: type[ChainHead]) -> ChainHead:
    """The locked head row. A head row that was deleted, or rewound below the last entry, is
    rebuilt from the last entry (so later writes keep working) and the rebuild is itself
    recorded in the chain. A head AHEAD of the entries (a deleted tail) is left alone: the next
    entry links to it and verification names the missing entries."""
    head = head_model._default_manager.select_for_update().filter(singleton=True).first()
    last = entry_model._default_manager.order_by("-seq").values_list("seq", "hash").first()
    if head is not None and (last is None or last[0] <= head.seq):
        return head
    found = None if head is None else {"seq": head.seq, "hash": head.hash}
    seq, hash_hex = last if last is not None else (0, GENESIS_HASH)
    if head is None:
        head_model._default_manager.bulk_create(
            [head_model(singleton=True, seq=seq, hash=hash_hex)], ignore_conflicts=True
        )
        head = head_model._default_manager.select_for_update().get(singleton=True)
    if last is not None and last[0] > head.seq:
        head.seq, head.hash = seq, hash_hex
        head.save(update_fields=["seq", "hash"])
    if last is not None:
        _new_entry(
            entry_model,
            head,
            actor=None,
            action=AuditAction.AUDIT_HEAD_REBUILT,
            target=None,
            changes={"head_found": found, "last_entry": seq},
        )
    return head


def chain_append(
    *,
    entry_model: type[ChainEntry],
    head_model: type[ChainHead],
    actor: Actor,
    action: AuditAction,
    target: Any = None,
    changes: dict[str, Any] | None = None,
) -> ChainEntry:
    """Append one entry (the caller holds the transaction). Concurrent writers queue on the
    head row lock, so the chain never forks. Unregistered actions raise ValueError."""
    action = audit_action_check(action)
    head = _head_locked(entry_model, head_model)
    return _new_entry(entry_model, head, actor=actor, action=action, target=target, changes=changes)


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


def _entry_fault(entry: ChainEntry, expected_seq: int, prev_hash: str) -> str:
    """Why this entry breaks the chain, or "" when it follows, links, hashes and is signed."""
    if entry.seq != expected_seq:
        return _("entri #%(seq)s hilang dari rantai") % {"seq": expected_seq}
    if entry.prev_hash != prev_hash:
        return _("entri #%(seq)s tidak menunjuk hash entri sebelumnya") % {"seq": entry.seq}
    if entry_hash(entry) != entry.hash:
        return _("isi entri #%(seq)s tidak cocok dengan hash-nya") % {"seq": entry.seq}
    if not hmac.compare_digest(entry.mac or "", entry_mac(entry.hash)):
        return _("tanda tangan (HMAC) entri #%(seq)s tidak sah") % {"seq": entry.seq}
    return ""


def _anchor_fault(anchors: dict[int, str], seq: int, hash_hex: str) -> str:
    expected = anchors.get(seq)
    if expected is not None and expected != hash_hex:
        return _("entri #%(seq)s berbeda dari kepala rantai yang pernah diterbitkan") % {"seq": seq}
    return ""


def chain_verify(
    *,
    entry_model: type[ChainEntry],
    head_model: type[ChainHead],
    anchors: Sequence[tuple[int, str]] = (),
) -> ChainVerdict:
    """Recompute every hash and HMAC in order, check the head row, and check the chain still
    holds every published head in `anchors` ((seq, hash) pairs kept outside the chain)."""
    wanted = {seq: hash_hex for seq, hash_hex in anchors if seq > 0}
    prev_hash, checked = GENESIS_HASH, 0
    for entry in entry_model._default_manager.order_by("seq").iterator(chunk_size=2000):
        fault = _entry_fault(entry, checked + 1, prev_hash) or _anchor_fault(
            wanted, entry.seq, entry.hash
        )
        if fault:
            return ChainVerdict(False, checked, checked, prev_hash, checked + 1, fault)
        prev_hash = entry.hash
        checked += 1
    published = max(wanted, default=0)
    if published > checked:
        reason = _(
            "log berakhir di #%(last)s, padahal kepala #%(published)s sudah diterbitkan "
            "(entri dihapus atau kepala dimundurkan)"
        ) % {"last": checked, "published": published}
        return ChainVerdict(False, checked, checked, prev_hash, checked + 1, reason)
    head = head_model._default_manager.filter(singleton=True).first()
    if head is None and checked:
        reason = _("baris kepala rantai hilang (log berakhir di #%(last)s)") % {"last": checked}
        return ChainVerdict(False, checked, checked, prev_hash, checked + 1, reason)
    if head is not None and (head.seq, head.hash) != (checked, prev_hash):
        reason = _("kepala rantai menyebut entri #%(head)s, log berakhir di #%(last)s") % {
            "head": head.seq,
            "last": checked,
        }
        return ChainVerdict(False, checked, checked, prev_hash, checked + 1, reason)
    return ChainVerdict(True, checked, checked, prev_hash)
