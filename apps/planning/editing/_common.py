"""What every planning form page shares: a refusal shown next to the field it names, the year
a page starts on, and the places a wilayah-bound user may pick."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.access.roles import user_has_role, user_opd_codes, user_roles, user_wilayah_codes
from apps.accounts.models import OPD_BOUND_ROLES, WILAYAH_BOUND_ROLES
from apps.core.errors import ApplicationError
from apps.planning.editing.forms import PlanningForm
from apps.planning.models import Stage

# Fields a service names that a form calls otherwise.
FIELD_ALIASES = {
    "file": "berkas",
    "perubahan": "ubah_usulan",
    "perubahan.usulan": "ubah_usulan",
    "perubahan.volume": "ubah_volume",
    "perubahan.satuan": "ubah_satuan",
    "perubahan.biaya": "ubah_biaya",
    "sub_kegiatan_entri": "entri",
}


def refuse(form: PlanningForm, exc: ApplicationError) -> None:
    """Show the service's refusal next to the field it names (else above the form)."""
    name = form.service_field(FIELD_ALIASES.get(exc.field or "", exc.field or ""))
    form.add_error(name if name in form.fields else None, exc.message)
    form.mark_invalid()


def invalid(form: PlanningForm) -> bool:
    """Run the form's own checks; mark the fields in error. True when it is not valid."""
    if form.is_valid():
        return False
    form.mark_invalid()
    return True


def page(
    request: HttpRequest, template: str, context: dict[str, Any], *, refused: bool = False
) -> HttpResponse:
    return render(request, template, context, status=400 if refused else 200)


def done(request: HttpRequest, message: str, to: str, *args: Any, **query: Any) -> HttpResponse:
    messages.success(request, message)
    response = redirect(to, *args)
    if query:
        from urllib.parse import urlencode

        response["Location"] += "?" + urlencode(query)
    return response


def default_year(request: HttpRequest) -> int:
    raw = request.GET.get("tahun", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    latest = Stage.objects.order_by("-tahun").values_list("tahun", flat=True).first()
    return int(latest or timezone.localdate().year + 1)


def own_opd(user: Any) -> str:
    """The OPD an OPD-bound user works for (the first, if several), else ''."""
    codes = sorted(user_opd_codes(user))
    return codes[0] if codes and user_roles(user) & OPD_BOUND_ROLES else ""


def wilayah_only(user: Any) -> frozenset[str] | None:
    """The places a user bound to a kecamatan/desa (and nothing wider) reaches; None: all."""
    held = user_roles(user)
    if held and held <= WILAYAH_BOUND_ROLES and not user_has_role(user, "inspektorat"):
        return user_wilayah_codes(user)
    return None
