from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.errors import ApplicationError
from provisioning import services
from provisioning.management.region_lookup import tenant_find


class Command(BaseCommand):
    help = (
        "Delete an archived region whose retention period has passed: drops its schema, domains "
        "and tenant row. --confirm must repeat the region's slug or name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="schema name, slug or kode wilayah of the region")
        parser.add_argument("--confirm", required=True, help="the region's slug or name")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_find(options["region"])
        try:
            services.region_delete(
                tenant=tenant, actor="manage.py delete_region", confirmation=options["confirm"]
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{tenant.schema_name}: deleted")
