"""Provisioning one region: catalog clone vs django-tenants' clone_schema vs the vanilla path.

In a scratch database made for the run (on the server DATABASE_URL names, dropped at the end):
public schema, region registry, the master template with the starter reference data. Then, on the
same template, the median wall time (commit included) of:

  1. provisioning.services.tenant_provision: the whole job (tenant row, catalog clone, kecamatan
     and desa, domain, first admin, activation), serialised by the advisory lock;
  2. provisioning.clone.schema_clone alone (the schema copy inside step 1);
  3. django-tenants' own clone_schema of the same template (django_tenants.clone.CloneSchema);
  4. the vanilla path: register, create the schema, run every migration, load the reference data.

Targets: (1) <= 0.15 s, >= 2.5x faster than (3), >= 4x faster than (4). Figures and ratios printed.

The paths run round robin (one run of each in turn) so that the machine's load, which varies on a
shared 2-core machine, weighs on every path alike.

    python bench/provision.py [--runs 9] [--keep]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/provision.py`
    sys.path.insert(0, str(ROOT))

from bench.scratch import database_admin as _admin  # noqa: E402
from bench.scratch import url_with_database as _scratch_url  # noqa: E402

KODE = "72.10"  # Kabupaten Sigi
TARGET_SECONDS = 0.15


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/provision.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=9, help="timed runs per path (default 9)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)

    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        parser.error("DATABASE_URL is not set (make bench sets it)")
    scratch = (urlsplit(base_url).path.lstrip("/") or "postgres") + "_bench_provision"
    maintenance = _scratch_url(base_url, "postgres")
    _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')
    _admin(maintenance, f'CREATE DATABASE "{scratch}"')
    os.environ["DATABASE_URL"] = _scratch_url(base_url, scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["TENANT_ROUTING_LISTEN"] = "0"
    try:
        return _run(args.runs)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')


def _run(runs: int) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_tenants.clone import CloneSchema
    from django_tenants.utils import schema_context

    from apps.reference.services import reference_release_load
    from provisioning.clone import plan_cache_clear, schema_clone
    from provisioning.models import ProvisioningJob
    from provisioning.services import template_version_record, tenant_provision
    from tenants.models import Domain, Tenant
    from tests.support import tenant_create_migrated

    template = settings.TEMPLATE_SCHEMA_NAME
    print("preparing the scratch database (migrations, registry, template, reference data)...")
    started = time.perf_counter()
    call_command("platform_prepare", verbosity=0)
    template_version_record(notes="bench")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'",
            [template],
        )
        names = [r[0] for r in cursor.fetchall()]
        tables, rows = len(names), 0
        for name in names:
            cursor.execute(f'SELECT count(*) FROM "{template}"."{name}"')
            rows += int(cursor.fetchone()[0])
    print(
        f"  ready in {time.perf_counter() - started:.1f} s: template {template}, "
        f"{tables} tables, {rows} rows\n"
    )

    schema = Tenant.schema_name_for(KODE)

    def cleanup() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        Domain.objects.filter(tenant__region_id=KODE).delete()
        Tenant.objects.filter(region_id=KODE).delete()
        ProvisioningJob.objects.filter(region_id=KODE).delete()

    def timed(action: Callable[[], object]) -> float:
        cleanup()
        begin = time.perf_counter()
        action()
        elapsed = time.perf_counter() - begin
        cleanup()
        return elapsed

    def provision() -> float:
        return timed(
            lambda: tenant_provision(
                kode_wilayah=KODE, admin_email="admin@sigi.example", requested_by=None
            )
        )

    def clone_only() -> float:
        def action() -> None:
            with transaction.atomic():
                schema_clone(source=template, target=schema)

        return timed(action)

    def django_tenants_clone() -> float:
        def action() -> None:
            with transaction.atomic():
                CloneSchema().clone_schema(template, schema)

        return timed(action)

    def vanilla() -> float:
        def action() -> None:
            tenant_create_migrated(kode=KODE)
            with schema_context(schema):
                reference_release_load()

        return timed(action)

    plan_cache_clear()
    cold = provision()
    print(f"first provisioning (DDL generated from the catalog, then cached): {cold * 1000:.1f} ms")
    paths: list[tuple[str, Callable[[], float]]] = [
        ("tenant_provision (whole job)", provision),
        ("schema_clone alone", clone_only),
        ("django-tenants clone_schema", django_tenants_clone),
        ("vanilla: migrate + load reference", vanilla),
    ]
    for _label, fn in paths:
        fn()  # warm-up, not counted
    # Round robin: a change in the machine's load touches every path alike, not one of them.
    times: dict[str, list[float]] = {label: [] for label, _fn in paths}
    for _ in range(runs):
        for label, fn in paths:
            times[label].append(fn())
    results: dict[str, tuple[float, list[float]]] = {}
    for label, _fn in paths:
        results[label] = (statistics.median(times[label]), times[label])
        spread = ", ".join(f"{t * 1000:.0f}" for t in times[label])
        print(
            f"{label:<36} median {results[label][0] * 1000:7.1f} ms, "
            f"best {min(times[label]) * 1000:7.1f} ms   runs (ms): {spread}"
        )

    ours = results["tenant_provision (whole job)"][0]
    clone = results["schema_clone alone"][0]
    dt = results["django-tenants clone_schema"][0]
    van = results["vanilla: migrate + load reference"][0]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    best = {label: min(values) for label, values in times.items()}
    print()
    print(
        "best of each (least disturbed by other load): provisioning "
        f"{best['tenant_provision (whole job)']:.3f} s, clone {best['schema_clone alone']:.3f} s, "
        f"django-tenants {best['django-tenants clone_schema']:.3f} s, "
        f"vanilla {best['vanilla: migrate + load reference']:.3f} s"
    )
    print(f"PostgreSQL {version}, {runs} runs per path, medians:")
    print(
        f"  provisioning {ours:.3f} s (target <= {TARGET_SECONDS} s: "
        f"{'met' if ours <= TARGET_SECONDS else 'NOT met'})"
    )
    print(
        f"  vs django-tenants clone_schema {dt:.3f} s: {dt / ours:.1f}x faster "
        f"(target >= 2.5x: {'met' if dt / ours >= 2.5 else 'NOT met'}); "
        f"clone alone {dt / clone:.1f}x"
    )
    print(
        f"  vs vanilla {van:.3f} s: {van / ours:.1f}x faster "
        f"(target >= 4x: {'met' if van / ours >= 4 else 'NOT met'}); clone alone {van / clone:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
