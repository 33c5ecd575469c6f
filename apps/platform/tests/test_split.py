"""Shared and region models apart (issue 9.4): a region's schema holds no table that only the
console uses, and moving a console table out of a shared-and-region app keeps its rows."""

from importlib import import_module
from types import SimpleNamespace
from typing import Any

from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.platform.models import SupportGrantRecord
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
