"""The console menu entries of a region's lifecycle (collected by apps.access.nav)."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.access.roles import CENTRAL_SUPPORT, PROVINCIAL_ADMIN

NAV_ENTRIES = [
    NavEntry(
        _("Penyiapan daerah"),
        "provisioning-console",
        "console",
        platform_roles=frozenset({CENTRAL_SUPPORT, PROVINCIAL_ADMIN}),
        order=10,
    ),
    NavEntry(
        _("Operasi"),
        "console:overview",
        "console",
        platform_roles=frozenset({CENTRAL_SUPPORT, PROVINCIAL_ADMIN}),
        order=20,
    ),
]
