"""Perizinan at the size of a busy DPMPTSP: the SLA dashboard, the public tracking and
verification pages, and the working-day clock, with query counts at two sizes.

In a scratch database made for the run (bench/scratch.py: on the server DATABASE_URL names,
dropped at the end unless --keep): `platform_prepare`, one region made by the real provisioning,
five service standards adopted through the services; then the applications (70% finished, one
in ten of those refused, the rest open at some step, some late), their steps (six each when
finished) and the permits of the finished ones are inserted in bulk with SQL (setup, not
measured). Each figure is the median of --runs requests through Django's test client (the
server's time: routing, middleware, view, template; no network). Baselines, in the same run:

- dashboard: the previous implementation, every finished row read into Python and grouped
  there (the answers are checked equal);
- tracking, verification: the raw SQL fetch of the same rows (the floor for reading them);
- clock: the same ten-step clock counted with one days-off query per day (what the design
  forbids), against the clock's one query for the whole span (equal answers checked).

Targets (issue 12): dashboard < 0.5 s, tracking and verification < 20 ms at the median, the
clock without a query per day; the same query count at --rows/10 and --rows applications.

    python bench/licensing.py [--rows 100000] [--runs 5] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/licensing.py`
    sys.path.insert(0, str(ROOT))

from bench.measure import counted as _counted  # noqa: E402
from bench.measure import median as _median  # noqa: E402
from bench.scratch import regions_provision, scratch_database  # noqa: E402

STANDARDS = 5


def _standards(kepala: Any) -> list[int]:
    from apps.licensing.services.standards import standar_adopt
    from apps.reference.models import JenisIzin

    kinds = JenisIzin.objects.filter(berlaku=True, retired_at__isnull=True).order_by("kode")
    return [standar_adopt(jenis_izin=j, actor=kepala).pk for j in kinds[:STANDARDS]]


FILL_SQL = """
INSERT INTO licensing_permohonan (nomor, standar_id, standar_versi, ketentuan, pemohon_id,
    nama_pemohon, email_pemohon, telepon, alamat, lokasi, besaran, kanal, dibuat_oleh, status,
    langkah_sekarang, diajukan_pada, selesai_pada, retribusi, skrd_nomor, bayar_referensi,
    dibayar_pada, hari_kerja, tepat_waktu)
SELECT 'PZ-B-' || lpad(i::text, 7, '0'), (%(standards)s)[1 + i %% %(n_std)s], 1, '{}', NULL,
    'Pemohon Bench ' || i, '', '', '', 'Lokasi ' || i, '{}', 'daring', 'bench',
    CASE WHEN i %% 10 < 6 THEN 'selesai' WHEN i %% 10 = 6 THEN 'ditolak' ELSE 'diproses' END,
    CASE WHEN i %% 10 < 7 THEN '' ELSE (ARRAY['berkas','teknis','rekomendasi','keputusan',
        'penerbitan','penyerahan'])[1 + i %% 6] END,
    now() - make_interval(days => i %% 700 + 20),
    CASE WHEN i %% 10 < 7 THEN now() - make_interval(days => i %% 700) END,
    NULL, '', '', NULL,
    CASE WHEN i %% 10 < 7 THEN 3 + (i * 7) %% 20 END,
    CASE WHEN i %% 10 < 7 THEN 3 + (i * 7) %% 20 <= 15 END
FROM generate_series(%(first)s, %(last)s) AS i;

INSERT INTO licensing_langkah (permohonan_id, kode, urutan, hari_kerja, mulai, tenggat,
    selesai_pada, hasil, catatan, oleh_id, oleh_label)
SELECT p.id, (ARRAY['berkas','teknis','rekomendasi','keputusan','penerbitan','penyerahan'])[s],
    s, 2, (p.diajukan_pada + make_interval(days => 2 * (s - 1)))::date,
    (p.diajukan_pada + make_interval(days => 2 * s))::date,
    CASE WHEN p.status <> 'diproses' OR s < steps.n
        THEN p.diajukan_pada + make_interval(days => 2 * s) END,
    CASE WHEN p.status <> 'diproses' OR s < steps.n THEN 'setuju' ELSE '' END, '', NULL, 'bench'
FROM licensing_permohonan p
CROSS JOIN LATERAL (SELECT CASE WHEN p.status = 'diproses'
    THEN array_position(ARRAY['berkas','teknis','rekomendasi','keputusan','penerbitan',
        'penyerahan'], p.langkah_sekarang::text) ELSE 6 END AS n) steps
CROSS JOIN LATERAL generate_series(1, steps.n) AS s
WHERE p.nomor >= 'PZ-B-' || lpad(%(first)s::text, 7, '0')
  AND p.nomor <= 'PZ-B-' || lpad(%(last)s::text, 7, '0');

INSERT INTO licensing_izin (permohonan_id, nomor, token, diterbitkan_pada, berlaku_sampai,
    penandatangan, status, alasan_cabut, berkas_id, sha256)
SELECT p.id, 'IZIN/' || p.nomor, substr(md5(p.nomor), 1, 16), p.selesai_pada,
    CASE WHEN p.id %% 3 = 0 THEN (p.selesai_pada + interval '1 year')::date END,
    'Kepala Bench', CASE WHEN p.id %% 50 = 0 THEN 'dicabut' ELSE 'berlaku' END, '', NULL,
    md5(p.nomor) || md5(p.nomor || 'x')
FROM licensing_permohonan p
WHERE p.status = 'selesai' AND p.nomor >= 'PZ-B-' || lpad(%(first)s::text, 7, '0')
  AND p.nomor <= 'PZ-B-' || lpad(%(last)s::text, 7, '0');
"""


def _fill(standards: list[int], first: int, last: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            FILL_SQL,
            {"standards": standards, "n_std": len(standards), "first": first, "last": last},
        )
        cursor.execute("ANALYZE licensing_permohonan, licensing_langkah, licensing_izin")


def _python_dashboard() -> tuple[int, int, float | None]:
    """The previous dashboard's core: every finished row read and grouped in Python."""
    from apps.licensing.models import Permohonan

    rows = list(
        Permohonan.objects.filter(status__in=["selesai", "ditolak"]).values_list(
            "standar__kode", "standar__nama", "standar__sektor", "hari_kerja", "tepat_waktu"
        )
    )
    groups: dict[tuple[str, str, str], list[tuple[int, bool]]] = {}
    for kode, nama, sektor, days, ok in rows:
        groups.setdefault((kode, nama, sektor), []).append((days or 0, bool(ok)))
    for values in groups.values():
        statistics.median(d for d, _ok in values)
    on_time = sum(1 for r in rows if r[4])
    middle = statistics.median(r[3] or 0 for r in rows) if rows else None
    return len(rows), on_time, middle


def _raw(sql: str, params: list[Any]) -> object:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _sample(runs: int) -> tuple[list[str], list[str]]:
    from apps.licensing.models import Izin, Permohonan
    from apps.licensing.services.permits import verification_code

    numbers = list(Permohonan.objects.order_by("?").values_list("nomor", flat=True)[:runs])
    codes = [verification_code(i) for i in Izin.objects.order_by("?")[:runs]]
    return numbers, codes


def _page_median(client: Any, paths: list[str]) -> tuple[float, int]:
    """Median time of GETting each path once (after one warm-up), and the queries of one."""
    assert client.get(paths[0]).status_code == 200
    times = []
    for path in paths:
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, path
    return statistics.median(times), _counted(lambda: client.get(paths[-1]))


def _measure(tenant: Any, kepala_client: Any, public: Any, runs: int) -> dict[str, Any]:
    from django_tenants.utils import schema_context

    from apps.licensing.selectors import dashboard

    out: dict[str, Any] = {}
    with schema_context(tenant.schema_name):
        numbers, codes = _sample(max(runs * 10, 50))
        sql_answer = dashboard()
        old = _python_dashboard()
        assert (sql_answer["selesai"], sql_answer["tepat_waktu"]) == old[:2]
        assert float(sql_answer["median_hari_kerja"]) == float(old[2] or 0)
        out["dashboard_selector"] = _median(dashboard, runs)
        out["dashboard_python"] = _median(_python_dashboard, runs)
        out["track_raw"] = statistics.median(_median(partial(_track_raw, n), 1) for n in numbers)
        out["verify_raw"] = statistics.median(
            _median(partial(_raw, VERIFY_SQL, [c.split(".")[0]]), 1) for c in codes
        )
    kepala_client.get("/perizinan/dasbor/")  # warm: session, user, route
    out["dashboard_page"] = (
        _median(lambda: kepala_client.get("/perizinan/dasbor/"), runs),
        _counted(lambda: kepala_client.get("/perizinan/dasbor/")),
    )
    out["empty_page"] = _page_median(public, ["/layanan/lacak/"] * len(numbers))
    out["track_page"] = _page_median(public, [f"/layanan/lacak/?nomor={n}" for n in numbers])
    out["verify_page"] = _page_median(public, [f"/layanan/verifikasi/{c}/" for c in codes])
    return out


VERIFY_SQL = (
    "SELECT i.*, p.nama_pemohon, s.nama FROM licensing_izin i JOIN licensing_permohonan p "
    "ON p.id = i.permohonan_id JOIN licensing_standarlayanan s ON s.id = p.standar_id "
    "WHERE i.token = %s"
)


def _track_raw(nomor: str) -> object:
    return _raw(
        "SELECT p.*, s.nama, l.* FROM licensing_permohonan p JOIN licensing_standarlayanan s "
        "ON s.id = p.standar_id LEFT JOIN licensing_langkah l ON l.permohonan_id = p.id "
        "WHERE p.nomor = %s",
        [nomor],
    )


def _clock(tenant: Any, runs: int) -> list[tuple[int, int, float, int, float, int]]:
    """A ten-step application (two returns) over a short and a long span: the clock's queries
    and time against a per-day days-off query; answers checked equal."""
    from django.db import transaction
    from django_tenants.utils import schema_context

    from apps.licensing.models import HariLibur, Jeda, Permohonan
    from apps.licensing.selectors import permohonan_clock, permohonan_get

    results = []
    with schema_context(tenant.schema_name), transaction.atomic():
        start = date(2025, 1, 6)
        for day in range(0, 700, 45):
            HariLibur.objects.get_or_create(
                tanggal=start + timedelta(days=day + 3), defaults={"nama": "Libur daerah"}
            )
        for span in (60, 600):
            p = Permohonan.objects.filter(status="diproses").order_by("id").first()
            assert p is not None
            p.langkah.all().delete()
            p.jeda.all().delete()
            stride = span // 10
            for k in range(10):
                p.langkah.create(
                    kode="berkas" if k < 3 else "teknis",
                    urutan=k + 1,
                    hari_kerja=5,
                    mulai=start + timedelta(days=k * stride),
                    tenggat=start + timedelta(days=k * stride + 7),
                    hasil="" if k == 9 else "setuju",
                    selesai_pada=None,
                )
            Jeda.objects.create(
                permohonan=p,
                mulai=start + timedelta(days=stride),
                selesai=start + timedelta(days=stride + 5),
                alasan="x",
            )
            nomor = p.nomor

            def clock_of(number: str = nomor) -> list[Any]:
                found = permohonan_get(number)
                assert found is not None
                return permohonan_clock(found)

            clock_rows = clock_of()
            queries = _counted(clock_of)
            seconds = _median(clock_of, runs)
            naive_answer, naive_queries = _naive_clock(p, clock_rows[-1].tenggat)
            end = clock_rows[-1].tenggat
            naive_seconds = _median(partial(_naive_clock, p, end), runs)
            assert naive_answer == _elapsed(p, clock_rows[-1].tenggat)
            results.append((span, queries, seconds, naive_queries, naive_seconds, len(clock_rows)))
        transaction.set_rollback(True)
    return results


def _elapsed(p: Any, end: date) -> int:
    from apps.licensing import clock

    first = p.langkah.order_by("id").first()
    pauses = list(p.jeda.values_list("mulai", "selesai"))
    return clock.calendar_for(first.mulai, end).elapsed(pauses, first.mulai, end)


def _naive_clock(p: Any, end: date) -> tuple[int, int]:
    """Working days from the first step to `end`, pauses excluded, asking the database about
    each day (the baseline): its answer and its query count."""
    from apps.licensing.clock import national_holidays
    from apps.licensing.models import HariLibur

    first = p.langkah.order_by("id").first()
    pauses = list(p.jeda.values_list("mulai", "selesai"))
    day, count, queries = first.mulai, 0, 2
    while day < end:
        day += timedelta(days=1)
        queries += 1
        off = HariLibur.objects.filter(tanggal=day).exists()
        paused = any(lo < day <= (hi or end) for lo, hi in pauses)
        if day.weekday() < 5 and not off and day not in national_holidays(day.year):
            count += 0 if paused else 1
    return count, queries


def _clients(tenant: Any) -> tuple[Any, Any]:
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, RoleAssignment, User

    host = str(tenant.get_primary_domain().domain)
    with schema_context(tenant.schema_name):
        kepala = User.objects.get(email="kepala@bench.example")
        kepala_client = Client(HTTP_HOST=host)
        kepala_client.force_login(kepala)
        assert RoleAssignment.objects.filter(user=kepala, role=Role.KEPALA_DPMPTSP).exists()
    return kepala_client, Client(HTTP_HOST=host)


def _setup() -> tuple[Any, list[int]]:
    from django.conf import settings
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, RoleAssignment, User
    from tenants.models import Tenant

    settings.ALLOWED_HOSTS = ["*"]
    (schema,) = regions_provision(1)
    tenant = Tenant.objects.get(schema_name=schema)
    with schema_context(schema):
        kepala = User.objects.create_user(email="kepala@bench.example", full_name="Kepala")
        RoleAssignment.objects.create(user=kepala, role=Role.KEPALA_DPMPTSP)
        standards = _standards(kepala)
    return tenant, standards


def _report(rows: int, runs: int, small: dict[str, Any], large: dict[str, Any]) -> None:
    print(f"{rows:,} applications (median of {runs} runs; queries at {rows // 10:,} / {rows:,}):")
    print(
        f"  the tracking page with no number (page floor): {large['empty_page'][0] * 1000:.2f} ms, "
        f"{large['empty_page'][1]} queries; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    seconds, queries = large["dashboard_page"]
    print(
        f"  SLA dashboard page {seconds * 1000:8.1f} ms (target < 500 ms); selector "
        f"{large['dashboard_selector'] * 1000:.1f} ms in SQL vs "
        f"{large['dashboard_python'] * 1000:.1f} ms reading every finished row into Python "
        f"({large['dashboard_python'] / large['dashboard_selector']:.1f}x faster); "
        f"queries {small['dashboard_page'][1]} / {queries}"
    )
    for key, raw, label in (
        ("track_page", "track_raw", "tracking page"),
        ("verify_page", "verify_raw", "verification page"),
    ):
        seconds, queries = large[key]
        print(
            f"  {label:18s} {seconds * 1000:8.2f} ms (target < 20 ms; "
            f"{seconds / large[raw]:.0f}x the raw SQL fetch of {large[raw] * 1000:.2f} ms, "
            f"{seconds / large['empty_page'][0]:.1f}x the same page with no lookup); "
            f"queries {small[key][1]} / {queries}"
        )


def _run(rows: int, runs: int) -> None:
    from django_tenants.utils import schema_context

    tenant, standards = _setup()
    kepala_client, public = _clients(tenant)
    results = {}
    done = 0
    for size in (rows // 10, rows):
        started = time.perf_counter()
        with schema_context(tenant.schema_name):
            _fill(standards, done + 1, size)
        print(f"  filled {size:,} applications ({time.perf_counter() - started:.1f} s)")
        done = size
        results[size] = _measure(tenant, kepala_client, public, runs)
    _report(rows, runs, results[rows // 10], results[rows])
    for span, queries, seconds, naive_q, naive_s, steps in _clock(tenant, runs):
        print(
            f"  clock, {steps} steps over {span} days: {queries} queries, {seconds * 1000:.2f} ms "
            f"(baseline with a days-off query per day: {naive_q} queries, "
            f"{naive_s * 1000:.1f} ms, {naive_s / seconds:.0f}x)"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/licensing.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    random.seed(12)
    with scratch_database("bench_licensing", keep=args.keep):
        _run(args.rows, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
