"""`make load`: 50 concurrent users across 20 regions for 60 s against gunicorn on loopback,
then every acknowledged write looked up in the database.

In a scratch database (bench/scratch.py): the platform prepared, 20 regions made by the real
provisioning, a staff user with every role and an API token in each. gunicorn serves it on
127.0.0.1; locust (headless, load/locustfile.py) mixes reads and writes, bounded by time and by
a request count. Printed: requests, failures, throughput, p50/p95/p99 (ms), then the check:
each acknowledged write exactly once in its own region and in no other. Exit status 1 on any
failed request or any lost, doubled or misplaced write.

    python load/run.py [--users 50] [--regions 20] [--seconds 60] [--max-requests 100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scratch import regions_provision, scratch_database  # noqa: E402

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _credentials(schemas: list[str]) -> list[dict[str, str]]:
    """A user with every role and an API token in each region."""
    from django_tenants.utils import schema_context

    from apps.accounts.models import OPD_BOUND_ROLES, Role, RoleAssignment, User
    from apps.accounts.services import api_token_create
    from tenants.models import Tenant

    found = []
    for tenant in Tenant.objects.filter(schema_name__in=schemas):
        domain = tenant.get_primary_domain()
        assert domain is not None
        with schema_context(tenant.schema_name):
            user = User.objects.create_user(email="beban@load.example")
            for role in Role.values:
                opd = "1.02.0.00.0.00.01.0000" if role in OPD_BOUND_ROLES else ""
                RoleAssignment.objects.create(user=user, role=role, opd_code=opd)
            _token, raw = api_token_create(user=user, name="load")
        found.append({"schema": tenant.schema_name, "host": str(domain.domain), "token": raw})
    return found


def _wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped before answering")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def _locust(args: argparse.Namespace, port: int, work: Path, regions_file: Path) -> Path:
    env = {
        **os.environ,
        "LOAD_REGIONS": str(regions_file),
        "LOAD_ACKS": str(work / "acks.json"),
        "LOAD_MAX_REQUESTS": str(args.max_requests),
    }
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "load" / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.users),
        "--run-time",
        f"{args.seconds}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(work / "stats"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, env=env, check=False, timeout=args.seconds + 120)
    return work / "stats_stats.csv"


def _figures(stats_csv: Path, seconds: float) -> int:
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    failures = 0
    print(f"\n{'request':<34}{'count':>8}{'fail':>6}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    for row in rows:
        print(
            f"{row['Name'][:33]:<34}{row['Request Count']:>8}{row['Failure Count']:>6}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    print(f"(latencies in ms; run of {seconds:.0f} s)")
    return failures


def _writes_check(acks: list[dict[str, str]], schemas: list[str]) -> list[str]:
    """Each acknowledged write once in its region and nowhere else."""
    from collections import Counter

    from django_tenants.utils import schema_context

    from apps.accounts.models import ApiToken, Invitation
    from apps.files.models import StoredFile

    sources: dict[str, tuple[Any, str]] = {
        "token": (ApiToken, "name"),
        "file": (StoredFile, "name"),
        "invitation": (Invitation, "email"),
    }
    problems = []
    for schema in schemas:
        with schema_context(schema):
            found: Counter[tuple[str, str]] = Counter()
            for kind, (model, field) in sources.items():
                keys = [a["key"] for a in acks if a["kind"] == kind]
                rows = model.objects.filter(**{f"{field}__in": keys}).values_list(field, flat=True)
                found.update((kind, key) for key in rows)
        for ack in acks:
            count = found[(ack["kind"], ack["key"])]
            if count != (1 if ack["schema"] == schema else 0):
                problems.append(f"{ack['kind']} {ack['key']}: {count} rows in {schema}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python load/run.py", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (4 threads)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    with scratch_database("load", keep=args.keep) as url, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        schemas = regions_provision(args.regions)
        print(f"{len(schemas)} regions provisioned in {time.perf_counter() - started:.1f} s")
        regions_file = work / "regions.json"
        regions_file.write_text(json.dumps(_credentials(schemas)))
        from django.db import connections

        connections.close_all()
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING", "MEDIA_ROOT": tmp}
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "saas.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                "4",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_for(port, server)
            began = time.perf_counter()
            stats_csv = _locust(args, port, work, regions_file)
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=30)
        failures = _figures(stats_csv, elapsed)
        acks = json.loads((work / "acks.json").read_text())
        problems = _writes_check(acks, schemas)
        kinds = {k: sum(1 for a in acks if a["kind"] == k) for k in ("token", "file", "invitation")}
        print(
            f"\nacknowledged writes: {len(acks)} {kinds}; checked in {len(schemas)} regions: "
            f"{len(problems)} lost, doubled or misplaced"
        )
        for problem in problems[:20]:
            print("  " + problem)
        print(f"failed requests: {failures}")
        return 1 if failures or problems or not acks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
