"""Query parameters and row shapes shared by the budgeting APIs."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from apps.budgeting.errors import BudgetNotFound
from apps.budgeting.models import Rincian, TahunAnggaran, Versi
from apps.budgeting.services._common import latest_enacted
from saas.api import QueryParams


class YearQuery(QueryParams):
    """`tahun` defaults to the newest fiscal year."""

    tahun = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    opd = serializers.CharField(required=False, allow_blank=True, max_length=64)
    versi = serializers.IntegerField(required=False, min_value=1, max_value=2_147_483_647)


class RowSerializer(serializers.Serializer[Any]):
    """One row of a list answer (its fields are documented by the endpoint)."""


def version_for(query: dict[str, Any]) -> Versi:
    """`versi` when given (of that year), else the year's draft, else its latest enacted."""
    tahun = year_of(query)
    rows = Versi.objects.filter(tahun__tahun=tahun).select_related("tahun", "induk")
    if query.get("versi"):
        version = rows.filter(pk=query["versi"]).first()
    else:
        version = rows.filter(status=Versi.Status.DRAFT).first() or latest_enacted(tahun)
    if version is None:
        raise BudgetNotFound(
            _("Belum ada anggaran tahun %(year)s.") % {"year": tahun}, field="tahun"
        )
    return version


def year_of(query: dict[str, Any]) -> int:
    """The asked year, else the newest fiscal year (0 when there is none: nothing is found)."""
    if query.get("tahun"):
        return int(query["tahun"])
    return int(TahunAnggaran.objects.values_list("tahun", flat=True).first() or 0)


def line_out(line: Rincian) -> dict[str, Any]:
    return {
        "id": line.pk,
        "versi": line.versi_id,
        "rka": line.rka_id,
        "plan_entry": line.rka.plan_entry_id,
        "opd": line.rka.opd.kode,
        "rekening": line.rekening.kode,
        "standar_harga": line.kode_harga,
        "jenis_harga": line.jenis_harga,
        "uraian": line.uraian,
        "spesifikasi": line.spesifikasi,
        "satuan": line.satuan,
        "harga": str(line.harga),
        **{f"volume_{n}": _num(getattr(line, f"volume_{n}")) for n in (1, 2, 3, 4)},
        **{f"satuan_{n}": getattr(line, f"satuan_{n}") for n in (1, 2, 3, 4)},
        "volume": _num(line.volume),
        "ppn": line.ppn,
        "jumlah": str(line.jumlah),
        "sumber_dana": line.sumber_dana.kode,
        "lokasi": line.lokasi,
        "catatan": line.catatan,
        "asal": line.asal_id,
    }


def _num(value: Any) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def jsonable(value: Any) -> Any:
    """Decimals and dates as text, recursively (report dicts straight from selectors)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items() if not isinstance(v, Versi)}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
