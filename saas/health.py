"""Readiness: the database answers and public and template schemas carry every migration on disk."""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader


def _labels(entries: list[str]) -> set[str]:
    """App labels of INSTALLED_APPS-style entries (module paths or AppConfig paths)."""
    wanted = set(entries)
    return {
        config.label
        for config in apps.get_app_configs()
        if config.name in wanted or f"{type(config).__module__}.{type(config).__name__}" in wanted
    }


@cache
def _migrations_on_disk() -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """(shared, tenant) migrations known to the code; computed once per process."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    shared_labels = _labels(settings.SHARED_APPS)
    tenant_labels = _labels(settings.TENANT_APPS)
    keys = set(loader.disk_migrations)
    return (
        frozenset(k for k in keys if k[0] in shared_labels),
        frozenset(k for k in keys if k[0] in tenant_labels),
    )


def _applied(schema: str) -> set[tuple[str, str]]:
    # A savepoint (or a transaction in autocommit) so a failure leaves the connection usable.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return {(app, name) for app, name in cursor.fetchall()}


def _describe(missing: set[tuple[str, str]] | frozenset[tuple[str, str]], limit: int = 5) -> str:
    names = sorted(f"{app}.{name}" for app, name in missing)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def readiness_problems() -> list[str]:
    """Never raises: every failure becomes a human-readable problem."""
    problems: list[str] = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return [f"database unreachable: {exc.__class__.__name__}"]
    shared, tenant = _migrations_on_disk()
    for schema, expected in (
        (settings.PUBLIC_SCHEMA_NAME, shared),
        (settings.TEMPLATE_SCHEMA_NAME, tenant),
    ):
        try:
            missing = expected - _applied(schema)
        except DatabaseError:
            problems.append(f"schema {schema} is not migrated")
            continue
        if missing:
            problems.append(
                f"schema {schema} lacks {len(missing)} migration(s): {_describe(missing)}"
            )
    return problems
