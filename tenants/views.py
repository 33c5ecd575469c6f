from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants import selectors


def console_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tenants/console_home.html",
        {"tenants": selectors.tenant_list_routable(), "provinces": selectors.province_list()},
    )


def region_home(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/region_home.html")
