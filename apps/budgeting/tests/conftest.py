"""Fixtures of e-budgeting tests: Kota Medan with an enacted RKPD for YEAR (three Dinkes and two
Disdik sub kegiatan), a standard-price list in force, the fiscal year opened with its KUA-PPAS
ceilings, and people of each budgeting role."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest

from apps.accounts.models import Role, User
from apps.budgeting.models import Rincian, Versi
from apps.budgeting.services.kua import ceilings_from_rkpd, financing_add, revenue_add, year_open
from apps.budgeting.services.lines import LineInput, line_create
from apps.budgeting.services.workflow import budget_enact, rka_submit, rka_verify
from apps.planning.models import PlanEntry, Stage
from apps.planning.services.calendar import stage_close
from apps.planning.services.plan import plan_entry_create
from apps.planning.tests.conftest import (
    DINKES,
    DISDIK,
    YEAR,
    MakePerson,
    client_as,
    entry_input,
    in_medan,
    media_root,
    person,
    plan_year,
    sub_kegiatan_codes,
)
from apps.reference.models import DaftarHarga, Rekening, StandarHarga, StandarHargaRekening
from apps.reference.price_lists import daftar_harga_create, daftar_harga_enact
from tenants.models import Tenant

ATK = "5.1.02.01.01.0024"  # belanja alat tulis kantor
MAKAN = "5.1.02.01.01.0052"
PENDAPATAN = "4.1.01.06.01.0001"
PEMBIAYAAN_MASUK = "6.1.01.01.01.0001"

__all__ = ["DINKES", "DISDIK", "YEAR", "client_as", "in_medan", "media_root", "person"]


@dataclass
class Budget:
    """A budgeting year ready for lines, with its people."""

    tenant: Tenant
    entries: list[PlanEntry]
    extra: PlanEntry  # planned but not in the enacted RKPD
    operator: User
    kepala: User
    tapd: User
    bpkad: User
    disdik_operator: User
    versi: Versi
    prices: dict[str, StandarHarga] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)


def price_list(tahun: int, items: list[tuple[str, str, str, str, list[str]]]) -> DaftarHarga:
    """A price list in force: (kode, nama, satuan, harga, accounts) per item."""
    daftar = daftar_harga_create(tahun=tahun, dasar_hukum="Perwali standar harga")
    for kode, nama, satuan, harga, accounts in items:
        item = StandarHarga.objects.create(
            daftar=daftar,
            kode=kode,
            nama=nama,
            jenis="SSH",
            satuan=satuan,
            harga=Decimal(harga),
            spesifikasi="uji",
        )
        for rek in accounts:
            StandarHargaRekening.objects.create(
                standar_harga=item, rekening=Rekening.objects.get(kode=rek)
            )
    return daftar_harga_enact(daftar=daftar, jumlah=len(items))


ITEMS = [
    ("SSH.01.0001", "Kertas HVS A4 80 gram", "rim", "65000.00", [ATK]),
    ("SSH.01.0002", "Pulpen gel", "buah", "4500.00", [ATK]),
    ("SSH.02.0001", "Nasi kotak rapat", "kotak", "42500.50", [MAKAN]),
]


def line(entry: PlanEntry, **overrides: Any) -> LineInput:
    values: dict[str, Any] = {
        "plan_entry": entry.pk,
        "rekening": ATK,
        "standar_harga": "SSH.01.0001",
        "volume_1": "2",
        "satuan_1": "orang",
        "volume_2": "3",
        "satuan_2": "bulan",
        "ppn": False,
        "sumber_dana": entry.sumber_dana.kode,
        "lokasi": "Kantor dinas",
    }
    values.update(overrides)
    return LineInput(**values)


def rkpd_enacted(
    bappeda: User, *, dinkes: int = 3, disdik: int = 2
) -> tuple[list[PlanEntry], PlanEntry]:
    stages = plan_year()
    entries = [
        plan_entry_create(actor=bappeda, data=entry_input(sub_kegiatan=kode, pagu="100000000"))
        for kode in sub_kegiatan_codes("1.02", dinkes)
    ] + [
        plan_entry_create(
            actor=bappeda, data=entry_input(sub_kegiatan=kode, opd=DISDIK, pagu="50000000")
        )
        for kode in sub_kegiatan_codes("1.01", disdik)
    ]
    stage_close(actor=bappeda, stage=stages[Stage.Kind.RKPD_PENETAPAN])
    extra = plan_entry_create(
        actor=bappeda, data=entry_input(sub_kegiatan=sub_kegiatan_codes("1.02", dinkes + 1)[-1])
    )
    return entries, extra


@pytest.fixture
def budget(in_medan: Tenant, person: MakePerson) -> Budget:
    bappeda = person(Role.BAPPEDA)
    entries, extra = rkpd_enacted(bappeda)
    price_list(YEAR, ITEMS)
    tapd, bpkad = person(Role.TAPD), person(Role.BPKAD)
    versi = year_open(actor=tapd, tahun=YEAR)
    ceilings_from_rkpd(actor=tapd, tahun=YEAR)
    revenue_add(actor=bpkad, tahun=YEAR, opd=DINKES, rekening=PENDAPATAN, jumlah="250000000.00")
    financing_add(actor=bpkad, tahun=YEAR, rekening=PEMBIAYAAN_MASUK, jumlah="10000000.00")
    return Budget(
        tenant=in_medan,
        entries=entries,
        extra=extra,
        operator=person(Role.OPD_OPERATOR, opd=DINKES),
        kepala=person(Role.KEPALA_OPD, opd=DINKES),
        tapd=tapd,
        bpkad=bpkad,
        disdik_operator=person(Role.OPD_OPERATOR, opd=DISDIK),
        versi=versi,
        people={
            "bappeda": bappeda,
            "dprd": person(Role.DPRD),
            "inspektorat": person(Role.INSPEKTORAT),
        },
    )


def fill_and_enact(b: Budget) -> list[Rincian]:
    """Two Dinkes lines and one Disdik line, submitted, accepted and enacted."""
    made = [
        line_create(actor=b.operator, tahun=YEAR, data=line(b.entries[0])),
        line_create(
            actor=b.operator,
            tahun=YEAR,
            data=line(b.entries[1], rekening=MAKAN, standar_harga="SSH.02.0001", ppn=True),
        ),
        line_create(actor=b.disdik_operator, tahun=YEAR, data=line(b.entries[3])),
    ]
    rka_submit(actor=b.kepala, tahun=YEAR, opd=DINKES)
    disdik_head = User.objects.create_user(email="kepala-disdik@example.org")
    disdik_head.role_assignments.create(role=Role.KEPALA_OPD, opd_code=DISDIK)
    rka_submit(actor=disdik_head, tahun=YEAR, opd=DISDIK)
    for rka in b.versi.rka.all():
        rka_verify(actor=b.tapd, rka=rka, accept=True)
    budget_enact(actor=b.bpkad, tahun=YEAR, dasar_hukum="Perda Kota Medan Nomor 1 Tahun 2026")
    b.versi.refresh_from_db()
    return made
