"""Reference rows named by code, refused with a field-named message when they do not fit."""

from django.utils.translation import gettext as _

from apps.planning.errors import PlanningError
from apps.reference.models import Nomenklatur, PerangkatDaerah, SumberDana
from apps.wilayah.models import Desa, Kecamatan

# The digit after the program code marks the level of government: 1 provinsi, 2 kab/kota.
REGION_LEVEL_DIGIT = "2"


def sub_kegiatan_get(kode: str, *, field: str = "sub_kegiatan") -> Nomenklatur:
    """A current sub kegiatan at the kabupaten/kota level (support programs X.XX included)."""
    kode = (kode or "").strip()
    row = Nomenklatur.objects.filter(kode=kode).first()
    if row is None or row.tingkat != Nomenklatur.Level.SUB_KEGIATAN:
        raise PlanningError(
            _("Kode %(kode)s bukan sub kegiatan dalam nomenklatur.") % {"kode": kode[:40]},
            field=field,
        )
    parts = kode.split(".")
    if len(parts) < 6 or parts[3] != REGION_LEVEL_DIGIT:
        raise PlanningError(
            _("Kode %(kode)s bukan sub kegiatan tingkat kabupaten/kota.") % {"kode": kode},
            field=field,
        )
    if getattr(row, "retired", False) or getattr(row, "retired_at", None) is not None:
        raise PlanningError(
            _("Kode %(kode)s sudah tidak berlaku dalam nomenklatur.") % {"kode": kode},
            field=field,
        )
    return row


def opd_get(kode: str, *, field: str = "opd") -> PerangkatDaerah:
    row = PerangkatDaerah.objects.filter(kode=(kode or "").strip()).first()
    if row is None or getattr(row, "retired_at", None) is not None:
        raise PlanningError(
            _("OPD %(kode)s tidak dikenal di daerah ini.") % {"kode": (kode or "")[:64]},
            field=field,
        )
    return row


def sumber_dana_get(kode: str, *, field: str = "sumber_dana") -> SumberDana:
    row = SumberDana.objects.filter(kode=(kode or "").strip()).first()
    if row is None or getattr(row, "retired_at", None) is not None:
        raise PlanningError(
            _("Sumber dana %(kode)s tidak dikenal.") % {"kode": (kode or "")[:40]}, field=field
        )
    return row


def kecamatan_get(kode: str, *, field: str = "kecamatan") -> Kecamatan:
    row = Kecamatan.objects.filter(kode=(kode or "").strip()).first()
    if row is None:
        raise PlanningError(
            _("Kecamatan %(kode)s tidak berada di daerah ini.") % {"kode": (kode or "")[:13]},
            field=field,
        )
    return row


def desa_get(kode: str, *, field: str = "desa") -> Desa:
    row = Desa.objects.select_related("kecamatan").filter(kode=(kode or "").strip()).first()
    if row is None:
        raise PlanningError(
            _("Desa/kelurahan %(kode)s tidak berada di daerah ini.") % {"kode": (kode or "")[:13]},
            field=field,
        )
    return row


def location_get(kecamatan: str, desa: str) -> tuple[Kecamatan | None, Desa | None]:
    """Both empty: the whole region. A desa implies its kecamatan; both must agree."""
    desa_row = desa_get(desa) if desa else None
    kec_row = kecamatan_get(kecamatan) if kecamatan else None
    if desa_row is not None:
        if kec_row is not None and desa_row.kecamatan_id != kec_row.kode:
            raise PlanningError(
                _("Desa/kelurahan %(desa)s tidak berada di kecamatan %(kec)s.")
                % {"desa": desa_row.kode, "kec": kec_row.kode},
                field="desa",
            )
        kec_row = desa_row.kecamatan
    return kec_row, desa_row
