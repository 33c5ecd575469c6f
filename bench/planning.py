"""E-planning at the size of a real RKPD: the tree page, its XLSX and PDF, closing a stage
(snapshot) and the diff of two snapshots, with query counts at 300 and at 3,000 sub kegiatan.

In a scratch database made for the run (on the server DATABASE_URL names, dropped at the end):
`platform_prepare`, then Kota Medan made by migrations with the starter reference release and
its kecamatan/desa. The plan rows are bulk-inserted (setup, not measured); each figure is the
median of --runs. Baseline: the same rows and their indicators fetched with two raw SQL
statements (the floor for reading them), so each ratio says how much the page or export
adds on top.

Each sub kegiatan carries two output indicators (its own fields and one further row), as the
issue's 3,000 sub kegiatan with 6,000 indicators. Targets (issue 10): tree page < 1 s, XLSX
< 2 s, PDF < 5 s at 3,000 rows, the same query count at 300 and 3,000 rows; snapshot < 2 s;
diff of two snapshots < 1 s.

    python bench/planning.py [--runs 3] [--rows 3000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/planning.py`
    sys.path.insert(0, str(ROOT))

from bench.measure import median as _median  # noqa: E402
from bench.scratch import database_admin as _admin  # noqa: E402
from bench.scratch import url_with_database as _scratch_url  # noqa: E402

YEAR = 2027


def _region() -> Any:
    from django.db import connection
    from django_tenants.utils import schema_context

    from apps.reference.services import reference_diff_apply
    from apps.wilayah.services import wilayah_fill
    from tenants.models import Tenant
    from tests.support import tenant_create_migrated

    tenant = Tenant.objects.filter(region_id="12.71").first() or tenant_create_migrated(
        kode="12.71"
    )
    with schema_context(tenant.schema_name):
        reference_diff_apply(actor="bench")
        wilayah_fill(kode_kabkota="12.71")
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    return tenant


def _fill(rows: int) -> int:
    """`rows` sub kegiatan (cycling over the nomenclature and the OPD), inserted in bulk, each
    with two output indicators (its own and one further); the number of indicators."""
    from apps.planning.models import PlanEntry
    from apps.planning.models_rpjmd import EntryIndikator
    from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana
    from apps.wilayah.models import Desa

    PlanEntry.objects.filter(tahun=YEAR).delete()
    codes = list(
        Nomenklatur.objects.filter(tingkat="sub_kegiatan", kode__regex=r"^[0-9X]").values_list(
            "id", flat=True
        )
    )
    opds = list(PerangkatDaerah.objects.values_list("id", flat=True))
    desa = list(Desa.objects.values_list("kode", "kecamatan_id")[:150])
    dana = SumberDana.objects.values_list("id", flat=True).order_by("id")[0]
    PlanEntry.objects.bulk_create(
        [
            PlanEntry(
                tahun=YEAR,
                sub_kegiatan_id=codes[i % len(codes)],
                opd_id=opds[i % len(opds)],
                desa_id=desa[i % len(desa)][0],
                kecamatan_id=desa[i % len(desa)][1],
                indikator=f"Indikator keluaran {i}",
                satuan="dokumen",
                target=i % 40 + 1,
                target_berikut=i % 40 + 2,
                pagu=(i % 500 + 1) * 1_000_000,
                pagu_berikut=(i % 500 + 2) * 1_000_000,
                sumber_dana_id=dana,
                sasaran="Sasaran RPJMD",
            )
            for i in range(rows)
        ],
        batch_size=1000,
    )
    entries = PlanEntry.objects.filter(tahun=YEAR).values_list("id", flat=True)
    EntryIndikator.objects.bulk_create(
        [
            EntryIndikator(
                entry_id=pk,
                urutan=2,
                uraian=f"Indikator keluaran kedua {pk}",
                satuan="persen",
                target=100,
                target_berikut=100,
            )
            for pk in entries
        ],
        batch_size=1000,
    )
    return rows + EntryIndikator.objects.filter(entry__tahun=YEAR).count()


def _raw_fetch() -> object:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e.*, n.kode, n.nama, o.kode, o.nama FROM planning_planentry e "
            "JOIN reference_nomenklatur n ON n.id = e.sub_kegiatan_id "
            "JOIN reference_perangkatdaerah o ON o.id = e.opd_id WHERE e.tahun = %s",
            [YEAR],
        )
        entries = cursor.fetchall()
        cursor.execute(
            "SELECT i.* FROM planning_entryindikator i JOIN planning_planentry e "
            "ON e.id = i.entry_id WHERE e.tahun = %s",
            [YEAR],
        )
        return entries, cursor.fetchall()


def _measure(client: Any, runs: int) -> dict[str, tuple[float, int]]:
    from django.db import connection

    out: dict[str, tuple[float, int]] = {}
    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    for name, path in (
        ("tree page", f"/perencanaan/?tahun={YEAR}"),
        ("XLSX", f"/perencanaan/ekspor.xlsx?tahun={YEAR}"),
        ("PDF", f"/perencanaan/ekspor.pdf?tahun={YEAR}"),
    ):
        client.get(path)  # warm: the session's user, the route
        count[0] = 0
        with connection.execute_wrapper(counter):
            assert client.get(path).status_code == 200

        def fetch(target: str = path) -> object:
            return client.get(target)

        seconds = _median(fetch, runs)
        out[name] = (seconds, count[0])
    return out


def _snapshots(actor: Any, runs: int) -> tuple[float, float]:
    """Close a fresh stage `runs` times (rolled back each time); then diff two snapshots."""
    from django.db import transaction
    from django.utils import timezone

    from apps.planning.models import Period, Stage
    from apps.planning.selectors.diff import plan_diff, snapshot_rows
    from apps.planning.services.calendar import stage_close, stage_create, stage_open

    today = timezone.localdate()
    period = Period.objects.first() or Period.objects.create(
        nama="RPJMD", tahun_awal=2025, tahun_akhir=2029
    )

    def stage(kind: str) -> Stage:
        made = stage_create(
            actor=actor,
            period=period,
            tahun=YEAR,
            jenis=kind,
            dibuka_pada=today - datetime.timedelta(days=1),
            ditutup_pada=today + datetime.timedelta(days=1),
        )
        return stage_open(actor=actor, stage=made)

    times = []
    for _ in range(runs):
        with transaction.atomic():
            opened = stage(Stage.Kind.FORUM_OPD)
            start = time.perf_counter()
            stage_close(actor=actor, stage=opened)
            times.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    with transaction.atomic():
        one = stage_close(actor=actor, stage=stage(Stage.Kind.FORUM_OPD))
        two = stage_close(actor=actor, stage=stage(Stage.Kind.RKPD_AWAL))
        diff = _median(lambda: plan_diff(snapshot_rows(one), snapshot_rows(two)), runs)
        transaction.set_rollback(True)
    return statistics.median(times), diff


def _run(runs: int, rows: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, RoleAssignment, User

    print("preparing the scratch database (migrations, template, Kota Medan)...")
    call_command("platform_prepare", verbosity=0)
    tenant = _region()
    settings.ALLOWED_HOSTS = ["*"]
    host = str(tenant.get_primary_domain().domain)
    with schema_context(tenant.schema_name):
        user = User.objects.create_user(email="bench@example.org")
        RoleAssignment.objects.create(user=user, role=Role.BAPPEDA)
        client = Client(HTTP_HOST=host)
        client.force_login(user)
    results = {}
    indicators = 0
    for size in (rows // 10, rows):
        with schema_context(tenant.schema_name):
            indicators = _fill(size)
            base = _median(_raw_fetch, runs)
        results[size] = (_measure(client, runs), base)
    small, large = results[rows // 10], results[rows]
    print(f"{rows} sub kegiatan with {indicators} indicators (two each), median of {runs}:")
    for name, target in (("tree page", 1.0), ("XLSX", 2.0), ("PDF", 5.0)):
        seconds, queries = large[0][name]
        ratio = seconds / large[1] if large[1] else float("inf")
        print(
            f"  {name:10s} {seconds * 1000:8.0f} ms (target < {target:.0f} s; "
            f"{ratio:6.0f}x the raw fetch of {large[1] * 1000:.0f} ms); "
            f"queries {small[0][name][1]} at {rows // 10} rows, {queries} at {rows} rows"
        )
    with schema_context(tenant.schema_name):
        user = User.objects.get(email="bench@example.org")
        close, diff = _snapshots(user, runs)
    print(f"  snapshot   {close * 1000:8.0f} ms (target < 2 s)")
    print(f"  diff       {diff * 1000:8.0f} ms (target < 1 s; two snapshots of {rows} rows)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/planning.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        parser.error("DATABASE_URL is not set (make bench sets it)")
    scratch = (urlsplit(base_url).path.lstrip("/") or "postgres") + "_bench_planning"
    maintenance = _scratch_url(base_url, "postgres")
    _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')
    _admin(maintenance, f'CREATE DATABASE "{scratch}"')
    os.environ["DATABASE_URL"] = _scratch_url(base_url, scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["TENANT_ROUTING_LISTEN"] = "0"
    try:
        _run(args.runs, args.rows)
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
