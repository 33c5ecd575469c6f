"""Read access to reference data; current rows only unless `retired=True` is asked for."""

from django.db.models import Q, QuerySet

from apps.reference.models import (
    JenisIzin,
    Nomenklatur,
    PerangkatDaerah,
    Rekening,
    StandarHarga,
    SumberDana,
)


def _search(q: str | None) -> Q:
    if not q:
        return Q()
    q = q.strip()
    return Q(kode__startswith=q) | Q(nama__icontains=q)


def nomenklatur_list(
    *,
    q: str | None = None,
    tingkat: str | None = None,
    induk: str | None = None,
    retired: bool = False,
) -> QuerySet[Nomenklatur]:
    rows = Nomenklatur.objects.select_related("induk").filter(_search(q))
    if tingkat:
        rows = rows.filter(tingkat=tingkat)
    if induk:
        rows = rows.filter(induk__kode=induk)
    if not retired:
        rows = rows.filter(retired_at__isnull=True)
    return rows.order_by("kode")


def rekening_list(
    *, q: str | None = None, tingkat: str | None = None, retired: bool = False
) -> QuerySet[Rekening]:
    rows = Rekening.objects.select_related("induk").filter(_search(q))
    if tingkat:
        rows = rows.filter(tingkat=tingkat)
    if not retired:
        rows = rows.filter(retired_at__isnull=True)
    return rows.order_by("kode")


def standar_harga_list(
    *,
    q: str | None = None,
    jenis: str | None = None,
    rekening: str | None = None,
    retired: bool = False,
) -> QuerySet[StandarHarga]:
    rows = StandarHarga.objects.prefetch_related("rekening").filter(_search(q))
    if jenis:
        rows = rows.filter(jenis=jenis.upper())
    if rekening:
        rows = rows.filter(rekening__kode=rekening)
    if not retired:
        rows = rows.filter(retired_at__isnull=True)
    return rows.order_by("kode")


def jenis_izin_list(
    *,
    q: str | None = None,
    sektor: str | None = None,
    berlaku: bool | None = None,
    retired: bool = False,
) -> QuerySet[JenisIzin]:
    rows = JenisIzin.objects.filter(_search(q))
    if sektor:
        rows = rows.filter(sektor__iexact=sektor)
    if berlaku is not None:
        rows = rows.filter(berlaku=berlaku)
    if not retired:
        rows = rows.filter(retired_at__isnull=True)
    return rows.order_by("kode")


def perangkat_daerah_list(
    *, q: str | None = None, retired: bool = False
) -> QuerySet[PerangkatDaerah]:
    rows = PerangkatDaerah.objects.select_related("induk")
    if q:
        rows = rows.filter(_search(q) | Q(singkatan__iexact=q.strip()))
    if not retired:
        rows = rows.filter(retired_at__isnull=True)
    return rows.order_by("kode")


def sumber_dana_list(*, q: str | None = None, retired: bool = False) -> QuerySet[SumberDana]:
    rows = SumberDana.objects.select_related("induk").filter(_search(q))
    if not retired:
        rows = rows.filter(retired_at__isnull=True)
    return rows.order_by("kode")
