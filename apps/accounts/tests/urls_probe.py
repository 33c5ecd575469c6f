"""The region URLconf plus probe endpoints guarded by the shared permission helpers (tests only)."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.cache import cache_control
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.access.decorators import role_required
from apps.access.drf import region_roles
from apps.accounts.models import Role
from saas.urls_tenant import urlpatterns as region_urlpatterns


@dataclass
class Row:
    opd_code: str


class ProbeApi(APIView):
    """Bappeda writes everywhere, OPD operators only their OPD's rows, DPRD reads."""

    permission_classes = [
        region_roles(Role.BAPPEDA, Role.OPD_OPERATOR, read=[Role.DPRD], opd_field="opd_code")
    ]

    def get(self, request: Request, opd: str) -> Response:
        self.check_object_permissions(request, Row(opd))
        return Response({"ok": True})

    def post(self, request: Request, opd: str) -> Response:
        self.check_object_permissions(request, Row(opd))
        return Response({"ok": True})


@role_required(Role.BAPPEDA)
def probe_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


@cache_control(public=True, max_age=60)
def probe_public(request: HttpRequest) -> HttpResponse:
    """A page that declares itself cacheable (as a public transparency page would)."""
    return HttpResponse("ok")


class ProbeError(RuntimeError):
    """What probe_raise raises, so a test can tell it from any other error."""


def probe_raise(request: HttpRequest) -> HttpResponse:
    """A page that fails (a 500) for whoever opens it."""
    raise ProbeError("probe failure")


urlpatterns = [
    *region_urlpatterns,
    path("probe/<str:opd>/", ProbeApi.as_view()),
    path("probe-page/", probe_page),
    path("probe-raise/", probe_raise),
    path("probe-public/", probe_public),
]
