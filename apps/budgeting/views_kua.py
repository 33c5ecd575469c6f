"""The KUA-PPAS page under /anggaran/kua/: open a fiscal year, take the ceilings from the
enacted RKPD, set an OPD's ceiling, add revenue targets (4.x) and financing (6.x), with the
APBD's balance. TAPD and BPKAD write; every budget reader reads. Each form posts to its own view
that calls one service; a refusal re-renders the page with the message next to the field it
names and the typed values kept."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import role_required
from apps.access.roles import is_support_session, request_actor, user_has_role
from apps.budgeting import roles
from apps.budgeting.formatting import rupiah_sen
from apps.budgeting.forms import (
    BudgetForm,
    CeilingOpdForm,
    CeilingsFromRkpdForm,
    FinancingForm,
    RevenueForm,
    YearOpenForm,
)
from apps.budgeting.models import PaguOpd, Pembiayaan, Pendapatan
from apps.budgeting.selectors.kua import account_choices, kua_overview
from apps.budgeting.selectors.summary import version_summary
from apps.budgeting.services import kua
from apps.budgeting.views import _param, _run, _version, _year
from apps.core.errors import ApplicationError

FORMS: dict[str, type[BudgetForm]] = {
    "open": YearOpenForm,
    "rkpd": CeilingsFromRkpdForm,
    "ceiling": CeilingOpdForm,
    "revenue": RevenueForm,
    "financing": FinancingForm,
}


def _refused_year(form: BudgetForm) -> int | None:
    raw = str(form.data.get(form.add_prefix("tahun"), ""))
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def _render(request: HttpRequest, refused: BudgetForm | None = None) -> HttpResponse:
    """The page; `refused` is the bound form a service or its own checks turned down."""
    tahun = (_refused_year(refused) if refused else None) or _year(request)
    version = _version(request, tahun)
    opd = _param(request, "opd") or str(
        PaguOpd.objects.filter(tahun__tahun=tahun)
        .order_by("opd__kode")
        .values_list("opd__kode", flat=True)
        .first()
        or ""
    )
    writer = not is_support_session(request.user) and user_has_role(request.user, *roles.TREASURY)
    editable = writer and version is not None and not version.enacted
    shown = {
        "open": writer,
        "rkpd": writer and version is not None,
        "ceiling": writer and version is not None,
        "revenue": editable,
        "financing": editable,
    }
    forms: dict[str, BudgetForm] = {}
    stray: list[str] = []  # a refusal whose form this year's page does not show
    for key, cls in FORMS.items():
        forms[key] = refused if isinstance(refused, cls) else cls(initial={"tahun": tahun})
        if isinstance(refused, cls) and not shown[key]:
            stray = [str(m) for found in refused.errors.values() for m in found]
    context: dict[str, Any] = {
        "tahun": tahun,
        "versi": version,
        "opd": opd,
        "summary": version_summary(version) if version else None,
        "overview": kua_overview(tahun, version, opd=opd),
        "writer": writer,
        "editable": editable,
        "forms": forms,
        "shown": shown,
        "stray": stray,
        "rekening_4": account_choices("4") if editable else [],
        "rekening_6": account_choices("6") if editable else [],
    }
    return render(request, "budgeting/kua.html", context, status=400 if refused else 200)


@role_required(*roles.TREASURY, read=roles.BUDGET_READERS)
def kua_page(request: HttpRequest) -> HttpResponse:
    return _render(request)


def _submit(
    request: HttpRequest,
    form: BudgetForm,
    write: Callable[[Any, dict[str, Any]], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """Check the form, call the service; on refusal the page again with the form as typed."""
    if form.invalid():
        return _render(request, form)
    try:
        result = write(request_actor(request), form.cleaned_data)
    except ApplicationError as error:
        form.refuse(error)
        return _render(request, form)
    messages.success(request, done(result))
    return redirect(f"{reverse('budgeting-kua')}?tahun={form.cleaned_data['tahun']}")


@require_POST
@role_required(*roles.TREASURY)
def year_open_view(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        YearOpenForm(request.POST),
        lambda actor, data: kua.year_open(actor=actor, tahun=data["tahun"]),
        lambda version: (
            _("Tahun anggaran %(year)s dibuka dengan %(versi)s.")
            % {"year": version.tahun.tahun, "versi": version.label}
        ),
    )


@require_POST
@role_required(*roles.TREASURY)
def ceilings_from_rkpd_view(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        CeilingsFromRkpdForm(request.POST),
        lambda actor, data: kua.ceilings_from_rkpd(actor=actor, tahun=data["tahun"]),
        lambda count: _("Pagu %(n)s sub kegiatan dan OPD-nya diambil dari RKPD.") % {"n": count},
    )


@require_POST
@role_required(*roles.TREASURY)
def ceiling_opd_view(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        CeilingOpdForm(request.POST),
        lambda actor, data: kua.ceiling_opd_set(actor=actor, **data),
        lambda row: (
            _("Pagu OPD %(opd)s menjadi %(pagu)s.")
            % {"opd": row.opd.nama, "pagu": rupiah_sen(row.pagu)}
        ),
    )


@require_POST
@role_required(*roles.TREASURY)
def revenue_add_view(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        RevenueForm(request.POST),
        lambda actor, data: kua.revenue_add(actor=actor, **data),
        lambda row: (
            _("Target pendapatan %(kode)s sebesar %(jumlah)s disimpan.")
            % {"kode": row.rekening.kode, "jumlah": rupiah_sen(row.jumlah)}
        ),
    )


@require_POST
@role_required(*roles.TREASURY)
def financing_add_view(request: HttpRequest) -> HttpResponse:
    return _submit(
        request,
        FinancingForm(request.POST),
        lambda actor, data: kua.financing_add(actor=actor, **data),
        lambda row: (
            _("Pembiayaan %(kode)s sebesar %(jumlah)s disimpan.")
            % {"kode": row.rekening.kode, "jumlah": rupiah_sen(row.jumlah)}
        ),
    )


def _remove(request: HttpRequest, row: Pendapatan | Pembiayaan) -> HttpResponseBase:
    actor = request_actor(request)
    _run(request, lambda: kua.revenue_delete(actor=actor, row=row), _("Baris dihapus."))
    return redirect(f"{reverse('budgeting-kua')}?tahun={row.versi.tahun.tahun}")


@require_POST
@role_required(*roles.TREASURY)
def revenue_remove_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _remove(
        request, get_object_or_404(Pendapatan.objects.select_related("versi__tahun"), pk=pk)
    )


@require_POST
@role_required(*roles.TREASURY)
def financing_remove_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _remove(
        request, get_object_or_404(Pembiayaan.objects.select_related("versi__tahun"), pk=pk)
    )
