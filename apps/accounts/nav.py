"""Identity's menu entries on the console and in regions (collected by apps.access.nav)."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.access.roles import CENTRAL_SUPPORT
from apps.accounts.models import Role

NAV_ENTRIES = [
    NavEntry(
        _("Akses dukungan"),
        "support-console",
        "console",
        platform_roles=frozenset({CENTRAL_SUPPORT}),
        order=30,
    ),
    NavEntry(
        _("Staf platform"),
        "staff-invitations",
        "console",
        platform_roles=frozenset({CENTRAL_SUPPORT}),
        order=40,
    ),
    NavEntry(
        _("Pengguna"), "accounts-users", "region", region_roles=frozenset({Role.ADMIN}), order=10
    ),
    NavEntry(_("Token API"), "accounts-tokens", "region", everyone=True, order=20),
]
