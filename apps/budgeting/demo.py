"""An enacted APBD for the demo region, made through the services (idempotent): the year's RKPD
enacted (its penetapan stage closed), KUA-PPAS ceilings from it, a few thousand lines priced
from the price list in force, TAPD's verification, enactment, DPAs, and one pergeseran that
moved some lines, enacted too."""

import random
from decimal import Decimal
from typing import Any

from apps.accounts.models import Role, User
from apps.budgeting.models import Rincian, TahunAnggaran, Versi
from apps.budgeting.services._common import price_list_in_force, rkpd_enacted_ids
from apps.budgeting.services.kua import ceilings_from_rkpd, financing_add, revenue_add, year_open
from apps.budgeting.services.lines import LineInput, line_create, line_delete, line_update
from apps.budgeting.services.workflow import (
    budget_enact,
    dpa_issue,
    revision_create,
    rka_submit,
    rka_verify,
)
from apps.planning.models import PlanEntry, Stage
from apps.planning.services.calendar import stage_close
from apps.reference.models import Rekening, StandarHargaRekening

UNITS = (("orang", "hari"), ("paket", "kali"), ("unit", "bulan"), ("buah", "kegiatan"))


def person_ensure(*, email: str, role: str, opd: str = "", password: str) -> User:
    """A demo colleague, invited and accepted through the identity services."""
    from apps.accounts.services import invitation_accept, invitation_create
    from tenants.db import schema_current
    from tenants.models import Tenant

    user = User.objects.filter(email=email, is_active=True).first()
    if user is not None:
        return user
    tenant = Tenant.objects.get(schema_name=schema_current())
    invitation = invitation_create(
        tenant=tenant, email=email, role=role, invited_by="demo", opd_code=opd
    )
    return invitation_accept(token=invitation.token, password=password, full_name=email)


def _priced_pairs(tahun: int, rng: random.Random) -> list[tuple[str, str, Decimal]]:
    """(item code, account code, price) pairs a line may use: spending accounts at sub rincian
    objek level, items of the list in force allowed on them."""
    daftar = price_list_in_force(tahun)
    pairs = list(
        StandarHargaRekening.objects.filter(
            standar_harga__daftar=daftar,
            standar_harga__retired_at=None,
            standar_harga__harga__gt=0,
            rekening__tingkat=Rekening.Level.SUB_RINCIAN_OBJEK,
            rekening__kode__startswith="5.",
        ).values_list("standar_harga__kode", "rekening__kode", "standar_harga__harga")[:20000]
    )
    rng.shuffle(pairs)
    return pairs[:600]


def _lines(actor_for: dict[str, User], tahun: int, per_entry: int, rng: random.Random) -> int:
    pairs = _priced_pairs(tahun, rng)
    entries = PlanEntry.objects.filter(pk__in=rkpd_enacted_ids(tahun)).select_related(
        "opd", "sumber_dana"
    )
    made = 0
    for entry in entries.order_by("pk"):
        budget = entry.pagu * Decimal("0.9") / per_entry
        usable = [p for p in pairs if p[2] <= budget / Decimal("1.11")]
        for kode, rekening, harga in rng.sample(usable, min(per_entry, len(usable))):
            unit_1, unit_2 = rng.choice(UNITS)
            # within the entry's share even with PPN: harga <= budget, so once always fits
            room = budget / Decimal("1.11")
            times = rng.choice([t for t in (1, 2, 4, 12) if harga * t <= room] or [1])
            volume = max(1, min(5000, int(room / (harga * times))))
            line_create(
                actor=actor_for[entry.opd.kode],
                tahun=tahun,
                data=LineInput(
                    plan_entry=entry.pk,
                    rekening=rekening,
                    standar_harga=kode,
                    volume_1=volume,
                    satuan_1=unit_1,
                    volume_2=times,
                    satuan_2=unit_2,
                    ppn=rng.random() < 0.2,
                    sumber_dana=entry.sumber_dana.kode,
                    lokasi=entry.desa.nama if entry.desa_id and entry.desa else "",
                ),
            )
            made += 1
    return made


def _verify_and_enact(people: dict[str, Any], tahun: int, basis: str) -> Versi:
    version = Versi.objects.get(tahun__tahun=tahun, status=Versi.Status.DRAFT)
    for opd, kepala in people["kepala"].items():
        if version.rka.filter(opd__kode=opd, status__in=("draf", "dikembalikan")).exists():
            rka_submit(actor=kepala, tahun=tahun, opd=opd)
    for rka in version.rka.filter(status="diajukan").order_by("pk"):
        rka_verify(actor=people["tapd"], rka=rka, accept=True)
    return budget_enact(actor=people["bpkad"], tahun=tahun, dasar_hukum=basis)


def _revise(people: dict[str, Any], tahun: int, rng: random.Random) -> Versi:
    """A pergeseran: some lines get smaller, a few are dropped."""
    revision = revision_create(actor=people["bpkad"], tahun=tahun, jenis=Versi.Jenis.PERGESERAN)
    lines = list(
        Rincian.objects.filter(versi=revision).select_related("rka__opd", "rekening", "sumber_dana")
    )
    for line in rng.sample(lines, min(40, len(lines))):
        factor = line.volume_1 - 1 if line.volume_1 > 1 else None
        actor = people["operator"][line.rka.opd.kode]
        if factor is None:
            line_delete(actor=actor, line=line)
            continue
        line_update(
            actor=actor,
            line=line,
            data=LineInput(
                plan_entry=line.rka.plan_entry_id,
                rekening=line.rekening.kode,
                standar_harga=line.kode_harga,
                volume_1=factor,
                satuan_1=line.satuan_1,
                volume_2=line.volume_2,
                satuan_2=line.satuan_2,
                ppn=line.ppn,
                sumber_dana=line.sumber_dana.kode,
                lokasi=line.lokasi,
            ),
        )
    return revision


def budgeting_demo_fill(*, tahun: int, password: str, per_entry: int = 10) -> bool:
    """Fill `tahun` once; False when the year is already open or its RKPD cannot be enacted
    (no plan entries)."""
    if TahunAnggaran.objects.filter(tahun=tahun).exists():
        return False
    if not PlanEntry.objects.filter(tahun=tahun).exists() or price_list_in_force(tahun) is None:
        return False
    rng = random.Random(tahun * 7)
    slug = "demo"
    people: dict[str, Any] = {
        "tapd": person_ensure(email=f"tapd.{slug}@berbagi.test", role=Role.TAPD, password=password),
        "bpkad": person_ensure(
            email=f"bpkad.{slug}@berbagi.test", role=Role.BPKAD, password=password
        ),
        "operator": {},
        "kepala": {},
    }
    stage = Stage.objects.filter(tahun=tahun, jenis=Stage.Kind.RKPD_PENETAPAN).first()
    if stage is not None and stage.status == Stage.State.OPEN:
        # Bappeda closes the planning stage (the calendar services refuse other roles).
        planner = person_ensure(
            email=f"bappeda.{slug}@berbagi.test", role=Role.BAPPEDA, password=password
        )
        stage_close(actor=planner, stage=stage)
    if not rkpd_enacted_ids(tahun):
        return False
    opds = sorted(set(PlanEntry.objects.filter(tahun=tahun).values_list("opd__kode", flat=True)))
    for n, opd in enumerate(opds, start=1):
        people["operator"][opd] = person_ensure(
            email=f"operator{n}.{slug}@berbagi.test",
            role=Role.OPD_OPERATOR,
            opd=opd,
            password=password,
        )
        people["kepala"][opd] = person_ensure(
            email=f"kepala{n}.{slug}@berbagi.test", role=Role.KEPALA_OPD, opd=opd, password=password
        )
    year_open(actor=people["tapd"], tahun=tahun)
    ceilings_from_rkpd(actor=people["tapd"], tahun=tahun)
    _lines(people["operator"], tahun, per_entry, rng)
    total = Rincian.objects.filter(versi__tahun__tahun=tahun).count()
    revenue = list(
        Rekening.objects.filter(tingkat="sub_rincian_objek", kode__startswith="4.1.").values_list(
            "kode", flat=True
        )[:20]
    )
    for i, opd in enumerate(opds):
        revenue_add(
            actor=people["bpkad"],
            tahun=tahun,
            opd=opd,
            rekening=revenue[i % len(revenue)],
            jumlah=rng.randint(1, 90) * 1_000_000_000,
            uraian="Target pendapatan",
        )
    financing_add(
        actor=people["bpkad"],
        tahun=tahun,
        rekening="6.1.01.01.01.0001",
        jumlah=50_000_000_000,
        uraian="SiLPA tahun sebelumnya",
    )
    _verify_and_enact(people, tahun, f"Perda Kota Medan tentang APBD tahun anggaran {tahun}")
    for opd in opds:
        dpa_issue(actor=people["bpkad"], tahun=tahun, opd=opd)
    _revise(people, tahun, rng)
    _verify_and_enact(people, tahun, f"Perwali pergeseran anggaran ke-1 tahun {tahun}")
    return total > 0
