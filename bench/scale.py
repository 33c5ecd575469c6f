"""Many regions on one PostgreSQL: what grows with the number of regions, and what must not.

In a scratch database (bench/scratch.py, dropped at the end) the platform is prepared and regions
are made by the real provisioning (tenant_provision; past the registry's 514 kabupaten/kota, on
synthetic registry rows). At each level of SCALE (default 10,100; e.g. SCALE=10,100,1000):

  - p50/p95 of a signed-in region home page and of a 20-row API list (/api/reference/rekening/
    ?limit=20, API token), requests spread over every region, in-process (Django's test client,
    one long-lived connection, as with DB_CONN_MAX_AGE > 0), after one warm-up pass that
    touches every region;
  - the same list with a new connection per request (DB_CONN_MAX_AGE=0);
  - the backend's memory (pg_backend_memory_contexts) after touching one region on a new
    connection and after touching every region on one connection: the price per connection of
    a long DB_CONN_MAX_AGE;
  - the catalog: relations in pg_class and the bytes of pg_catalog;
  - at the last level: a no-op rollout (the current version over every region) and one
    monitoring snapshot (snapshot_collect), timed.

Ratios against the first level are printed; targets (issue 15): p95 at the last level at most
1.2x the first, the no-op rollout under 2 s.

    SCALE=10,100 python bench/scale.py [--requests 300] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scratch import regions_provision, scratch_database  # noqa: E402

LIST = "/api/reference/rekening/?limit=20"


@dataclass
class Region:
    schema: str
    host: str
    token: str
    session: str


@dataclass
class Level:
    regions: int
    home: tuple[float, float]
    listing: tuple[float, float]
    listing_fresh: tuple[float, float]
    memory_one: int
    memory_all: int
    relations: int
    catalog_bytes: int


def _staff(schemas: list[str]) -> list[Region]:
    """A signed-in staff member (session and API token) in each new region."""
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts.models import RoleAssignment, User
    from apps.accounts.services import api_token_create
    from tenants.models import Tenant

    found = []
    for tenant in Tenant.objects.filter(schema_name__in=schemas):
        domain = tenant.get_primary_domain()
        assert domain is not None
        client = Client(HTTP_HOST=str(domain.domain))
        with schema_context(tenant.schema_name):
            user = User.objects.create_user(email="skala@bench.example")
            RoleAssignment.objects.create(user=user, role="bappeda")
            _token, raw = api_token_create(user=user, name="skala")
            client.force_login(user)
        session = str(client.cookies[settings.SESSION_COOKIE_NAME].value)
        found.append(Region(tenant.schema_name, str(domain.domain), raw, session))
    return found


def _get(region: Region, path: str) -> float:
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=region.host)
    headers: dict[str, str] = {}
    if path == "/":
        client.cookies[settings.SESSION_COOKIE_NAME] = region.session
    else:
        headers["Authorization"] = f"Token {region.token}"
    begin = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = time.perf_counter() - begin
    if response.status_code != 200:
        raise SystemExit(f"{region.host}{path}: {response.status_code}")
    return elapsed


def _percentiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=100)
    return statistics.median(times) * 1000, cuts[94] * 1000


def _backend_memory() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
        return int(cursor.fetchone()[0])


def _catalog() -> tuple[int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_class")
        relations = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'"
        )
        return relations, int(cursor.fetchone()[0])


def _measure(regions: list[Region], requests: int, rng: random.Random) -> Level:
    from django.db import connection

    from tenants.db import schema_activate_public

    connection.close()
    _get(regions[0], LIST)
    memory_one = _backend_memory()
    for region in regions:  # touch every region, on this one connection
        _get(region, "/")
        _get(region, LIST)
    memory_all = _backend_memory()
    picks = [rng.choice(regions) for _ in range(requests)]
    home = [_get(r, "/") for r in picks]
    listing = [_get(r, LIST) for r in picks]
    fresh = []
    for region in picks[: max(50, requests // 3)]:
        connection.close()  # DB_CONN_MAX_AGE=0: a new backend per request
        fresh.append(_get(region, LIST))
    relations, catalog_bytes = _catalog()
    schema_activate_public()
    return Level(
        regions=len(regions),
        home=_percentiles(home),
        listing=_percentiles(listing),
        listing_fresh=_percentiles(fresh),
        memory_one=memory_one,
        memory_all=memory_all,
        relations=relations,
        catalog_bytes=catalog_bytes,
    )


def _timed(action: Any) -> float:
    begin = time.perf_counter()
    action()
    return time.perf_counter() - begin


def _rollout_and_snapshot() -> tuple[float, float, dict[str, Any]]:
    from provisioning.services import rollouts
    from provisioning.services.monitoring import snapshot_collect
    from provisioning.services.versions import template_version_ensure
    from tenants.db import schema_activate_public

    schema_activate_public()
    version = template_version_ensure(notes="bench scale")
    summary: dict[str, Any] = {}

    def rollout() -> None:
        job = rollouts.rollout_create(template_version=version)
        summary.update(rollouts.rollout_run(job=job).summary)

    rollout_seconds = _timed(rollout)
    snapshot_seconds = _timed(snapshot_collect)
    return rollout_seconds, snapshot_seconds, summary


def _print(levels: list[Level]) -> None:
    mb = 1024 * 1024
    print(
        f"\n{'regions':>8} {'home p50/p95':>14} {'list p50/p95':>14} {'list new conn':>14} "
        f"{'mem 1 region':>13} {'mem all':>9} {'relations':>10} {'catalog':>9}"
    )
    for lv in levels:
        print(
            f"{lv.regions:>8} {lv.home[0]:>6.1f}/{lv.home[1]:<6.1f}ms "
            f"{lv.listing[0]:>6.1f}/{lv.listing[1]:<6.1f}ms "
            f"{lv.listing_fresh[0]:>6.1f}/{lv.listing_fresh[1]:<6.1f}ms "
            f"{lv.memory_one / mb:>10.1f} MB {lv.memory_all / mb:>6.1f} MB "
            f"{lv.relations:>10} {lv.catalog_bytes / mb:>6.0f} MB"
        )
    first, last = levels[0], levels[-1]
    print(f"\nratios, {last.regions} regions against {first.regions}:")
    print(f"  p95 home page       {last.home[1] / first.home[1]:.2f}x   (target <= 1.2x)")
    print(f"  p95 20-row list     {last.listing[1] / first.listing[1]:.2f}x   (target <= 1.2x)")
    print(
        f"  backend memory after touching every region: {last.memory_all / mb:.1f} MB, "
        f"{last.memory_all / last.memory_one:.1f}x a connection that touched one "
        f"({(last.memory_all - last.memory_one) / max(1, last.regions - 1) / 1024:.0f} kB per "
        f"further region): the cost DB_CONN_MAX_AGE keeps per connection"
    )
    print(
        f"  new connection per request (DB_CONN_MAX_AGE=0): list p95 "
        f"{last.listing_fresh[1]:.1f} ms, {last.listing_fresh[1] / last.listing[1]:.2f}x "
        f"the long-lived connection's"
    )
    print(
        f"  catalog: {last.relations / first.relations:.1f}x relations, "
        f"{last.catalog_bytes / first.catalog_bytes:.1f}x bytes"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/scale.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--requests", type=int, default=300, help="timed requests per kind")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    scales = sorted(int(s) for s in os.environ.get("SCALE", "10,100").split(",") if s.strip())
    rng = random.Random(15)
    levels: list[Level] = []
    with scratch_database("scale", keep=args.keep):
        regions: list[Region] = []
        for target in scales:
            started = time.perf_counter()
            schemas = regions_provision(target - len(regions))
            regions += _staff(schemas)
            print(
                f"{len(regions)} regions ({len(schemas)} provisioned in "
                f"{time.perf_counter() - started:.1f} s)"
            )
            levels.append(_measure(regions, args.requests, rng))
        _print(levels)
        rollout_s, snapshot_s, summary = _rollout_and_snapshot()
        print(
            f"\nat {len(regions)} regions: no-op rollout {rollout_s:.2f} s (target < 2 s) "
            f"{summary}; monitoring snapshot {snapshot_s:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
