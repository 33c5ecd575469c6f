"""Pages of e-budgeting under /anggaran/: the RKA of an OPD with live totals and the line form,
the TAPD verification board, the APBD summary with charts, the revision comparison, the
consistency report, a line's trace, and the documents as XLSX/PDF. Each write is its own POST
view calling one service; refusals come back as a message naming the field."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import role_required
from apps.access.roles import request_actor, user_has_role, user_opd_codes
from apps.budgeting import roles
from apps.budgeting.models import PaguOpd, PaguSubKegiatan, Rincian, Rka, TahunAnggaran, Versi
from apps.budgeting.selectors.consistency import consistency_report
from apps.budgeting.selectors.revision import revision_compare
from apps.budgeting.selectors.rka import grouped, line_rows, rka_board
from apps.budgeting.selectors.summary import version_summary
from apps.budgeting.selectors.trace import line_trace
from apps.budgeting.services import workflow
from apps.budgeting.services._common import latest_enacted, rkpd_enacted_ids
from apps.budgeting.services.lines import LineInput, line_create, line_delete
from apps.core.errors import ApplicationError
from apps.planning.models import PlanEntry
from apps.reference.models import PerangkatDaerah, SumberDana

MAX_PARAM = 64


def _param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    return value if len(value) <= MAX_PARAM and "\x00" not in value else ""


def _post(request: HttpRequest, name: str, limit: int = 4000) -> str:
    value = request.POST.get(name, "").strip()
    return value[:limit] if "\x00" not in value else ""


def _year(request: HttpRequest) -> int:
    raw = _param(request, "tahun") or _post(request, "tahun", 4)
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    latest = TahunAnggaran.objects.values_list("tahun", flat=True).first()
    return int(latest or timezone.localdate().year + 1)


def _version(request: HttpRequest, tahun: int) -> Versi | None:
    rows = Versi.objects.filter(tahun__tahun=tahun).select_related("tahun", "induk")
    raw = _param(request, "versi")
    if raw.isdigit() and len(raw) < 10:
        return rows.filter(pk=int(raw)).first()
    return rows.filter(status=Versi.Status.DRAFT).first() or latest_enacted(tahun)


def _back(request: HttpRequest, fallback: str) -> str:
    target = _post(request, "kembali", 300)
    return target if target.startswith("/anggaran/") else fallback


def _run(request: HttpRequest, action: Any, done: str) -> None:
    """Call one service; its refusal becomes an error message naming the field."""
    try:
        action()
    except ApplicationError as error:
        field = f" ({error.field})" if error.field else ""
        messages.error(request, f"{error.message}{field}")
    else:
        messages.success(request, done)


def _opd_choice(request: HttpRequest) -> str:
    own = sorted(user_opd_codes(request.user))
    chosen = _param(request, "opd")
    if own and chosen not in own:
        return own[0]
    return chosen


@role_required(*roles.DRAFTERS, read=roles.BUDGET_READERS)
def rka_page(request: HttpRequest) -> HttpResponse:
    """An OPD's RKA by sub kegiatan, its ceilings, and (for its operator) the line form."""
    tahun = _year(request)
    version = _version(request, tahun)
    opd = _opd_choice(request)
    rows = line_rows(version, opd=opd) if version and opd else []
    tree = grouped(rows)
    entries = PlanEntry.objects.none()
    if opd:
        entries = PlanEntry.objects.filter(
            pk__in=rkpd_enacted_ids(tahun), opd__kode=opd
        ).select_related("sub_kegiatan")
    sub_pagu = dict(
        PaguSubKegiatan.objects.filter(plan_entry__in=entries).values_list("plan_entry_id", "pagu")
    )
    opd_pagu = (
        PaguOpd.objects.filter(tahun__tahun=tahun, opd__kode=opd)
        .values_list("pagu", flat=True)
        .first()
    )
    context = {
        "tahun": tahun,
        "versi": version,
        "opd": opd,
        "opd_choices": PerangkatDaerah.objects.order_by("kode").values_list("kode", "nama"),
        "tree": tree[0] if tree else None,
        "entries": [(e, sub_pagu.get(e.pk)) for e in entries.order_by("sub_kegiatan__kode")],
        "opd_pagu": opd_pagu,
        "dana": SumberDana.objects.order_by("kode").values_list("kode", "nama")[:200],
        "can_draft": version is not None
        and not version.enacted
        and user_has_role(request.user, *roles.DRAFTERS),
        "can_submit": version is not None
        and not version.enacted
        and user_has_role(request.user, *roles.SUBMITTERS),
        "query": urlencode({"tahun": tahun, "opd": opd, "versi": version.pk if version else ""}),
    }
    return render(request, "budgeting/rka.html", context)


@require_POST
@role_required(*roles.DRAFTERS)
def line_add(request: HttpRequest) -> HttpResponseBase:
    tahun = _year(request)
    data = LineInput(
        plan_entry=_post(request, "plan_entry", 12),
        rekening=_post(request, "rekening", 40),
        standar_harga=_post(request, "standar_harga", 40),
        **{f"volume_{n}": _post(request, f"volume_{n}", 30) for n in (1, 2, 3, 4)},
        **{f"satuan_{n}": _post(request, f"satuan_{n}", 40) for n in (1, 2, 3, 4)},
        ppn=request.POST.get("ppn") == "on",
        sumber_dana=_post(request, "sumber_dana", 40),
        lokasi=_post(request, "lokasi", 200),
        harga=_post(request, "harga", 40) or None,
    )
    actor = request_actor(request)
    _run(request, lambda: line_create(actor=actor, tahun=tahun, data=data), _("Rincian disimpan."))
    return redirect(_back(request, reverse("budgeting-rka")))


@require_POST
@role_required(*roles.DRAFTERS)
def line_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    line = get_object_or_404(Rincian.objects.select_related("rka__opd", "rka__versi"), pk=pk)
    actor = request_actor(request)
    _run(request, lambda: line_delete(actor=actor, line=line), _("Rincian dihapus."))
    return redirect(_back(request, reverse("budgeting-rka")))


@require_POST
@role_required(*roles.SUBMITTERS)
def rka_submit_view(request: HttpRequest) -> HttpResponseBase:
    tahun, opd = _year(request), _post(request, "opd", 64)
    actor = request_actor(request)
    _run(
        request,
        lambda: workflow.rka_submit(actor=actor, tahun=tahun, opd=opd),
        _("RKA diajukan ke TAPD."),
    )
    return redirect(_back(request, reverse("budgeting-rka")))


@require_POST
@role_required(*roles.VERIFIERS)
def rka_verify_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    rka = get_object_or_404(Rka, pk=pk)
    accept = _post(request, "keputusan", 20) == "terima"
    notes = {}
    for key in request.POST:
        number, value = key.removeprefix("catatan_"), _post(request, key, 2000)
        if key.startswith("catatan_") and number.isdigit() and len(number) < 10 and value:
            notes[int(number)] = value
    actor = request_actor(request)
    _run(
        request,
        lambda: workflow.rka_verify(
            actor=actor,
            rka=rka,
            accept=accept,
            catatan=_post(request, "catatan"),
            catatan_rincian=notes,
        ),
        _("RKA diterima.") if accept else _("RKA dikembalikan ke OPD."),
    )
    return redirect(_back(request, reverse("budgeting-board")))


@role_required(*roles.VERIFIERS, read=roles.BUDGET_READERS)
def board_page(request: HttpRequest) -> HttpResponse:
    """The TAPD verification board: RKAs in columns by status."""
    tahun = _year(request)
    version = _version(request, tahun)
    columns: dict[str, list[dict[str, Any]]] = {s: [] for s in Rka.Status.values}
    for row in rka_board(version) if version else []:
        columns[row["status"]].append(row)
    board = [(label, value, columns[value]) for value, label in Rka.Status.choices]
    return render(
        request, "budgeting/board.html", {"tahun": tahun, "versi": version, "board": board}
    )


@role_required(*roles.ENACTORS, read=roles.BUDGET_READERS)
def summary_page(request: HttpRequest) -> HttpResponse:
    tahun = _year(request)
    version = _version(request, tahun)
    summary = version_summary(version) if version else None
    context = {
        "tahun": tahun,
        "versi": version,
        "summary": summary,
        "versions": Versi.objects.filter(tahun__tahun=tahun).select_related("tahun"),
        "max_opd": max((r.jumlah for r in summary.per_opd), default=0) if summary else 0,
        "max_urusan": max((r.jumlah for r in summary.per_urusan), default=0) if summary else 0,
        "max_kelompok": max((r.jumlah for r in summary.per_kelompok), default=0) if summary else 0,
        "query": urlencode({"tahun": tahun, "versi": version.pk if version else ""}),
    }
    return render(request, "budgeting/summary.html", context)


@require_POST
@role_required(*roles.ENACTORS)
def enact_view(request: HttpRequest) -> HttpResponseBase:
    tahun = _year(request)
    actor = request_actor(request)
    basis = _post(request, "dasar_hukum", 300)
    _run(
        request,
        lambda: workflow.budget_enact(actor=actor, tahun=tahun, dasar_hukum=basis),
        _("APBD ditetapkan dan dikunci."),
    )
    return redirect(f"{reverse('budgeting-summary')}?tahun={tahun}")


@require_POST
@role_required(*roles.TREASURY)
def revision_view(request: HttpRequest) -> HttpResponseBase:
    tahun = _year(request)
    actor = request_actor(request)
    jenis = _post(request, "jenis", 20)
    _run(
        request,
        lambda: workflow.revision_create(actor=actor, tahun=tahun, jenis=jenis),
        _("Perubahan anggaran dimulai."),
    )
    return redirect(f"{reverse('budgeting-summary')}?tahun={tahun}")


@require_POST
@role_required(*roles.ENACTORS)
def dpa_view(request: HttpRequest) -> HttpResponseBase:
    tahun, opd = _year(request), _post(request, "opd", 64)
    actor = request_actor(request)
    _run(
        request,
        lambda: workflow.dpa_issue(actor=actor, tahun=tahun, opd=opd),
        _("DPA diterbitkan."),
    )
    return redirect(f"{reverse('budgeting-summary')}?tahun={tahun}")


@role_required(*roles.TREASURY, read=roles.BUDGET_READERS)
def compare_page(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(Versi.objects.select_related("tahun", "induk"), pk=pk)
    return render(request, "budgeting/compare.html", {"doc": revision_compare(version), "pk": pk})


@role_required(*roles.TREASURY, read=roles.BUDGET_READERS)
def consistency_page(request: HttpRequest) -> HttpResponse:
    tahun = _year(request)
    version = _version(request, tahun)
    report = consistency_report(version) if version else None
    return render(
        request, "budgeting/consistency.html", {"tahun": tahun, "versi": version, "report": report}
    )


@role_required(read=roles.BUDGET_READERS)
def trace_page(request: HttpRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(
        Rincian.objects.select_related("rka__plan_entry__sub_kegiatan", "rka__opd", "versi"), pk=pk
    )
    return render(request, "budgeting/trace.html", {"trace": line_trace(line)})
