"""A believable planning year for the demo region, made through the services (idempotent)."""

import datetime
import random
from typing import Any

from django.utils import timezone

from apps.accounts.models import Role, User
from apps.planning.demo_rpjmd import DemoLinks, rpjmd_demo_fill
from apps.planning.models import Period, PlanEntry, Proposal, Stage
from apps.planning.services.calendar import period_create, stage_close, stage_create, stage_open
from apps.planning.services.musrenbang import proposal_attach, proposal_create, proposal_recommend
from apps.planning.services.plan import (
    EntryInput,
    ceiling_set,
    plan_entry_create,
    plan_entry_update,
)
from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana
from apps.wilayah.models import Desa

PROBLEMS = [
    ("Drainase tersumbat, genangan setiap hujan", "Normalisasi saluran drainase", "meter"),
    ("Jalan lingkungan berlubang", "Pengaspalan jalan lingkungan", "meter"),
    ("Posyandu tanpa alat timbang", "Pengadaan alat posyandu", "paket"),
    ("Ruang kelas SD rusak", "Rehabilitasi ruang kelas", "ruang"),
    ("Lampu jalan padam", "Pemasangan penerangan jalan umum", "titik"),
]
STAGE_KINDS = list(Stage.Kind.values)


def _schedule(actor: Any, tahun: int) -> dict[str, Stage]:
    period = Period.objects.filter(tahun_awal__lte=tahun, tahun_akhir__gte=tahun).first()
    if period is None:
        period = period_create(actor=actor, nama="RPJMD", tahun_awal=tahun - 2)
    today = timezone.localdate()
    return {
        kind: stage_open(
            actor=actor,
            stage=stage_create(
                actor=actor,
                period=period,
                tahun=tahun,
                jenis=kind,
                dibuka_pada=today - datetime.timedelta(days=30),
                ditutup_pada=today + datetime.timedelta(days=60),
            ),
        )
        for kind in STAGE_KINDS
    }


def _proposals(actor: Any, tahun: int, rng: random.Random) -> list[Proposal]:
    desa = list(Desa.objects.order_by("kode")[:40])
    made = []
    for i, place in enumerate(desa):
        problem, work, unit = PROBLEMS[i % len(PROBLEMS)]
        made.append(
            proposal_create(
                actor=actor,
                tahun=tahun,
                sumber=Proposal.Source.MUSRENBANG,
                desa=place.kode,
                masalah=problem,
                usulan=work,
                volume=rng.randint(1, 400),
                satuan=unit,
                biaya=rng.randint(5, 500) * 1_000_000,
                prioritas=1 + i % 3,
            )
        )
    return made


def _opds() -> list[PerangkatDaerah]:
    return [o for o in PerangkatDaerah.objects.filter(jenis="dinas") if o.bidang_kode][:10]


def _served(links: DemoLinks, opd: str, kode: str, rng: random.Random) -> dict[str, Any]:
    """What a demo entry serves: its program prioritas when its program is one, its OPD's
    Renstra sasaran; about one in twenty is left unlinked for the consistency report."""
    if rng.random() < 0.05 or opd not in links.renstra_sasaran:
        return {}
    program = ".".join(kode.split(".")[:3])
    return {
        "program_prioritas": links.prioritas.get((opd, program)),
        "renstra_sasaran": links.renstra_sasaran[opd],
    }


def _entries(
    actor: Any, tahun: int, rng: random.Random, count: int, links: DemoLinks
) -> list[PlanEntry]:
    opds = _opds()
    dana = list(SumberDana.objects.values_list("kode", flat=True)[:3])
    desa = list(Desa.objects.values_list("kode", flat=True)[:60])
    made: list[PlanEntry] = []
    per_opd = max(1, count // max(1, len(opds)))
    for opd in opds:
        codes = list(
            Nomenklatur.objects.filter(
                tingkat="sub_kegiatan",
                retired_at=None,
                kode__regex=r"^[0-9]\.[0-9]{2}\.[0-9]{2}\.2\.",
            )
            .filter(kode__startswith=opd.bidang_kode[0] + ".")
            .values_list("kode", "indikator", "satuan")[:per_opd]
        )
        support = Nomenklatur.objects.filter(kode__startswith="X.XX.01.2.", tingkat="sub_kegiatan")
        codes += list(support.values_list("kode", "indikator", "satuan")[:3])
        for kode, indikator, satuan in codes:
            pagu = rng.randint(5, 900) * 10_000_000
            made.append(
                plan_entry_create(
                    actor=actor,
                    data=EntryInput(
                        tahun=tahun,
                        sub_kegiatan=kode,
                        opd=opd.kode,
                        indikator=indikator or "Jumlah keluaran sub kegiatan",
                        satuan=satuan or "dokumen",
                        target=rng.randint(1, 50),
                        target_berikut=rng.randint(1, 60),
                        pagu=pagu,
                        pagu_berikut=pagu * rng.choice((10, 11, 12)) // 10,
                        sumber_dana=rng.choice(dana),
                        desa=rng.choice(desa + [""] * 40),
                        sasaran="",
                        indikator_lain=[
                            {
                                "uraian": "Persentase penyelesaian pekerjaan",
                                "satuan": "persen",
                                "target": 100,
                                "target_berikut": 100,
                            }
                        ],
                        **_served(links, opd.kode, kode, rng),
                    ),
                )
            )
        ceiling_set(actor=actor, tahun=tahun, opd=opd.kode, pagu=per_opd * 400_000_000)
    return made


def planner_ensure(*, email: str, password: str) -> User:
    """The demo's Bappeda planner, invited and accepted through the identity services."""
    from apps.accounts.services import invitation_accept, invitation_create

    user = User.objects.filter(email=email, is_active=True).first()
    if user is not None:
        return user
    from tenants.db import schema_current
    from tenants.models import Tenant

    tenant = Tenant.objects.get(schema_name=schema_current())
    invitation = invitation_create(tenant=tenant, email=email, role=Role.BAPPEDA, invited_by="demo")
    return invitation_accept(
        token=invitation.token, password=password, full_name="Perencana Bappeda"
    )


def planning_demo_fill(*, actor: Any, tahun: int, count: int = 300) -> bool:
    """Fill `tahun` once: calendar, proposals through both forums, ~`count` sub kegiatan, a closed
    stage (forum OPD) and the live RKPD after it moved. False when the year already has a plan
    or the region lacks the kecamatan/desa and reference data to plan with."""
    if Stage.objects.filter(tahun=tahun).exists() or PlanEntry.objects.filter(tahun=tahun).exists():
        return False
    if not (Desa.objects.exists() and PerangkatDaerah.objects.exists()):
        return False  # a region without its wilayah or reference data: nothing to plan with
    rng = random.Random(tahun)
    stages = _schedule(actor, tahun)
    period = Period.objects.get(tahun_awal__lte=tahun, tahun_akhir__gte=tahun)
    links = rpjmd_demo_fill(actor=actor, period=period, opds=_opds())
    proposals = _proposals(actor, tahun, rng)
    R = "terima", "terima_ubah", "tolak", "teruskan_opd"
    for i, proposal in enumerate(proposals[:30]):
        proposal_recommend(actor=actor, proposal=proposal, tingkat="kecamatan", jenis="terima")
        kind = R[i % 4]
        proposal_recommend(
            actor=actor,
            proposal=proposal,
            tingkat="kabkota",
            jenis=kind,
            alasan="Bukan kewenangan kabupaten/kota" if kind == "tolak" else "",
            perubahan={"volume": "50"} if kind == "terima_ubah" else None,
            opd="1.03.0.00.0.00.01.0000" if kind == "teruskan_opd" else "",
        )
    for kind in (Stage.Kind.MUSRENBANG_DESA, Stage.Kind.MUSRENBANG_KECAMATAN):
        stage_close(actor=actor, stage=stages[kind])
    entries = _entries(actor, tahun, rng, count, links)
    for proposal in Proposal.objects.filter(tahun=tahun, status__in=("kabkota", "opd"))[:10]:
        proposal_attach(actor=actor, proposal=proposal, entry=rng.choice(entries))
    stage_close(actor=actor, stage=stages[Stage.Kind.MUSRENBANG_KABKOTA])
    stage_close(actor=actor, stage=stages[Stage.Kind.FORUM_OPD])
    for entry in rng.sample(entries, min(15, len(entries))):
        data = EntryInput(
            tahun=tahun,
            sub_kegiatan=entry.sub_kegiatan.kode,
            opd=entry.opd.kode,
            indikator=entry.indikator,
            satuan=entry.satuan,
            target=entry.target + 1,
            target_berikut=entry.target_berikut,
            pagu=entry.pagu + 25_000_000,
            pagu_berikut=entry.pagu_berikut,
            sumber_dana=entry.sumber_dana.kode,
            kecamatan=entry.kecamatan_id or "",
            desa=entry.desa_id or "",
            sasaran=entry.sasaran,
        )
        plan_entry_update(actor=actor, entry=entry, data=data)
    return True
