"""Reference data's menu entry in a region (collected by apps.access.nav): every region role
reads it, support sessions too."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry
from apps.accounts.models import Role
from apps.reference.usulan.roles import DECIDERS as USULAN_DECIDERS
from apps.reference.usulan.roles import PROPOSERS as USULAN_PROPOSERS
from apps.reference.usulan.roles import READERS as USULAN_READERS

NAV_ENTRIES = [
    NavEntry(
        _("Referensi"),
        "reference-page-nomenklatur",
        "region",
        region_roles=frozenset(Role.values),
        support_session=True,
        order=35,
    ),
    NavEntry(
        _("Usulan SSH"),
        "reference-page-usulan",
        "region",
        region_roles=frozenset(
            {*USULAN_PROPOSERS, *USULAN_DECIDERS, *USULAN_READERS, Role.INSPEKTORAT}
        ),
        support_session=True,
        order=36,
    ),
]
