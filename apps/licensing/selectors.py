"""Reads of perizinan: worklists, an application's clock, public tracking and verification
(nothing personal beyond initials), the SLA dashboard and the IKM index."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear

from apps.files.storage import RegionFileStorage
from apps.licensing import clock
from apps.licensing.models import Izin, Langkah, Permohonan, StandarLayanan, Step, SurveiIkm
from apps.licensing.services.permits import IKM_ELEMENTS, izin_state, token_from_code

NUMBER_MAX = 40


def standar_list(*, active_only: bool = False) -> QuerySet[StandarLayanan]:
    qs = StandarLayanan.objects.select_related("jenis_izin").order_by("kode")
    return qs.filter(aktif=True, jenis_izin__berlaku=True) if active_only else qs


def permohonan_list(
    *,
    status: str | None = None,
    langkah: str | None = None,
    q: str | None = None,
    pemohon_id: int | None = None,
    for_steps: list[str] | None = None,
) -> QuerySet[Permohonan]:
    """Applications, newest first; `for_steps` keeps those waiting at one of these steps (and,
    when the front office's berkas check is among them, those back with the applicant, whom
    the counter helps to resubmit)."""
    qs = Permohonan.objects.select_related("standar")
    if for_steps is not None:
        waiting = Q(status=Permohonan.Status.DIPROSES, langkah_sekarang__in=for_steps)
        if Step.BERKAS in for_steps:
            waiting |= Q(status=Permohonan.Status.DIKEMBALIKAN)
        qs = qs.filter(waiting)
    if status:
        qs = qs.filter(status=status)
    if langkah:
        qs = qs.filter(langkah_sekarang=langkah)
    if q:
        qs = qs.filter(Q(nomor__icontains=q) | Q(nama_pemohon__icontains=q))
    if pemohon_id is not None:
        qs = qs.filter(pemohon_id=pemohon_id)
    return qs


def permohonan_get(nomor: str) -> Permohonan | None:
    if not nomor or len(nomor) > NUMBER_MAX:
        return None
    return (
        Permohonan.objects.select_related("standar", "izin")
        .prefetch_related("langkah", "dokumen__berkas", "jeda")
        .filter(nomor=nomor)
        .first()
    )


@dataclass(frozen=True)
class StepClock:
    kode: str
    label: str
    mulai: date
    tenggat: date
    selesai: date | None
    hasil: str
    terlambat: bool
    oleh: str
    catatan: str


def permohonan_clock(permohonan: Permohonan) -> list[StepClock]:
    """Every step with its deadline (pauses added) and a late flag; one query for the days off."""
    steps = list(permohonan.langkah.all())
    if not steps:
        return []
    today = clock.today()
    calendar = clock.calendar_for(steps[0].mulai, today)
    pauses = [(j.mulai, j.selesai) for j in permohonan.jeda.all()]
    rows = []
    for step in steps:
        done = step.selesai_pada.date() if step.selesai_pada else None
        due = calendar.deadline(pauses, step.mulai, step.hari_kerja, done or today)
        rows.append(
            StepClock(
                kode=step.kode,
                label=str(Step(step.kode).label),
                mulai=step.mulai,
                tenggat=due,
                selesai=done,
                hasil=step.hasil,
                terlambat=(done or today) > due,
                oleh=step.oleh_label,
                catatan=step.catatan,
            )
        )
    return rows


def initials(name: str) -> str:
    return " ".join(f"{part[0].upper()}." for part in name.split() if part[:1].isalpha())


def tracking(nomor: str) -> dict[str, Any] | None:
    """What anyone may know of an application by its number: no names beyond initials."""
    if not nomor or len(nomor) > NUMBER_MAX:
        return None
    # Only what the public page shows: the steps and pauses, no documents nor permit.
    permohonan = (
        Permohonan.objects.select_related("standar")
        .prefetch_related("langkah", "jeda")
        .filter(nomor=nomor)
        .first()
    )
    if permohonan is None:
        return None
    return {
        "nomor": permohonan.nomor,
        "jenis_izin": permohonan.standar.nama,
        "pemohon": initials(permohonan.nama_pemohon),
        "status": permohonan.status,
        "status_label": str(permohonan.get_status_display()),
        "langkah": [
            {
                "kode": s.kode,
                "label": s.label,
                "mulai": s.mulai,
                "tenggat": s.tenggat,
                "selesai": s.selesai,
                "terlambat": s.terlambat,
            }
            for s in permohonan_clock(permohonan)
            if s.hasil != Langkah.Hasil.KEMBALIKAN
        ],
    }


def verification(code: str) -> dict[str, Any] | None:
    """The public facts of a permit, or None for a forged, altered or unknown code."""
    token = token_from_code(code[:80])
    if token is None:
        return None
    izin = Izin.objects.select_related("permohonan__standar").filter(token=token).first()
    if izin is None:
        return None
    return {
        "nomor": izin.nomor,
        "jenis_izin": izin.permohonan.standar.nama,
        "pemegang": izin.permohonan.nama_pemohon,
        "diterbitkan": izin.diterbitkan_pada.date(),
        "berlaku_sampai": izin.berlaku_sampai,
        "status": izin_state(izin),
        "sha256": izin.sha256,
    }


def izin_pdf_bytes(izin: Izin) -> bytes:
    assert izin.berkas is not None
    with RegionFileStorage().open(izin.berkas.path, "rb") as handle:
        return bytes(handle.read())


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class _Tally:
    """Finished applications of a group as a histogram of working days: exact counts, share
    and median (the mean of the two middle values for an even count, as statistics.median)."""

    days: dict[int, int]
    on_time: int = 0

    def add(self, days: int, on_time: bool, n: int) -> None:
        self.days[days] = self.days.get(days, 0) + n
        self.on_time += n if on_time else 0

    def median(self) -> Decimal | None:
        total = sum(self.days.values())
        if not total:
            return None
        wanted, seen, middle = ((total - 1) // 2, total // 2), 0, []
        for days in sorted(self.days):
            count = self.days[days]
            middle += [days for w in wanted if seen <= w < seen + count]
            seen += count
        return (Decimal(sum(middle)) / 2).quantize(Decimal("0.1"))

    def row(self) -> dict[str, Any]:
        n = sum(self.days.values())
        return {
            "selesai": n,
            "tepat_waktu": self.on_time,
            "persen_tepat_waktu": _share(self.on_time, n),
            "median_hari_kerja": self.median(),
        }


def _histogram(finished: QuerySet[Permohonan]) -> list[tuple[int, int, bool, int]]:
    """(standard, working days, on time, count): one scan, grouped in PostgreSQL; a few
    hundred rows whatever the number of applications."""
    return list(
        finished.order_by()
        .values_list("standar_id", Coalesce("hari_kerja", 0), Coalesce("tepat_waktu", False))
        .annotate(n=Count("id"))
    )


def _late(limit: int = 200) -> list[dict[str, Any]]:
    late = (
        Langkah.objects.filter(
            selesai_pada__isnull=True,
            tenggat__lt=clock.today(),
            permohonan__status=Permohonan.Status.DIPROSES,
        )
        .select_related("permohonan__standar")
        .order_by("tenggat", "id")[:limit]
    )
    return [
        {
            "nomor": s.permohonan.nomor,
            "jenis_izin": s.permohonan.standar.nama,
            "langkah": str(Step(s.kode).label),
            "tenggat": s.tenggat,
        }
        for s in late
    ]


def dashboard(*, year: int | None = None) -> dict[str, Any]:
    """Finished applications: share on time, median working days, by permit type and sector;
    the open applications past a step's deadline. Aggregated in SQL from the working days
    stored on each application when it finished (a fixed number of queries at any size)."""
    finished = Permohonan.objects.filter(
        status__in=[Permohonan.Status.SELESAI, Permohonan.Status.DITOLAK]
    )
    if year:
        finished = finished.filter(selesai_pada__year=year)
    standards = {s.pk: s for s in StandarLayanan.objects.only("kode", "nama", "sektor")}
    overall = _Tally({})
    by_type: dict[int, _Tally] = {}
    by_sector: dict[str, _Tally] = {}
    for standar_id, days, on_time, n in _histogram(finished):
        standar = standards[standar_id]
        overall.add(days, on_time, n)
        by_type.setdefault(standar_id, _Tally({})).add(days, on_time, n)
        by_sector.setdefault(standar.sektor or "-", _Tally({})).add(days, on_time, n)
    return overall.row() | {
        "per_jenis": sorted(
            (
                {"kode": s.kode, "nama": s.nama, "sektor": s.sektor} | by_type[pk].row()
                for pk, s in standards.items()
                if pk in by_type
            ),
            key=lambda r: (r["kode"], r["nama"], r["sektor"]),
        ),
        "per_sektor": [{"sektor": k} | by_sector[k].row() for k in sorted(by_sector)],
        "terlambat": _late(),
        "berjalan": Permohonan.objects.filter(status=Permohonan.Status.DIPROSES).count(),
    }


def ikm(*, year: int | None = None) -> dict[str, Any]:
    """IKM per PermenPANRB 14/2017: the mean of each element (1-4), their average (equal
    weights 1/9) times 25, per quarter of each year (one query)."""
    qs = SurveiIkm.objects.all()
    if year:
        qs = qs.filter(dibuat_pada__year=year)
    rows = (
        qs.annotate(tahun=ExtractYear("dibuat_pada"), triwulan=ExtractQuarter("dibuat_pada"))
        .order_by()
        .values("tahun", "triwulan")
        .annotate(n=Count("id"), **{e: Avg(e) for e in IKM_ELEMENTS})
        .order_by("tahun", "triwulan")
    )
    quarters = []
    for row in rows:
        means: dict[str, Any] = dict(row)
        elements = {e: Decimal(str(means[e])).quantize(Decimal("0.01")) for e in IKM_ELEMENTS}
        total = sum((Decimal(str(means[e])) for e in IKM_ELEMENTS), Decimal(0))
        index = (total / 9 * 25).quantize(Decimal("0.01"), ROUND_HALF_UP)
        quarters.append(
            {
                "tahun": means["tahun"],
                "triwulan": means["triwulan"],
                "responden": means["n"],
                "unsur": elements,
                "ikm": index,
                "mutu": ikm_grade(index),
            }
        )
    return {"triwulan": quarters}


def ikm_grade(index: Decimal) -> str:
    """Mutu pelayanan of PermenPANRB 14/2017: A 88.31-100, B 76.61-88.30, C 65.00-76.60, D."""
    if index >= Decimal("88.31"):
        return "A"
    if index >= Decimal("76.61"):
        return "B"
    if index >= Decimal("65.00"):
        return "C"
    return "D"
