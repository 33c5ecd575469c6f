"""Reads of the RPJMD and the Renstra: the tree of a period, one OPD's Renstra with its cascade
to the RPJMD, lists per kind for the API, and the checks the consistency report adds."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.planning.errors import PlanningNotFound
from apps.planning.models import Period
from apps.planning.models_rpjmd import (
    Misi,
    ProgramPrioritas,
    Renstra,
    RenstraIndikator,
    RenstraSasaran,
    Rpjmd,
    RpjmdIndikator,
    RpjmdSasaran,
)
from apps.planning.services.rpjmd_kinds import Kind


def period_for(*, tahun: int | None = None, pk: int | None = None) -> Period | None:
    """The period with id `pk`, else the one holding `tahun`, else the latest."""
    rows = Period.objects.order_by("-tahun_awal")
    if pk:
        return rows.filter(pk=pk).first()
    if tahun:
        found = rows.filter(tahun_awal__lte=tahun, tahun_akhir__gte=tahun).first()
        if found is not None:
            return found
    return rows.first()


def years(period: Period) -> list[int]:
    return list(range(period.tahun_awal, period.tahun_akhir + 1))


def rpjmd_tree(period: Period) -> tuple[Rpjmd | None, list[Misi]]:
    """visi, then misi > tujuan > sasaran with indicators, strategi > arah kebijakan and program
    prioritas: one query per level, whatever the size."""
    rpjmd = Rpjmd.objects.filter(period=period).first()
    if rpjmd is None:
        return None, []
    misi = rpjmd.misi.prefetch_related(
        "tujuan__indikator",
        "tujuan__sasaran__indikator",
        "tujuan__sasaran__strategi__arah",
        "tujuan__sasaran__program_prioritas__program",
        "tujuan__sasaran__program_prioritas__opd",
        "tujuan__sasaran__renstra_sasaran__tujuan__renstra__opd",
    )
    return rpjmd, list(misi)


def renstra_list(period: Period) -> QuerySet[Renstra]:
    return Renstra.objects.filter(period=period).select_related("opd", "period")


def renstra_detail(*, period: Period, opd: str) -> Renstra:
    """One OPD's Renstra with tujuan > sasaran > program and indicators, and for each tujuan and
    sasaran the RPJMD sasaran it serves with its tujuan and misi."""
    renstra = (
        Renstra.objects.filter(period=period, opd__kode=opd)
        .select_related("opd", "period")
        .prefetch_related(
            "tujuan__indikator",
            "tujuan__rpjmd_sasaran__tujuan__misi",
            "tujuan__sasaran__indikator",
            "tujuan__sasaran__rpjmd_sasaran__tujuan__misi",
            "tujuan__sasaran__program__nomenklatur",
            "tujuan__sasaran__program__indikator",
        )
        .first()
    )
    if renstra is None:
        raise PlanningNotFound(
            _("OPD %(opd)s belum memiliki Renstra periode ini.") % {"opd": opd[:64]}, field="opd"
        )
    return renstra


def nodes_list(kind: Kind, *, period: int | None = None, opd: str | None = None) -> QuerySet[Any]:
    """Rows of one kind with their parents joined, filtered by period id and OPD code."""
    rows = kind.model._default_manager.select_related(*kind.related).order_by("pk")
    if period:
        match = Q()
        for path in kind.period_paths:
            match |= Q(**{path: period})
        rows = rows.filter(match)
    if opd and kind.opd_paths:
        match = Q()
        for path in kind.opd_paths:
            match |= Q(**{path: opd})
        rows = rows.filter(match)
    return rows


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _opd_name(opd: Any) -> str:
    return str(opd.singkatan or opd.nama)


def entry_link_choices(*, tahun: int) -> dict[str, list[tuple[int, str]]]:
    """What an RKPD entry of `tahun` may serve, as (id, label) per link: the program prioritas,
    RPJMD sasaran and Renstra sasaran of the RPJMD period holding that year (three queries)."""
    held = {"tahun_awal__lte": tahun, "tahun_akhir__gte": tahun}
    in_rpjmd = {f"tujuan__misi__rpjmd__period__{k}": v for k, v in held.items()}
    sasaran = RpjmdSasaran.objects.filter(**in_rpjmd).order_by("kode", "pk")
    priorities = (
        ProgramPrioritas.objects.filter(**{f"sasaran__{k}": v for k, v in in_rpjmd.items()})
        .select_related("program", "opd", "sasaran")
        .order_by("program__kode", "sasaran__kode", "pk")
    )
    renstra = (
        RenstraSasaran.objects.filter(
            **{f"tujuan__renstra__period__{k}": v for k, v in held.items()}
        )
        .select_related("tujuan__renstra__opd")
        .order_by("tujuan__renstra__opd__kode", "kode", "pk")
    )
    return {
        "program_prioritas": [
            (
                p.pk,
                f"{p.program.kode} {_short(p.program.nama)} "
                f"({_('sasaran')} {p.sasaran.kode}, {_opd_name(p.opd)})",
            )
            for p in priorities
        ],
        "rpjmd_sasaran": [(s.pk, f"{s.kode} {_short(s.uraian)}") for s in sasaran],
        "renstra_sasaran": [
            (s.pk, f"{_opd_name(s.tujuan.renstra.opd)} — {s.kode} {_short(s.uraian)}")
            for s in renstra
        ],
    }


def renstra_sasaran_unlinked(*, tahun: int) -> list[dict[str, Any]]:
    rows = RenstraSasaran.objects.filter(
        rpjmd_sasaran__isnull=True,
        tujuan__renstra__period__tahun_awal__lte=tahun,
        tujuan__renstra__period__tahun_akhir__gte=tahun,
    ).select_related("tujuan__renstra__opd")
    return [
        {"id": s.pk, "kode": s.kode, "uraian": s.uraian, "opd": s.tujuan.renstra.opd.kode}
        for s in rows.order_by("tujuan__renstra__opd__kode", "kode", "pk")
    ]


def _missing(indicator: Any, wanted: list[str]) -> list[int]:
    target = indicator.target if isinstance(indicator.target, dict) else {}
    return [int(y) for y in wanted if str(target.get(y, "")).strip() == ""]


def indicators_without_target(*, tahun: int) -> list[dict[str, Any]]:
    """RPJMD and Renstra indicators of the period holding `tahun` lacking a target for any of
    its years, with those years."""
    period = period_for(tahun=tahun)
    if period is None or not period.tahun_awal <= tahun <= period.tahun_akhir:
        return []
    wanted = [str(y) for y in years(period)]
    rpjmd = RpjmdIndikator.objects.filter(
        Q(tujuan__misi__rpjmd__period=period) | Q(sasaran__tujuan__misi__rpjmd__period=period)
    )
    renstra = RenstraIndikator.objects.filter(
        Q(tujuan__renstra__period=period)
        | Q(sasaran__tujuan__renstra__period=period)
        | Q(program__sasaran__tujuan__renstra__period=period)
    ).select_related(
        "tujuan__renstra__opd",
        "sasaran__tujuan__renstra__opd",
        "program__sasaran__tujuan__renstra__opd",
    )
    out = []
    for jenis, rows in (("rpjmd", rpjmd), ("renstra", renstra)):
        for indicator in rows.order_by("pk"):
            missing = _missing(indicator, wanted)
            if missing:
                opd = getattr(indicator, "opd_code", "")
                out.append(
                    {
                        "jenis": jenis,
                        "id": indicator.pk,
                        "uraian": indicator.uraian,
                        "opd": opd,
                        "tahun_kosong": missing,
                    }
                )
    return out
