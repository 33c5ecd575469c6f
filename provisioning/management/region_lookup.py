"""How management commands name a region: schema name, slug or kode wilayah."""

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from apps.core.errors import ApplicationError
from tenants.models import Tenant


def tenant_find(name: str) -> Tenant:
    tenant = (
        Tenant.objects.exclude(kind=Tenant.Kind.TEMPLATE)
        .filter(Q(schema_name=name) | Q(slug=name) | Q(region_id=name))
        .first()
    )
    if tenant is None:
        raise CommandError(f"Daerah {name!r} tidak ditemukan (skema, slug atau kode wilayah).")
    return tenant


class RegionLifecycleCommand(BaseCommand):
    """A command that applies one lifecycle service to one named region and prints its status."""

    service: Callable[..., Tenant]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="schema name, slug or kode wilayah of the region")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_find(options["region"])
        try:
            tenant = type(self).service(tenant=tenant, actor=f"manage.py {self._command_name()}")
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{tenant.schema_name}: {tenant.status}")

    def _command_name(self) -> str:
        return type(self).__module__.rsplit(".", 1)[-1]
