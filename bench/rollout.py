"""Template rollout over many region schemas against django-tenants' migrate_schemas.

In a scratch database made for the run (on the server DATABASE_URL names, dropped at the end) with
a throw-away tenant app `rollout_bench_probe` (made in a temporary directory, 0001 creates a table):

  1. prepare: public schema, the master template, N region schemas cloned from the template
     (provisioning.clone when it works, else a LIKE-based copy) and their Tenant rows;
  2. fast, nothing to migrate: a rollout of the current version (one query over every schema's
     django_migrations; every region skipped);
  3. fast, one new migration: 0002 adds a column; publish a version and roll it out (SQL captured
     once, replayed per schema in parallel, one transaction per schema);
  4. baseline: the column and its django_migrations rows removed again, then
     `migrate_schemas --tenant` (django-tenants' standard executor) on the same schemas; then once
     more with nothing to migrate.

Targets: (2) < 1 s; (3) < 3 s and >= 10x faster than (4). Figures and ratios are printed.

    python bench/rollout.py [--schemas 550] [--threads 4] [--keep]
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/rollout.py`
    sys.path.insert(0, str(ROOT))

APP = "rollout_bench_probe"
SCHEMA_PREFIX = "bench_roll_"

MODELS = """
from django.db import models


class Probe(models.Model):
    name = models.CharField(max_length=50)
"""

INITIAL = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Probe",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50)),
            ],
        )
    ]
"""

ADD_COLUMN = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("rollout_bench_probe", "0001_initial")]
    operations = [
        migrations.AddField("probe", "note", models.CharField(max_length=50, null=True)),
    ]
"""

SETTINGS = """
from saas.settings.base import *  # noqa: F403

INSTALLED_APPS = INSTALLED_APPS + ["rollout_bench_probe"]  # noqa: F405
TENANT_APPS = TENANT_APPS + ["rollout_bench_probe"]  # noqa: F405
DATABASES["default"]["NAME"] = {database!r}  # noqa: F405
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
TENANT_ROUTING_LISTEN = False
OPERATIONS_INPROCESS_BEAT = False
OPERATIONS_ROLLOUT_THREADS = {threads}
LOGGING = {{"version": 1, "disable_existing_loggers": False}}
"""


def _admin_connection(url: str) -> Any:
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        # The embedded server is reached through a socket directory given as ?host=...
        host=config.get("HOST") or config.get("OPTIONS", {}).get("host") or None,
        port=config.get("PORT") or None,
    )
    conn.autocommit = True
    return conn, str(config["NAME"])


def _write_app(directory: Path, database: str, threads: int) -> None:
    package = directory / APP
    (package / "migrations").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(MODELS)
    (package / "migrations" / "__init__.py").write_text("")
    (package / "migrations" / "0001_initial.py").write_text(INITIAL)
    (directory / "rollout_bench_settings.py").write_text(
        SETTINGS.format(database=database, threads=threads)
    )


def _clone_all(count: int, template: str, how: str) -> str:
    """Create the region schemas; returns which method did it."""
    from django.db import connection, transaction

    names = [f"{SCHEMA_PREFIX}{i:04d}" for i in range(count)]
    try:
        if how != "provisioning":
            raise LookupError("LIKE copies asked for")
        from provisioning.clone import schema_clone

        with transaction.atomic():
            schema_clone(source=template, target=names[0])
        method = "provisioning.clone.schema_clone"
        start = 1
    except Exception as exc:  # H5's clone missing or refusing: a plain structural copy
        if how == "provisioning":
            print(f"  (provisioning clone unavailable: {exc!r}; using LIKE copies)")
        method = "CREATE TABLE ... (LIKE ... INCLUDING ALL)"
        start = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind = 'r'",
            [template],
        )
        tables = [row[0] for row in cursor.fetchall()]
    for name in names[start:]:
        if method.startswith("provisioning"):
            from provisioning.clone import schema_clone

            with transaction.atomic():
                schema_clone(source=template, target=name)
            continue
        script = [f'CREATE SCHEMA "{name}"']
        script += [
            f'CREATE TABLE "{name}"."{t}" (LIKE "{template}"."{t}" INCLUDING ALL)' for t in tables
        ]
        script += [
            f'INSERT INTO "{name}".django_migrations SELECT * FROM "{template}".django_migrations',
            f"SELECT setval(pg_get_serial_sequence('\"{name}\".django_migrations', 'id'), "
            f'(SELECT max(id) FROM "{name}".django_migrations))',
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(";\n".join(script))
    return method


def _migrate_schemas_seconds() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/rollout.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--schemas", type=int, default=550, help="region schemas (default 550)")
    parser.add_argument("--threads", type=int, default=4, help="rollout threads (default 4)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch database (for inspection)"
    )
    parser.add_argument(
        "--skip-baseline", action="store_true", help="do not run migrate_schemas (quick look)"
    )
    parser.add_argument(
        "--clone",
        choices=["like", "provisioning"],
        default="like",
        help="how region schemas are made: LIKE copies of the template's tables and its "
        "django_migrations rows (default, fast) or provisioning.clone.schema_clone (full copy)",
    )
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        parser.error("DATABASE_URL is required (make bench provides one)")

    admin, base_name = _admin_connection(url)
    database = f"{base_name}_rollout_bench"[:63]
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}"')
        cursor.execute(f'CREATE DATABASE "{database}"')
    workdir = Path(tempfile.mkdtemp(prefix="berbagi-bench-rollout-"))
    try:
        return _run(args, database, workdir)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, database: str, workdir: Path) -> int:
    _write_app(workdir, database, args.threads)
    sys.path.insert(0, str(workdir))
    os.environ["DJANGO_SETTINGS_MODULE"] = "rollout_bench_settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from provisioning import services
    from provisioning.models import RolloutItem
    from tenants.models import Tenant
    from tenants.services import template_ensure

    n = args.schemas
    print(f"rollout bench: {n} region schemas, {args.threads} threads, database {database}")
    started = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    template = template_ensure()
    v1 = services.template_version_publish(label="bench-v1")
    cloning = time.perf_counter()
    method = _clone_all(n, template.schema_name, args.clone)
    cloned = time.perf_counter() - cloning
    Tenant.objects.bulk_create(
        [
            Tenant(
                schema_name=f"{SCHEMA_PREFIX}{i:04d}",
                name=f"Bench {i}",
                kind=Tenant.Kind.KABUPATEN,
                slug=f"bench-roll-{i:04d}",
                status=Tenant.Status.ACTIVE,
                template_version=v1,
            )
            for i in range(n)
        ]
    )
    print(
        f"  prepared in {time.perf_counter() - started:.1f}s, of which {cloned:.1f}s for the "
        f"schemas ({method})"
    )

    from provisioning import rollout

    def fast_rollout(version: Any) -> tuple[float, dict[str, int]]:
        begin = time.perf_counter()
        job = services.rollout_create(template_version=version)
        job = services.rollout_run(job=job)
        return time.perf_counter() - begin, dict(job.summary)

    schemas = [f"{SCHEMA_PREFIX}{i:04d}" for i in range(n)]
    connection.close()
    begin = time.perf_counter()
    rollout.plan_build(schemas)
    plan_cold = time.perf_counter() - begin
    begin = time.perf_counter()
    rollout.plan_build(schemas)
    plan_warm = time.perf_counter() - begin
    print(
        f"  planning query over {n} schemas: {plan_cold * 1000:.0f} ms on a new connection "
        f"(PostgreSQL loads {n} tables' metadata), {plan_warm * 1000:.0f} ms after"
    )
    connection.close()
    noop_cold, _ = fast_rollout(v1)
    noop_fast, noop_summary = fast_rollout(v1)
    assert noop_summary == {RolloutItem.Status.SKIPPED: n}, noop_summary
    print(f"  nothing-to-migrate rollout on a new connection: {noop_cold * 1000:.0f} ms")

    (workdir / APP / "migrations" / "0002_probe_note.py").write_text(ADD_COLUMN)
    importlib.invalidate_caches()
    v2 = services.template_version_publish(label="bench-v2")
    add_fast, add_summary = fast_rollout(v2)
    assert add_summary == {RolloutItem.Status.DONE: n}, add_summary
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE %s "
            "AND table_name = 'rollout_bench_probe_probe' AND column_name = 'note'",
            [SCHEMA_PREFIX + "%"],
        )
        migrated = cursor.fetchone()[0]
    assert migrated == n, migrated

    # The same migration again, through django-tenants' standard executor.
    with connection.cursor() as cursor:
        for i in range(n):
            schema = f'"{SCHEMA_PREFIX}{i:04d}"'
            cursor.execute(
                f"ALTER TABLE {schema}.rollout_bench_probe_probe DROP COLUMN note; "
                f"DELETE FROM {schema}.django_migrations "
                f"WHERE app = '{APP}' AND name = '0002_probe_note'"
            )
    connection.close()
    if args.skip_baseline:
        print(
            f"nothing to migrate {noop_fast * 1000:.0f} ms, add one column {add_fast * 1000:.0f} ms"
        )
        return 0
    add_baseline = _migrate_schemas_seconds()
    connection.close()
    noop_baseline = _migrate_schemas_seconds()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE %s "
            "AND table_name = 'rollout_bench_probe_probe' AND column_name = 'note'",
            [SCHEMA_PREFIX + "%"],
        )
        assert cursor.fetchone()[0] == n

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(
        textwrap.dedent(
            f"""
            nothing to migrate  rollout        {noop_fast * 1000:8.0f} ms   target < 1000 ms: {verdict(noop_fast < 1)}
                                migrate_schemas {noop_baseline * 1000:7.0f} ms   ratio {noop_baseline / noop_fast:6.1f}x
            add one column      rollout        {add_fast * 1000:8.0f} ms   target < 3000 ms: {verdict(add_fast < 3)}
                                migrate_schemas {add_baseline * 1000:7.0f} ms   ratio {add_baseline / add_fast:6.1f}x   target >= 10x: {verdict(add_baseline / add_fast >= 10)}
            per schema          rollout {add_fast / n * 1000:.2f} ms, migrate_schemas {add_baseline / n * 1000:.1f} ms ({settings.OPERATIONS_ROLLOUT_THREADS} threads)
            """  # noqa: E501
        ).rstrip()
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
