from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.errors import ApplicationError
from provisioning import services
from provisioning.management.region_lookup import tenant_find


class Command(BaseCommand):
    help = (
        "Export one region as a single .tar archive: pg_dump of its schema (client binaries that "
        "match the server), its files, and manifest.json with per-table row counts and data "
        "checksums. Prints the archive's path."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("region", help="schema name, slug or kode wilayah of the region")
        parser.add_argument(
            "--dir", default="", help="directory for the archive (default OPERATIONS_EXPORT_DIR)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = tenant_find(options["region"])
        try:
            export = services.region_export(
                tenant=tenant,
                actor="manage.py export_region",
                directory=Path(options["dir"]) if options["dir"] else None,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(export.path)
