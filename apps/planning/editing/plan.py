"""RKPD entries (OPD operators of their own OPD, Bappeda), OPD ceilings (Bappeda), the sub
kegiatan search the entry form uses, and the Renja review (kepala OPD submits, Bappeda verifies
or returns with notes)."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import forbidden_response, role_required
from apps.access.roles import opd_scope_allows, request_actor, user_opd_codes
from apps.accounts.models import Role
from apps.core.errors import ApplicationError
from apps.planning import roles
from apps.planning.editing._common import default_year, done, invalid, own_opd, page, refuse
from apps.planning.editing.forms import (
    ENTRY_LINKS,
    INDICATOR_PARTS,
    CeilingForm,
    EntryForm,
    RenjaSubmitForm,
    RenjaVerifyForm,
)
from apps.planning.models import OpdCeiling, PlanEntry, RenjaReview
from apps.planning.services.entry_links import MAX_INDICATORS
from apps.planning.services.lookups import REGION_LEVEL_DIGIT
from apps.planning.services.plan import (
    EntryInput,
    ceiling_set,
    plan_entry_create,
    plan_entry_delete,
    plan_entry_update,
    renja_submit,
    renja_verify,
)
from apps.reference.forms import opd_choices
from apps.reference.models import Nomenklatur
from apps.reference.selectors import nomenklatur_list

SEARCH_LIMIT = 20
# The entry's own fields among the form's (the links and further indicators are added apart).
ENTRY_FIELDS = frozenset(EntryForm.base_fields) - frozenset(ENTRY_LINKS)


@role_required(*roles.BAPPEDA, read=roles.PLAN_READERS)
def ceilings_page(request: HttpRequest, form: CeilingForm | None = None) -> HttpResponse:
    tahun = int(form.data.get("tahun") or 0) if form is not None and form.is_bound else 0
    tahun = tahun if 2000 <= tahun <= 2100 else default_year(request)
    rows = OpdCeiling.objects.filter(tahun=tahun).select_related("opd").order_by("opd__kode")
    context = {
        "tahun": tahun,
        "rows": rows,
        "form": form or CeilingForm(initial={"tahun": tahun}),
    }
    return page(request, "planning/edit/ceilings.html", context, refused=form is not None)


@require_POST
@role_required(*roles.BAPPEDA)
def ceiling_save(request: HttpRequest) -> HttpResponse:
    form = CeilingForm(request.POST)
    if invalid(form):
        return ceilings_page(request, form)
    try:
        ceiling = ceiling_set(actor=request_actor(request), **form.cleaned_data)
    except ApplicationError as exc:
        refuse(form, exc)
        return ceilings_page(request, form)
    message = _("Pagu indikatif %(opd)s tahun %(year)s disimpan.") % {
        "opd": ceiling.opd.nama,
        "year": ceiling.tahun,
    }
    return done(request, message, "planning-ceilings", tahun=ceiling.tahun)


@role_required(*roles.PLAN_WRITERS, read=roles.PLAN_READERS)
def sub_kegiatan_search(request: HttpRequest) -> JsonResponse:
    """Up to 20 current sub kegiatan of the kabupaten/kota level whose code starts with, or
    whose name holds, `q` (the entry form's search; never the whole list)."""
    q = request.GET.get("q", "").replace("\x00", "").strip()[:60]
    if len(q) < 2:
        return JsonResponse({"hasil": []})
    level = rf"^[^.]+\.[^.]+\.[^.]+\.{REGION_LEVEL_DIGIT}\."
    rows = nomenklatur_list(q=q, tingkat=Nomenklatur.Level.SUB_KEGIATAN).filter(kode__regex=level)
    found = [{"kode": r.kode, "nama": r.nama} for r in rows[:SEARCH_LIMIT]]
    return JsonResponse({"hasil": found})


def _entry_input(form: EntryForm, *, tahun: int | None = None) -> EntryInput:
    """What the page sends the service: every field, the links (none chosen clears one) and
    the further indicators in full (the rows shown are all the entry has)."""
    data = {n: v for n, v in form.cleaned_data.items() if n in ENTRY_FIELDS}
    if tahun is not None:
        data["tahun"] = tahun
    return EntryInput(**data, **form.links(), indikator_lain=form.indicators())


def _posted_year(request: HttpRequest) -> int:
    raw = str(request.POST.get("tahun", "")).strip()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default_year(request)


def _entry_page(
    request: HttpRequest, form: EntryForm, *, entry: PlanEntry | None = None, refused: bool
) -> HttpResponse:
    context = {"form": form, "entry": entry, "max_indicators": MAX_INDICATORS}
    return page(request, "planning/edit/entry_form.html", context, refused=refused)


@role_required(*roles.PLAN_WRITERS)
def entry_new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        tahun = default_year(request)
        initial = {"tahun": tahun, "opd": own_opd(request.user)}
        return _entry_page(request, EntryForm(initial=initial, tahun=tahun), refused=False)
    form = EntryForm(request.POST, tahun=_posted_year(request))
    if invalid(form):
        return _entry_page(request, form, refused=True)
    try:
        entry = plan_entry_create(actor=request_actor(request), data=_entry_input(form))
    except ApplicationError as exc:
        refuse(form, exc)
        return _entry_page(request, form, refused=True)
    message = _("Sub kegiatan %(kode)s ditambahkan ke RKPD %(year)s.") % {
        "kode": entry.sub_kegiatan.kode,
        "year": entry.tahun,
    }
    return done(request, message, "planning-plan", tahun=entry.tahun)


def _entry_values(entry: PlanEntry) -> tuple[dict[str, Any], int]:
    """The form's initial values, and how many further indicators the entry has."""
    values: dict[str, Any] = {
        "tahun": entry.tahun,
        "sub_kegiatan": entry.sub_kegiatan.kode,
        "opd": entry.opd.kode,
        "kecamatan": entry.kecamatan_id or "",
        "desa": entry.desa_id or "",
        "indikator": entry.indikator,
        "satuan": entry.satuan,
        "target": str(entry.target),
        "target_berikut": str(entry.target_berikut),
        "pagu": str(entry.pagu),
        "pagu_berikut": str(entry.pagu_berikut),
        "sumber_dana": entry.sumber_dana.kode,
        "sasaran": entry.sasaran,
        "program_prioritas": str(entry.program_prioritas_id or ""),
        "rpjmd_sasaran": str(entry.rpjmd_sasaran_id or ""),
        "renstra_sasaran": str(entry.renstra_sasaran_id or ""),
    }
    indicators = list(entry.indikator_lain.order_by("urutan"))
    for row, indicator in enumerate(indicators):
        for part in INDICATOR_PARTS:
            values[f"lain-{row}-{part}"] = str(getattr(indicator, part))
    return values, len(indicators)


def _entry_get(request: HttpRequest, pk: int) -> tuple[PlanEntry, HttpResponse | None]:
    """The entry, and the 403 page when the user's OPD scope does not reach it."""
    entry = get_object_or_404(
        PlanEntry.objects.select_related("sub_kegiatan", "opd", "sumber_dana"), pk=pk
    )
    if opd_scope_allows(request.user, entry.opd.kode, *roles.PLAN_WRITERS):
        return entry, None
    message = _("Akses ditolak: data ini milik OPD %(opd)s, bukan OPD Anda.") % {
        "opd": entry.opd.kode
    }
    return entry, forbidden_response(request, message)


@role_required(*roles.PLAN_WRITERS)
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry, forbidden = _entry_get(request, pk)
    if forbidden is not None:
        return forbidden
    if request.method != "POST":
        values, count = _entry_values(entry)
        form = EntryForm(initial=values, tahun=entry.tahun, indicators=count)
        return _entry_page(request, form, entry=entry, refused=False)
    form = EntryForm(request.POST, tahun=entry.tahun)
    if invalid(form):
        return _entry_page(request, form, entry=entry, refused=True)
    try:
        entry = plan_entry_update(
            actor=request_actor(request), entry=entry, data=_entry_input(form, tahun=entry.tahun)
        )
    except ApplicationError as exc:
        refuse(form, exc)
        return _entry_page(request, form, entry=entry, refused=True)
    message = _("Sub kegiatan %(kode)s diperbarui.") % {"kode": entry.sub_kegiatan.kode}
    return done(request, message, "planning-plan", tahun=entry.tahun)


@role_required(*roles.PLAN_WRITERS)
def entry_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes."""
    entry, forbidden = _entry_get(request, pk)
    if forbidden is not None:
        return forbidden
    error = ""
    if request.method == "POST":
        try:
            plan_entry_delete(actor=request_actor(request), entry=entry)
        except ApplicationError as exc:
            error = exc.message
        else:
            message = _("Sub kegiatan %(kode)s dihapus dari RKPD.") % {
                "kode": entry.sub_kegiatan.kode
            }
            return done(request, message, "planning-plan", tahun=entry.tahun)
    context = {"entry": entry, "error": error}
    return page(request, "planning/edit/entry_delete.html", context, refused=bool(error))


def _renja(
    request: HttpRequest,
    *,
    submit_form: RenjaSubmitForm | None = None,
    verify: tuple[int, RenjaVerifyForm] | None = None,
    tahun: int | None = None,
) -> HttpResponse:
    tahun = tahun or default_year(request)
    if submit_form is not None and str(submit_form.data.get("tahun", "")).isdigit():
        tahun = int(submit_form.data["tahun"])
    mine = sorted(user_opd_codes(request.user, Role.KEPALA_OPD))
    choices = [c for c in opd_choices() if c[0] in mine] or opd_choices()
    reviews = RenjaReview.objects.filter(tahun=tahun).select_related("opd").order_by("opd__kode")
    forms = dict([verify]) if verify else {}
    rows = [(r, forms.get(r.pk) or RenjaVerifyForm(prefix=f"r{r.pk}")) for r in reviews]
    initial = {"tahun": tahun, "opd": mine[0] if mine else ""}
    context = {
        "tahun": tahun,
        "rows": rows,
        "submit_form": submit_form or RenjaSubmitForm(initial=initial, opd_codes=choices),
    }
    refused = submit_form is not None or verify is not None
    return page(request, "planning/edit/renja.html", context, refused=refused)


@role_required(Role.KEPALA_OPD, *roles.BAPPEDA, read=roles.PLAN_READERS)
def renja_page(request: HttpRequest) -> HttpResponse:
    return _renja(request)


@require_POST
@role_required(Role.KEPALA_OPD)
def renja_submit_view(request: HttpRequest) -> HttpResponse:
    form = RenjaSubmitForm(request.POST, opd_codes=opd_choices())
    if invalid(form):
        return _renja(request, submit_form=form)
    try:
        review = renja_submit(actor=request_actor(request), **form.cleaned_data)
    except ApplicationError as exc:
        refuse(form, exc)
        return _renja(request, submit_form=form)
    message = _("Renja %(opd)s tahun %(year)s diajukan ke Bappeda.") % {
        "opd": review.opd.nama,
        "year": review.tahun,
    }
    return done(request, message, "planning-renja", tahun=review.tahun)


@require_POST
@role_required(*roles.BAPPEDA)
def renja_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(RenjaReview.objects.select_related("opd"), pk=pk)
    form = RenjaVerifyForm(request.POST, prefix=f"r{review.pk}")
    if invalid(form):
        return _renja(request, verify=(review.pk, form), tahun=review.tahun)
    try:
        review = renja_verify(
            actor=request_actor(request),
            review=review,
            accept=form.cleaned_data["keputusan"] == "terima",
            catatan=form.cleaned_data["catatan"],
        )
    except ApplicationError as exc:
        refuse(form, exc)
        return _renja(request, verify=(review.pk, form), tahun=review.tahun)
    message = _("Renja %(opd)s: %(state)s.") % {
        "opd": review.opd.nama,
        "state": review.get_status_display().lower(),
    }
    return done(request, message, "planning-renja", tahun=review.tahun)
