"""The demo region's RPJMD (visi, five misi, tujuan, sasaran with indicators, strategi, arah
kebijakan, program prioritas) and a Renstra for each demo OPD cascading to it, made through the
services; `DemoLinks` tells the demo's RKPD entries what each one serves."""

from dataclasses import dataclass, field
from typing import Any

from apps.planning.models import Period
from apps.planning.models_rpjmd import RpjmdSasaran
from apps.planning.services.rpjmd import rpjmd_node_save
from apps.reference.models import Nomenklatur, PerangkatDaerah

VISI = "Terwujudnya Kota yang maju, sejahtera, religius dan berwawasan lingkungan"
MISI = [
    (
        "Mewujudkan pelayanan dasar yang merata dan berkualitas",
        "Meningkatnya kualitas sumber daya manusia",
        "Meningkatnya derajat kesehatan dan mutu pendidikan masyarakat",
        ("Indeks Pembangunan Manusia", "indeks", "81.2", "0.3"),
    ),
    (
        "Membangun infrastruktur kota yang andal dan berkelanjutan",
        "Meningkatnya kualitas infrastruktur kota",
        "Meningkatnya kemantapan jalan dan drainase kota",
        ("Persentase jalan kota dalam kondisi mantap", "persen", "78", "2.5"),
    ),
    (
        "Mewujudkan tata kelola pemerintahan yang bersih dan melayani",
        "Meningkatnya akuntabilitas kinerja pemerintah daerah",
        "Meningkatnya kualitas perencanaan dan pengelolaan keuangan daerah",
        ("Nilai SAKIP", "nilai", "68", "2"),
    ),
    (
        "Menumbuhkan ekonomi kerakyatan yang berdaya saing",
        "Meningkatnya pertumbuhan ekonomi yang inklusif",
        "Meningkatnya daya saing usaha mikro dan kecil",
        ("Pertumbuhan ekonomi", "persen", "4.9", "0.2"),
    ),
    (
        "Mewujudkan kota yang religius, aman dan berwawasan lingkungan",
        "Meningkatnya kualitas lingkungan hidup kota",
        "Meningkatnya pengelolaan sampah dan ruang terbuka hijau",
        ("Indeks Kualitas Lingkungan Hidup", "indeks", "55", "1"),
    ),
]


@dataclass
class DemoLinks:
    rpjmd_sasaran: list[int] = field(default_factory=list)
    renstra_sasaran: dict[str, int] = field(default_factory=dict)  # OPD code -> id
    prioritas: dict[tuple[str, str], int] = field(default_factory=dict)  # (OPD, program) -> id


def _targets(period: Period, start: str, step: str, skip: int | None = None) -> dict[str, str]:
    return {
        str(year): str(round(float(start) + float(step) * (i + 1), 2))
        for i, year in enumerate(range(period.tahun_awal, period.tahun_akhir + 1))
        if i != skip
    }


def _rpjmd(actor: Any, period: Period) -> list[RpjmdSasaran]:
    save = rpjmd_node_save
    rpjmd = save(actor=actor, kind="rpjmd", data={"period": period.pk, "visi": VISI})
    made = []
    for n, (misi_text, tujuan_text, sasaran_text, ind) in enumerate(MISI, start=1):
        misi = save(
            actor=actor, kind="misi", data={"rpjmd": rpjmd.pk, "urutan": n, "uraian": misi_text}
        )
        tujuan = save(
            actor=actor,
            kind="tujuan",
            data={"misi": misi.pk, "kode": f"{n}.1", "uraian": tujuan_text},
        )
        sasaran = save(
            actor=actor,
            kind="sasaran",
            data={"tujuan": tujuan.pk, "kode": f"{n}.1.1", "uraian": sasaran_text},
        )
        # The last misi's indicator misses its final year: the consistency report shows it.
        target = _targets(period, ind[2], ind[3], skip=4 if n == len(MISI) else None)
        for owner, pk in (("tujuan", tujuan.pk), ("sasaran", sasaran.pk)):
            data = {owner: pk, "uraian": ind[0], "satuan": ind[1], "baseline": ind[2]}
            save(actor=actor, kind="indikator", data={**data, "target": target})
        strategi = save(
            actor=actor,
            kind="strategi",
            data={"sasaran": sasaran.pk, "uraian": f"Memperkuat {sasaran_text[12:].lower()}"},
        )
        save(
            actor=actor,
            kind="arah-kebijakan",
            data={
                "strategi": strategi.pk,
                "uraian": "Fokus pada kecamatan dengan capaian terendah",
            },
        )
        made.append(sasaran)
    return made


def _programs(opd: PerangkatDaerah, n: int) -> list[Nomenklatur]:
    rows = Nomenklatur.objects.filter(
        tingkat="program", retired_at=None, kode__startswith=opd.bidang_kode[0] + "."
    )
    return list(rows.order_by("kode")[:n])


def _renstra(actor: Any, period: Period, opd: PerangkatDaerah, serves: RpjmdSasaran) -> int:
    save = rpjmd_node_save
    renstra = save(actor=actor, kind="renstra", data={"period": period.pk, "opd": opd.kode})
    tujuan = save(
        actor=actor,
        kind="renstra-tujuan",
        data={
            "renstra": renstra.pk,
            "kode": "1",
            "uraian": f"Meningkatnya kinerja urusan {opd.nama}",
            "rpjmd_sasaran": serves.pk,
        },
    )
    sasaran = save(
        actor=actor,
        kind="renstra-sasaran",
        data={
            "tujuan": tujuan.pk,
            "kode": "1.1",
            "uraian": f"Meningkatnya capaian layanan {opd.nama}",
            "rpjmd_sasaran": serves.pk,
        },
    )
    save(
        actor=actor,
        kind="renstra-indikator",
        data={
            "sasaran": sasaran.pk,
            "uraian": "Persentase capaian standar pelayanan minimal",
            "satuan": "persen",
            "baseline": "80",
            "target": _targets(period, "80", "3"),
        },
    )
    for i, program in enumerate(_programs(opd, 3)):
        pagu = {
            str(y): str((i + 2) * 750_000_000 + k * 50_000_000)
            for k, y in enumerate(range(period.tahun_awal, period.tahun_akhir + 1))
        }
        save(
            actor=actor,
            kind="renstra-program",
            data={"sasaran": sasaran.pk, "nomenklatur": program.kode, "pagu": pagu},
        )
    return int(sasaran.pk)


def rpjmd_demo_fill(*, actor: Any, period: Period, opds: list[PerangkatDaerah]) -> DemoLinks:
    """The RPJMD of `period` and the Renstra of each of `opds` (its first programs as program
    prioritas of the RPJMD sasaran its urusan serves). Idempotent: a period with an RPJMD is
    left alone and its links read back."""
    links = DemoLinks()
    if hasattr(period, "rpjmd"):
        return links
    sasaran = _rpjmd(actor, period)
    links.rpjmd_sasaran = [s.pk for s in sasaran]
    for i, opd in enumerate(opds):
        serves = sasaran[i % len(sasaran)]
        links.renstra_sasaran[opd.kode] = _renstra(actor, period, opd, serves)
        for program in _programs(opd, 3):
            priority = rpjmd_node_save(
                actor=actor,
                kind="program-prioritas",
                data={"sasaran": serves.pk, "program": program.kode, "opd": opd.kode},
            )
            links.prioritas[(opd.kode, program.kode)] = priority.pk
    return links
