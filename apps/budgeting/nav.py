"""E-budgeting's menu entries in a region (collected by apps.access.nav)."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.budgeting import roles

READERS = frozenset(str(r) for r in roles.BUDGET_READERS) | {"inspektorat"}

NAV_ENTRIES = [
    NavEntry(
        _("KUA-PPAS"),
        "budgeting-kua",
        "region",
        region_roles=READERS,
        support_session=True,
        order=44,
    ),
    NavEntry(
        _("Anggaran (RKA)"),
        "budgeting-rka",
        "region",
        region_roles=READERS,
        support_session=True,
        order=45,
    ),
    NavEntry(
        _("Verifikasi TAPD"),
        "budgeting-board",
        "region",
        region_roles=READERS,
        support_session=True,
        order=46,
    ),
    NavEntry(
        _("Ringkasan APBD"),
        "budgeting-summary",
        "region",
        region_roles=READERS,
        support_session=True,
        order=47,
    ),
]
