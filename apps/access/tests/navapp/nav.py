from apps.access.nav import NavEntry
from apps.accounts.models import Role

NAV_ENTRIES = [
    NavEntry("Perencanaan (uji)", "api-schema", "region", region_roles=frozenset({Role.BAPPEDA})),
]
