from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from operations import services
from operations.management.region_lookup import tenant_find
from tenants.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Resume a suspended region. "
        "The action is recorded (lifecycle record and the region's audit chain)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="schema name, slug or kode wilayah of the region")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_find(options["region"])
        try:
            tenant = services.region_resume(tenant=tenant, actor="manage.py resume_region")
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{tenant.schema_name}: {tenant.status}")
