"""python manage.py licensing_demo 72.05 [--putaran 10]: demo perizinan data in one region
(idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import schema_context

from apps.licensing.demo import licensing_demo
from tenants.models import Tenant


class Command(BaseCommand):
    help = (
        "Give a region demo perizinan: staff of each role, three service standards and "
        "applications at every step, made through the services, --putaran times over (each round "
        "about 30 applications; does nothing if the region already has applications)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kode_wilayah", help="the region's code, e.g. 72.05")
        parser.add_argument("--password", default=None, help="password of the demo users")
        parser.add_argument(
            "--putaran",
            type=int,
            default=1,
            help="rounds of applications (each: every step of every standard, one returned, "
            "one refused); default 1",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from provisioning.demo import DEMO_PASSWORD

        tenant = Tenant.objects.filter(region_id=options["kode_wilayah"]).first()
        if tenant is None:
            raise CommandError(f"unknown region {options['kode_wilayah']}")
        domain = tenant.get_primary_domain()
        slug = domain.domain.split(".")[0] if domain else tenant.schema_name
        with schema_context(tenant.schema_name):
            made = licensing_demo(
                password=options["password"] or DEMO_PASSWORD,
                slug=slug,
                rounds=max(1, options["putaran"]),
            )
        self.stdout.write(f"{tenant.name}: {made} demo applications")
