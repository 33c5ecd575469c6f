"""`make load`: 50 concurrent users across 20 regions for 60 s against gunicorn on loopback,
then every acknowledged write looked up in the database.

In a scratch database (bench/scratch.py): the platform prepared, 20 regions made by the real
provisioning; in each, through the services, an open plan year with its RKPD enacted, a price
list in force, the fiscal year opened with its ceilings and a permit standard, then people with
the role each API needs, each with an API token. gunicorn serves it on 127.0.0.1; locust
(headless, load/locustfile.py) mixes reads and writes of the platform and of e-planning,
perizinan and e-budgeting, bounded by time and by a request count. Printed: requests, failures,
throughput, p50/p95/p99 (ms), then the check: each acknowledged write exactly once in its own
region and in no other. Exit status 1 on any failed request, any lost, doubled or misplaced
write, or a kind of write never acknowledged.

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


WRITE_KINDS = ("token", "file", "invitation", "entri", "usulan", "permohonan", "rincian")
LOAD_YEAR = 2027
DINKES = "1.02.0.00.0.00.01.0000"


def _person(email: str, role: str, **scope: str) -> Any:
    from apps.accounts.models import RoleAssignment, User

    user = User.objects.create_user(email=email, full_name=email.split("@")[0].title())
    RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


def _token(user: Any) -> str:
    from apps.accounts.services import api_token_create

    _token_row, raw = api_token_create(user=user, name="load")
    return str(raw)


def _sessions(host: str, people: dict[str, Any]) -> dict[str, Any]:
    """Signed-in session cookies for the region's pages: the cookie's name and, per person, its
    value."""
    from django.conf import settings
    from django.test import Client

    name = settings.SESSION_COOKIE_NAME
    values = {}
    for who, user in people.items():
        client = Client(HTTP_HOST=host)
        client.force_login(user)
        values[who] = str(client.cookies[name].value)
    return {"session_cookie": name, "sessions": values}


def _domain_setup() -> dict[str, Any]:
    """Through the services, in the current region: the year's stages open, the RKPD enacted
    (three Dinkes sub kegiatan), a price list in force, the fiscal year opened with its ceilings,
    and the region's own standard of a permit type with one required document."""
    from apps.accounts.models import Role
    from apps.budgeting.services.kua import ceilings_from_rkpd, year_open
    from apps.budgeting.tests.conftest import ITEMS, price_list, rkpd_enacted
    from apps.licensing.services.standards import standar_adopt, standar_update
    from apps.licensing.tests.conftest import STEPS
    from apps.reference.models import JenisIzin, SumberDana
    from apps.wilayah.models import Desa

    bappeda = _person("bappeda@load.example", Role.BAPPEDA)
    entries, _extra = rkpd_enacted(bappeda, dinkes=3, disdik=1)
    price_list(LOAD_YEAR, ITEMS)
    tapd = _person("tapd@load.example", Role.TAPD)
    year_open(actor=tapd, tahun=LOAD_YEAR)
    ceilings_from_rkpd(actor=tapd, tahun=LOAD_YEAR)
    kepala = _person("kepala-dpmptsp@load.example", Role.KEPALA_DPMPTSP)
    jenis, _created = JenisIzin.objects.get_or_create(
        kode="BEBAN-SLF",
        defaults={
            "nama": "Izin uji beban",
            "sektor": "Uji",
            "persyaratan": ["KTP"],
            "waktu_hari_kerja": 5,
            "berlaku": True,
        },
    )
    standar = standar_adopt(jenis_izin=jenis, actor=kepala)
    persyaratan = [{"nama": "KTP", "wajib": True, "jenis": ["pdf"], "maks_kb": 100}]
    standar_update(
        standar=standar, actor=kepala, data={"persyaratan": persyaratan, "langkah": STEPS}
    )
    dinkes = [e for e in entries if e.opd.kode == DINKES]
    return {
        "year": LOAD_YEAR,
        "opd": DINKES,
        "entries": [e.pk for e in dinkes],
        "sub_kegiatan": [e.sub_kegiatan.kode for e in dinkes],
        "sumber_dana": SumberDana.objects.order_by("kode").values_list("kode", flat=True)[0],
        "desa": Desa.objects.order_by("kode").values_list("kode", flat=True)[0],
        "jenis_izin": jenis.kode,
        "people": {"bappeda": bappeda},
    }


def _credentials(schemas: list[str]) -> list[dict[str, Any]]:
    """In each region: the domain setup, then people with the role each API needs (an all-roles
    staff user for the platform APIs, Bappeda for the plan and Musrenbang, the perizinan front
    office, a Dinkes OPD operator for budget lines), each with an API token and a session for
    the pages."""
    from django_tenants.utils import schema_context

    from apps.accounts.models import OPD_BOUND_ROLES, Role, RoleAssignment, User
    from tenants.models import Tenant

    found = []
    for tenant in Tenant.objects.filter(schema_name__in=schemas):
        domain = tenant.get_primary_domain()
        assert domain is not None
        with schema_context(tenant.schema_name):
            user = User.objects.create_user(email="beban@load.example")
            for role in Role.values:
                opd = DINKES if role in OPD_BOUND_ROLES else ""
                RoleAssignment.objects.create(user=user, role=role, opd_code=opd)
            setup = _domain_setup()
            bappeda = setup.pop("people")["bappeda"]
            operator = _person("operator@load.example", Role.OPD_OPERATOR, opd_code=DINKES)
            loket = _person("loket@load.example", Role.PERIZINAN_FRONT)
            tokens = {
                "staff": _token(user),
                "bappeda": _token(bappeda),
                "opd": _token(operator),
                "loket": _token(loket),
            }
            people = {"bappeda": bappeda, "opd": operator, "loket": loket}
            session = _sessions(str(domain.domain), people)
        found.append(
            {
                "schema": tenant.schema_name,
                "host": str(domain.domain),
                "token": tokens["staff"],
                "tokens": tokens,
                **session,
                **setup,
            }
        )
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
    from apps.budgeting.models import Rincian
    from apps.files.models import StoredFile
    from apps.licensing.models import Permohonan
    from apps.planning.models import PlanEntry, Proposal

    sources: dict[str, tuple[Any, str]] = {
        "token": (ApiToken, "name"),
        "file": (StoredFile, "name"),
        "invitation": (Invitation, "email"),
        "entri": (PlanEntry, "sasaran"),
        "usulan": (Proposal, "masalah"),
        "permohonan": (Permohonan, "alamat"),
        "rincian": (Rincian, "lokasi"),
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
        kinds = {k: sum(1 for a in acks if a["kind"] == k) for k in WRITE_KINDS}
        print(
            f"\nacknowledged writes: {len(acks)} {kinds}; checked in {len(schemas)} regions: "
            f"{len(problems)} lost, doubled or misplaced"
        )
        for problem in problems[:20]:
            print("  " + problem)
        missing = [kind for kind, count in kinds.items() if not count]
        if missing:
            print(f"no acknowledged write of: {', '.join(missing)}")
        print(f"failed requests: {failures}")
        return 1 if failures or problems or missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
