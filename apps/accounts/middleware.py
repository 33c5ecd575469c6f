"""Request guards of identity: a session belongs to the schema that created it, support sessions
are read-only and audited request by request, platform staff cannot work without MFA."""

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from rest_framework.permissions import SAFE_METHODS

from apps.accounts.models import SupportGrant
from apps.accounts.permissions import forbidden_response
from apps.accounts.principals import SupportPrincipal
from apps.audit.services import audit_record
from tenants.db import schema_current

# Session keys: the schema a session was created in, and the support grant it runs under.
SESSION_SCHEMA_KEY = "_berbagi_schema"
SUPPORT_GRANT_KEY = "_berbagi_support_grant"

SUPPORT_EXIT_PATH = "/akun/dukungan/keluar/"


class RegionSessionGuardMiddleware:
    """A session bound to another schema is flushed (the request goes on anonymous). A support
    session becomes a read-only SupportPrincipal while its grant is active; each of its requests
    is audited with both identities, and it ends as soon as the grant does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        bound = session.get(SESSION_SCHEMA_KEY)
        if bound is not None and bound != schema_current():
            session.flush()
            request.user = AnonymousUser()
            return self.get_response(request)
        grant_id = session.get(SUPPORT_GRANT_KEY)
        if grant_id is None:
            return self.get_response(request)
        if schema_current() == settings.PUBLIC_SCHEMA_NAME:
            session.flush()
            request.user = AnonymousUser()
            return self.get_response(request)
        grant = SupportGrant.objects.filter(pk=grant_id).first()
        if grant is None or not grant.is_active_at(timezone.now()):
            session.flush()
            request.user = AnonymousUser()
            return forbidden_response(
                request,
                "Hibah akses dukungan sudah berakhir atau diakhiri oleh admin daerah. "
                "Buka hibah baru dari konsol.",
            )
        principal = SupportPrincipal(grant)
        request.user = principal  # type: ignore[assignment]
        if request.method not in SAFE_METHODS and request.path != SUPPORT_EXIT_PATH:
            response = forbidden_response(
                request, "Akses dukungan hanya dapat membaca data; perubahan ditolak."
            )
        else:
            response = self.get_response(request)
        audit_record(
            actor=principal,
            action="support.request",
            target=grant,
            changes={
                "method": request.method,
                "path": request.get_full_path()[:500],
                "status": response.status_code,
                "support_user_id": grant.support_user_id,
                "support_email": grant.support_email,
            },
        )
        return response


# Paths a platform user without MFA may still reach: setting it up, leaving, static assets.
MFA_SETUP_PREFIXES = (
    "/akun/2fa/",
    "/akun/logout/",
    "/akun/reauthenticate/",
    "/akun/login/",
    "/i18n/",
    "/static/",
)


class PlatformMfaRequiredMiddleware:
    """On the console, central support and provincial admins must have TOTP before anything
    else: pages redirect to its activation, API calls get 403 JSON saying so."""

    message = (
        "Staf platform wajib mengaktifkan autentikasi dua faktor (TOTP) sebelum menggunakan konsol."
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if schema_current() == settings.PUBLIC_SCHEMA_NAME and not request.path.startswith(
            MFA_SETUP_PREFIXES
        ):
            user = request.user
            if (
                user.is_authenticated
                and bool(getattr(user, "platform_role", ""))
                and not is_mfa_enabled(user)
            ):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "field": "mfa",
                            "message": self.message,
                            "errors": [{"field": "mfa", "message": self.message}],
                        },
                        status=403,
                    )
                return HttpResponseRedirect(reverse("mfa_activate_totp") + "?wajib=1")
        return self.get_response(request)
