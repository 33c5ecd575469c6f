"""E-planning's menu entries in a region (collected by apps.access.nav)."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.planning import roles

NAV_ENTRIES = [
    NavEntry(
        _("Perencanaan"),
        "planning-plan",
        "region",
        region_roles=frozenset(str(r) for r in roles.PLAN_READERS) | {"inspektorat"},
        support_session=True,
        order=30,
    ),
    NavEntry(
        _("Musrenbang"),
        "planning-musrenbang",
        "region",
        region_roles=frozenset(str(r) for r in roles.PLAN_READERS) | {"inspektorat"},
        support_session=True,
        order=31,
    ),
    NavEntry(
        _("RPJMD & Renstra"),
        "planning-rpjmd",
        "region",
        region_roles=frozenset(str(r) for r in roles.PLAN_READERS) | {"inspektorat"},
        support_session=True,
        order=33,
    ),
    NavEntry(_("Lacak usulan"), "planning-track", "region", everyone=True, order=32),
]
