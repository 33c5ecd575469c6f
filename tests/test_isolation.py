"""Tenant isolation: what one region writes, another region (and the console) cannot see."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from apps.accounts.models import Role
from apps.accounts.services import user_roles_set
from apps.audit.actions import AuditAction
from apps.audit.models import AuditEntry
from apps.audit.services import audit_record
from tenants.models import Tenant

User = get_user_model()


def test_orm_rows_written_in_one_region_are_invisible_from_another(
    medan: Tenant, buol: Tenant
) -> None:
    # given rows written in Medan
    with schema_context(medan.schema_name):
        User.objects.create_user(email="operator@medan.go.id", password="rahasia-123")
        audit_record(actor="uji-isolasi", action=AuditAction.REFERENCE_IMPORTED)
    # then Buol sees none of them
    with schema_context(buol.schema_name):
        assert not User.objects.filter(email="operator@medan.go.id").exists()
        assert not AuditEntry.objects.filter(action=AuditAction.REFERENCE_IMPORTED).exists()
    # nor does the public schema (platform users are a separate table)
    assert not User.objects.filter(email="operator@medan.go.id").exists()
    # while Medan does
    with schema_context(medan.schema_name):
        assert User.objects.filter(email="operator@medan.go.id").exists()
        assert AuditEntry.objects.filter(action=AuditAction.REFERENCE_IMPORTED).count() == 1


def test_same_email_may_exist_in_two_regions_as_two_people(medan: Tenant, buol: Tenant) -> None:
    with schema_context(medan.schema_name):
        in_medan = User.objects.create_user(email="sama@contoh.id", full_name="Orang Medan")
    with schema_context(buol.schema_name):
        in_buol = User.objects.create_user(email="sama@contoh.id", full_name="Orang Buol")
        assert User.objects.get(email="sama@contoh.id").full_name == "Orang Buol"
    with schema_context(medan.schema_name):
        assert User.objects.get(email="sama@contoh.id").full_name == "Orang Medan"
    assert in_medan.pk is not None and in_buol.pk is not None


def test_region_tables_live_in_the_region_schema(medan: Tenant) -> None:
    with schema_context(medan.schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT 'audit_auditentry'::regclass::text, current_schema()")
        table, schema = cursor.fetchone() or (None, None)
    assert schema == medan.schema_name
    assert table == "audit_auditentry"  # resolved without qualification, i.e. in the region


def _signed_in_client(tenant: Tenant, email: str) -> Client:
    client = Client()
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(email=email, password="rahasia-123")
        user_roles_set(user=user, roles=[Role.ADMIN], opd_code="", changed_by="uji")
        client.force_login(user)
    return client


def _actions(client: Client, host: str) -> list[str]:
    """The actions these tests write (as actor "uji-isolasi") that the audit API lists; what
    provisioning and signing in recorded is left aside."""
    response = client.get("/api/audit/entries/", HTTP_HOST=host)
    assert response.status_code == 200, response.content
    return [
        row["action"] for row in response.json()["results"] if row["actor_label"] == "uji-isolasi"
    ]


def test_http_rows_written_in_one_region_are_invisible_from_another(
    medan: Tenant, buol: Tenant
) -> None:
    # given each region has written its own audit entry
    with schema_context(medan.schema_name):
        audit_record(actor="uji-isolasi", action=AuditAction.REFERENCE_IMPORTED)
    with schema_context(buol.schema_name):
        audit_record(actor="uji-isolasi", action=AuditAction.REFERENCE_RELEASE_APPLIED)
    medan_staff = _signed_in_client(medan, "staf@medan.go.id")
    buol_staff = _signed_in_client(buol, "staf@buolkab.go.id")

    # then each region's API lists its own entries only
    assert _actions(medan_staff, "medan.localhost") == [AuditAction.REFERENCE_IMPORTED]
    assert _actions(buol_staff, "buol.localhost") == [AuditAction.REFERENCE_RELEASE_APPLIED]


def test_a_session_from_one_region_is_meaningless_in_another(medan: Tenant, buol: Tenant) -> None:
    with schema_context(medan.schema_name):
        audit_record(actor="uji-isolasi", action=AuditAction.REFERENCE_IMPORTED)
    medan_staff = _signed_in_client(medan, "staf@medan.go.id")
    assert _actions(medan_staff, "medan.localhost") == [AuditAction.REFERENCE_IMPORTED]

    # the same cookie presented to Buol authenticates no one there
    response = medan_staff.get("/api/audit/entries/", HTTP_HOST="buol.localhost")
    assert response.status_code in (401, 403)
    assert AuditAction.REFERENCE_IMPORTED not in response.content.decode()
