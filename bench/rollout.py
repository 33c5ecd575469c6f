"""Template rollout over many region schemas against django-tenants' migrate_schemas.

In a scratch database made for the run (on the server DATABASE_URL names, dropped at the end) with
a throw-away tenant app `rollout_bench_probe` (made in a temporary directory, 0001 creates a table):

  1. prepare: public schema, the master template, N region schemas made by provisioning's own
     clone of the template (provisioning.clone.schema_clone, what every real region goes
     through; `--clone like` for quick LIKE copies) and their Tenant rows;
  2. nothing to migrate: a rollout of the current version (one query over every schema's
     django_migrations; every region skipped), against `migrate_schemas --tenant` with
     django-tenants' standard (sequential) executor and its multiprocessing executor;
  3. one new migration: 0002 adds a column; the rollout (SQL captured once, replayed per schema in
     parallel, one transaction per schema) against the same two executors, the column and its
     django_migrations rows removed again before every run.

Every measurement is repeated (`--runs`, paths in rotating order so the machine's load weighs on
each alike) and taken twice: cold (a new database connection, PostgreSQL's per-connection
catalog cache empty) and warm (after one query has touched every schema's tables). Medians,
and ratios against each baseline, are printed. Targets: (2) rollout < 1 s; (3) < 3 s and >= 10x
faster than the sequential executor.

    python bench/rollout.py [--schemas 200] [--runs 3] [--threads 4] [--keep]
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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
TENANT_MULTIPROCESSING_MAX_PROCESSES = {threads}
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


def _migrate_schemas(executor: str) -> None:
    from django.core.management import call_command

    call_command("migrate_schemas", tenant=True, executor=executor, interactive=False, verbosity=0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/rollout.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--schemas", type=int, default=200, help="region schemas (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each path (default 3)")
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
        default="provisioning",
        help="how region schemas are made: provisioning.clone.schema_clone (default, what real "
        "regions go through) or LIKE copies of the template's tables (quick look)",
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

    schemas = [f"{SCHEMA_PREFIX}{i:04d}" for i in range(n)]
    column_sql = (
        "SELECT count(*) FROM information_schema.columns WHERE table_schema LIKE %s "
        "AND table_name = 'rollout_bench_probe_probe' AND column_name = 'note'"
    )

    def columns() -> int:
        with connection.cursor() as cursor:
            cursor.execute(column_sql, [SCHEMA_PREFIX + "%"])
            return int(cursor.fetchone()[0])

    def warm_up() -> None:
        """Touch every region's tables once on this connection (PostgreSQL's catalog cache)."""
        rollout.plan_build(schemas)
        with connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(
                    f'SELECT count(*) FROM "{s}".rollout_bench_probe_probe' for s in schemas
                )
            )

    def timed(work: Callable[[], object], warm: bool) -> float:
        connection.close()
        if warm:
            warm_up()
        begin = time.perf_counter()
        work()
        return time.perf_counter() - begin

    def rollout_of(version: Any) -> Callable[[], object]:
        def run() -> None:
            job = services.rollout_run(job=services.rollout_create(template_version=version))
            assert set(job.summary) <= {RolloutItem.Status.SKIPPED, RolloutItem.Status.DONE}, (
                job.summary
            )

        return run

    def reset() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                ";".join(
                    f'ALTER TABLE "{s}".rollout_bench_probe_probe DROP COLUMN IF EXISTS note; '
                    f'DELETE FROM "{s}".django_migrations '
                    f"WHERE app = '{APP}' AND name = '0002_probe_note'"
                    for s in schemas
                )
            )

    results: dict[tuple[str, str, str], list[float]] = {}

    def measure(
        case: str, paths: dict[str, Callable[[], object]], before: Callable[[], None]
    ) -> None:
        names = list(paths)
        for run in range(args.runs):
            order = names[run % len(names) :] + names[: run % len(names)]
            for name in order:
                for warmth in ("cold", "warm"):
                    before()
                    seconds = timed(paths[name], warmth == "warm")
                    results.setdefault((case, name, warmth), []).append(seconds)
            print(f"  {case}: run {run + 1}/{args.runs} done", flush=True)

    baselines: dict[str, Callable[[], object]] = {}
    if not args.skip_baseline:
        baselines = {
            "migrate_schemas (sequential)": lambda: _migrate_schemas("standard"),
            "migrate_schemas (multiprocessing)": lambda: _migrate_schemas("multiprocessing"),
        }
    measure("nothing to migrate", {"rollout": rollout_of(v1), **baselines}, lambda: None)

    (workdir / APP / "migrations" / "0002_probe_note.py").write_text(ADD_COLUMN)
    importlib.invalidate_caches()
    v2 = services.template_version_publish(label="bench-v2")
    measure("add one column", {"rollout": rollout_of(v2), **baselines}, reset)
    reset()
    rollout_of(v2)()
    assert columns() == n, columns()

    _report(results, n, settings.OPERATIONS_ROLLOUT_THREADS)
    return 0


def _report(results: dict[tuple[str, str, str], list[float]], n: int, threads: int) -> None:
    medians = {key: statistics.median(values) for key, values in results.items()}
    print(f"\nmedians over {n} schemas ({threads} threads / processes):")
    for case in ("nothing to migrate", "add one column"):
        for warmth in ("cold", "warm"):
            ours = medians[(case, "rollout", warmth)]
            line = f"  {case:19s} {warmth}  rollout {ours * 1000:8.0f} ms"
            for (other_case, name, other_warmth), value in medians.items():
                if other_case == case and other_warmth == warmth and name != "rollout":
                    line += f" | {name} {value * 1000:7.0f} ms ({value / ours:5.1f}x)"
            print(line)
    noop = medians[("nothing to migrate", "rollout", "cold")]
    add = medians[("add one column", "rollout", "cold")]
    print(f"  target: nothing to migrate < 1000 ms (cold): {'ok' if noop < 1 else 'MISSED'}")
    print(f"  target: add one column < 3000 ms (cold): {'ok' if add < 3 else 'MISSED'}")
    sequential = medians.get(("add one column", "migrate_schemas (sequential)", "cold"))
    if sequential is not None:
        ratio = sequential / add
        print(f"  target: >= 10x the sequential executor (cold): {ratio:.1f}x", end=" ")
        print("ok" if ratio >= 10 else "MISSED")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
