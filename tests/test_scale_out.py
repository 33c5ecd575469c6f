"""What Citus schema-based sharding needs from the code (helm/README.md, "Past one PostgreSQL").

Each region schema would become a distributed schema placed whole on one worker node, and the
public schema's tables reference tables copied to every node. That holds only while region data
never points into public or into another region (foreign keys), and no request in a region
joins across schemas. These tests keep both true, for every constraint, model and URL.
"""

import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from apps.accounts.models import User
from tenants.models import Tenant

# Apps whose tables exist only in the public schema (reference tables under Citus).
PUBLIC_ONLY = {
    config.label
    for config in apps.get_app_configs()
    if config.name in settings.SHARED_APPS and config.name not in settings.TENANT_APPS
}
REGION_APPS = {
    config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
}
QUALIFIED = re.compile(r'(?<![\w"])"?(public|template_master|daerah_[0-9_]+)"?\s*\.\s*"?\w', re.I)


def test_no_foreign_key_leaves_a_region_schema(medan: Tenant, buol: Tenant) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT src.nspname, c.conname, dst.nspname
            FROM pg_constraint c
            JOIN pg_class s ON s.oid = c.conrelid
            JOIN pg_namespace src ON src.oid = s.relnamespace
            JOIN pg_class d ON d.oid = c.confrelid
            JOIN pg_namespace dst ON dst.oid = d.relnamespace
            WHERE c.contype = 'f' AND src.nspname <> dst.nspname
              AND (src.nspname LIKE 'daerah\\_%%' OR src.nspname = %s)
            """,
            [settings.TEMPLATE_SCHEMA_NAME],
        )
        crossing = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM pg_constraint c JOIN pg_class s ON s.oid = c.conrelid "
            "JOIN pg_namespace n ON n.oid = s.relnamespace "
            "WHERE c.contype = 'f' AND n.nspname = %s",
            [medan.schema_name],
        )
        (inside,) = cursor.fetchone() or (0,)
    assert crossing == []
    assert inside > 10  # the check did look at a region's real constraints


def test_no_region_model_relates_to_a_public_only_model() -> None:
    crossing = []
    for label in REGION_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                target = getattr(field, "related_model", None)
                if not field.is_relation or target is None or field.auto_created:
                    continue
                if target._meta.app_label in PUBLIC_ONLY:
                    crossing.append(f"{model._meta.label}.{field.name} -> {target._meta.label}")
    assert crossing == []
    assert {"tenants", "provisioning"} <= PUBLIC_ONLY


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        elif "<" not in route and "(?P" not in route and "\\" not in route:
            yield "/" + route.lstrip("^").rstrip("$")


REGION_PATHS = sorted(set(_routes(get_resolver(settings.ROOT_URLCONF).url_patterns)))


@pytest.fixture
def region_admin(medan: Tenant) -> Iterator[Client]:
    with schema_context(medan.schema_name):
        user = User.objects.create_user(email="skala@berbagi.test", password="x", is_superuser=True)
        client = Client(HTTP_HOST="medan.localhost")
        client.force_login(user)
    yield client


@pytest.mark.parametrize(
    "sql",
    [
        'SELECT * FROM "public"."tenants_tenant"',
        "SELECT 1 FROM public.tenants_domain d",
        'SELECT 1 FROM "daerah_72_05"."audit_auditentry"',
        "SELECT 1 FROM template_master.apps_x",
    ],
)
def test_the_schema_detector_sees_qualified_names(sql: str) -> None:
    assert QUALIFIED.search(sql)


def test_no_request_in_a_region_names_another_schema(region_admin: Client) -> None:
    assert len(REGION_PATHS) > 10
    offending: list[str] = []
    for client in (Client(HTTP_HOST="medan.localhost"), region_admin):
        for path in REGION_PATHS:
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SET ") and QUALIFIED.search(sql):
                    offending.append(f"{path}: {sql[:160]}")
    assert offending == []
