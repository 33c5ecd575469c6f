"""Many regions on one PostgreSQL: what grows with the number of regions, and what must not.

Each level of SCALE (default 10,100; e.g. SCALE=10,100,1000) gets its own scratch database
(bench/scratch.py: `<db>_scale<N>`, dropped at the end unless --keep; --reuse takes one kept by an
earlier run and provisions only the regions it lacks), prepared like a real platform and filled by
the real provisioning (tenant_provision; past the registry's 514 kabupaten/kota, on synthetic
registry rows). Every level is served by its own worker process (Django's test client, in-process,
one long-lived connection, as with DB_CONN_MAX_AGE > 0, the routing listener on as deployed) that
first touches every region once. Then, so that the load of a shared machine falls on every level
alike, the levels take turns: ROUNDS rounds, each level in turn (rotating the order), each round
REQUESTS signed-in region home pages and as many 20-row API lists
(/api/reference/rekening/?limit=20, API token), alternating, over regions picked at random. Printed
per level:

  - p50/p95 of the home page and of the list over all rounds, and the spread of the per-round
    p95 (min-max); ORM statements per request;
  - the list with a new connection per request (DB_CONN_MAX_AGE=0);
  - the backend's memory (pg_backend_memory_contexts) after touching one region on a new
    connection and after touching every region on one connection: the price per connection of
    a long DB_CONN_MAX_AGE;
  - the catalog: relations in pg_class and the bytes of pg_catalog;
  - at the last level: a no-op rollout (the current version over every region) and one
    monitoring snapshot (snapshot_collect), each timed twice (the first snapshot verifies every
    audit chain in full, the next only what moved).

Ratios against the first level are printed: of the pooled p95, and the median and range of the
per-round ratios (round r of the last level against round r of the first). Targets (issue 15):
p95 at the last level at most 1.2x the first, the no-op rollout under 2 s.

    SCALE=10,100 python bench/scale.py [--rounds 5] [--requests 100] [--keep] [--reuse]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scratch import regions_provision, scratch_database  # noqa: E402

LIST = "/api/reference/rekening/?limit=20"
STAFF_EMAIL = "skala@bench.example"


@dataclass
class Region:
    schema: str
    host: str
    token: str
    session: str


@dataclass
class Level:
    regions: int
    facts: dict[str, Any]
    home: list[float] = field(default_factory=list)
    listing: list[float] = field(default_factory=list)
    round_p95: dict[str, list[float]] = field(default_factory=lambda: {"home": [], "list": []})
    statements: int = 0
    requests: int = 0
    fresh: list[float] = field(default_factory=list)


# --- inside a worker: one level's database, one long-lived connection ----------------------------


def _staff() -> list[Region]:
    """A signed-in staff member (new session and API token) in every region."""
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts.models import RoleAssignment, User
    from apps.accounts.services import api_token_create
    from tenants.models import Tenant

    found = []
    for tenant in Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE).order_by("id"):
        domain = tenant.get_primary_domain()
        assert domain is not None
        client = Client(HTTP_HOST=str(domain.domain))
        with schema_context(tenant.schema_name):
            user, created = User.objects.get_or_create(email=STAFF_EMAIL)
            if created:
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


def _scalar(sql: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def _warm(regions: list[Region]) -> dict[str, Any]:
    """Memory of a new connection that touched one region, then of the same connection after
    touching every region (which also warms it for the rounds); the catalog's size."""
    from django.db import connection

    from tenants.db import schema_activate_public

    memory = "SELECT sum(total_bytes) FROM pg_backend_memory_contexts"
    connection.close()
    _get(regions[0], LIST)
    memory_one = _scalar(memory)
    for region in regions:
        _get(region, "/")
        _get(region, LIST)
    memory_all = _scalar(memory)
    schema_activate_public()
    return {
        "memory_one": memory_one,
        "memory_all": memory_all,
        "relations": _scalar("SELECT count(*) FROM pg_class"),
        "catalog_bytes": _scalar(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'"
        ),
    }


def _round(regions: list[Region], seed: int, requests: int) -> dict[str, Any]:
    from django.db import connection

    counted = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted[0] += 1
        return execute(sql, params, many, context)

    rng = random.Random(seed)
    home, listing = [], []
    with connection.execute_wrapper(count):
        for _ in range(requests):
            home.append(_get(rng.choice(regions), "/"))
            listing.append(_get(rng.choice(regions), LIST))
    return {"home": home, "list": listing, "statements": counted[0]}


def _fresh(regions: list[Region], seed: int, requests: int) -> list[float]:
    from django.db import connection

    rng = random.Random(seed)
    times = []
    for _ in range(requests):
        connection.close()  # DB_CONN_MAX_AGE=0: a new backend per request
        times.append(_get(rng.choice(regions), LIST))
    connection.close()
    return times


def _rollout_and_snapshot() -> dict[str, Any]:
    from provisioning.services import rollouts
    from provisioning.services.monitoring import snapshot_collect
    from provisioning.services.versions import template_version_ensure
    from tenants.db import schema_activate_public

    schema_activate_public()
    version = template_version_ensure(notes="bench scale")
    found: dict[str, Any] = {"rollout": [], "snapshot": []}
    for _ in range(2):
        begin = time.perf_counter()
        job = rollouts.rollout_create(template_version=version)
        found["summary"] = rollouts.rollout_run(job=job).summary
        found["rollout"].append(time.perf_counter() - begin)
    for _ in range(2):
        begin = time.perf_counter()
        snapshot_collect()
        found["snapshot"].append(time.perf_counter() - begin)
    return found


def _worker(target: int, keep: bool, reuse: bool, pipe: Connection) -> None:
    """Serve one level: prepare its database, warm up, then answer the coordinator's commands."""
    with scratch_database(f"scale{target}", keep=keep, reuse=reuse):
        from tenants.models import Tenant

        started = time.perf_counter()
        have = Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE).count()
        regions_provision(max(0, target - have))
        made = time.perf_counter() - started
        regions = _staff()
        # As deployed: routes live until a change notice (scratch turns the listener off for
        # the provisioning above).
        from django.conf import settings

        settings.TENANT_ROUTING_LISTEN = True
        facts = _warm(regions)
        facts.update(regions=len(regions), provisioned=max(0, target - have), seconds=made)
        pipe.send(facts)
        while True:
            command, *args = pipe.recv()
            if command == "round":
                pipe.send(_round(regions, *args))
            elif command == "fresh":
                pipe.send(_fresh(regions, *args))
            elif command == "rollout_snapshot":
                pipe.send(_rollout_and_snapshot())
            else:
                pipe.send(None)
                return


# --- the coordinator ------------------------------------------------------------------------------


def _p(times: list[float], q: int) -> float:
    return statistics.quantiles(times, n=100)[q - 1] * 1000 if len(times) > 1 else 0.0


def _print(levels: list[Level]) -> None:
    mb = 1024 * 1024
    print(
        f"\n{'regions':>8} {'home p50/p95':>15} {'(round p95)':>13} {'list p50/p95':>15} "
        f"{'(round p95)':>13} {'stmt/req':>8} {'list new conn':>15} {'mem 1 / all':>15} "
        f"{'relations':>10} {'catalog':>8}"
    )
    for lv in levels:
        hr, lr = lv.round_p95["home"], lv.round_p95["list"]
        print(
            f"{lv.regions:>8} {_p(lv.home, 50):>6.1f}/{_p(lv.home, 95):<6.1f}ms "
            f"{min(hr):>5.0f}-{max(hr):<5.0f}ms "
            f"{_p(lv.listing, 50):>6.1f}/{_p(lv.listing, 95):<6.1f}ms "
            f"{min(lr):>5.0f}-{max(lr):<5.0f}ms "
            f"{lv.statements / max(1, lv.requests):>8.2f} "
            f"{_p(lv.fresh, 50):>6.1f}/{_p(lv.fresh, 95):<6.1f}ms "
            f"{lv.facts['memory_one'] / mb:>5.1f}/{lv.facts['memory_all'] / mb:<5.1f}MB "
            f"{lv.facts['relations']:>10} {lv.facts['catalog_bytes'] / mb:>6.0f}MB"
        )
    first, last = levels[0], levels[-1]
    print(f"\nratios, {last.regions} regions against {first.regions}:")
    for kind, label, lt, ft in (
        ("home", "home page  ", last.home, first.home),
        ("list", "20-row list", last.listing, first.listing),
    ):
        per_round = [
            a / b for a, b in zip(last.round_p95[kind], first.round_p95[kind], strict=True)
        ]
        print(
            f"  p95 {label}  {_p(lt, 95) / _p(ft, 95):.2f}x pooled; per round median "
            f"{statistics.median(per_round):.2f}x (range {min(per_round):.2f}-"
            f"{max(per_round):.2f}x)   (target <= 1.2x)"
        )
    f_one, f_all = last.facts["memory_one"], last.facts["memory_all"]
    print(
        f"  backend memory after touching every region: {f_all / mb:.1f} MB, "
        f"{f_all / f_one:.1f}x a connection that touched one "
        f"({(f_all - f_one) / max(1, last.regions - 1) / 1024:.0f} kB per further region): "
        f"the cost DB_CONN_MAX_AGE keeps per connection"
    )
    print(
        f"  new connection per request (DB_CONN_MAX_AGE=0): list p95 {_p(last.fresh, 95):.1f} "
        f"ms, {_p(last.fresh, 95) / _p(last.listing, 95):.2f}x the long-lived connection's"
    )
    print(
        f"  catalog: {last.facts['relations'] / first.facts['relations']:.1f}x relations, "
        f"{last.facts['catalog_bytes'] / first.facts['catalog_bytes']:.1f}x bytes"
    )


def _rounds(workers: list[Connection], levels: list[Level], rounds: int, requests: int) -> None:
    """Every round, each level in turn (the order rotates); same picks' seed for every level."""
    for number in range(rounds):
        order = list(range(len(levels)))
        order = order[number % len(order) :] + order[: number % len(order)]
        for index in order:
            workers[index].send(("round", 1000 + number, requests))
            answer = workers[index].recv()
            level = levels[index]
            level.home += answer["home"]
            level.listing += answer["list"]
            level.round_p95["home"].append(_p(answer["home"], 95))
            level.round_p95["list"].append(_p(answer["list"], 95))
            level.statements += answer["statements"]
            level.requests += 2 * requests
        print(f"  round {number + 1}/{rounds} done", flush=True)
    for index, pipe in enumerate(workers):
        pipe.send(("fresh", 7, max(30, requests // 2)))
        levels[index].fresh = pipe.recv()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/scale.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds, each level in turn")
    parser.add_argument("--requests", type=int, default=100, help="requests per kind per round")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    parser.add_argument("--reuse", action="store_true", help="use scratch databases kept before")
    args = parser.parse_args(argv)
    scales = sorted({int(s) for s in os.environ.get("SCALE", "10,100").split(",") if s.strip()})
    if len(scales) < 2:
        parser.error("SCALE needs at least two levels, e.g. SCALE=10,100")
    spawn = multiprocessing.get_context("spawn")
    workers: list[Connection] = []
    processes = []
    levels: list[Level] = []
    try:
        for target in scales:
            mine, theirs = spawn.Pipe()
            process = spawn.Process(target=_worker, args=(target, args.keep, args.reuse, theirs))
            process.start()
            facts = mine.recv()
            print(
                f"{facts['regions']} regions ready ({facts['provisioned']} provisioned in "
                f"{facts['seconds']:.1f} s)",
                flush=True,
            )
            workers.append(mine)
            processes.append(process)
            levels.append(Level(regions=facts["regions"], facts=facts))
        _rounds(workers, levels, args.rounds, args.requests)
        _print(levels)
        workers[-1].send(("rollout_snapshot",))
        found = workers[-1].recv()
        print(
            f"\nat {levels[-1].regions} regions: no-op rollout "
            f"{' / '.join(f'{s:.2f}' for s in found['rollout'])} s (target < 2 s) "
            f"{found['summary']}; monitoring snapshot first / next "
            f"{' / '.join(f'{s:.2f}' for s in found['snapshot'])} s"
        )
    finally:
        for pipe in workers:
            pipe.send(("stop",))
            pipe.recv()
        for process in processes:
            process.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
