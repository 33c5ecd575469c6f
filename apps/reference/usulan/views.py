"""Pages of standard-price requests under /referensi/usulan/ and an item's price history under
/referensi/harga/item/<id>/riwayat/. Views are thin: a form, one service, a redirect; a
refusal is shown on the field it names (400)."""

from typing import Any

from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.access.decorators import role_required
from apps.access.roles import request_actor, user_has_role, user_opd_codes
from apps.accounts.models import Role
from apps.core.errors import ApplicationError
from apps.reference.models import PerangkatDaerah, UsulanHarga
from apps.reference.usulan import selectors
from apps.reference.usulan.forms import ApproveForm, RejectForm, UsulanFilterForm, UsulanForm
from apps.reference.usulan.roles import DECIDERS, PROPOSERS, READERS
from apps.reference.usulan.services import (
    UsulanInput,
    usulan_harga_approve,
    usulan_harga_create,
    usulan_harga_reject,
)

readable = role_required(*PROPOSERS, read=(*DECIDERS, *READERS))


def _refusal(form: Form, exc: ApplicationError) -> None:
    """Put a service's refusal on the field it names (or on the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@readable
def usulan_list(request: HttpRequest) -> HttpResponse:
    form = UsulanFilterForm(request.GET)
    page = None
    if form.is_valid():
        rows = selectors.usulan_visible(
            user=request.user,
            status=form.value("status"),
            jenis_usulan=form.value("jenis_usulan"),
            opd=form.value("opd"),
            q=form.value("q"),
        )
        page = Paginator(rows, 50).get_page(form.value("halaman") or 1)
    context = {
        "form": form,
        "page": page,
        "may_propose": user_has_role(request.user, *PROPOSERS),
    }
    return render(
        request, "reference/usulan_list.html", context, status=200 if form.is_valid() else 400
    )


def _opd_choices(user: Any) -> list[tuple[str, str]]:
    codes = sorted(user_opd_codes(user, *PROPOSERS))
    names = dict(PerangkatDaerah.objects.filter(kode__in=codes).values_list("kode", "nama"))
    return [(code, f"{code} {names.get(code, '')}".strip()) for code in codes]


@role_required(*PROPOSERS)
def usulan_create(request: HttpRequest) -> HttpResponse:
    """The proposal form (GET) and its submission (POST, multipart for the document)."""
    choices = _opd_choices(request.user)
    if request.method != "POST":
        form = UsulanForm(opd_choices=choices)
        return render(request, "reference/usulan_form.html", {"form": form})
    form = UsulanForm(request.POST, request.FILES, opd_choices=choices)
    if form.is_valid():
        try:
            usulan = usulan_harga_create(
                actor=request_actor(request),
                data=UsulanInput(**form.input_values()),
                lampiran=form.cleaned_data.get("lampiran"),
            )
        except ApplicationError as exc:
            _refusal(form, exc)
        else:
            return redirect("reference-page-usulan-detail", pk=usulan.pk)
    return render(request, "reference/usulan_form.html", {"form": form}, status=400)


def _detail(
    request: HttpRequest, usulan: UsulanHarga, forms: dict[str, Form] | None = None
) -> HttpResponse:
    forms = forms or {}
    may_decide = (
        usulan.status == UsulanHarga.Status.DIAJUKAN
        and user_has_role(request.user, *DECIDERS)
        and not getattr(request.user, "is_support_session", False)
    )
    context = {
        "usulan": usulan,
        "may_decide": may_decide,
        "approve_form": forms.get("approve") or ApproveForm(),
        "reject_form": forms.get("reject") or RejectForm(),
    }
    return render(request, "reference/usulan_detail.html", context, status=400 if forms else 200)


def _visible(request: HttpRequest, pk: int) -> UsulanHarga:
    usulan = selectors.usulan_visible(user=request.user).filter(pk=pk).first()
    if usulan is None:
        raise Http404
    return usulan


@readable
def usulan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible(request, pk))


@require_POST
@role_required(*DECIDERS)
def usulan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    usulan = _visible(request, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            usulan_harga_approve(
                actor=request_actor(request),
                usulan=usulan,
                peran=form.cleaned_data.get("peran") or None,
                catatan=form.cleaned_data.get("catatan") or "",
            )
        except ApplicationError as exc:
            _refusal(form, exc)
        else:
            return redirect("reference-page-usulan-detail", pk=usulan.pk)
    return _detail(request, usulan, {"approve": form})


@require_POST
@role_required(*DECIDERS)
def usulan_reject(request: HttpRequest, pk: int) -> HttpResponse:
    usulan = _visible(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            usulan_harga_reject(
                actor=request_actor(request), usulan=usulan, alasan=form.cleaned_data["alasan"]
            )
        except ApplicationError as exc:
            _refusal(form, exc)
        else:
            return redirect("reference-page-usulan-detail", pk=usulan.pk)
    return _detail(request, usulan, {"reject": form})


@role_required(read=tuple(Role.values))
def harga_riwayat(request: HttpRequest, pk: int) -> HttpResponse:
    """One standard-price item's history, oldest first, and the same code in other lists."""
    item = selectors.standar_harga_get(pk=pk)
    if item is None:
        raise Http404
    context = {
        "item": item,
        "riwayat": selectors.riwayat_harga(item=item),
        "daftar_lain": selectors.standar_harga_other_lists(item=item),
    }
    return render(request, "reference/harga_riwayat.html", context)
