"""Public pages on the region's host: services, sign-up, applying, receipt, tracking by number,
verification of an issued permit, the satisfaction survey. Tracking and verification show
nothing personal (initials; the holder's name on a permit) and the same 404 for a forged or
unknown number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.access.roles import user_has_role
from apps.core.errors import ApplicationError
from apps.licensing import selectors
from apps.licensing.access import FRONT, is_licensing_staff
from apps.licensing.forms import ApplicationForm, SignupForm, SurveyForm
from apps.licensing.models import Permohonan, StandarLayanan
from apps.licensing.services.applicants import applicant_register
from apps.licensing.services.applications import permohonan_resubmit, permohonan_submit
from apps.licensing.services.permits import survei_submit


def services(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "licensing/public_services.html",
        {"standards": selectors.standar_list(active_only=True)},
    )


def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant_register(request=request, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(
                request, "licensing/signup_sent.html", {"email": form.cleaned_data["email"]}
            )
    return render(request, "licensing/signup.html", {"form": form})


def _standar_or_404(kode: str) -> StandarLayanan:
    standar = selectors.standar_list(active_only=True).filter(kode=kode[:40]).first()
    if standar is None:
        raise Http404
    return standar


@login_required
def apply(request: HttpRequest, kode: str) -> HttpResponse:
    standar = _standar_or_404(kode)
    counter = user_has_role(request.user, FRONT)
    initial = {"nama_pemohon": getattr(request.user, "full_name", "")} if not counter else {}
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        standar=standar,
        counter=counter,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data, documents = form.service_input()
        try:
            permohonan = permohonan_submit(
                standar=standar, actor=request.user, data=data, documents=documents
            )
        except ApplicationError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            return redirect("licensing-receipt", nomor=permohonan.nomor)
    return render(
        request, "licensing/apply.html", {"form": form, "standar": standar, "counter": counter}
    )


def _own_or_staff(request: HttpRequest, nomor: str) -> Permohonan:
    permohonan = selectors.permohonan_get(nomor)
    if permohonan is None:
        raise Http404
    user = request.user
    if is_licensing_staff(user) or (permohonan.pemohon_id and permohonan.pemohon_id == user.pk):
        return permohonan
    raise Http404


@login_required
def receipt(request: HttpRequest, nomor: str) -> HttpResponse:
    permohonan = _own_or_staff(request, nomor)
    return render(
        request,
        "licensing/receipt.html",
        {
            "p": permohonan,
            "clock": selectors.permohonan_clock(permohonan),
        },
    )


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "licensing/my_applications.html",
        {
            "applications": selectors.permohonan_list(pemohon_id=request.user.pk)[:200],
        },
    )


@login_required
def resubmit(request: HttpRequest, nomor: str) -> HttpResponse:
    permohonan = _own_or_staff(request, nomor)
    standar = permohonan.standar
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        standar=standar,
        counter=True,
        initial={"nama_pemohon": permohonan.nama_pemohon},
    )
    if request.method == "POST" and form.is_valid():
        _data, documents = form.service_input()
        try:
            permohonan_resubmit(permohonan=permohonan, actor=request.user, documents=documents)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Permohonan diajukan kembali."))
            return redirect("licensing-receipt", nomor=permohonan.nomor)
    return render(request, "licensing/resubmit.html", {"form": form, "p": permohonan})


def track(request: HttpRequest) -> HttpResponse:
    nomor = request.GET.get("nomor", "").strip()[:40]
    result = selectors.tracking(nomor) if nomor else None
    status = 404 if nomor and result is None else 200
    return render(
        request,
        "licensing/track.html",
        {"nomor": nomor, "result": result, "searched": bool(nomor)},
        status=status,
    )


def verify(request: HttpRequest, code: str) -> HttpResponse:
    result = selectors.verification(code)
    if result is None:
        raise Http404
    return render(request, "licensing/verify.html", {"izin": result})


@login_required
def survey(request: HttpRequest, nomor: str) -> HttpResponse:
    permohonan = get_object_or_404(Permohonan, nomor=nomor[:40], pemohon_id=request.user.pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        nilai = {k: v for k, v in form.cleaned_data.items() if k != "saran"}
        try:
            survei_submit(
                permohonan=permohonan,
                actor=request.user,
                nilai=nilai,
                saran=form.cleaned_data["saran"],
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Terima kasih atas penilaian Anda."))
            return redirect("licensing-receipt", nomor=permohonan.nomor)
    return render(request, "licensing/survey.html", {"form": form, "p": permohonan})
