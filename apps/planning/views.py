"""Pages of e-planning under /perencanaan/: the plan tree with its exports, the Musrenbang
board, the diff, the consistency report, and the public tracking page."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.access.decorators import public_page, role_required
from apps.access.roles import user_has_role
from apps.accounts.models import Role
from apps.core.errors import ApplicationError
from apps.planning import roles
from apps.planning.exports import plan_pdf, plan_xlsx
from apps.planning.models import Proposal, Snapshot, Stage
from apps.planning.selectors.calendar import diff_between, stages_list
from apps.planning.selectors.consistency import consistency_report
from apps.planning.selectors.musrenbang import proposal_public, proposals_visible
from apps.planning.selectors.plan import ceilings, plan_rows, plan_tree, totals
from apps.planning.services.musrenbang import PROPOSERS
from apps.reference.models import PerangkatDaerah

MAX_PARAM = 40


def _param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    return value if len(value) <= MAX_PARAM and "\x00" not in value else ""


def _year(request: HttpRequest) -> int:
    raw = _param(request, "tahun")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    latest = Stage.objects.order_by("-tahun").values_list("tahun", flat=True).first()
    return int(latest or timezone.localdate().year + 1)


def _filters(request: HttpRequest) -> dict[str, str | None]:
    return {k: _param(request, k) or None for k in ("opd", "urusan", "program")}


def _plan(request: HttpRequest) -> tuple[int, dict[str, str | None], list[dict[str, Any]]]:
    tahun, chosen = _year(request), _filters(request)
    return tahun, chosen, plan_rows(tahun=tahun, **chosen)


@role_required(*roles.PLAN_WRITERS, read=roles.PLAN_READERS)
def plan_page(request: HttpRequest) -> HttpResponse:
    """The plan tree: bidang > program > kegiatan > sub kegiatan, with totals and filters."""
    tahun, chosen, rows = _plan(request)
    sums = totals(rows)
    opd_names = dict(PerangkatDaerah.objects.values_list("kode", "nama"))
    limits = ceilings(tahun=tahun)
    per_opd = [
        (kode, opd_names.get(kode, kode), total, limits.get(kode))
        for kode, total in sums["opd"].items()
    ]
    context = {
        "tahun": tahun,
        "chosen": chosen,
        "tree": plan_tree(rows),
        "count": len(rows),
        "per_opd": per_opd,
        "per_bidang": list(sums["bidang"].items()),
        "max_opd": max(sums["opd"].values(), default=0),
        "max_bidang": max(sums["bidang"].values(), default=0),
        "opd_choices": sorted(opd_names.items()),
        "stages": stages_list(tahun=tahun),
        "query": request.GET.urlencode(),
        "may_write": user_has_role(request.user, *roles.PLAN_WRITERS),
    }
    return render(request, "planning/plan.html", context)


def _title(tahun: int) -> str:
    return _("Rencana Kerja Pemerintah Daerah tahun %(year)s") % {"year": tahun}


@role_required(*roles.PLAN_WRITERS, read=roles.PLAN_READERS)
def plan_export_xlsx(request: HttpRequest) -> HttpResponse:
    tahun, _chosen, rows = _plan(request)
    response = HttpResponse(
        plan_xlsx(plan_tree(rows), title=_title(tahun)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="rkpd-{tahun}.xlsx"'
    return response


@role_required(*roles.PLAN_WRITERS, read=roles.PLAN_READERS)
def plan_export_pdf(request: HttpRequest) -> HttpResponse:
    tahun, _chosen, rows = _plan(request)
    response = HttpResponse(
        plan_pdf(plan_tree(rows), title=_title(tahun)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="rkpd-{tahun}.pdf"'
    return response


@role_required(*roles.PROPOSAL_WRITERS, read=roles.PLAN_READERS)
def musrenbang_board(request: HttpRequest) -> HttpResponse:
    """Proposals in columns by the level they reached."""
    tahun = _year(request)
    columns: dict[str, list[Proposal]] = {state: [] for state in Proposal.State.values}
    per_kecamatan: dict[str, int] = {}
    for proposal in proposals_visible(user=request.user, tahun=tahun):
        columns[proposal.status].append(proposal)
        if proposal.status in (Proposal.State.KABKOTA, Proposal.State.OPD, Proposal.State.RKPD):
            name = proposal.desa.kecamatan.nama
            per_kecamatan[name] = per_kecamatan.get(name, 0) + 1
    board = [(label, columns[value]) for value, label in Proposal.State.choices]
    context = {
        "tahun": tahun,
        "board": board,
        "per_kecamatan": sorted(per_kecamatan.items()),
        "max_kecamatan": max(per_kecamatan.values(), default=0),
        "may_propose": user_has_role(request.user, *PROPOSERS),
        "may_pokir": user_has_role(request.user, Role.DPRD),
    }
    return render(request, "planning/musrenbang.html", context)


@role_required(*roles.BAPPEDA, read=roles.PLAN_READERS)
def diff_page(request: HttpRequest) -> HttpResponse:
    snapshots = Snapshot.objects.select_related("stage").defer("isi").order_by("-id")
    dari, ke = _param(request, "dari"), _param(request, "ke")
    diff, error = None, ""
    if dari.isdigit():
        try:
            diff = diff_between(dari=int(dari), ke=int(ke) if ke.isdigit() else None)
        except ApplicationError as exc:
            error = exc.message
    context = {"snapshots": snapshots, "diff": diff, "error": error, "dari": dari, "ke": ke}
    return render(request, "planning/diff.html", context)


@role_required(*roles.BAPPEDA, read=roles.PLAN_READERS)
def consistency_page(request: HttpRequest) -> HttpResponse:
    tahun = _year(request)
    context = {"tahun": tahun, "report": consistency_report(tahun=tahun)}
    return render(request, "planning/consistency.html", context)


@public_page
def track_page(request: HttpRequest, nomor: str = "") -> HttpResponse:
    """Anyone may follow a proposal by its public number (no sign-in, no personal data)."""
    nomor = nomor or _param(request, "nomor")
    if nomor and not request.resolver_match.kwargs.get("nomor"):  # type: ignore[union-attr]
        return redirect("planning-track-number", nomor=nomor[:32])
    proposal, error = None, ""
    if nomor:
        try:
            proposal = proposal_public(nomor=nomor)
        except ApplicationError as exc:
            error = exc.message
    status = 404 if error else 200
    context = {"proposal": proposal, "error": error, "nomor": nomor}
    return render(request, "planning/track.html", context, status=status)
