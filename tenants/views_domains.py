"""Console page /domain/: regions' own domains, requested, checked and removed by support."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.access.decorators import console_view
from apps.access.roles import request_actor
from apps.core.errors import ApplicationError
from tenants import custom_domains
from tenants.models import CustomDomain, Tenant


@console_view(central_only=True)
def domain_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenants/custom_domains.html",
        {
            "domains": CustomDomain.objects.select_related("tenant").order_by("domain"),
            "regions": Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE)
            .filter(status__in=[Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED])
            .order_by("name"),
        },
    )


@require_POST
@console_view(central_only=True)
def domain_request(request: HttpRequest) -> HttpResponse:
    tenant = Tenant.objects.filter(schema_name=request.POST.get("daerah", "")).first()
    if tenant is None:
        messages.error(request, _("Pilih daerah."))
        return redirect("custom-domains:list")
    try:
        record = custom_domains.custom_domain_request(
            tenant=tenant, domain=request.POST.get("domain", ""), actor=request_actor(request)
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Domain %(domain)s dicatat; pasang rekaman DNS-nya lalu periksa.")
            % {"domain": record.domain},
        )
    return redirect("custom-domains:list")


@require_POST
@console_view(central_only=True)
def domain_verify(request: HttpRequest, pk: int) -> HttpResponse:
    record = custom_domains.custom_domain_verify(
        record=get_object_or_404(CustomDomain, pk=pk), actor=request_actor(request)
    )
    if record.status == CustomDomain.Status.VERIFIED:
        messages.success(
            request, _("Domain %(domain)s terverifikasi dan aktif.") % {"domain": record.domain}
        )
    else:
        messages.error(request, " ".join(record.problems))
    return redirect("custom-domains:list")


@require_POST
@console_view(central_only=True)
def domain_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(CustomDomain, pk=pk)
    custom_domains.custom_domain_remove(record=record, actor=request_actor(request))
    messages.success(request, _("Domain %(domain)s dihapus.") % {"domain": record.domain})
    return redirect("custom-domains:list")
