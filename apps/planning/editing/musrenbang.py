"""Musrenbang on the pages: a desa's proposal with photos or documents (operator desa for its own
desa), DPRD pokir, the kecamatan and kabupaten/kota forums' recommendations, and attaching an
accepted proposal to an RKPD sub kegiatan (existing or new)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import role_required
from apps.access.roles import request_actor, user_has_role, wilayah_scope_allows
from apps.accounts.models import Role
from apps.core.errors import ApplicationError
from apps.planning import roles
from apps.planning.editing._common import (
    default_year,
    done,
    invalid,
    own_opd,
    page,
    refuse,
    wilayah_only,
)
from apps.planning.editing.forms import (
    AttachForm,
    EntryForm,
    ProposalForm,
    RecommendForm,
    desa_choices,
)
from apps.planning.models import PlanEntry, Proposal, Recommendation
from apps.planning.selectors.musrenbang import proposals_visible
from apps.planning.services.musrenbang import (
    KECAMATAN_FORUM,
    PROPOSERS,
    proposal_attach,
    proposal_create,
    proposal_recommend,
)
from apps.planning.services.plan import EntryInput
from apps.reference.forms import opd_choices

P = Proposal.State
# The forum that decides a proposal in each state, and who sits in it.
LEVEL_OF: dict[str, str] = {
    P.DESA: Recommendation.Level.KECAMATAN,
    P.KECAMATAN: Recommendation.Level.KABKOTA,
}
FORUM_ROLES: dict[str, tuple[str, ...]] = {
    Recommendation.Level.KECAMATAN: KECAMATAN_FORUM,
    Recommendation.Level.KABKOTA: (Role.BAPPEDA,),
}


def _proposal_form_page(
    request: HttpRequest, form: ProposalForm, *, sumber: str, refused: bool
) -> HttpResponse:
    context = {"form": form, "pokir": sumber == Proposal.Source.POKIR}
    return page(request, "planning/edit/proposal_form.html", context, refused=refused)


def _proposal_new(request: HttpRequest, *, sumber: str) -> HttpResponse:
    desa = desa_choices(codes=wilayah_only(request.user))
    if request.method != "POST":
        initial: dict[str, Any] = {"tahun": default_year(request), "prioritas": 1}
        if len(desa) == 2:  # an operator desa: their own desa, already chosen
            initial["desa"] = desa[1][0]
        form = ProposalForm(initial=initial, desa=desa)
        return _proposal_form_page(request, form, sumber=sumber, refused=False)
    form = ProposalForm(request.POST, request.FILES, desa=desa)
    if invalid(form):
        return _proposal_form_page(request, form, sumber=sumber, refused=True)
    data = {k: v for k, v in form.cleaned_data.items() if k != "berkas"}
    try:
        proposal = proposal_create(
            actor=request_actor(request),
            sumber=sumber,
            berkas=request.FILES.getlist("berkas"),
            **data,
        )
    except ApplicationError as exc:
        refuse(form, exc)
        return _proposal_form_page(request, form, sumber=sumber, refused=True)
    message = _("Usulan tersimpan dengan nomor %(nomor)s; siapa pun dapat melacaknya.") % {
        "nomor": proposal.nomor
    }
    return done(request, message, "planning-proposal", proposal.pk)


@role_required(*PROPOSERS)
def proposal_new(request: HttpRequest) -> HttpResponse:
    return _proposal_new(request, sumber=Proposal.Source.MUSRENBANG)


@role_required(Role.DPRD)
def pokir_new(request: HttpRequest) -> HttpResponse:
    return _proposal_new(request, sumber=Proposal.Source.POKIR)


def _may_recommend(user: Any, proposal: Proposal) -> bool:
    level = LEVEL_OF.get(proposal.status)
    if level is None:
        return False
    return wilayah_scope_allows(user, proposal.desa_id, *FORUM_ROLES[level])


def _attach_choices(request: HttpRequest, proposal: Proposal) -> tuple[str, list[tuple[int, str]]]:
    """The OPD whose entries are offered (chosen, the proposal's, or the user's) and those
    entries of the proposal's year."""
    opd = request.GET.get("opd", "")[:64] or (proposal.opd.kode if proposal.opd else "")
    opd = opd or own_opd(request.user)
    if not opd:
        return "", []
    rows = PlanEntry.objects.filter(tahun=proposal.tahun, opd__kode=opd).select_related(
        "sub_kegiatan", "desa", "kecamatan"
    )
    entries = []
    for entry in rows.order_by("sub_kegiatan__kode", "id"):
        place = entry.desa or entry.kecamatan
        where = f" — {place.nama}" if place else ""
        entries.append((entry.pk, f"{entry.sub_kegiatan.kode} {entry.sub_kegiatan.nama}{where}"))
    return opd, entries


def _detail(
    request: HttpRequest,
    proposal: Proposal,
    *,
    recommend_form: RecommendForm | None = None,
    attach_form: AttachForm | None = None,
    new_form: EntryForm | None = None,
) -> HttpResponse:
    user = request.user
    attachable = proposal.status in (P.KABKOTA, P.OPD) and user_has_role(user, *roles.PLAN_WRITERS)
    opd, entries = _attach_choices(request, proposal) if attachable else ("", [])
    level = LEVEL_OF.get(proposal.status)
    context = {
        "proposal": proposal,
        "level": Recommendation.Level(level).label if level else "",
        "may_recommend": _may_recommend(user, proposal),
        "recommend_form": recommend_form or RecommendForm(),
        "attachable": attachable,
        "attach_opd": opd,
        "opd_choices": opd_choices(),
        "attach_form": attach_form or AttachForm(entries=entries),
        "new_form": new_form
        or EntryForm(prefix="baru", initial={"tahun": proposal.tahun, "opd": opd}),
        "lampiran": list(proposal.lampiran.all()),
    }
    refused = any(f is not None for f in (recommend_form, attach_form, new_form))
    return page(request, "planning/edit/proposal_detail.html", context, refused=refused)


def _visible(request: HttpRequest, pk: int) -> Proposal:
    return get_object_or_404(proposals_visible(user=request.user), pk=pk)


@role_required(*roles.PROPOSAL_WRITERS, read=roles.PLAN_READERS)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@require_POST
@role_required(*roles.RECOMMENDERS)
def proposal_recommend_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    form = RecommendForm(request.POST)
    if invalid(form):
        return _detail(request, proposal, recommend_form=form)
    data = form.cleaned_data
    try:
        reco = proposal_recommend(
            actor=request_actor(request),
            proposal=proposal,
            tingkat=LEVEL_OF.get(proposal.status, Recommendation.Level.KECAMATAN),
            jenis=data["jenis"],
            alasan=data["alasan"],
            perubahan=form.changes() if data["jenis"] == Recommendation.Kind.ACCEPT_CHANGED else {},
            opd=data["opd"],
        )
    except ApplicationError as exc:
        refuse(form, exc)
        return _detail(request, _visible(request, pk), recommend_form=form)
    message = _("%(level)s: %(kind)s dicatat untuk usulan %(nomor)s.") % {
        "level": reco.get_tingkat_display(),
        "kind": reco.get_jenis_display().lower(),
        "nomor": proposal.nomor,
    }
    return done(request, message, "planning-proposal", proposal.pk)


@require_POST
@role_required(*roles.PLAN_WRITERS)
def proposal_attach_view(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    _opd, entries = _attach_choices(request, proposal)
    ids = [pk for pk, _label in entries]
    raw = request.POST.get("entri", "")
    form = AttachForm(request.POST, entries=entries)
    if raw.isdigit() and int(raw) not in ids:  # an entry of another OPD, posted by hand
        form = AttachForm(request.POST, entries=[(int(raw), raw), *entries])
    if invalid(form):
        return _detail(request, proposal, attach_form=form)
    entry = get_object_or_404(
        PlanEntry.objects.select_related("opd"), pk=form.cleaned_data["entri"]
    )
    return _attach(request, proposal, form, entry=entry)


@require_POST
@role_required(*roles.PLAN_WRITERS)
def proposal_attach_new(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    form = EntryForm(request.POST, prefix="baru")
    if invalid(form):
        return _detail(request, proposal, new_form=form)
    data = EntryInput(**{**form.cleaned_data, "tahun": proposal.tahun})
    return _attach(request, proposal, form, data=data)


def _attach(
    request: HttpRequest,
    proposal: Proposal,
    form: AttachForm | EntryForm,
    *,
    entry: PlanEntry | None = None,
    data: EntryInput | None = None,
) -> HttpResponse:
    try:
        result = proposal_attach(
            actor=request_actor(request), proposal=proposal, entry=entry, data=data
        )
    except ApplicationError as exc:
        refuse(form, exc)
        if isinstance(form, AttachForm):
            return _detail(request, _visible(request, proposal.pk), attach_form=form)
        return _detail(request, _visible(request, proposal.pk), new_form=form)
    message = _("Usulan %(nomor)s masuk RKPD sebagai sub kegiatan %(kode)s.") % {
        "nomor": proposal.nomor,
        "kode": result.sub_kegiatan.kode,
    }
    return done(request, message, "planning-proposal", proposal.pk)
