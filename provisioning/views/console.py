"""Console pages of central support (and provincial admins, read-only, for their province)."""

from collections.abc import Callable

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import console_view
from apps.access.roles import is_central_support, province_scope, request_actor
from apps.core.errors import ApplicationError
from apps.reference.services import release_directories
from provisioning import selectors, services, tasks
from provisioning.charts import svg_line_chart
from provisioning.export_store import export_local, export_name, export_open
from provisioning.models import RegionExport, RolloutItem
from provisioning.services.versions import reference_diff_totals
from tenants.models import TemplateVersion, Tenant
from tenants.selectors import province_list


@console_view()
def overview(request: HttpRequest) -> HttpResponse:
    province = request.GET.get("provinsi", "")
    status = request.GET.get("status", "")
    version = request.GET.get("versi", "")
    rows = selectors.region_overview(
        user=request.user, province=province, status=status, version=version
    )
    scope = province_scope(request.user)
    provinces = province_list()
    if scope is not None:
        provinces = provinces.filter(kode=scope)
    return render(
        request,
        "provisioning/overview.html",
        {
            "rows": rows,
            "provinces": provinces,
            "statuses": Tenant.Status.choices,
            "versions": selectors.template_version_list().values_list("label", flat=True),
            "filters": {"provinsi": province, "status": status, "versi": version},
            "can_act": is_central_support(request.user),
            "taken_at": max((r.snapshot.taken_at for r in rows if r.snapshot), default=None),
        },
    )


@require_POST
@console_view(central_only=True)
def snapshot_now(request: HttpRequest) -> HttpResponse:
    tasks.snapshot_collect.delay(schema_name="public")
    messages.success(request, _("Pengambilan cuplikan dijalankan."))
    return redirect("console:overview")


def _region_or_404(request: HttpRequest, schema_name: str) -> Tenant:
    tenant = selectors.region_get(user=request.user, schema_name=schema_name)
    if tenant is None:
        raise Http404
    return tenant


@console_view()
def region_detail(request: HttpRequest, schema_name: str) -> HttpResponse:
    tenant = _region_or_404(request, schema_name)
    history = list(selectors.region_history(tenant=tenant))
    times = [s.taken_at for s in history]
    charts = []
    if history:
        charts = [
            svg_line_chart(
                title=_("Permintaan dan galat (24 jam)"),
                times=times,
                series=[
                    (_("permintaan"), "#0b6e4f", [s.requests_24h for s in history]),
                    (_("galat"), "#a11", [s.errors_24h for s in history]),
                ],
            ),
            svg_line_chart(
                title=_("Penyimpanan (MB)"),
                times=times,
                series=[(_("MB"), "#1d4e89", [round(s.storage_bytes / 1e6, 2) for s in history])],
            ),
            svg_line_chart(
                title=_("Pengguna aktif"),
                times=times,
                series=[(_("pengguna"), "#7a4e0b", [s.users for s in history])],
            ),
        ]
    lifecycle = getattr(tenant, "lifecycle", None)
    return render(
        request,
        "provisioning/region_detail.html",
        {
            "tenant": tenant,
            "snapshot": history[-1] if history else None,
            "charts": charts,
            "records": selectors.lifecycle_record_list(tenant=tenant),
            "exports": selectors.export_list(tenant=tenant),
            "lifecycle": lifecycle,
            "can_act": is_central_support(request.user),
            "can_delete": lifecycle is not None
            and lifecycle.delete_after is not None
            and lifecycle.delete_after <= timezone.now(),
        },
    )


def _region_act(
    request: HttpRequest, schema_name: str, act: Callable[[Tenant], str]
) -> HttpResponse:
    """Run one lifecycle service on a region the user may see; its refusal becomes a message."""
    tenant = _region_or_404(request, schema_name)
    try:
        messages.success(request, act(tenant))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("console:region", schema_name=schema_name)


@require_POST
@console_view(central_only=True)
def region_suspend(request: HttpRequest, schema_name: str) -> HttpResponse:
    def act(tenant: Tenant) -> str:
        reason = request.POST.get("alasan", "")
        services.region_suspend(tenant=tenant, actor=request_actor(request), reason=reason)
        return _("%(name)s ditangguhkan.") % {"name": tenant.name}

    return _region_act(request, schema_name, act)


@require_POST
@console_view(central_only=True)
def region_resume(request: HttpRequest, schema_name: str) -> HttpResponse:
    def act(tenant: Tenant) -> str:
        services.region_resume(tenant=tenant, actor=request_actor(request))
        return _("%(name)s aktif kembali.") % {"name": tenant.name}

    return _region_act(request, schema_name, act)


@require_POST
@console_view(central_only=True)
def region_archive(request: HttpRequest, schema_name: str) -> HttpResponse:
    def act(tenant: Tenant) -> str:
        services.region_archive(tenant=tenant, actor=request_actor(request))
        return _("%(name)s diarsipkan.") % {"name": tenant.name}

    return _region_act(request, schema_name, act)


@require_POST
@console_view(central_only=True)
def region_export(request: HttpRequest, schema_name: str) -> HttpResponse:
    def act(tenant: Tenant) -> str:
        export = services.region_export(tenant=tenant, actor=request_actor(request))
        return _("Arsip %(file)s dibuat.") % {"file": export_name(export.path)}

    return _region_act(request, schema_name, act)


@require_POST
@console_view(central_only=True)
def region_restore(request: HttpRequest, schema_name: str) -> HttpResponse:
    def act(tenant: Tenant) -> str:
        export = RegionExport.objects.filter(
            pk=request.POST.get("ekspor") or 0, tenant=tenant
        ).first()
        if export is None:
            raise ApplicationError(_("Pilih arsip yang akan dipulihkan."), field="ekspor")
        with export_local(export.path) as local:
            services.region_restore(path=local, actor=request_actor(request), tenant=tenant)
        return _("%(name)s dipulihkan dari arsip.") % {"name": tenant.name}

    return _region_act(request, schema_name, act)


@require_POST
@console_view(central_only=True)
def region_delete(request: HttpRequest, schema_name: str) -> HttpResponse:
    tenant = _region_or_404(request, schema_name)
    try:
        services.region_delete(
            tenant=tenant,
            actor=request_actor(request),
            confirmation=request.POST.get("konfirmasi", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("console:region", schema_name=schema_name)
    messages.success(request, _("%(name)s dihapus.") % {"name": tenant.name})
    return redirect("console:overview")


@console_view(central_only=True)
def export_download(request: HttpRequest, schema_name: str, export_id: int) -> HttpResponseBase:
    """Stream an export's archive to central support; the download is recorded first."""
    tenant = _region_or_404(request, schema_name)
    export = selectors.export_get(tenant=tenant, export_id=export_id)
    if export is None:
        raise Http404
    try:
        services.region_export_download(export=export, actor=request_actor(request))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("console:region", schema_name=schema_name)
    return FileResponse(
        export_open(export.path), as_attachment=True, filename=export_name(export.path)
    )


@console_view(central_only=True)
def releases(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "provisioning/releases.html",
        {
            "versions": selectors.template_version_list(),
            "reference_releases": list(release_directories()),
            "jobs": selectors.rollout_job_list(),
            "provinces": province_list(),
        },
    )


@require_POST
@console_view(central_only=True)
def version_publish(request: HttpRequest) -> HttpResponse:
    try:
        version = services.template_version_publish(
            label=request.POST.get("label", ""),
            notes=request.POST.get("catatan", ""),
            actor=request_actor(request),
            release=request.POST.get("rilis", "")[:40],
        )
        messages.success(request, _("Versi %(label)s diterbitkan.") % {"label": version.label})
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("console:releases")


@require_POST
@console_view(central_only=True)
def rollout_start(request: HttpRequest) -> HttpResponse:
    version = TemplateVersion.objects.filter(pk=request.POST.get("versi") or 0).first()
    if version is None:
        messages.error(request, _("Pilih versi templat."))
        return redirect("console:releases")
    chosen = [s.strip() for s in request.POST.get("daerah", "").replace(",", " ").split()]
    try:
        job = services.rollout_start(
            template_version=version,
            actor=request_actor(request),
            province_code=request.POST.get("provinsi", ""),
            schema_names=[s for s in chosen if s],
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("console:releases")
    return redirect("console:rollout", job_id=job.pk)


@console_view(central_only=True)
def rollout_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.rollout_job_get(job_id=job_id)
    if job is None:
        raise Http404
    items = list(selectors.rollout_item_list(job=job, status=request.GET.get("status", "")))
    for item in items:  # the reference diff each region applied (added, changed, retired)
        item.diff = reference_diff_totals(item.reference or {})  # type: ignore[attr-defined]
    counts: dict[str, int] = {}
    for status in job.items.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    total = sum(counts.values())
    finished = total - counts.get("pending", 0) - counts.get("running", 0)
    return render(
        request,
        "provisioning/rollout_detail.html",
        {
            "job": job,
            "items": items,
            "counts": counts,
            "total": total,
            "percent": round(100 * finished / total) if total else 100,
            "statuses": RolloutItem.Status.choices,
            "count_rows": [
                (label, counts.get(value, 0)) for value, label in RolloutItem.Status.choices
            ],
        },
    )


@require_POST
@console_view(central_only=True)
def rollout_item_retry(request: HttpRequest, item_id: int) -> HttpResponse:
    item = RolloutItem.objects.select_related("tenant").filter(pk=item_id).first()
    if item is None:
        raise Http404
    if item.status != RolloutItem.Status.FAILED:
        messages.error(request, _("Hanya daerah yang gagal dapat diulang."))
    else:
        transaction.on_commit(
            lambda: tasks.rollout_item_retry.delay(schema_name="public", item_id=item.pk)
        )
        name = item.tenant.name if item.tenant is not None else item.schema_name
        messages.success(request, _("%(name)s diulang.") % {"name": name})
    return redirect("console:rollout", job_id=item.job_id)
