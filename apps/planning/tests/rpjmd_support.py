"""An RPJMD and a Renstra of Dinas Kesehatan for the tests' period, made through the services."""

from dataclasses import dataclass
from typing import Any

from apps.planning.models import Period
from apps.planning.services.rpjmd import rpjmd_node_save
from apps.planning.tests.conftest import DINKES
from apps.reference.models import Nomenklatur

YEARS = {"2025": "10", "2026": "20", "2027": "30", "2028": "40", "2029": "50"}


@dataclass
class Built:
    period: Period
    rpjmd: Any
    misi: Any
    tujuan: Any
    sasaran: Any
    prioritas: Any
    renstra: Any
    renstra_tujuan: Any
    renstra_sasaran: Any
    program: str


def health_program() -> str:
    """A health program with at least two kabupaten/kota sub kegiatan."""
    rows = Nomenklatur.objects.filter(tingkat="program", kode__startswith="1.02.", retired_at=None)
    for kode in rows.order_by("kode").values_list("kode", flat=True):
        if len(kab_codes(kode, 2)) == 2:
            return str(kode)
    raise AssertionError("no health program with sub kegiatan")


def build(actor: Any, period: Period) -> Built:
    save = rpjmd_node_save
    rpjmd = save(actor=actor, kind="rpjmd", data={"period": period.pk, "visi": "Kota sehat"})
    misi = save(actor=actor, kind="misi", data={"rpjmd": rpjmd.pk, "urutan": 1, "uraian": "M1"})
    tujuan = save(actor=actor, kind="tujuan", data={"misi": misi.pk, "kode": "1.1", "uraian": "T"})
    sasaran = save(
        actor=actor, kind="sasaran", data={"tujuan": tujuan.pk, "kode": "1.1.1", "uraian": "S"}
    )
    program = health_program()
    prioritas = save(
        actor=actor,
        kind="program-prioritas",
        data={"sasaran": sasaran.pk, "program": program, "opd": DINKES},
    )
    renstra = save(actor=actor, kind="renstra", data={"period": period.pk, "opd": DINKES})
    r_tujuan = save(
        actor=actor,
        kind="renstra-tujuan",
        data={"renstra": renstra.pk, "kode": "1", "uraian": "RT", "rpjmd_sasaran": sasaran.pk},
    )
    r_sasaran = save(
        actor=actor,
        kind="renstra-sasaran",
        data={"tujuan": r_tujuan.pk, "kode": "1.1", "uraian": "RS", "rpjmd_sasaran": sasaran.pk},
    )
    return Built(
        period, rpjmd, misi, tujuan, sasaran, prioritas, renstra, r_tujuan, r_sasaran, program
    )


def kab_codes(prefix: str, n: int = 5) -> list[str]:
    """Current kabupaten/kota sub kegiatan codes under a program (or bidang) code."""
    rows = Nomenklatur.objects.filter(
        tingkat="sub_kegiatan",
        retired_at=None,
        kode__startswith=prefix + ".",
        kode__regex=r"^[0-9X.]+\.2\.[0-9]{2}\.[0-9]{4}$",
    )
    return list(rows.order_by("kode").values_list("kode", flat=True)[:n])


def other_program(than: str) -> str:
    rows = Nomenklatur.objects.filter(tingkat="program", kode__startswith="1.02.").exclude(
        kode=than
    )
    for kode in rows.order_by("kode").values_list("kode", flat=True):
        if kab_codes(kode, 1):
            return str(kode)
    raise AssertionError("no other health program with sub kegiatan")
