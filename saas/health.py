"""Readiness: the database answers and public and template schemas carry every migration on disk."""

from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader


@cache
def _migrations_on_disk() -> tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str]]]:
    """(shared, tenant) migrations known to the code; computed once per process."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    shared_labels = {app.rsplit(".", 1)[-1] for app in settings.SHARED_APPS}
    tenant_labels = {app.rsplit(".", 1)[-1] for app in settings.TENANT_APPS}
    keys = set(loader.disk_migrations)
    return (
        frozenset(k for k in keys if k[0] in shared_labels),
        frozenset(k for k in keys if k[0] in tenant_labels),
    )


def _applied(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return {(app, name) for app, name in cursor.fetchall()}


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
            connection.rollback() if not connection.get_autocommit() else None
            problems.append(f"schema {schema} is not migrated")
            continue
        if missing:
            problems.append(f"schema {schema} lacks {len(missing)} migration(s)")
    return problems
