"""Console pages of the transparency portal (saas.urls_public): the national landing page and
the province comparison (anonymous), and the price comparison (central support: every
province; provincial admins: their own). They read the collection only."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from apps.access.decorators import console_view, public_page
from apps.access.scoping import province_codes_scope
from apps.portal.platform import selectors
from apps.portal.platform.models import KoleksiDaerah


@public_page
def landing(request: HttpRequest) -> HttpResponse:
    regions = list(selectors.regions_listed())
    provinces = sorted({r.provinsi_kode for r in regions if r.provinsi_kode})
    context = {
        "regions": regions,
        "provinces": selectors.province_names(provinces),
        "data_date": selectors.data_date(),
    }
    return render(request, "portal/landing.html", context)


@public_page
def province_page(request: HttpRequest, kode: str) -> HttpResponse:
    names = selectors.province_names([kode[:2]])
    if kode not in names:
        raise Http404
    context = {
        "kode": kode,
        "nama": names[kode],
        "comparison": selectors.province_comparison(provinsi_kode=kode),
        "data_date": selectors.data_date(),
    }
    return render(request, "portal/province.html", context)


def price_params(request: HttpRequest) -> dict[str, Any]:
    """tahun (default this year), kelipatan (default 3, 1 to 100), q, hanya_ditandai."""
    raw_year = request.GET.get("tahun", "")[:4]
    tahun = int(raw_year) if raw_year.isdigit() else timezone.localdate().year
    try:
        multiple = Decimal(request.GET.get("kelipatan", "")[:8] or selectors.DEFAULT_MULTIPLE)
    except InvalidOperation:
        multiple = selectors.DEFAULT_MULTIPLE
    if not multiple.is_finite() or not Decimal(1) <= multiple <= Decimal(100):
        multiple = selectors.DEFAULT_MULTIPLE
    return {
        "tahun": tahun,
        "multiple": multiple,
        "q": request.GET.get("q", "").replace("\x00", "")[:100].strip(),
        "flagged_only": request.GET.get("hanya_ditandai") == "1",
    }


def price_page(request: HttpRequest, provinces: list[str] | None, **extra: Any) -> HttpResponse:
    params = price_params(request)
    items = selectors.price_comparison(provinces=provinces, **params)
    context = {**params, "items": items, "data_date": selectors.data_date(), **extra}
    return render(request, "portal/prices.html", context)


@console_view()
def prices(request: HttpRequest) -> HttpResponse:
    return price_page(request, province_codes_scope(request.user), drill="portal-console-drill")


def drill_page(request: HttpRequest, daerah: KoleksiDaerah, kode: str) -> HttpResponse:
    params = price_params(request)
    context = selectors.price_drilldown(daerah=daerah, kode=kode[:40], tahun=params["tahun"])
    return render(request, "portal/price_drill.html", {**context, "tahun": params["tahun"]})


@console_view()
def price_drill(request: HttpRequest, daerah: int, kode: str) -> HttpResponse:
    codes = province_codes_scope(request.user)
    rows = KoleksiDaerah.objects.all()
    if codes is not None:
        rows = rows.filter(provinsi_kode__in=codes)
    return drill_page(request, get_object_or_404(rows, pk=daerah), kode)
