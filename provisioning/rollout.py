"""Migrating many region schemas fast: one query to plan, SQL captured once, replayed per schema.

1. Plan: one UNION ALL statement over every schema's django_migrations (crossschema) tells which
   expected migrations each schema lacks. Schemas lacking none are skipped without touching
   Django's migration machinery.
2. Schemas that lack the same migrations form a group. If none of those migrations runs Python
   (RunPython, non-atomic), the group takes the SQL path: the migrations are applied for real to
   one representative schema through Django's schema editor (inside a transaction), every
   statement it executes is captured, and the same statements plus the django_migrations rows are
   then run in each other schema with `SET LOCAL search_path`, one transaction per schema, in
   parallel threads that hold their own connections. Django emits unqualified names, so the
   statements do not depend on the schema they were captured in. Should the representative fail,
   it is marked and the next schema of the group becomes the representative.
3. Otherwise a schema takes the Python path: Django's Migration.apply for each migration inside
   the region's schema alone on the search_path (never public), as Django's executor does, all in
   one transaction for that schema.

A failing schema is reported with its error and never stops the others; retrying it alone runs
the same plan for that single schema.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg2
from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, SeparateDatabaseAndState
from django.db.migrations.operations.base import Operation
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _
from django_tenants.utils import get_tenant_model

from provisioning import crossschema

logger = logging.getLogger(__name__)

Key = tuple[str, str]


def loader_build() -> MigrationLoader:
    """The migration graph from disk (no database read)."""
    return MigrationLoader(None, ignore_no_migrations=True)


def expected_migrations(loader: MigrationLoader) -> list[Key]:
    """Every migration of the graph in an order that respects dependencies."""
    ordered: list[Key] = []
    seen: set[Key] = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                ordered.append(key)
    return ordered


def _runs_python(operations: Iterable[Operation]) -> bool:
    for operation in operations:
        if isinstance(operation, RunPython):
            return True
        if isinstance(operation, SeparateDatabaseAndState) and _runs_python(
            operation.database_operations
        ):
            return True
    return False


def _tenant_app(app_label: str) -> bool:
    from django.apps import apps

    config = apps.get_app_config(app_label)
    return config.name in settings.TENANT_APPS


def needs_python(loader: MigrationLoader, key: Key) -> bool:
    """A tenant-app migration that runs Python or is not atomic cannot be replayed as SQL.

    Shared-only apps' migrations do nothing in a region schema (the router skips them) and only
    need their django_migrations row, so they always take the SQL path.
    """
    migration = loader.graph.nodes[key]
    if not _tenant_app(key[0]):
        return False
    return (not migration.atomic) or _runs_python(migration.operations)


@dataclass
class Outcome:
    """What happened to one schema."""

    schema_name: str
    ok: bool
    path: str
    migrations: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


@dataclass
class Plan:
    loader: MigrationLoader
    missing: dict[str, list[Key]]

    def pending(self, schema_name: str) -> list[Key] | None:
        """None: the schema has no django_migrations table (missing or broken)."""
        return self.missing.get(schema_name)


def plan_build(schemas: Iterable[str]) -> Plan:
    """The loader and, from ONE query, what every schema lacks."""
    loader = loader_build()
    missing = crossschema.migrations_missing(schemas, expected_migrations(loader))
    return Plan(loader=loader, missing=missing)


def _labels(keys: Sequence[Key]) -> list[str]:
    return [f"{app}.{name}" for app, name in keys]


def _inline(sql: Any, params: Any) -> str:
    text = str(sql)
    if params is None:
        return text
    raw = connection.connection
    assert raw is not None
    with raw.cursor() as cursor:
        return str(cursor.mogrify(text, params).decode())


@contextmanager
def _region_only(schema_name: str) -> Iterator[None]:
    """schema_context without `public` on the search_path: a region's migration must fail on a
    table the region lacks instead of altering public's table of the same name."""
    previous = connection.tenant  # type: ignore[attr-defined]
    tenant = get_tenant_model()(schema_name=schema_name)
    connection.set_tenant(tenant, include_public=False)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        connection.set_tenant(previous)  # type: ignore[attr-defined]


def _apply_in_schema(
    loader: MigrationLoader, schema_name: str, keys: Sequence[Key], capture: list[str] | None
) -> None:
    """Apply `keys` in order to one schema in one transaction; optionally capture the SQL."""
    with _region_only(schema_name), transaction.atomic():
        recorder = MigrationRecorder(connection)
        for key in keys:
            migration = loader.graph.nodes[key]
            state = loader.project_state(key, at_end=False)
            with connection.schema_editor(atomic=False) as editor:
                if capture is not None:
                    execute = editor.execute

                    def recording(sql: Any, params: Any = (), _execute: Any = execute) -> None:
                        capture.append(_inline(sql, params))
                        _execute(sql, params)

                    editor.execute = recording  # type: ignore[method-assign]
                migration.apply(state, editor)
            recorder.record_applied(*key)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _replay_script(schema_name: str, statements: Sequence[str], keys: Sequence[Key]) -> str:
    quoted = connection.ops.quote_name(schema_name)
    rows = ", ".join(f"({_literal(app)}, {_literal(name)}, now())" for app, name in keys)
    # The region's schema alone: a name it lacks must fail here, never resolve in public.
    body = [f"SET LOCAL search_path = {quoted}", *statements]
    body.append(f"INSERT INTO django_migrations (app, name, applied) VALUES {rows}")
    return "BEGIN;\n" + ";\n".join(body) + ";\nCOMMIT;"


def _replay_chunk(
    params: dict[str, Any], schemas: Sequence[str], statements: Sequence[str], keys: Sequence[Key]
) -> list[Outcome]:
    """Run the captured statements in each schema: own connection, one transaction per schema."""
    outcomes = []
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for schema_name in schemas:
                started = time.perf_counter()
                try:
                    cursor.execute(_replay_script(schema_name, statements, keys))
                    outcomes.append(
                        Outcome(
                            schema_name,
                            True,
                            "sql",
                            _labels(keys),
                            seconds=time.perf_counter() - started,
                        )
                    )
                except psycopg2.Error as exc:
                    cursor.execute("ROLLBACK")
                    outcomes.append(
                        Outcome(schema_name, False, "sql", _labels(keys), error=str(exc).strip())
                    )
    finally:
        conn.close()
    return outcomes


def _chunks(items: Sequence[str], size: int) -> list[Sequence[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def migrate_schemas_fast(
    plan: Plan,
    schemas: Sequence[str],
    *,
    threads: int | None = None,
    chunk_size: int = 25,
    on_progress: Callable[[list[Outcome]], None] | None = None,
) -> list[Outcome]:
    """Bring `schemas` up to the plan's graph; every schema gets an Outcome (skipped ones too).

    Schemas needing the same SQL-only migrations form a group: one is migrated for real while
    its statements are captured, the rest replay them in parallel chunks; schemas needing a
    Python migration go through Django's executor one by one."""
    threads = threads or settings.OPERATIONS_ROLLOUT_THREADS
    outcomes: list[Outcome] = []

    def report(batch: list[Outcome]) -> None:
        outcomes.extend(batch)
        if on_progress is not None and batch:
            on_progress(batch)

    groups, python_path, nothing = _schemas_sorted(plan, schemas)
    report(nothing)
    connect_params = connection.get_connection_params()
    for keys_tuple, members in groups.items():
        keys = list(keys_tuple)
        remaining = list(members)
        statements = _first_applied(plan, remaining, keys, report)
        if statements is None or not remaining:
            continue
        chunks = _chunks(remaining, chunk_size)
        with ThreadPoolExecutor(max_workers=max(1, min(threads, len(chunks)))) as pool:
            futures = [
                pool.submit(_replay_chunk, connect_params, chunk, statements, keys)
                for chunk in chunks
            ]
            for future in as_completed(futures):
                report(future.result())
    for schema_name, keys in python_path:
        report([_apply_timed(plan, schema_name, keys, "python", None)])
    return outcomes


def _schemas_sorted(
    plan: Plan, schemas: Sequence[str]
) -> tuple[dict[tuple[Key, ...], list[str]], list[tuple[str, list[Key]]], list[Outcome]]:
    """(SQL-only groups by their pending migrations, schemas needing Python, schemas with
    nothing to do or no migration table) without starting Django's executor for any."""
    groups: dict[tuple[Key, ...], list[str]] = defaultdict(list)
    python_path: list[tuple[str, list[Key]]] = []
    nothing: list[Outcome] = []
    for schema_name in schemas:
        keys = plan.pending(schema_name)
        if keys is None:
            error = _("Skema atau tabel django_migrations tidak ada.")
            nothing.append(Outcome(schema_name, False, "", error=error))
        elif not keys:
            nothing.append(Outcome(schema_name, True, ""))
        elif any(needs_python(plan.loader, key) for key in keys):
            python_path.append((schema_name, keys))
        else:
            groups[tuple(keys)].append(schema_name)
    return groups, python_path, nothing


def _apply_timed(
    plan: Plan, schema_name: str, keys: list[Key], path: str, captured: list[str] | None
) -> Outcome:
    """Migrate one schema for real (capturing its statements when asked); never raises."""
    started = time.perf_counter()
    try:
        _apply_in_schema(plan.loader, schema_name, keys, captured)
    except Exception as exc:
        logger.warning("rollout: %s failed", schema_name, exc_info=True)
        return Outcome(schema_name, False, path, _labels(keys), error=str(exc))
    return Outcome(schema_name, True, path, _labels(keys), seconds=time.perf_counter() - started)


def _first_applied(
    plan: Plan,
    remaining: list[str],
    keys: list[Key],
    report: Callable[[list[Outcome]], None],
) -> list[str] | None:
    """Migrate schemas of a group (taken off `remaining`) until one succeeds; its captured
    statements are what the others replay (None when every one failed)."""
    while remaining:
        captured: list[str] = []
        outcome = _apply_timed(plan, remaining.pop(0), keys, "sql", captured)
        report([outcome])
        if outcome.ok:
            return captured
    return None
