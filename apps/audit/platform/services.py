"""The platform's own audit log (console actions, in public) and the regions' published heads.

Why this module crosses schemas: a region's chain can be rewritten by whoever can write to the
region's schema, so its head is copied out to the public schema with every snapshot and each
region's chain is verified against the heads published before (`chain_heads_publish`). The
heads themselves are read for all regions at once by operations.crossschema.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.chain import ChainVerdict, chain_append, chain_verify
from apps.audit.platform.models import PlatformAuditEntry, PlatformAuditHead, PublishedHead
from apps.audit.services import verify_chain
from tenants.models import Tenant


@transaction.atomic
def platform_audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    target: Any = None,
    changes: dict[str, Any] | None = None,
) -> PlatformAuditEntry:
    """Append one console action to the platform's chain (in public, whatever schema the caller
    is in); it commits or rolls back with the caller's transaction."""
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        entry = chain_append(
            entry_model=PlatformAuditEntry,
            head_model=PlatformAuditHead,
            actor=actor,
            action=action,
            target=target,
            changes=changes,
        )
    assert isinstance(entry, PlatformAuditEntry)
    return entry


def platform_chain_verify() -> ChainVerdict:
    with schema_context(settings.PUBLIC_SCHEMA_NAME):
        return chain_verify(entry_model=PlatformAuditEntry, head_model=PlatformAuditHead)


@dataclass(frozen=True)
class ObservedHead:
    """A region's head as read from its schema: the head row (absent: `present` False)."""

    seq: int
    hash: str
    present: bool = True


def _anchors(tenants: Sequence[Tenant]) -> dict[int, list[tuple[int, str]]]:
    """Tenant id -> the highest published heads still in force (a restore supersedes them).
    The chain links every entry to the one before, so holding the highest published head
    proves it holds every earlier one."""
    live = PublishedHead.objects.filter(tenant__in=tenants, superseded=False)
    top = live.filter(tenant=OuterRef("tenant")).order_by("-seq").values("seq")[:1]
    anchors: dict[int, list[tuple[int, str]]] = {}
    for tenant_id, seq, hash_hex in live.filter(seq=Subquery(top)).values_list(
        "tenant_id", "seq", "hash"
    ):
        anchors.setdefault(tenant_id, []).append((seq, hash_hex))
    return anchors


def _movement(last: PublishedHead | None, head: ObservedHead) -> str:
    """A head that went backwards, or changed its hash at the same seq, since last published."""
    if last is None:
        return ""
    if head.seq < last.seq:
        return _("kepala rantai mundur dari #%(was)s ke #%(now)s") % {
            "was": last.seq,
            "now": head.seq,
        }
    if head.seq == last.seq and head.hash != last.hash:
        return _("hash kepala rantai #%(seq)s berubah sejak diterbitkan") % {"seq": head.seq}
    return ""


def region_chain_verify(*, tenant: Tenant, anchors: Sequence[tuple[int, str]] = ()) -> ChainVerdict:
    """Verify one region's chain in full against its published heads."""
    with schema_context(tenant.schema_name):
        return verify_chain(anchors=anchors)


def _needs_full(last: PublishedHead | None, head: ObservedHead, now: datetime) -> bool:
    if last is None or not head.present or last.ok is not True or last.verified_at is None:
        return True
    if (last.seq, last.hash) != (head.seq, head.hash):
        return True
    return now - last.verified_at >= timedelta(seconds=settings.AUDIT_VERIFY_INTERVAL)


def chain_heads_publish(
    *, tenants: Sequence[Tenant], heads: Mapping[str, ObservedHead], full: bool = False
) -> dict[int, tuple[bool, str]]:
    """Publish each region's current head into public (a new row when it changed, else the last
    row seen again) and return tenant id -> (intact, why not).

    A region is verified in full when its head changed, its head row is missing, its last
    verdict was not good, its last full verification is older than AUDIT_VERIFY_INTERVAL, or
    `full`; otherwise its unchanged, verified head stands."""
    now = timezone.now()
    latest = {
        row.tenant_id: row
        for row in PublishedHead.objects.filter(tenant__in=tenants, superseded=False)
        .order_by("tenant_id", "-id")
        .distinct("tenant_id")
    }
    anchors = _anchors(tenants)
    verdicts: dict[int, tuple[bool, str]] = {}
    seen: list[int] = []
    verified: list[PublishedHead] = []
    new: list[PublishedHead] = []
    for tenant in tenants:
        head = heads.get(tenant.schema_name)
        if head is None:
            continue
        last = latest.get(tenant.id)
        ok, reason, checked = True, "", False
        if full or _needs_full(last, head, now):
            verdict = region_chain_verify(tenant=tenant, anchors=anchors.get(tenant.id, ()))
            moved = _movement(last, head)
            ok, reason, checked = verdict.ok and not moved, (moved or verdict.reason)[:255], True
        verdicts[tenant.id] = (ok, reason)
        if last is not None and (last.seq, last.hash) == (head.seq, head.hash):
            if checked:
                last.last_seen_at, last.verified_at, last.ok, last.reason = now, now, ok, reason
                verified.append(last)
            else:
                seen.append(last.pk)
            continue
        new.append(
            PublishedHead(
                tenant=tenant,
                schema_name=tenant.schema_name,
                seq=head.seq,
                hash=head.hash,
                first_seen_at=now,
                last_seen_at=now,
                verified_at=now if checked else None,
                ok=ok,
                reason=reason,
            )
        )
    with transaction.atomic():
        PublishedHead.objects.filter(pk__in=seen).update(last_seen_at=now)
        _verified_save(verified, now)
        PublishedHead.objects.bulk_create(new, batch_size=500)
    return verdicts


def _verified_save(verified: Sequence[PublishedHead], now: datetime) -> None:
    """One UPDATE per distinct verdict (nearly always a single one: intact), instead of
    bulk_update's CASE per row, which took seconds to build and run over 1,000 regions."""
    by_verdict: dict[tuple[bool | None, str], list[int]] = {}
    for head in verified:
        by_verdict.setdefault((head.ok, head.reason), []).append(head.pk)
    for (ok, reason), ids in by_verdict.items():
        PublishedHead.objects.filter(pk__in=ids).update(
            last_seen_at=now, verified_at=now, ok=ok, reason=reason
        )


@transaction.atomic
def chain_heads_rebase(*, tenant: Tenant) -> int:
    """A restore replaced the region's chain: the heads published before no longer bind it
    (they stay as history). Returns how many were superseded."""
    return PublishedHead.objects.filter(tenant=tenant, superseded=False).update(superseded=True)
