"""The transparency portal at national size: the APBD page of a region with 50,000 budget lines,
the province comparison over 40 regions, and the collection over 550 regions.

In a scratch database made for the run (on the server DATABASE_URL names, dropped at the end):
`platform_prepare`, Kota Medan provisioned from the template. Each figure is the median of
--runs, printed with its query count and a ratio against a baseline measured in the same run:

- APBD page: 50,000 synthetic budget lines are summed the way budgeting's `apbd_summary` would
  (per urusan, OPD, account group) by a provider registered here, and published (frozen once).
  Baseline: summing the 50,000 lines again, which is what a page without the frozen document
  would pay on every view.
- Province comparison: 40 regions with a collected APBD and permit document each (public rows;
  no schema is read by the page). Baseline: fetching those rows with one raw SQL statement.
- Collection: --regions schemas each holding the portal's and the price lists' tables (a frozen
  APBD and --prices standard prices each), copied cold, then again with nothing changed.
  Baseline: the naive way, visiting each schema in turn (search_path switch and ORM reads), on
  the first 50 regions; both printed per region.

Targets (issue 14): APBD page < 0.3 s; province comparison < 0.5 s; collection of 550 regions
< 60 s with its cost per region.

    python bench/portal.py [--runs 5] [--lines 50000] [--regions 550] [--prices 400] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/portal.py`
    sys.path.insert(0, str(ROOT))

from bench.measure import counted as _counted  # noqa: E402
from bench.measure import median as _median  # noqa: E402
from bench.scratch import database_admin as _admin  # noqa: E402
from bench.scratch import url_with_database as _scratch_url  # noqa: E402

YEAR = 2027
PREFIX = "bench_portal_"


def budget_lines(count: int) -> list[tuple[str, str, str, Decimal]]:
    """(urusan, OPD, account group, amount with sen): a region's budget lines, synthetic."""
    rng = random.Random(14)
    urusan = [f"{u}.{b:02d}" for u in (1, 2, 3) for b in range(1, 13)]
    opd = [f"{u}.0.00.0.00.{i:02d}.0000" for i, u in enumerate(urusan)]
    groups = ["5.1", "5.2", "5.3", "5.4"]
    return [
        (
            urusan[i % len(urusan)],
            opd[i % len(opd)],
            groups[0] if i % 5 else groups[1 + i % 3],
            Decimal(rng.randint(100_000, 900_000_000)) / 100,
        )
        for i in range(count)
    ]


def apbd_summary_of(lines: list[tuple[str, str, str, Decimal]]) -> dict[str, Any]:
    """What budgeting's `apbd_summary(tahun)` returns, summed from the lines."""
    sums: dict[str, dict[str, Decimal]] = {k: defaultdict(Decimal) for k in ("u", "o", "k")}
    for urusan, opd, group, amount in lines:
        sums["u"][urusan] += amount
        sums["o"][opd] += amount
        sums["k"][group] += amount
    belanja = sum(sums["k"].values(), Decimal(0))
    pendapatan = (belanja * Decimal("0.97")).quantize(Decimal("0.01"))

    def rows(key: str, label: str) -> list[dict[str, Any]]:
        return [
            {"kode": k, "nama": f"{label} {k}", "jumlah": v} for k, v in sorted(sums[key].items())
        ]

    return {
        "tahun": YEAR,
        "versi": "Perda",
        "ditetapkan_pada": None,
        "pendapatan": pendapatan,
        "belanja": belanja,
        "surplus_defisit": pendapatan - belanja,
        "penerimaan_pembiayaan": belanja - pendapatan,
        "pengeluaran_pembiayaan": Decimal(0),
        "pembiayaan_neto": belanja - pendapatan,
        "silpa": Decimal(0),
        "per_urusan": rows("u", "Urusan"),
        "per_opd": rows("o", "Perangkat daerah"),
        "per_kelompok": rows("k", "Kelompok"),
    }


def _apbd_page(tenant: Any, lines: int, runs: int) -> None:
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, RoleAssignment, User
    from apps.portal import providers
    from apps.portal.documents import apbd_document
    from apps.portal.services import publikasi_publish

    rows = budget_lines(lines)
    providers.provider_register("apbd", lambda tahun: apbd_document(apbd_summary_of(rows)))
    with schema_context(tenant.schema_name):
        admin = User.objects.create_user(email="bench-portal@example.org")
        RoleAssignment.objects.create(user=admin, role=Role.ADMIN)
        start = time.perf_counter()
        doc = publikasi_publish(
            actor=admin, jenis="apbd", tahun=YEAR, kode_wilayah=str(tenant.region_id)
        )
        publish = time.perf_counter() - start
    client = Client(HTTP_HOST=str(tenant.get_primary_domain().domain))
    path = f"/portal/apbd/{YEAR}/"
    assert client.get(path).status_code == 200  # warm: route, parsed document
    page = _median(lambda: client.get(path), runs)
    queries = _counted(lambda: client.get(path))
    baseline = _median(lambda: apbd_summary_of(rows), runs)
    print(
        f"APBD page, {lines:,} budget lines (frozen document {len(doc.isi):,} bytes), "
        f"median of {runs}:"
    )
    print(
        f"  page       {page * 1000:8.1f} ms (target < 300 ms), {queries} queries; "
        f"{page / baseline:5.2f}x summing the lines live ({baseline * 1000:.0f} ms per view)"
    )
    print(f"  publishing (once, frozen) {publish * 1000:.0f} ms")
    connection.set_schema_to_public()  # type: ignore[attr-defined]


def _collected_regions(count: int, document: dict[str, Any]) -> str:
    """`count` collected regions of one province (public rows only), each with an APBD and a
    permit document; returns the province code."""
    from django.utils import timezone

    from apps.portal.platform.models import KoleksiDaerah, KoleksiPublikasi
    from tenants.models import Region, Tenant

    province = "35"  # Jawa Timur: 38 kabupaten/kota, padded to `count`
    regions = list(Region.objects.filter(tingkat="kabupaten_kota", kode__startswith="35."))
    now = timezone.now()
    figures = {"persen_tepat_waktu": "91.5", "median_hari_kerja": "4", "ikm": "84.20"}
    permit = {"jenis": "perizinan", "tahun": YEAR, "penduduk": None, "data": figures}
    for i in range(count):
        tenant = Tenant.objects.create(
            schema_name=f"{PREFIX}prov_{i}", name=f"Daerah {i}", kind=Tenant.Kind.KABUPATEN,
            slug=f"bench-prov-{i}", status=Tenant.Status.ACTIVE, province_id=province,
            region=regions[i] if i < len(regions) else None,
        )  # fmt: skip
        daerah = KoleksiDaerah.objects.create(
            tenant=tenant, schema_name=tenant.schema_name, nama=tenant.name,
            provinsi_kode=province, penduduk=1_000_000 + i, dikumpulkan_pada=now,
        )  # fmt: skip
        KoleksiPublikasi.objects.bulk_create(
            KoleksiPublikasi(daerah=daerah, jenis=jenis, tahun=YEAR, versi=1, sha256="0" * 64,
                             isi=isi, diterbitkan_pada=now)
            for jenis, isi in (("apbd", document), ("perizinan", permit))
        )  # fmt: skip
    return province


def _province(count: int, document: dict[str, Any], runs: int) -> None:
    from django.db import connection
    from django.test import Client

    province = _collected_regions(count, document)
    client = Client(HTTP_HOST="localhost")
    path = f"/transparansi/provinsi/{province}/"
    assert client.get(path).status_code == 200
    page = _median(lambda: client.get(path), runs)
    queries = _counted(lambda: client.get(path))

    def raw() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT p.isi FROM portal_platform_koleksipublikasi p JOIN "
                "portal_platform_koleksidaerah d ON d.id = p.daerah_id WHERE d.provinsi_kode = %s",
                [province],
            )
            return cursor.fetchall()

    baseline = _median(raw, runs)
    print(f"Province comparison, {count} regions, median of {runs}:")
    print(
        f"  page       {page * 1000:8.1f} ms (target < 500 ms), {queries} queries; "
        f"{page / baseline:5.1f}x the raw fetch of its rows ({baseline * 1000:.1f} ms)"
    )


def _schemas_make(count: int, prices: int, isi: str) -> list[Any]:
    """`count` schemas with the three tables the collection reads (structure copied from the
    template), each with a frozen APBD and a price list in force; their Tenant rows."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from tenants.models import Tenant

    template = settings.TEMPLATE_SCHEMA_NAME
    tenants = []
    now = timezone.now()
    for i in range(count):
        schema = f"{PREFIX}{i:04d}"
        with connection.cursor() as c:
            c.execute(f'CREATE SCHEMA "{schema}"')
            for table in ("portal_publikasi", "reference_daftarharga", "reference_standarharga"):
                c.execute(
                    f'CREATE TABLE "{schema}".{table} '
                    f'(LIKE "{template}".{table} INCLUDING DEFAULTS INCLUDING IDENTITY)'
                )
            c.execute(
                f'INSERT INTO "{schema}".portal_publikasi (id, jenis, tahun, versi, isi, sha256, '
                "diterbitkan_pada, diterbitkan_oleh) VALUES (1, 'apbd', %s, 1, %s, %s, %s, 'x')",
                [YEAR, isi, "0" * 64, now],
            )
            c.execute(
                f'INSERT INTO "{schema}".reference_daftarharga (id, tahun, versi, dasar_hukum, '
                "status, dipinjam_dari, berkas, jumlah, dibuat_pada) "
                "VALUES (1, %s, 1, '', 'berlaku', '', '', %s, %s)",
                [YEAR, prices, now],
            )
            c.execute(
                f'INSERT INTO "{schema}".reference_standarharga (id, daftar_id, jenis, kode, nama, '
                "spesifikasi, satuan, harga, ilustratif, catatan, retired_at) "
                "SELECT g, 1, 'SSH', '1.1.7.01.' || g, 'Barang ' || g, '', 'unit', "
                "(1000 + g * 7 + %s) * 1.00, false, '', NULL FROM generate_series(1, %s) g",
                [i, prices],
            )
        tenants.append(
            Tenant.objects.create(
                schema_name=schema,
                name=f"Daerah koleksi {i}",
                kind=Tenant.Kind.KABUPATEN,
                slug=f"bench-koleksi-{i}",
                status=Tenant.Status.ACTIVE,
                province_id="35",
            )
        )
    return tenants


def _naive(tenants: list[Any]) -> float:
    """The baseline: each schema in turn, its publications and prices read with the ORM."""
    from django_tenants.utils import schema_context

    from apps.portal.models import Publikasi
    from apps.reference.models import StandarHarga

    start = time.perf_counter()
    for tenant in tenants:
        with schema_context(tenant.schema_name):
            list(Publikasi.objects.all())
            list(
                StandarHarga.objects.filter(daftar__status="berlaku").values_list(
                    "kode", "nama", "satuan", "harga"
                )
            )
    return (time.perf_counter() - start) / len(tenants)


def _collection(regions: int, prices: int, isi: str, runs: int) -> None:
    from apps.portal.platform.services import portal_collect

    print(f"Collection, {regions} regions x ({prices} prices + a frozen APBD):")
    made = time.perf_counter()
    tenants = _schemas_make(regions, prices, isi)
    print(f"  (setup: {regions} schemas in {time.perf_counter() - made:.0f} s, not measured)")
    cold = portal_collect(tenants=tenants)
    queries = _counted(lambda: portal_collect(tenants=tenants))
    warm = _median(lambda: portal_collect(tenants=tenants).seconds, runs)
    naive = _naive(tenants[:50])
    per_region = cold.seconds / regions
    print(
        f"  cold       {cold.seconds:8.2f} s (target < 60 s): "
        f"{per_region * 1000:.1f} ms per region, {cold.prices:,} prices and "
        f"{cold.publications} documents copied"
    )
    print(
        f"  unchanged  {warm:8.2f} s ({warm / regions * 1000:.2f} ms per region), {queries} queries"
    )
    print(
        f"  baseline   visiting each schema in turn: {naive * 1000:.1f} ms per region "
        f"(reading only); cold collection per region = {per_region / naive:.2f}x it"
    )


def _run(runs: int, lines: int, regions: int, prices: int) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from provisioning.services import tenant_provision
    from tenants.models import Tenant

    print("preparing the scratch database (migrations, template, Kota Medan)...")
    call_command("platform_prepare", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    tenant_provision(kode_wilayah="12.71", admin_email="admin@bench.test", requested_by=None)
    tenant = Tenant.objects.get(region_id="12.71")
    _apbd_page(tenant, lines, runs)
    from django_tenants.utils import schema_context

    from apps.portal.models import Publikasi

    with schema_context(tenant.schema_name):
        publikasi = Publikasi.objects.get(jenis="apbd", tahun=YEAR)

    _province(40, json.loads(publikasi.isi), runs)
    _collection(regions, prices, publikasi.isi, runs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/portal.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--regions", type=int, default=550)
    parser.add_argument("--prices", type=int, default=400, help="standard prices per region")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        parser.error("DATABASE_URL is not set (make bench sets it)")
    scratch = (urlsplit(base_url).path.lstrip("/") or "postgres") + "_bench_portal"
    maintenance = _scratch_url(base_url, "postgres")
    _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')
    _admin(maintenance, f'CREATE DATABASE "{scratch}"')
    os.environ["DATABASE_URL"] = _scratch_url(base_url, scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings.base")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["TENANT_ROUTING_LISTEN"] = "0"
    # no in-process beat thread: it would collect the same regions while this bench does
    os.environ["OPERATIONS_INPROCESS_BEAT"] = "0"
    try:
        _run(args.runs, args.lines, args.regions, args.prices)
        return 0
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _admin(maintenance, f'DROP DATABASE IF EXISTS "{scratch}"')


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
