"""E-budgeting at the size of a real APBD: 50,000 budget lines over 40 OPD. Measured: the APBD
summary page, one OPD's RKA as XLSX (2,000 lines), the consistency report page, and enacting
(the lock and the digest), each with its query count at 5,000 and at 50,000 lines.

In a scratch database (bench/scratch.py: made on the server DATABASE_URL names, prepared with
`platform_prepare`, dropped at the end): Kota Medan made by migrations with the starter reference
release. The RKPD, its enacted snapshot, the ceilings, the RKA and the lines are bulk-inserted
(setup, not measured). Each figure is the median of --runs. Baseline: every line of the version
fetched with one raw SQL statement, so each ratio says how much the page or action adds on top.

Targets (issue 11): summary page < 0.5 s, RKA XLSX (2,000 lines) < 3 s, consistency report
< 2 s, enacting < 5 s; query counts flat in the number of lines.

    python bench/budgeting.py [--runs 3] [--lines 50000] [--keep]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/budgeting.py`
    sys.path.insert(0, str(ROOT))

from bench.measure import counted as _counted  # noqa: E402
from bench.measure import median as _median  # noqa: E402
from bench.scratch import scratch_database  # noqa: E402

YEAR = 2027
OPD_COUNT = 40
ENTRIES_PER_OPD = 25
BIG_OPD_LINES = 2000


def _plan() -> tuple[list[Any], Any]:
    """40 OPD x 25 sub kegiatan, enacted in an RKPD snapshot; the fiscal year with its draft
    version and ceilings."""
    from apps.budgeting.models import PaguOpd, PaguSubKegiatan, TahunAnggaran, Versi
    from apps.planning.models import Period, PlanEntry, Snapshot, Stage
    from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana

    codes = list(
        Nomenklatur.objects.filter(tingkat="sub_kegiatan").values_list("id", flat=True)[:2000]
    )
    opds = list(PerangkatDaerah.objects.order_by("kode").values_list("id", flat=True))
    opds = opds[:OPD_COUNT]
    dana = SumberDana.objects.values_list("id", flat=True).order_by("id")[0]
    entries = PlanEntry.objects.bulk_create(
        PlanEntry(
            tahun=YEAR,
            sub_kegiatan_id=codes[i % len(codes)],
            opd_id=opds[i % len(opds)],
            indikator="Indikator",
            satuan="dokumen",
            target=1,
            target_berikut=1,
            pagu=10**12,
            pagu_berikut=10**12,
            sumber_dana_id=dana,
            sasaran="Sasaran RPJMD",
        )
        for i in range(len(opds) * ENTRIES_PER_OPD)
    )
    period = Period.objects.create(nama="RPJMD", tahun_awal=YEAR - 2, tahun_akhir=YEAR + 2)
    stage = Stage.objects.create(
        period=period,
        tahun=YEAR,
        jenis=Stage.Kind.RKPD_PENETAPAN,
        status=Stage.State.CLOSED,
        dibuka_pada=f"{YEAR - 1}-05-01",
        ditutup_pada=f"{YEAR - 1}-05-31",
    )
    isi = json.dumps({"entri": [{"id": e.pk} for e in entries]})
    Snapshot.objects.create(stage=stage, tahun=YEAR, isi=isi, sha256="b" * 64)
    year = TahunAnggaran.objects.create(tahun=YEAR)
    version = Versi.objects.create(tahun=year, jenis=Versi.Jenis.MURNI)
    PaguSubKegiatan.objects.bulk_create(
        PaguSubKegiatan(tahun=year, plan_entry=e, pagu=Decimal(10**13)) for e in entries
    )
    PaguOpd.objects.bulk_create(PaguOpd(tahun=year, opd_id=o, pagu=Decimal(10**15)) for o in opds)
    return entries, version


def _fill(entries: list[Any], version: Any, lines: int) -> str:
    """`lines` lines: the first OPD gets BIG_OPD_LINES of them (or a tenth at the small size),
    the rest go round the other OPD's sub kegiatan. Returns the big OPD's code."""
    from apps.budgeting.models import Rincian, Rka
    from apps.reference.models import DaftarHarga, Rekening, StandarHarga, StandarHargaRekening

    Rincian.objects.filter(versi=version).delete()
    Rka.objects.filter(versi=version).delete()
    rekening = list(
        Rekening.objects.filter(tingkat="sub_rincian_objek", kode__startswith="5.1.02.").order_by(
            "kode"
        )[:20]
    )
    daftar = DaftarHarga.objects.first() or DaftarHarga.objects.create(tahun=YEAR)
    items = list(StandarHarga.objects.filter(daftar=daftar)[:20]) or [
        StandarHarga.objects.create(
            daftar=daftar,
            kode=f"SSH.B.{n:04d}",
            nama=f"Barang {n}",
            jenis="SSH",
            satuan="buah",
            harga=Decimal(1000 + n * 37) + Decimal("0.50"),
        )
        for n in range(20)
    ]
    for item, rek in zip(items, rekening, strict=False):
        StandarHargaRekening.objects.get_or_create(standar_harga=item, rekening=rek)
    rka = Rka.objects.bulk_create(
        Rka(versi=version, plan_entry=e, opd_id=e.opd_id, status=Rka.Status.ACCEPTED)
        for e in entries
    )
    big_opd = entries[0].opd_id
    big = [r for r in rka if r.opd_id == big_opd]
    rest = [r for r in rka if r.opd_id != big_opd]
    big_lines = BIG_OPD_LINES if lines >= 10 * BIG_OPD_LINES else lines // 10
    rows = []
    for i in range(lines):
        target = big[i % len(big)] if i < big_lines else rest[i % len(rest)]
        item, rek = items[i % len(items)], rekening[i % len(items)]
        volume = Decimal(i % 9 + 1)
        rows.append(
            Rincian(
                versi=version,
                rka=target,
                rekening=rek,
                standar_harga=item,
                jenis_harga="SSH",
                kode_harga=item.kode,
                uraian=item.nama,
                satuan=item.satuan,
                harga=item.harga,
                volume_1=volume,
                satuan_1="orang",
                volume=volume,
                ppn=False,
                jumlah=(volume * item.harga).quantize(Decimal("0.01")),
                sumber_dana_id=entries[0].sumber_dana_id,
            )
        )
    Rincian.objects.bulk_create(rows, batch_size=5000)
    from apps.reference.models import PerangkatDaerah

    return str(PerangkatDaerah.objects.get(pk=big_opd).kode)


def _raw_fetch(version_id: int) -> object:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM budgeting_rincian WHERE versi_id = %s", [version_id])
        return cursor.fetchall()


def _enact(actor: Any) -> None:
    """Enact inside a transaction that is rolled back, so the next run finds the draft again."""
    from django.db import transaction

    from apps.budgeting.services.workflow import budget_enact

    with transaction.atomic():
        budget_enact(actor=actor, tahun=YEAR, dasar_hukum="Perda bench")
        transaction.set_rollback(True)


def _measure(client: Any, actor: Any, opd: str, runs: int) -> dict[str, tuple[float, int]]:
    pages = {
        "summary page": f"/anggaran/ringkasan/?tahun={YEAR}",
        "RKA XLSX": f"/anggaran/rka.xlsx?tahun={YEAR}&opd={opd}",
        "consistency": f"/anggaran/konsistensi/?tahun={YEAR}",
    }
    out: dict[str, tuple[float, int]] = {}
    for name, path in pages.items():
        assert client.get(path).status_code == 200  # warm: the session's user, the route

        def fetch(target: str = path) -> object:
            return client.get(target)

        queries = _counted(fetch)
        out[name] = (_median(fetch, runs), queries)
    from django_tenants.utils import schema_context

    with schema_context(client.tenant_schema):
        queries = _counted(lambda: _enact(actor))
        out["enacting"] = (_median(lambda: _enact(actor), runs), queries)
    return out


def _run(runs: int, lines: int) -> None:
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import schema_context

    from apps.accounts.models import Role, RoleAssignment, User
    from tenants.models import Tenant
    from tests.support import tenant_create_migrated

    tenant = Tenant.objects.filter(region_id="12.71").first() or tenant_create_migrated(
        kode="12.71"
    )
    settings.ALLOWED_HOSTS = ["*"]
    with schema_context(tenant.schema_name):
        from apps.reference.services import reference_diff_apply

        reference_diff_apply(actor="bench")
        user = User.objects.create_user(email="bench@example.org")
        RoleAssignment.objects.create(user=user, role=Role.BPKAD)
        entries, version = _plan()
        domain = tenant.get_primary_domain()
        assert domain is not None
        client = Client(HTTP_HOST=str(domain.domain))
        client.force_login(user)
    client.tenant_schema = tenant.schema_name  # type: ignore[attr-defined]
    results = {}
    for size in (lines // 10, lines):
        with schema_context(tenant.schema_name):
            started = time.perf_counter()
            opd = _fill(entries, version, size)
            print(f"  {size} lines inserted in {time.perf_counter() - started:.1f} s (setup)")
            base = _median(lambda: _raw_fetch(version.pk), runs)
            actor = User.objects.get(pk=user.pk)
        results[size] = (_measure(client, actor, opd, runs), base)
    _report(results, lines, runs)


def _report(results: dict[int, Any], lines: int, runs: int) -> None:
    small, large = results[lines // 10], results[lines]
    print(f"{lines} budget lines over {OPD_COUNT} OPD, median of {runs}:")
    for name, target in (
        ("summary page", 0.5),
        ("RKA XLSX", 3.0),
        ("consistency", 2.0),
        ("enacting", 5.0),
    ):
        seconds, queries = large[0][name]
        ratio = seconds / large[1] if large[1] else float("inf")
        print(
            f"  {name:13s} {seconds * 1000:8.0f} ms (target < {target:g} s; "
            f"{ratio:5.1f}x the raw fetch of all lines, {large[1] * 1000:.0f} ms); "
            f"queries {small[0][name][1]} at {lines // 10} lines, {queries} at {lines} lines"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/budgeting.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    with scratch_database("bench_budgeting", keep=args.keep):
        _run(args.runs, args.lines)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
