"""Reads that cross every region's schema at once, for the support console and rollouts.

Why this module crosses schemas: central support watches hundreds of regions, and visiting each
schema in turn (a search_path switch and a few queries each) costs seconds. Each function here
answers for all schemas in ONE statement per SCHEMAS_PER_STATEMENT schemas (UNION ALL over
schema-qualified tables, or a catalog query), and is the only place where operations code names
another schema's tables directly. Schema names come from Tenant rows (validated
`^[a-z][a-z0-9_]*$`) and are quoted all the same.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection

# One statement locks every table it reads and their indexes until its transaction ends: over
# 1,000 regions a single UNION ALL runs out of the lock table ("out of shared memory",
# max_locks_per_transaction; bench/scale.py). So each statement covers at most this many schemas.
SCHEMAS_PER_STATEMENT = 100


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _chunks(schemas: list[str]) -> list[list[str]]:
    size = SCHEMAS_PER_STATEMENT
    return [schemas[i : i + size] for i in range(0, len(schemas), size)]


def schemas_with_tables(schemas: Iterable[str], tables: Sequence[str]) -> dict[str, set[str]]:
    """Schema -> which of `tables` exist in it (one catalog query)."""
    schemas = list(schemas)
    found: dict[str, set[str]] = {schema: set() for schema in schemas}
    if not schemas:
        return found
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(%s) AND c.relname = ANY(%s)",
            [schemas, list(tables)],
        )
        for schema, table in cursor.fetchall():
            found[schema].add(table)
    return found


def migrations_missing(
    schemas: Iterable[str], expected: Sequence[tuple[str, str]]
) -> dict[str, list[tuple[str, str]]]:
    """Schema -> the expected migrations it has not recorded, in `expected` order.

    One statement answers for every schema how many of the expected migrations it recorded (a
    row per schema, the expected list sent once as an array); only schemas that fall short are
    asked which ones they hold, in a second statement. Schemas without a django_migrations
    table are left out of the answer.
    """
    present = [
        schema
        for schema, tables in schemas_with_tables(schemas, ["django_migrations"]).items()
        if tables
    ]
    if not present:
        return {}
    keys = [f"{app}.{name}" for app, name in expected]
    counted = _union_per_schema(
        present,
        "SELECT %s, count(DISTINCT m.app || '.' || m.name) FROM {table} m, e "
        "WHERE m.app || '.' || m.name = ANY(e.k)",
        keys,
    )
    missing: dict[str, list[tuple[str, str]]] = {}
    lagging = []
    for schema, count in counted:
        if int(count) >= len(keys):
            missing[schema] = []
        else:
            lagging.append(schema)
    if lagging:
        recorded = _union_per_schema(
            lagging,
            "SELECT %s, array_agg(m.app || '.' || m.name) FROM {table} m, e "
            "WHERE m.app || '.' || m.name = ANY(e.k)",
            keys,
        )
        for schema, names in recorded:
            have = set(names or [])
            missing[schema] = [
                key for key, label in zip(expected, keys, strict=True) if label not in have
            ]
    return missing


def _union_per_schema(schemas: list[str], branch: str, keys: list[str]) -> list[tuple[Any, ...]]:
    """Run `branch` (with {table} = the schema's django_migrations) for each schema, UNION ALL
    (SCHEMAS_PER_STATEMENT at a time)."""
    rows: list[tuple[Any, ...]] = []
    for chunk in _chunks(schemas):
        sql = "WITH e AS (SELECT %s::text[] AS k) " + " UNION ALL ".join(
            branch.format(table=f"{_q(schema)}.django_migrations") for schema in chunk
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [keys, *chunk])
            rows += cursor.fetchall()
    return rows


def storage_sizes(schemas: Iterable[str]) -> dict[str, int]:
    """Schema -> bytes of its tables with their indexes and TOAST (one catalog query)."""
    schemas = list(schemas)
    sizes = dict.fromkeys(schemas, 0)
    if not schemas:
        return sizes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname, COALESCE(SUM(pg_total_relation_size(c.oid)), 0) "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'm', 'p') AND n.nspname = ANY(%s) GROUP BY n.nspname",
            [schemas],
        )
        for schema, size in cursor.fetchall():
            sizes[schema] = int(size)
    return sizes


def region_activity(schemas: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Schema -> users, last sign-in or audit entry, audit head seq and hash (one UNION ALL
    statement)."""
    needed = ["accounts_user", "audit_auditentry", "audit_auditchainhead"]
    usable = [s for s, tables in schemas_with_tables(schemas, needed).items() if len(tables) == 3]
    if not usable:
        return {}
    rows: list[tuple[Any, ...]] = []
    for chunk in _chunks(usable):
        parts = []
        for schema in chunk:
            s = _q(schema)
            parts.append(
                f"SELECT %s, (SELECT count(*) FROM {s}.accounts_user WHERE is_active), "
                f"(SELECT max(last_login) FROM {s}.accounts_user), "
                f"(SELECT max(created_at) FROM {s}.audit_auditentry), "
                f"(SELECT COALESCE(max(seq), 0) FROM {s}.audit_auditchainhead), "
                f"(SELECT max(hash) FROM {s}.audit_auditchainhead)"
            )
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), chunk)
            rows += cursor.fetchall()
    result: dict[str, dict[str, Any]] = {}
    for schema, users, last_login, last_audit, head_seq, head_hash in rows:
        moments: list[datetime] = [m for m in (last_login, last_audit) if m is not None]
        result[schema] = {
            "users": int(users),
            "last_activity": max(moments) if moments else None,
            "audit_head_seq": int(head_seq),
            "audit_head_hash": head_hash or "",  # "": the head row is missing
        }
    return result
