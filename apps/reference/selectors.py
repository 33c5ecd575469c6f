"""Read access to reference data; current rows only unless `retired=True` is asked for."""

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from apps.reference.errors import NomenklaturError
from apps.reference.models import (
    DaftarHarga,
    JenisIzin,
    Nomenklatur,
    PerangkatDaerah,
    Rekening,
    StandarHarga,
    SumberDana,
    kekhususan_groups,
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


def sub_kegiatan_available(*, region_kind: str, province_code: str) -> QuerySet[Nomenklatur]:
    """The sub kegiatan a region may plan new work with: current (not retired) items of its own
    level of government (digit 1 for a provinsi, 2 for a kabupaten/kota, penunjang X.XX
    included) plus the special-autonomy items of its own province's group; never another
    province's special items."""
    digit = "1" if region_kind.lower().startswith("prov") else "2"
    groups = kekhususan_groups(province_code)
    special = Q()
    for group in groups:
        special |= Q(kekhususan__regex=rf"(^|,){group}(,|$)")
    general = Q(kekhususan="", kode__regex=rf"^[^.]+\.[^.]+\.[^.]+\.{digit}\.")
    rows = Nomenklatur.objects.filter(tingkat=Nomenklatur.Level.SUB_KEGIATAN, retired_at=None)
    return rows.filter(general | special if groups else general).order_by("kode")


def nomenklatur_successor(*, kode: str) -> Nomenklatur | None:
    """The current item that replaced a retired code: the one whose previous code it is, else
    a current item with the same name under the same parent (renumbered in place)."""
    successor = (
        Nomenklatur.objects.filter(kode_sebelumnya=kode, retired_at=None).order_by("kode").first()
    )
    if successor is not None:
        return successor
    old = Nomenklatur.objects.filter(kode=kode).select_related("induk").first()
    if old is None:
        return None
    return (
        Nomenklatur.objects.filter(
            nama__iexact=old.nama, tingkat=old.tingkat, induk=old.induk, retired_at=None
        )
        .exclude(pk=old.pk)
        .order_by("kode")
        .first()
    )


def nomenklatur_retired(*, kode: str) -> bool:
    """True when the code exists and a release has withdrawn it."""
    return Nomenklatur.objects.filter(kode=kode, retired_at__isnull=False).exists()


def nomenklatur_for_new_record(*, kode: str) -> Nomenklatur:
    """The item a new record (plan entry, budget line) may point to: refused when unknown, or
    retired (naming the suggested successor). Existing records keep their retired items: they
    are never deleted and this check is only for new ones."""
    item = Nomenklatur.objects.filter(kode=kode).first()
    if item is None:
        raise NomenklaturError(
            _("Kode nomenklatur %(kode)s tidak dikenal.") % {"kode": kode}, field="kode"
        )
    if item.retired:
        successor = nomenklatur_successor(kode=kode)
        raise NomenklaturError(
            (
                _("Kode %(kode)s sudah tidak berlaku; gunakan %(baru)s %(nama)s.")
                % {"kode": kode, "baru": successor.kode, "nama": successor.nama}
            )
            if successor
            else _("Kode %(kode)s sudah tidak berlaku dan tidak punya pengganti.") % {"kode": kode},
            field="kode",
        )
    return item


def daftar_harga_list() -> QuerySet[DaftarHarga]:
    return DaftarHarga.objects.order_by("-tahun", "-versi")


def daftar_harga_current(*, tahun: int | None = None) -> DaftarHarga | None:
    """The list in force (the newest enacted one, of `tahun` when given)."""
    rows = DaftarHarga.objects.filter(status=DaftarHarga.Status.BERLAKU)
    if tahun is not None:
        rows = rows.filter(tahun=tahun)
    return rows.order_by("-tahun", "-versi").first()


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
    daftar: DaftarHarga | None = None,
) -> QuerySet[StandarHarga]:
    """Items of one price list: `daftar`, else the list in force (none: an empty result)."""
    daftar = daftar or daftar_harga_current()
    rows = StandarHarga.objects.prefetch_related("rekening").filter(_search(q), daftar=daftar)
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


# --- browsing pages: `retired` None shows both, True only retired, False only current ---------


def _retired_filter(rows: QuerySet[Any], retired: bool | None) -> QuerySet[Any]:
    if retired is None:
        return rows
    return rows.filter(retired_at__isnull=not retired)


def nomenklatur_browse(
    *,
    q: str | None = None,
    tingkat: str | None = None,
    prefix: str | None = None,
    spm: bool | None = None,
    retired: bool | None = False,
) -> QuerySet[Nomenklatur]:
    """The nomenclature page's rows: search, level, urusan/bidang code prefix, SPM flag."""
    rows = Nomenklatur.objects.select_related("induk").filter(_search(q))
    if tingkat:
        rows = rows.filter(tingkat=tingkat)
    if prefix:
        rows = rows.filter(Q(kode=prefix) | Q(kode__startswith=f"{prefix}."))
    if spm is not None:
        rows = rows.filter(spm=spm)
    return _retired_filter(rows, retired).order_by("kode")


def nomenklatur_bidang_choices() -> list[tuple[str, str]]:
    """(kode, 'kode nama') of every urusan and bidang urusan, for the page's filter."""
    rows = Nomenklatur.objects.filter(
        tingkat__in=[Nomenklatur.Level.URUSAN, Nomenklatur.Level.BIDANG]
    ).order_by("kode")
    return [(kode, f"{kode} {nama}") for kode, nama in rows.values_list("kode", "nama")]


def nomenklatur_get(*, kode: str) -> Nomenklatur | None:
    return Nomenklatur.objects.select_related("induk").filter(kode=kode).first()


def nomenklatur_ancestors(*, item: Nomenklatur) -> list[Nomenklatur]:
    """From the urusan down to the item's parent (at most four short queries)."""
    chain: list[Nomenklatur] = []
    parent = item.induk
    while parent is not None and len(chain) < 6:
        chain.insert(0, parent)
        parent = Nomenklatur.objects.select_related("induk").get(pk=parent.pk).induk
    return chain


def nomenklatur_successors(*, kodes: list[str]) -> dict[str, Nomenklatur]:
    """Successors of many retired codes, by the rules of `nomenklatur_successor`, in three
    queries whatever their number: the previous-code mapping, then the same name under the same
    parent for the codes left."""
    if not kodes:
        return {}
    found = {
        row.kode_sebelumnya: row
        for row in Nomenklatur.objects.filter(kode_sebelumnya__in=kodes, retired_at=None).order_by(
            "-kode"
        )
    }
    old = list(Nomenklatur.objects.filter(kode__in=[k for k in kodes if k not in found]))
    candidates = Nomenklatur.objects.annotate(nama_kecil=Lower("nama")).filter(
        retired_at=None,
        tingkat__in={row.tingkat for row in old},
        induk_id__in={row.induk_id for row in old if row.induk_id is not None},
        nama_kecil__in={row.nama.lower() for row in old},
    )
    same_name: dict[tuple[str, str, int | None], Nomenklatur] = {}
    for candidate in candidates.order_by("-kode"):  # the lowest code wins
        same_name[(candidate.nama.lower(), candidate.tingkat, candidate.induk_id)] = candidate
    for row in old:
        successor = same_name.get((row.nama.lower(), row.tingkat, row.induk_id))
        if successor is not None and successor.pk != row.pk:
            found[row.kode] = successor
    return found


def rekening_browse(
    *, q: str | None = None, tingkat: str | None = None, retired: bool | None = False
) -> QuerySet[Rekening]:
    rows = Rekening.objects.select_related("induk").filter(_search(q))
    if tingkat:
        rows = rows.filter(tingkat=tingkat)
    return _retired_filter(rows, retired).order_by("kode")


def daftar_harga_get(*, pk: int) -> DaftarHarga | None:
    return DaftarHarga.objects.filter(pk=pk).first()


def standar_harga_browse(
    *,
    daftar: DaftarHarga,
    q: str | None = None,
    jenis: str | None = None,
    rekening: str | None = None,
    retired: bool | None = False,
) -> QuerySet[StandarHarga]:
    """Items of one price list with their accounts; `rekening` matches an account code prefix."""
    rows = StandarHarga.objects.filter(_search(q), daftar=daftar)
    if jenis:
        rows = rows.filter(jenis=jenis)
    if rekening:
        rows = rows.filter(
            Q(rekening__kode=rekening) | Q(rekening__kode__startswith=f"{rekening}.")
        ).distinct()
    rows = rows.prefetch_related(Prefetch("rekening", queryset=Rekening.objects.order_by("kode")))
    return _retired_filter(rows, retired).order_by("kode")
