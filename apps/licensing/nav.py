"""Perizinan's menu entries in a region (collected by apps.access.nav)."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.accounts.models import Role

_STAFF = frozenset({Role.PERIZINAN_FRONT, Role.PERIZINAN_BACK, Role.KEPALA_DPMPTSP})

NAV_ENTRIES = [
    NavEntry(_("Perizinan"), "licensing-worklist", "region", region_roles=_STAFF, order=40),
    NavEntry(
        _("Dasbor SLA"),
        "licensing-dashboard",
        "region",
        region_roles=frozenset({Role.KEPALA_DPMPTSP}),
        order=41,
    ),
]
