"""The portal's menu entries in a region (collected by apps.access.nav)."""

from django.utils.translation import gettext_lazy as _

from apps.access.nav import NavEntry

NAV_ENTRIES = [
    NavEntry(_("Portal transparansi"), "portal-home", "region", everyone=True, order=80),
    NavEntry(
        _("Perbandingan standar harga"),
        "portal-prices",
        "region",
        region_roles=frozenset({"inspektorat"}),
        order=82,
    ),
    NavEntry(
        _("Terbitkan dokumen"),
        "portal-publish",
        "region",
        region_roles=frozenset({"admin_daerah", "inspektorat"}),
        order=81,
    ),
]
