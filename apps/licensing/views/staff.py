"""DPMPTSP pages under /perizinan/: the worklist per role, an application with its clock and
the current step's form, service standards, days off, the SLA dashboard and its export."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import role_required
from apps.core.errors import ApplicationError
from apps.licensing import selectors
from apps.licensing.access import BACK, FRONT, KEPALA, STEP_ROLES, steps_of
from apps.licensing.exports import applications_xlsx, dashboard_xlsx
from apps.licensing.forms import HolidayForm, StepForm
from apps.licensing.models import HariLibur, Izin, Permohonan, StandarLayanan, Step
from apps.licensing.services.permits import izin_revoke
from apps.licensing.services.standards import hari_libur_add, hari_libur_remove, standar_update
from apps.licensing.services.steps import langkah_complete
from apps.licensing.standard_form import StandardForm
from apps.reference.models import JenisIzin

STAFF = (FRONT, BACK, KEPALA)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _clean(value: str | None, allowed: list[str]) -> str | None:
    return value if value in allowed else None


@role_required(*STAFF)
def worklist(request: HttpRequest) -> HttpResponse:
    status = _clean(request.GET.get("status"), Permohonan.Status.values)
    langkah = _clean(request.GET.get("langkah"), Step.values)
    q = (request.GET.get("q") or "").replace("\x00", "")[:40] or None
    # By default, what waits for the signed-in role(s); "semua" shows every application.
    everything = request.GET.get("lingkup") == "semua"
    mine = steps_of(request.user)
    applications = selectors.permohonan_list(
        status=status, langkah=langkah, q=q, for_steps=None if everything else mine
    )
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(applications_xlsx(applications[:100000]), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="permohonan.xlsx"'
        return response
    return render(
        request,
        "licensing/worklist.html",
        {
            "applications": applications[:200],
            "statuses": Permohonan.Status.choices,
            "steps": Step.choices,
            "status": status or "",
            "langkah": langkah or "",
            "q": q or "",
            "standards": selectors.standar_list(active_only=True),
            "step_roles": STEP_ROLES,
            "everything": everything,
            "my_steps": [Step(step).label for step in mine],
        },
    )


@role_required(*STAFF)
def detail(request: HttpRequest, nomor: str) -> HttpResponse:
    permohonan = selectors.permohonan_get(nomor)
    if permohonan is None:
        raise Http404
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            langkah_complete(
                permohonan=permohonan,
                step=permohonan.langkah_sekarang,
                actor=request.user,
                hasil=form.cleaned_data["hasil"],
                catatan=form.cleaned_data["catatan"],
                data={"referensi": form.cleaned_data["referensi"]},
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Tahap disimpan."))
            return redirect("licensing-detail", nomor=permohonan.nomor)
    izin = Izin.objects.filter(permohonan=permohonan).first()
    return render(
        request,
        "licensing/detail.html",
        {
            "p": permohonan,
            "clock": selectors.permohonan_clock(permohonan),
            "form": form,
            "izin": izin,
            "documents": permohonan.dokumen.all(),
        },
    )


@require_POST
@role_required(KEPALA)
def revoke(request: HttpRequest, nomor: str) -> HttpResponse:
    izin = get_object_or_404(Izin, permohonan__nomor=nomor[:40])
    try:
        izin_revoke(izin=izin, actor=request.user, alasan=request.POST.get("alasan", ""))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("licensing-detail", nomor=nomor)


@role_required(KEPALA, read=[FRONT, BACK])
def standards(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        from apps.licensing.services.standards import standar_adopt

        jenis = get_object_or_404(JenisIzin, kode=request.POST.get("kode", "")[:40])
        try:
            standar = standar_adopt(jenis_izin=jenis, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            return redirect("licensing-standard", kode=standar.kode)
    adopted = set(StandarLayanan.objects.values_list("jenis_izin_id", flat=True))
    return render(
        request,
        "licensing/standards.html",
        {
            "standards": selectors.standar_list(),
            "available": JenisIzin.objects.filter(berlaku=True, retired_at__isnull=True).exclude(
                pk__in=adopted
            ),
        },
    )


@role_required(KEPALA, read=[FRONT, BACK])
def standard(request: HttpRequest, kode: str) -> HttpResponse:
    standar = get_object_or_404(StandarLayanan, kode=kode[:40])
    form = StandardForm(request.POST or None, initial=StandardForm.initial_of(standar))
    if request.method == "POST" and form.is_valid():
        try:
            standar_update(standar=standar, actor=request.user, data=form.service_data())
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Standar pelayanan disimpan."))
            return redirect("licensing-standard", kode=standar.kode)
    return render(
        request,
        "licensing/standard.html",
        {
            "standar": standar,
            "form": form,
            "history": standar.riwayat.all()[:50],
        },
    )


@role_required(KEPALA, read=[FRONT, BACK])
def holidays(request: HttpRequest) -> HttpResponse:
    form = HolidayForm(request.POST or None)
    if request.method == "POST":
        try:
            if "hapus" in request.POST:
                hari_libur_remove(libur_id=int(request.POST["hapus"] or 0), actor=request.user)
                return redirect("licensing-holidays")
            if form.is_valid():
                hari_libur_add(actor=request.user, **form.cleaned_data)
                return redirect("licensing-holidays")
        except (ApplicationError, ValueError) as error:
            form.add_error(None, getattr(error, "message", _("Data tidak valid.")))
    return render(
        request, "licensing/holidays.html", {"form": form, "days": HariLibur.objects.all()[:500]}
    )


@role_required(KEPALA)
def dashboard(request: HttpRequest) -> HttpResponse:
    figures = selectors.dashboard()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(dashboard_xlsx(figures), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="dasbor-sla.xlsx"'
        return response
    return render(request, "licensing/dashboard.html", {"d": figures, "ikm": selectors.ikm()})


@role_required(*STAFF)
def permit_pdf(request: HttpRequest, nomor: str) -> HttpResponse:
    izin = get_object_or_404(Izin, permohonan__nomor=nomor[:40])
    response = HttpResponse(selectors.izin_pdf_bytes(izin), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="izin-{izin.pk}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
