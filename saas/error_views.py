"""The 403, 404 and 500 pages of the console and of every region (handler403/404/500 of both
URLconfs), in the product's layout and the chosen language instead of Django's bare pages."""

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from tenants.http import request_tenant


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # A PermissionDenied raised with a message explains itself; a bare one gets the general text.
    message = str(exception) if exception is not None and exception.args else ""
    return render(
        request,
        "errors/403.html",
        {"message": message or _("Anda tidak memiliki izin untuk membuka halaman ini.")},
        status=403,
    )


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Rendered without context processors: they read the session and the database, and either
    may be what failed. Only what the request already holds in memory is used."""
    context = {"region": request_tenant(request)}
    return HttpResponseServerError(loader.get_template("errors/500.html").render(context))
