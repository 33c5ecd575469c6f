"""Operations' console menu entry (collected by apps.access.nav)."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.access.roles import CENTRAL_SUPPORT, PROVINCIAL_ADMIN

NAV_ENTRIES = [
    NavEntry(
        _("Operasi"),
        "operations:overview",
        "console",
        platform_roles=frozenset({CENTRAL_SUPPORT, PROVINCIAL_ADMIN}),
        order=20,
    ),
]
