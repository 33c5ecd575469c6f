"""Reference data's menu entry in a region (collected by apps.access.nav): every region role
reads it, support sessions too."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.accounts.models import Role

NAV_ENTRIES = [
    NavEntry(
        _("Referensi"),
        "reference-page-nomenklatur",
        "region",
        region_roles=frozenset(Role.values),
        support_session=True,
        order=35,
    ),
]
