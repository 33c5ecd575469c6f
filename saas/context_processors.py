from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


def platform(request: HttpRequest) -> dict[str, Any]:
    """The region (or None on the console), the base domain and the navigation for every page."""
    return {
        "region": getattr(request, "tenant", None),
        "base_domain": settings.BASE_DOMAIN,
        "nav_links": _navigation(request),
    }


def _link(label: Any, name: str) -> tuple[Any, str] | None:
    try:
        return label, reverse(name)
    except NoReverseMatch:  # a refusal page rendered before routing picked a URLconf
        return None


def _navigation(request: HttpRequest) -> list[tuple[Any, str, bool]]:
    """Links the signed-in person may follow here: console tools by platform role, region pages
    by region role. Anonymous visitors and refusal pages get none."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    wanted: list[tuple[Any, str]] = []
    if getattr(request, "tenant", None) is None:
        role = getattr(user, "platform_role", "")
        if role:
            wanted += [(_("Penyiapan daerah"), "provisioning-console")]
            wanted += [(_("Operasi"), "console:overview")]
        if role == "central_support":
            wanted += [(_("Akses dukungan"), "support-console")]
            wanted += [(_("Staf platform"), "staff-invitations")]
    elif not getattr(user, "is_support_session", False):
        from apps.accounts.models import Role
        from apps.accounts.permissions import user_has_role

        if user_has_role(user, Role.ADMIN):
            wanted += [(_("Pengguna"), "accounts-users")]
        wanted += [(_("Token API"), "accounts-tokens")]
    wanted += [(_("Dokumentasi API"), "api-docs")]
    links = [link for label, name in wanted if (link := _link(label, name)) is not None]
    # The link is current on its own page and on the pages below it.
    return [(label, url, request.path.startswith(url)) for label, url in links]
