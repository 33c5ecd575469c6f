"""A scratch database for the long proofs (bench/scale.py, load/run.py): made on the server that
DATABASE_URL names, prepared like a real platform (`platform_prepare`), filled with regions by
the real provisioning, and dropped at the end unless kept. Not a benchmark itself: run alone it
does nothing (`make bench` runs every bench/*.py)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def url_with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def database_admin(url: str, sql: str) -> None:
    """Run one statement in autocommit (CREATE/DROP DATABASE cannot run in a transaction)."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def database_exists(url: str, name: str) -> bool:
    import psycopg2

    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    conn.close()
    return found


def scratch_name(suffix: str) -> str:
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        raise SystemExit("DATABASE_URL is not set (make bench / make load set it)")
    return (urlsplit(base_url).path.lstrip("/") or "postgres") + f"_{suffix}"


@contextmanager
def scratch_database(suffix: str, *, keep: bool = False, reuse: bool = False) -> Iterator[str]:
    """Creates `<db>_<suffix>`, points DATABASE_URL at it, sets Django up and prepares the
    platform (public schema, registry, template); yields the URL; drops it afterwards.
    With `reuse`, a database of that name kept by an earlier run is used as it is (and kept)."""
    name = scratch_name(suffix)  # exits without DATABASE_URL
    base_url = os.environ["DATABASE_URL"]
    maintenance = url_with_database(base_url, "postgres")
    reused = reuse and database_exists(maintenance, name)
    keep = keep or reused
    if not reused:
        database_admin(maintenance, f'DROP DATABASE IF EXISTS "{name}"')
        database_admin(maintenance, f'CREATE DATABASE "{name}"')
    url = url_with_database(base_url, name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["TENANT_ROUTING_LISTEN"] = "0"
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        started = time.perf_counter()
        if reused:
            print(f"scratch database {name} reused as it is")
        else:
            call_command("platform_prepare", verbosity=0)
            print(f"scratch database {name} prepared in {time.perf_counter() - started:.1f} s")
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            database_admin(maintenance, f'DROP DATABASE IF EXISTS "{name}"')


def regions_provision(count: int, *, report_every: int = 100) -> list[str]:
    """Provisions `count` kabupaten/kota (registry order) through tenant_provision, as the
    console does; returns their schema names."""
    from provisioning.services import tenant_provision
    from tenants.db import schema_activate_public
    from tenants.models import Region, Tenant

    schema_activate_public()  # an in-process request may have left a region's search_path

    taken = set(Tenant.objects.values_list("region_id", flat=True))
    codes = [
        kode
        for kode in Region.objects.filter(tingkat=Region.Level.KABUPATEN_KOTA)
        .order_by("kode")
        .values_list("kode", flat=True)
        if kode not in taken
    ][:count]
    if len(codes) < count:
        codes += _synthetic_regions(count - len(codes))
    started = time.perf_counter()
    for done, kode in enumerate(codes, 1):
        tenant_provision(
            kode_wilayah=kode,
            admin_email=f"admin.{kode.replace('.', '')}@bench.example",
            requested_by=None,
        )
        if done % report_every == 0:
            print(f"  {done} regions provisioned, {time.perf_counter() - started:.0f} s")
    return [Tenant.schema_name_for(kode) for kode in codes]


def _synthetic_regions(count: int) -> list[str]:
    """Beyond the registry's 514 kabupaten/kota: registry rows under province codes that
    Indonesia does not use (40, 41, ...), in the scratch database only, so that 1,000 regions
    go through the same provisioning."""
    from tenants.models import Region

    codes: list[str] = []
    province = 40
    while len(codes) < count:
        parent, _created = Region.objects.get_or_create(
            kode=f"{province}",
            defaults={
                "nama": f"Provinsi Sintetis {province}",
                "tingkat": Region.Level.PROVINSI,
                "slug": f"prov-sintetis-{province}",
            },
        )
        for number in range(1, 100):
            if len(codes) == count:
                break
            kode = f"{province}.{number:02d}"
            Region.objects.get_or_create(
                kode=kode,
                defaults={
                    "nama": f"Kabupaten Sintetis {kode}",
                    "tingkat": Region.Level.KABUPATEN_KOTA,
                    "induk": parent,
                    "slug": f"sintetis-{province}{number:02d}",
                },
            )
            codes.append(kode)
        province += 1
    return codes


if __name__ == "__main__":
    pass
