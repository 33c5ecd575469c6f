"""Checks of RPJMD and Renstra input: references by id or code, targets and funding per year of
the period. Each refusal names its field; nothing is written here."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from apps.planning.errors import PlanningError
from apps.planning.models import Period
from apps.planning.services._common import quantity, rupiah
from apps.planning.services.lookups import REGION_LEVEL_DIGIT
from apps.reference.models import Nomenklatur

M = TypeVar("M", bound=models.Model)
MAX_ID = 2_147_483_647


def text(
    data: dict[str, Any],
    name: str,
    *,
    limit: int = 4000,
    required: bool = True,
    field: str | None = None,
) -> str:
    value = data.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise PlanningError(_("Wajib diisi."), field=field or name)
    if len(value) > limit or "\x00" in value:
        raise PlanningError(_("Paling banyak %(n)d karakter.") % {"n": limit}, field=field or name)
    return value


def ref(
    data: dict[str, Any], name: str, rows: "models.QuerySet[M]", *, required: bool = True
) -> M | None:
    """The row whose id `data[name]` gives, among `rows`; refused naming `name` otherwise."""
    raw = data.get(name)
    if raw in (None, "", 0, "0"):
        if required:
            raise PlanningError(_("Wajib diisi."), field=name)
        return None
    raw_text = str(raw).strip()
    row = None
    if raw_text.isdigit() and 0 < int(raw_text) <= MAX_ID:
        row = rows.filter(pk=int(raw_text)).first()
    if row is None:
        raise PlanningError(
            _("%(name)s %(id)s tidak ditemukan.") % {"name": name, "id": raw_text[:20]},
            field=name,
        )
    return row


def whole(data: dict[str, Any], name: str, *, low: int, high: int) -> int:
    raw = str(data.get(name) if data.get(name) is not None else "").strip()
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise PlanningError(
            _("Bilangan bulat %(low)s sampai %(high)s.") % {"low": low, "high": high}, field=name
        )
    return int(raw)


def yearly(
    value: Any, *, period: Period, field: str, parse: Callable[..., Decimal]
) -> dict[str, str]:
    """{"2026": value, ...} for years of `period` only; empty values are dropped."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise PlanningError(_("Isikan nilai per tahun periode."), field=field)
    out: dict[str, str] = {}
    for key, raw in value.items():
        year = str(key).strip()[:12]
        if not year.isdigit() or not period.tahun_awal <= int(year) <= period.tahun_akhir:
            raise PlanningError(
                _("Tahun %(year)s di luar periode %(period)s.") % {"year": year, "period": period},
                field=field,
            )
        if raw is None or str(raw).strip() == "":
            continue
        out[str(int(year))] = str(parse(raw, field=field))
    return dict(sorted(out.items()))


def targets(data: dict[str, Any], period: Period) -> dict[str, str]:
    return yearly(data.get("target"), period=period, field="target", parse=quantity)


def funding(data: dict[str, Any], period: Period) -> dict[str, str]:
    return yearly(data.get("pagu"), period=period, field="pagu", parse=rupiah)


def nomenklatur(data: dict[str, Any], name: str, *, levels: tuple[str, ...]) -> Nomenklatur:
    """A current nomenclature row at one of `levels`; kegiatan and sub kegiatan at the
    kabupaten/kota level."""
    kode = text(data, name, limit=40)
    row = Nomenklatur.objects.filter(kode=kode).first()
    if row is None or row.tingkat not in levels:
        names = ", ".join(str(Nomenklatur.Level(level).label).lower() for level in levels)
        raise PlanningError(
            _("Kode %(kode)s bukan %(levels)s dalam nomenklatur.")
            % {"kode": kode, "levels": names},
            field=name,
        )
    parts = kode.split(".")
    if row.tingkat != Nomenklatur.Level.PROGRAM and (
        len(parts) < 5 or parts[3] != REGION_LEVEL_DIGIT
    ):
        raise PlanningError(
            _("Kode %(kode)s bukan tingkat kabupaten/kota.") % {"kode": kode}, field=name
        )
    if row.retired_at is not None:
        raise PlanningError(
            _("Kode %(kode)s sudah tidak berlaku dalam nomenklatur.") % {"kode": kode},
            field=name,
        )
    return row
