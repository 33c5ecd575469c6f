from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants import home, selectors


def console_home(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    return render(
        request,
        "tenants/console_home.html",
        {
            "tenants": selectors.tenant_list_routable(),
            "provinces": selectors.province_list(),
            "tasks": home.platform_tasks(request.user) if signed_in else [],
        },
    )


def region_home(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.is_authenticated
    return render(
        request,
        "tenants/region_home.html",
        {"tasks": home.region_tasks(request.user) if signed_in else []},
    )
