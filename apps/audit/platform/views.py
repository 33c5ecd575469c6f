"""The platform audit log page of the console (central support only)."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.access.decorators import console_view
from apps.audit.actions import AuditAction
from apps.audit.platform import selectors
from apps.audit.platform.services import platform_chain_verify

PAGE_SIZE = 50


@console_view(central_only=True)
def platform_log(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("aksi", "")
    if action not in AuditAction.__members__.values():
        action = ""
    page = Paginator(selectors.platform_audit_list(action=action), PAGE_SIZE).get_page(
        request.GET.get("halaman")
    )
    return render(
        request,
        "audit/platform_log.html",
        {
            "page": page,
            "verdict": platform_chain_verify(),
            "actions": [(a.value, a.label) for a in AuditAction],
            "action": action,
            "current": "audit",
        },
    )
