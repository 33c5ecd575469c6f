"""Request guards of identity: a session belongs to the schema that created it, support sessions
are read-only and audited request by request, platform staff cannot work without MFA."""

import logging
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import SAFE_METHODS

from apps.access.decorators import forbidden_response
from apps.access.roles import support_read_only_message
from apps.accounts.models import SupportGrant
from apps.accounts.principals import SupportPrincipal
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from tenants.db import schema_current


def support_account_pages_message() -> str:
    return _(
        "Akses dukungan hanya dapat membaca data daerah; halaman akun (email, kata sandi, "
        "autentikasi dua faktor) hanya untuk pengguna daerah ini."
    )


# Session keys: the schema a session was created in, and the support grant it runs under.
SESSION_SCHEMA_KEY = "_berbagi_schema"
SUPPORT_GRANT_KEY = "_berbagi_support_grant"

SUPPORT_EXIT_PATH = "/akun/dukungan/keluar/"

logger = logging.getLogger(__name__)


class RegionSessionGuardMiddleware:
    """A session bound to another schema is flushed (the request goes on anonymous). A support
    session becomes a read-only SupportPrincipal while its grant is active; each of its requests
    is audited with both identities (a request whose view raises too, as a 500, before the
    exception goes on), and it ends as soon as the grant does."""

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
                _(
                    "Hibah akses dukungan sudah berakhir atau diakhiri oleh admin daerah. "
                    "Buka hibah baru dari konsol."
                ),
            )
        principal = SupportPrincipal(grant)
        request.user = principal  # type: ignore[assignment]
        if request.method not in SAFE_METHODS and request.path != SUPPORT_EXIT_PATH:
            response = forbidden_response(request, support_read_only_message())
        else:
            try:
                response = self.get_response(request)
            except Exception:
                # Django turns a view's exception into a 500 response below this middleware,
                # unless it propagates (DEBUG_PROPAGATE_EXCEPTIONS, an async boundary): the
                # request is audited either way, and the exception goes on unchanged.
                try:
                    _audit_request(request, principal, grant, status=500)
                except Exception:
                    logger.exception("support request audit failed after a view error")
                raise
        _audit_request(request, principal, grant, status=response.status_code)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        """allauth's pages (email, password, MFA, reauthentication, sign-in and out) act on a
        person's own account in this region: a support session has none here, so it is told
        that support access is read-only instead of reaching views that expect a region user."""
        if getattr(request.user, "is_support_session", False) and str(
            getattr(view_func, "__module__", "")
        ).startswith("allauth."):
            return forbidden_response(request, support_account_pages_message())
        return None


def _audit_request(
    request: HttpRequest, principal: SupportPrincipal, grant: SupportGrant, *, status: int
) -> None:
    audit_record(
        actor=principal,
        action=AuditAction.SUPPORT_REQUEST,
        target=grant,
        changes={
            "method": request.method,
            "path": request.get_full_path()[:500],
            "status": status,
            "support_user_id": grant.support_user_id,
            "support_email": grant.support_email,
        },
    )


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

    message = gettext_lazy(
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
                            "message": str(self.message),
                            "errors": [{"field": "mfa", "message": str(self.message)}],
                        },
                        status=403,
                    )
                return HttpResponseRedirect(reverse("mfa_activate_totp") + "?wajib=1")
        return self.get_response(request)
