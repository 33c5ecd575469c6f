"""Bring a database to a serving state: idempotent, safe to run on every start."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from apps.reference.services import reference_template_prepare
from provisioning.services import template_version_record
from tenants import registry, services


class Command(BaseCommand):
    help = (
        "Migrate the public schema, create and migrate the master template, migrate every region, "
        "load the reference-data release into the template and the region registry "
        "(idempotent). With --skip-regions (the Helm migration hook), the regions are left to the "
        "console's rollout job. With --demo, also prepare the demo regions and users."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo", action="store_true", help="prepare the demo regions and users"
        )
        parser.add_argument(
            "--skip-regions",
            action="store_true",
            help="migrate the public schema and the master template only, not the regions "
            "(they follow through a rollout: python manage.py rollout_template)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        template = services.template_ensure()
        if options["skip_regions"]:
            services.schema_migrate(schema_name=template.schema_name)
        else:
            call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
        release = reference_template_prepare()
        version = template_version_record(notes="Disiapkan oleh platform_prepare.")
        changed = registry.region_registry_load()
        self.stdout.write(
            f"template schema {template.schema_name} ready with reference release "
            f"{release.versi} (template version {version.label}); registry: {changed} rows changed"
        )
        if options["demo"]:
            from provisioning.demo import demo_prepare

            for line in demo_prepare():
                self.stdout.write(line)
