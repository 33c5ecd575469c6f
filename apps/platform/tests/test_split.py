"""Shared and region models apart (issue 9.4): a region's schema holds no table that only the
console uses, and moving a console table out of a shared-and-region app keeps its rows."""

from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import User
from apps.core.errors import ApplicationError
from apps.platform.models import StaffRole, SupportGrantRecord
from apps.platform.services import staff_role_set
from tenants.models import Tenant


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
        return {row[0] for row in cursor.fetchall()}


def _public_only_tables() -> set[str]:
    region_apps = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    return {
        model._meta.db_table
        for model in django_apps.get_models()
        if model._meta.app_config.name not in settings.TENANT_APPS
        and model._meta.app_label not in region_apps
    }


def test_no_region_schema_holds_a_table_only_the_console_uses(db: None) -> None:
    public_only = _public_only_tables()
    assert SupportGrantRecord._meta.db_table in public_only
    assert SupportGrantRecord._meta.db_table in _tables("public")
    for tenant in Tenant.objects.all():  # the regions and the master template
        found = _tables(tenant.schema_name)
        assert found, tenant.schema_name
        assert found & public_only == set(), tenant.schema_name
        # the console's grant records left the shared-and-region app's tables everywhere
        assert "accounts_supportgrantrecord" not in found


def test_moving_the_grant_records_keeps_every_row(db: None) -> None:
    migration: Any = import_module("apps.platform.migrations.0001_initial")
    now = timezone.now()
    with connection.cursor() as cursor:
        # given: the table as apps.accounts had it, holding a console record
        cursor.execute(
            "CREATE TABLE accounts_supportgrantrecord "
            "(LIKE platform_supportgrantrecord INCLUDING ALL)"
        )
        cursor.execute(
            "INSERT INTO accounts_supportgrantrecord VALUES "
            "(gen_random_uuid(), 'medan', 'Kota Medan', '7', 'cs@berbagi.id', 'Tiket #1', "
            "%s, %s, NULL, '', '')",
            [now, now],
        )
    SupportGrantRecord.objects.all().delete()
    # when
    migration.copy_records(None, SimpleNamespace(connection=connection))
    # then
    record = SupportGrantRecord.objects.get()
    assert (record.schema_name, record.support_email, record.reason) == (
        "medan",
        "cs@berbagi.id",
        "Tiket #1",
    )


def _columns(schema: str, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return {row[0] for row in cursor.fetchall()}


def test_the_user_table_carries_no_console_column_anywhere(db: None) -> None:
    """One AUTH_USER_MODEL in public and every region: what only the console needs (the
    platform role and province) is in apps.platform's public-only StaffRole."""
    assert StaffRole._meta.db_table in _public_only_tables()
    for schema in ["public", *Tenant.objects.values_list("schema_name", flat=True)]:
        columns = _columns(schema, "accounts_user")
        assert "email" in columns, schema
        assert {"platform_role", "province_code"} & columns == set(), schema


def test_moving_platform_roles_keeps_every_console_users_role(db: None) -> None:
    migration: Any = import_module("apps.platform.migrations.0002_staffrole")
    user = User.objects.create_user(email="prov@berbagi.id", password="x")
    with connection.cursor() as cursor:
        # given: the user table as it was, with the role on the user's row
        cursor.execute("ALTER TABLE accounts_user ADD COLUMN platform_role varchar(32)")
        cursor.execute("ALTER TABLE accounts_user ADD COLUMN province_code varchar(2)")
        cursor.execute("UPDATE accounts_user SET platform_role = '', province_code = ''")
        cursor.execute(
            "UPDATE accounts_user SET platform_role = 'provincial_admin', province_code = '72' "
            "WHERE id = %s",
            [user.pk],
        )
    # when
    migration.copy_roles(None, SimpleNamespace(connection=connection))
    # then
    staff = StaffRole.objects.get()
    assert (staff.user_id, staff.platform_role, staff.province_code) == (
        user.pk,
        "provincial_admin",
        "72",
    )
    assert User.objects.get(pk=user.pk).province_code == "72"


def test_a_region_user_never_reads_a_console_role(db: None, medan: Tenant) -> None:
    """A region's user ids are its own: a console role of the same id is not theirs."""
    console_user = User.objects.create_user(
        email="cs@berbagi.id", password="x", platform_role="central_support"
    )
    with schema_context(medan.schema_name):
        region_user = User.objects.create(
            pk=console_user.pk, email="staf@medan.go.id", username="staf@medan.go.id"
        )
        assert (region_user.platform_role, region_user.province_code) == ("", "")
        with pytest.raises(ApplicationError):
            staff_role_set(user=region_user, platform_role="central_support")
