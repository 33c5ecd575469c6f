"""The planning calendar page (Bappeda): RPJMD periods, stages of a year, opening and closing
(closing freezes the snapshot)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import role_required
from apps.access.roles import request_actor
from apps.core.errors import ApplicationError
from apps.planning import roles
from apps.planning.editing._common import default_year, done, invalid, page, refuse
from apps.planning.editing.forms import PeriodForm, StageForm
from apps.planning.models import Period, Stage
from apps.planning.selectors.calendar import stages_list
from apps.planning.services.calendar import period_create, stage_close, stage_create, stage_open

TEMPLATE = "planning/edit/calendar.html"


def _calendar(
    request: HttpRequest,
    *,
    period_form: PeriodForm | None = None,
    stage_form: StageForm | None = None,
    stage_error: tuple[int, str] | None = None,
) -> HttpResponse:
    tahun = default_year(request) if stage_form is None else stage_form.data.get("tahun", "")
    context: dict[str, Any] = {
        "tahun": tahun,
        "periods": Period.objects.order_by("-tahun_awal"),
        "stages": stages_list(),
        "period_form": period_form or PeriodForm(),
        "stage_form": stage_form or StageForm(initial={"tahun": tahun}),
        "stage_error": stage_error,
    }
    refused = any(f is not None for f in (period_form, stage_form, stage_error))
    return page(request, TEMPLATE, context, refused=refused)


@role_required(*roles.BAPPEDA, read=roles.PLAN_READERS)
def calendar_page(request: HttpRequest) -> HttpResponse:
    return _calendar(request)


@require_POST
@role_required(*roles.BAPPEDA)
def period_add(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.POST)
    if invalid(form):
        return _calendar(request, period_form=form)
    try:
        period = period_create(actor=request_actor(request), **form.cleaned_data)
    except ApplicationError as exc:
        refuse(form, exc)
        return _calendar(request, period_form=form)
    return done(request, _("Periode %(p)s dibuat.") % {"p": period}, "planning-calendar")


@require_POST
@role_required(*roles.BAPPEDA)
def stage_add(request: HttpRequest) -> HttpResponse:
    form = StageForm(request.POST)
    if invalid(form):
        return _calendar(request, stage_form=form)
    data = form.cleaned_data
    try:
        stage = stage_create(
            actor=request_actor(request),
            period=get_object_or_404(Period, pk=data.pop("period")),
            **data,
        )
    except ApplicationError as exc:
        refuse(form, exc)
        return _calendar(request, stage_form=form)
    return done(request, _("Tahapan %(s)s dijadwalkan.") % {"s": stage}, "planning-calendar")


def _stage_step(request: HttpRequest, pk: int, *, close: bool) -> HttpResponse:
    stage = get_object_or_404(Stage, pk=pk)
    actor = request_actor(request)
    try:
        if close:
            snapshot = stage_close(actor=actor, stage=stage)
            message = _("Tahapan %(s)s ditutup; cuplikan %(h)s dibekukan.") % {
                "s": stage,
                "h": snapshot.sha256[:12],
            }
        else:
            stage_open(actor=actor, stage=stage)
            message = _("Tahapan %(s)s dibuka.") % {"s": stage}
    except ApplicationError as exc:
        return _calendar(request, stage_error=(stage.pk, exc.message))
    return done(request, message, "planning-calendar")


@require_POST
@role_required(*roles.BAPPEDA)
def stage_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_step(request, pk, close=False)


@require_POST
@role_required(*roles.BAPPEDA)
def stage_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _stage_step(request, pk, close=True)
