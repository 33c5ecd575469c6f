"""The consistency report: every line of a version checked against plan, account, standard
price, ceiling and lock rules, with what fails and why (data imported or left from an older
template version). A constant number of queries at any size."""

from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Round
from django.utils.translation import gettext as _

from apps.budgeting.formatting import rupiah_sen
from apps.budgeting.models import PaguOpd, PaguSubKegiatan, Rincian, Versi
from apps.budgeting.services._common import PPN_RATE, line_total, rkpd_enacted_ids
from apps.reference.models import Rekening, StandarHargaRekening

LIMIT = 2000


def _line_problems(row: dict[str, Any], rkpd: frozenset[int], tahun: int) -> list[str]:
    out = []
    if row["plan_entry_id"] not in rkpd or row["entry_tahun"] != tahun:
        out.append(_("sub kegiatan tidak termasuk RKPD yang ditetapkan"))
    if row["entry_opd"] != row["opd_id"]:
        out.append(_("sub kegiatan milik OPD lain"))
    if row["rek_tingkat"] != Rekening.Level.SUB_RINCIAN_OBJEK or not row["rek_kode"].startswith(
        "5."
    ):
        out.append(_("rekening bukan rekening belanja tingkat sub rincian objek"))
    if row["rek_retired"] is not None:
        out.append(_("rekening sudah tidak berlaku"))
    if row["standar_harga_id"] is None:
        out.append(_("tanpa standar harga"))
    elif not row["allowed"]:
        out.append(_("standar harga tidak diizinkan pada rekening ini"))
    if row["item_harga"] is not None and row["harga"] > row["item_harga"]:
        out.append(
            _("harga %(harga)s di atas standar harga %(std)s")
            % {"harga": rupiah_sen(row["harga"]), "std": rupiah_sen(row["item_harga"])}
        )
    if row["volume_1"] <= 0:
        out.append(_("volume nol atau negatif"))
    if line_total(volume=row["volume"], harga=row["harga"], ppn=row["ppn"]) != row["jumlah"]:
        out.append(_("jumlah tidak sama dengan volume x harga"))
    return out


def _ceiling_problems(version: Versi) -> list[dict[str, Any]]:
    lines = Rincian.objects.filter(versi=version)
    out = []
    sub_pagu = dict(
        PaguSubKegiatan.objects.filter(tahun=version.tahun).values_list("plan_entry_id", "pagu")
    )
    for entry_id, kode, total in (
        lines.values("rka__plan_entry_id")
        .annotate(s=Sum("jumlah"))
        .values_list("rka__plan_entry_id", "rka__plan_entry__sub_kegiatan__kode", "s")
    ):
        pagu = sub_pagu.get(entry_id)
        if pagu is None or total > pagu:
            out.append({"objek": kode, "jumlah": total, "pagu": pagu})
    opd_pagu = dict(PaguOpd.objects.filter(tahun=version.tahun).values_list("opd__kode", "pagu"))
    for kode, total in (
        lines.values("rka__opd__kode").annotate(s=Sum("jumlah")).values_list("rka__opd__kode", "s")
    ):
        pagu = opd_pagu.get(kode)
        if pagu is None or total > pagu:
            out.append({"objek": kode, "jumlah": total, "pagu": pagu})
    return out


ROW_FIELDS = (
    "id",
    "standar_harga_id",
    "harga",
    "volume",
    "volume_1",
    "ppn",
    "jumlah",
    "uraian",
    "kode_harga",
    "allowed",
)
ROW_JOINS = {
    "opd_id": F("rka__opd_id"),
    "opd": F("rka__opd__kode"),
    "plan_entry_id": F("rka__plan_entry_id"),
    "entry_tahun": F("rka__plan_entry__tahun"),
    "entry_opd": F("rka__plan_entry__opd_id"),
    "sub_kegiatan": F("rka__plan_entry__sub_kegiatan__kode"),
    "rek_kode": F("rekening__kode"),
    "rek_tingkat": F("rekening__tingkat"),
    "rek_retired": F("rekening__retired_at"),
    "item_harga": F("standar_harga__harga"),
}


def _expected_total() -> Any:
    """volume x price (+ PPN), rounded to the sen in SQL as line_total does in Python."""
    base = ExpressionWrapper(F("volume") * F("harga"), output_field=DecimalField())
    return Case(
        When(ppn=True, then=Round(base * Value(1 + PPN_RATE), 2)),
        default=Round(base, 2),
        output_field=DecimalField(),
    )


def _suspect(rkpd: frozenset[int], tahun: int) -> Q:
    """Lines failing any rule, found by PostgreSQL; Python then names each failure."""
    return (
        ~Q(rka__plan_entry_id__in=sorted(rkpd))
        | ~Q(rka__plan_entry__tahun=tahun)
        | ~Q(rka__plan_entry__opd_id=F("rka__opd_id"))
        | ~Q(rekening__tingkat=Rekening.Level.SUB_RINCIAN_OBJEK)
        | ~Q(rekening__kode__startswith="5.")
        | Q(rekening__retired_at__isnull=False)
        | Q(standar_harga__isnull=True)
        | Q(allowed=False)
        | Q(harga__gt=F("standar_harga__harga"))
        | Q(volume_1__lte=0)
        | ~Q(jumlah=F("expected"))
    )


def consistency_report(version: Versi) -> dict[str, Any]:
    """Lines failing a rule (at most LIMIT listed, all counted), ceilings exceeded, and for an
    enacted version whether its digest still matches its rows."""
    from apps.budgeting.services.workflow import version_digest

    tahun = version.tahun.tahun
    rkpd = rkpd_enacted_ids(tahun)
    allowed = StandarHargaRekening.objects.filter(
        standar_harga=OuterRef("standar_harga_id"), rekening=OuterRef("rekening_id")
    )
    lines = Rincian.objects.filter(versi=version)
    suspects = lines.annotate(allowed=Exists(allowed), expected=_expected_total()).filter(
        _suspect(rkpd, tahun)
    )
    checked, failing = lines.count(), suspects.count()
    rows = suspects.values(*ROW_FIELDS, **ROW_JOINS).order_by("id")[:LIMIT] if failing else []
    problems: list[dict[str, Any]] = []
    for row in rows:
        found = _line_problems(dict(row), rkpd, tahun)
        if found and len(problems) < LIMIT:
            above = row["item_harga"] is not None and row["harga"] > row["item_harga"]
            problems.append({**row, "masalah": found, "di_atas_standar": above})
    lock = None
    if version.enacted:
        lock = version_digest(version) == version.digest
    return {
        "versi": version,
        "diperiksa": checked,
        "bermasalah": failing,
        "rincian": problems,
        "pagu": _ceiling_problems(version),
        "kunci_utuh": lock,
    }
