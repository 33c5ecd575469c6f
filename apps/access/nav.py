"""Navigation built from what each app declares.

An app lists its menu entries in `<app>/nav.py` as `NAV_ENTRIES = [NavEntry(...), ...]`; the
registry below collects them from every installed app, so a new app adds its menu without
editing saas/. saas/context_processors.py renders `nav_for(request)`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import Any, Literal

from django.apps import apps
from django.core.signals import setting_changed
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from apps.access.roles import is_support_session, platform_role, user_has_role
from tenants.http import request_tenant

Site = Literal["console", "region", "both"]


@dataclass(frozen=True)
class NavEntry:
    """A menu entry. On the console it shows to `platform_roles` (or every signed-in person
    with `everyone`); in a region to `region_roles` (or everyone). Support sessions see only
    entries marked `support_session`. Lower `order` comes first."""

    label: Any
    url_name: str
    site: Site
    platform_roles: frozenset[str] = field(default_factory=frozenset)
    region_roles: frozenset[str] = field(default_factory=frozenset)
    everyone: bool = False
    support_session: bool = False
    order: int = 100

    def visible_to(self, user: Any, *, on_console: bool) -> bool:
        if self.site != "both" and (self.site == "console") != on_console:
            return False
        if on_console:
            return self.everyone or platform_role(user) in self.platform_roles
        if is_support_session(user):
            return self.support_session
        return self.everyone or user_has_role(user, *self.region_roles)


# Entries of the project itself (saas/ wires these URLs in both URLconfs).
NAV_ENTRIES = [
    NavEntry(
        _("Dokumentasi API"), "api-docs", "both", everyone=True, support_session=True, order=1000
    ),
]


@cache
def nav_entries() -> tuple[NavEntry, ...]:
    """Every entry declared by an installed app's `nav` module, plus the project's own."""
    entries: list[NavEntry] = list(NAV_ENTRIES)
    for config in apps.get_app_configs():
        name = f"{config.name}.nav"
        if find_spec(name) is not None:
            entries.extend(getattr(import_module(name), "NAV_ENTRIES", []))
    return tuple(sorted(entries, key=lambda e: e.order))


def _registry_reset(*, setting: str, **kwargs: Any) -> None:
    if setting == "INSTALLED_APPS":
        nav_entries.cache_clear()


setting_changed.connect(_registry_reset, dispatch_uid="access.nav_registry_reset")


def _links(entries: Iterable[NavEntry]) -> list[tuple[Any, str]]:
    links = []
    for entry in entries:
        try:
            links.append((entry.label, reverse(entry.url_name)))
        except NoReverseMatch:  # a refusal page rendered before routing picked a URLconf
            continue
    return links


def nav_for(request: HttpRequest) -> list[tuple[Any, str, bool]]:
    """(label, url, current) the signed-in person may follow here; none for anonymous."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    on_console = request_tenant(request) is None
    links = _links(e for e in nav_entries() if e.visible_to(user, on_console=on_console))
    # The link is current on its own page and on the pages below it; where two links match
    # (/anggaran/ and /anggaran/kua/), only the longer one.
    matching = [url for _label, url in links if request.path.startswith(url)]
    current = max(matching, key=len, default=None)
    return [(label, url, url == current) for label, url in links]
