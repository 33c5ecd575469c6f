"""The console page: a province's kabupaten/kota, provisioned or not, with a provision button."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.access.decorators import console_view
from apps.accounts.models import User
from provisioning import selectors
from tenants.models import Region


@console_view()
def provisioning_console(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    codes = selectors.province_codes_visible(user=user)
    if not codes:
        raise PermissionDenied(_("Halaman ini hanya untuk staf platform."))
    chosen = request.GET.get("provinsi") or codes[0]
    if chosen not in codes:
        chosen = codes[0]
    provinces = Region.objects.filter(kode__in=codes).order_by("kode")
    return render(
        request,
        "provisioning/console.html",
        {
            "province": provinces.get(kode=chosen),
            "provinces": provinces,
            "rows": selectors.kabkota_list_for_province(province_code=chosen),
        },
    )
