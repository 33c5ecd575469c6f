"""Appending to and verifying the hash chain of the current region schema's audit log.

Every service that writes calls `audit_record` inside its own transaction, so an entry exists
exactly when the change it describes was committed. The mechanism is apps.audit.chain, shared
with the platform's own log (apps.audit.platform).
"""

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.chain import (
    GENESIS_HASH,
    ChainVerdict,
    canonical_payload,
    chain_append,
    chain_verify,
    entry_hash,
    entry_mac,
)
from apps.audit.models import AuditChainHead, AuditEntry

__all__ = [
    "GENESIS_HASH",
    "AuditAction",
    "ChainVerdict",
    "audit_record",
    "canonical_payload",
    "entry_hash",
    "entry_mac",
    "verify_chain",
]


@transaction.atomic
def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    target: Any = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to this schema's chain; it commits or rolls back with the caller's
    transaction. `action` must be registered in apps.audit.actions."""
    entry = chain_append(
        entry_model=AuditEntry,
        head_model=AuditChainHead,
        actor=actor,
        action=action,
        target=target,
        changes=changes,
    )
    assert isinstance(entry, AuditEntry)
    return entry


def verify_chain(*, anchors: Sequence[tuple[int, str]] = ()) -> ChainVerdict:
    """Verify this schema's chain; `anchors` are its heads published to the public schema."""
    return chain_verify(entry_model=AuditEntry, head_model=AuditChainHead, anchors=anchors)
