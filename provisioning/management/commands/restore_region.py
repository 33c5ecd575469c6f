from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.errors import ApplicationError
from provisioning import services
from provisioning.management.region_lookup import tenant_find


class Command(BaseCommand):
    help = (
        "Restore a region archive (made by export_region) into the same region (which must be "
        "suspended or archived; its schema is replaced) or, with --kode, into a new region "
        "registered for that kode wilayah. The restored data's checksums must equal the manifest's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="path of the .tar archive")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--region", help="existing region: schema name, slug or kode")
        target.add_argument("--kode", help="kode wilayah of a region without a tenant yet")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_find(options["region"]) if options["region"] else None
        try:
            restored = services.region_restore(
                path=Path(options["archive"]),
                actor="manage.py restore_region",
                tenant=tenant,
                kode=options["kode"],
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{restored.schema_name}: {restored.status}")
