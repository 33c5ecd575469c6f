"""A region's own domain: requested in the console, routed only after the DNS checks pass."""

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client
from django_tenants.utils import schema_context
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks as CaptureCallbacks

from apps.accounts.models import User
from apps.audit.models import AuditEntry
from apps.core.errors import ApplicationError, ConflictError
from tenants import custom_domains, services
from tenants.models import CustomDomain, Domain, Tenant

OWN = "perencanaan.buol.go.id"
PLATFORM_ADDRESSES = {"203.0.113.10", "2001:db8::10"}


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """A fake DNS: TXT strings and addresses per name (the resolver itself is not under test)."""
    zone: dict[str, object] = {f"buol.{settings.BASE_DOMAIN}": PLATFORM_ADDRESSES}
    monkeypatch.setattr(
        custom_domains,
        "dns_txt",
        lambda name: list(zone.get(f"TXT {name}", [])),  # type: ignore[call-overload]
    )
    monkeypatch.setattr(
        custom_domains,
        "dns_addresses",
        lambda name: set(zone.get(name, set())),  # type: ignore[call-overload]
    )
    return zone


def _publish(zone: dict[str, object], record: CustomDomain) -> None:
    zone[f"TXT {record.challenge_name}"] = ["v=spf1 -all", record.challenge_value]
    zone[record.domain] = {"203.0.113.10"}


@pytest.mark.parametrize(
    "name",
    [
        "",
        "localhost",
        "bulungan",
        "http://bulungan.go.id",
        "bulungan.go.id/path",
        "bulungan.go.id:8443",
        "-bulungan.go.id",
        "bulungan..go.id",
        "perencanaan bulungan.go.id",
        "a" * 64 + ".go.id",
        settings.BASE_DOMAIN,
        f"buol.{settings.BASE_DOMAIN}",
        f"apa.saja.{settings.BASE_DOMAIN}",
    ],
)
def test_a_request_refuses_names_that_are_not_a_region_s_own_domain(
    buol: Tenant, name: str
) -> None:
    with pytest.raises(ApplicationError) as refused:
        custom_domains.custom_domain_request(tenant=buol, domain=name, actor="uji")
    assert refused.value.field == "domain"
    assert not CustomDomain.objects.exists()


def test_a_request_normalises_the_name_and_refuses_a_second_claim(
    buol: Tenant, medan: Tenant
) -> None:
    record = custom_domains.custom_domain_request(
        tenant=buol, domain=" Perencanaan.Buol.GO.ID. ", actor="uji"
    )
    assert record.domain == OWN and record.status == CustomDomain.Status.PENDING
    for tenant in (buol, medan):
        with pytest.raises(ConflictError):
            custom_domains.custom_domain_request(tenant=tenant, domain=OWN, actor="uji")
    services.domain_set(tenant=medan, domain="sipd.medan.go.id")
    with pytest.raises(ConflictError):
        custom_domains.custom_domain_request(tenant=buol, domain="sipd.medan.go.id", actor="uji")


def test_the_template_gets_no_domain(db: None) -> None:
    template = Tenant.objects.get(schema_name=settings.TEMPLATE_SCHEMA_NAME)
    with pytest.raises(ApplicationError):
        custom_domains.custom_domain_request(tenant=template, domain=OWN, actor="uji")


def test_a_pending_domain_does_not_route(buol: Tenant, dns: dict[str, object]) -> None:
    custom_domains.custom_domain_request(tenant=buol, domain=OWN, actor="uji")
    response = Client().get("/", HTTP_HOST=OWN)
    assert response.status_code == 400
    assert not Domain.objects.filter(domain=OWN).exists()


@pytest.mark.parametrize(
    ("publish", "problem"),
    [
        ({"txt": False, "addresses": {"203.0.113.10"}}, "TXT"),
        ({"txt": True, "addresses": set()}, "belum mengarah"),
        ({"txt": True, "addresses": {"198.51.100.7"}}, "alamat lain"),
        ({"txt": True, "addresses": {"203.0.113.10", "198.51.100.7"}}, "alamat lain"),
    ],
)
def test_verification_fails_until_both_dns_records_are_right(
    buol: Tenant, dns: dict[str, object], publish: dict[str, object], problem: str
) -> None:
    record = custom_domains.custom_domain_request(tenant=buol, domain=OWN, actor="uji")
    if publish["txt"]:
        dns[f"TXT {record.challenge_name}"] = [record.challenge_value]
    dns[OWN] = publish["addresses"]
    record = custom_domains.custom_domain_verify(record=record, actor="uji")
    assert record.status == CustomDomain.Status.PENDING
    assert any(problem in p for p in record.problems), record.problems
    assert not Domain.objects.filter(domain=OWN).exists()


def test_a_verified_domain_routes_to_its_region_and_is_audited(
    buol: Tenant,
    dns: dict[str, object],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = custom_domains.custom_domain_request(tenant=buol, domain=OWN, actor="uji")
        _publish(dns, record)
        record = custom_domains.custom_domain_verify(record=record, actor="uji")
    assert record.status == CustomDomain.Status.VERIFIED and record.problems == []
    response = Client().get("/", HTTP_HOST=OWN)
    assert response.status_code == 200
    assert response.wsgi_request.tenant == buol  # type: ignore[attr-defined]
    with schema_context(buol.schema_name):
        actions = list(
            AuditEntry.objects.filter(action__startswith="domain.").values_list("action", flat=True)
        )
    assert actions == ["domain.requested", "domain.verified"]


def test_removing_a_domain_stops_its_routing(
    buol: Tenant,
    dns: dict[str, object],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = custom_domains.custom_domain_request(tenant=buol, domain=OWN, actor="uji")
        _publish(dns, record)
        custom_domains.custom_domain_verify(record=record, actor="uji")
    assert Client().get("/", HTTP_HOST=OWN).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        custom_domains.custom_domain_remove(record=record, actor="uji")
    assert Client().get("/", HTTP_HOST=OWN).status_code == 400
    assert not CustomDomain.objects.exists()


def _console_user(role: str, province_code: str = "") -> User:
    user = User.objects.create_user(
        email=f"{role}@berbagi.test", password="x", platform_role=role, province_code=province_code
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    return user


def _console(user: User) -> Client:
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(user)
    return client


def test_central_support_adds_and_checks_a_domain_from_the_console(
    buol: Tenant,
    dns: dict[str, object],
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    console = _console(_console_user("central_support"))
    assert console.get("/domain/").status_code == 200
    console.post("/domain/tambah/", {"daerah": buol.schema_name, "domain": OWN})
    record = CustomDomain.objects.get(domain=OWN)
    page = console.get("/domain/").content.decode()
    assert record.challenge_value in page and f"buol.{settings.BASE_DOMAIN}" in page
    _publish(dns, record)
    with django_capture_on_commit_callbacks(execute=True):
        console.post(f"/domain/{record.pk}/periksa/")
    assert CustomDomain.objects.get(pk=record.pk).status == CustomDomain.Status.VERIFIED


@pytest.mark.parametrize(
    "path", ["/domain/", "/domain/tambah/", "/domain/1/periksa/", "/domain/1/hapus/"]
)
def test_only_central_support_reaches_the_domain_pages(db: None, path: str) -> None:
    console = _console(_console_user("provincial_admin", province_code="72"))
    response = console.post(path) if path != "/domain/" else console.get(path)
    assert response.status_code == 403
    anonymous = Client(HTTP_HOST=settings.BASE_DOMAIN)
    assert anonymous.get("/domain/").status_code == 302
