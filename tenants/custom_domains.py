"""A region's own domain beside its subdomain: requested in the console, routed once verified.

Verification needs two things the DNS shows: a TXT record `_berbagi.<domain>` holding the
request's token (whoever set it controls the name), and every address of the domain being one
of the addresses of the region's own `<slug>.BASE_DOMAIN` (a CNAME to it does that), so the
name reaches this platform. Only then is the routing Domain row written, in the same transaction.
"""

import re
import secrets
import socket

import dns.exception
import dns.resolver
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from apps.accounts.principals import Actor
from apps.audit.actions import AuditAction
from apps.audit.platform.services import platform_audit_record
from apps.audit.services import audit_record
from apps.core.errors import ApplicationError, ConflictError, NotFoundError
from tenants import services
from tenants.models import CustomDomain, Domain, Tenant

HOSTNAME = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def dns_txt(name: str) -> list[str]:
    """The TXT strings published at `name` ([] when none or on any DNS failure)."""
    try:
        answer = dns.resolver.resolve(name, "TXT", lifetime=5)
    except dns.exception.DNSException:
        return []
    return [b"".join(record.strings).decode(errors="replace") for record in answer]


def dns_addresses(name: str) -> set[str]:
    """The IPv4/IPv6 addresses `name` resolves to (following CNAMEs); empty when it does not."""
    try:
        infos = socket.getaddrinfo(name, 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return set()
    return {str(info[4][0]) for info in infos}


def _actor_label(actor: Actor) -> str:
    return str(getattr(actor, "email", "") or actor or "sistem")


def _audit(*, tenant: Tenant, actor: Actor, action: AuditAction, domain: str) -> None:
    """In the region's chain and in the platform's: a console action on a region."""
    platform_audit_record(actor=actor, action=action, target=tenant, changes={"domain": domain})
    with schema_context(tenant.schema_name):
        audit_record(
            actor=f"platform: {_actor_label(actor)}",
            action=action,
            target=tenant.name,
            changes={"domain": domain},
        )


def custom_domain_normalise(domain: str) -> str:
    """Lower-case, without a trailing dot; refuses what is not a plain DNS name of ours to add."""
    name = domain.strip().lower().rstrip(".")
    if not HOSTNAME.match(name):
        raise ApplicationError(
            _("%(domain)s bukan nama domain yang sah (contoh: perencanaan.bulungan.go.id).")
            % {"domain": domain},
            field="domain",
        )
    base = settings.BASE_DOMAIN
    if name == base or name.endswith(f".{base}"):
        raise ApplicationError(
            _("Subdomain %(base)s sudah diatur oleh platform; masukkan domain milik daerah.")
            % {"base": base},
            field="domain",
        )
    return name


@transaction.atomic
def custom_domain_request(*, tenant: Tenant, domain: str, actor: Actor) -> CustomDomain:
    """Record a pending domain with a fresh token; it does not route until verified."""
    if tenant.kind == Tenant.Kind.TEMPLATE or tenant.status not in (
        Tenant.Status.ACTIVE,
        Tenant.Status.SUSPENDED,
    ):
        raise ApplicationError(
            _("%(name)s tidak dapat diberi domain sendiri.") % {"name": tenant.name},
            field="tenant",
        )
    name = custom_domain_normalise(domain)
    if (
        CustomDomain.objects.filter(domain=name).exists()
        or Domain.objects.filter(domain=name).exists()
    ):
        raise ConflictError(
            _("Domain %(domain)s sudah terdaftar.") % {"domain": name}, field="domain"
        )
    record = CustomDomain.objects.create(
        tenant=tenant,
        domain=name,
        token=secrets.token_hex(16),
        requested_by=_actor_label(actor),
    )
    _audit(tenant=tenant, actor=actor, action=AuditAction.DOMAIN_REQUESTED, domain=name)
    return record


def custom_domain_problems(record: CustomDomain) -> list[str]:
    """What keeps the domain from routing ([] when it may)."""
    problems: list[str] = []
    if record.challenge_value not in dns_txt(record.challenge_name):
        problems.append(
            _("Rekaman TXT %(name)s belum berisi %(value)s.")
            % {"name": record.challenge_name, "value": record.challenge_value}
        )
    target = f"{record.tenant.slug}.{settings.BASE_DOMAIN}"
    ours = dns_addresses(target)
    theirs = dns_addresses(record.domain)
    if not theirs:
        problems.append(
            _("%(domain)s belum mengarah ke mana pun; buat CNAME ke %(target)s.")
            % {"domain": record.domain, "target": target}
        )
    elif not ours or not theirs <= ours:
        problems.append(
            _("%(domain)s mengarah ke alamat lain; buat CNAME ke %(target)s.")
            % {"domain": record.domain, "target": target}
        )
    return problems


@transaction.atomic
def custom_domain_verify(*, record: CustomDomain, actor: Actor) -> CustomDomain:
    """Check the DNS; on success the domain routes to its region from the next request on.
    On failure it stays pending with the problems found (no exception)."""
    record = CustomDomain.objects.select_for_update().select_related("tenant").get(pk=record.pk)
    problems = custom_domain_problems(record)
    record.problems = problems
    record.checked_at = timezone.now()
    if not problems and record.status != CustomDomain.Status.VERIFIED:
        record.status = CustomDomain.Status.VERIFIED
        record.verified_at = record.checked_at
        services.domain_set(tenant=record.tenant, domain=record.domain, is_primary=False)
        _audit(
            tenant=record.tenant,
            actor=actor,
            action=AuditAction.DOMAIN_VERIFIED,
            domain=record.domain,
        )
    record.save(update_fields=["problems", "checked_at", "status", "verified_at"])
    return record


@transaction.atomic
def custom_domain_remove(*, record: CustomDomain, actor: Actor) -> None:
    """Stop routing the domain (if it did) and forget it."""
    tenant, name = record.tenant, record.domain
    deleted, _per_model = CustomDomain.objects.filter(pk=record.pk).delete()
    if not deleted:
        raise NotFoundError(_("Domain %(domain)s tidak ada.") % {"domain": name}, field="domain")
    if Domain.objects.filter(domain=name, tenant=tenant).exists():
        services.domain_delete(domain=name)
    _audit(tenant=tenant, actor=actor, action=AuditAction.DOMAIN_REMOVED, domain=name)
