"""A faithful server-side copy of one schema into a new one, generated from the catalog.

The copy follows pg_restore's order inside the caller's transaction: the schema, its functions and
free-standing sequences, the tables (CREATE TABLE ... LIKE, which copies columns, NOT NULL and CHECK
constraints with their names, default expressions as trees, and identity), then the rows
(INSERT ... SELECT, no round trip per row), the sequence values, then indexes,
primary/unique/exclusion constraints, foreign keys, triggers and views. Every constraint and
index keeps the source's name and definition (pg_get_constraintdef, pg_get_indexdef), unlike
django-tenants' clone_schema, which rebuilds unique constraints under PostgreSQL's default names.

The DDL is generated once per state of the source catalog (a fingerprint query of well under a
millisecond decides) and is schema-independent: it is produced with `search_path` set to the source,
so references inside the source come out unqualified, and run with `search_path` set to the target.
Object kinds Django does not create (types, partitions, inheritance, materialized views, rules,
policies) are refused with CloneError rather than copied half-way.

- catalog.py: the fingerprint, the refusal and every catalog row the statements come from;
- ddl.py: ClonePlan and the statements generated from those rows;
- this module: the plan cache (one plan per source and fingerprint) and schema_clone itself.
"""

import threading

from django.db import connection, transaction
from django.utils.translation import gettext as _

from provisioning.clone._common import _search_path, quote_ident
from provisioning.clone.catalog import (
    catalog_fingerprint,
    catalog_read,
    catalog_refuse_unsupported,
)
from provisioning.clone.ddl import ClonePlan, plan_generate, prefixes_pairs
from provisioning.errors import CloneError

__all__ = [
    "ClonePlan",
    "plan_build",
    "plan_cache_clear",
    "plan_for",
    "prefixes_pairs",
    "quote_ident",
    "schema_clone",
]

_cache: dict[tuple[str, str], ClonePlan] = {}
_cache_lock = threading.Lock()


def plan_build(*, source: str, fingerprint: str = "") -> ClonePlan:
    """Read the source catalog and produce the statements; runs in its own savepoint."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [source])
        if cursor.fetchone() is None:
            raise CloneError(_("Skema sumber %(schema)s tidak ada.") % {"schema": source})
        catalog_refuse_unsupported(cursor, source)
        with _search_path(cursor, source):
            plan = plan_generate(catalog_read(cursor, source), fingerprint=fingerprint)
    return plan


def plan_for(*, source: str) -> ClonePlan:
    """The cached plan for the source's current catalog state, built on a miss."""
    with connection.cursor() as cursor:
        fingerprint = catalog_fingerprint(cursor, source)
    key = (source, fingerprint)
    plan = _cache.get(key)
    if plan is None:
        plan = plan_build(source=source, fingerprint=fingerprint)
        with _cache_lock:
            for stale in [k for k in _cache if k[0] == source]:
                del _cache[stale]
            _cache[key] = plan
    return plan


def plan_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


@transaction.atomic
def schema_clone(*, source: str, target: str) -> ClonePlan:
    """Create schema `target` as a copy of `source` (structure, rows, sequence values).

    Runs in the caller's transaction (a savepoint if one is open): on any error nothing remains.
    """
    plan = plan_for(source=source)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote_ident(target)}")
        with _search_path(cursor, target):
            cursor.execute(plan.script())
    return plan
