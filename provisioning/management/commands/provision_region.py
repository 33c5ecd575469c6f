"""Provision one kabupaten/kota from the master template (the same service as the console)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.accounts.models import User
from apps.core.errors import ApplicationError
from provisioning.services import tenant_provision


class Command(BaseCommand):
    help = (
        "Provision a kabupaten/kota by its kode wilayah (e.g. 72.05): clone the master template "
        "into a new schema, add its kecamatan and desa, create its domain and invite its first "
        "admin. Everything is rolled back if a step fails; running it again then succeeds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kode_wilayah", help="kode wilayah of a kabupaten/kota, e.g. 72.05")
        parser.add_argument(
            "--admin-email", required=True, help="email of the region's first admin (invited)"
        )
        parser.add_argument(
            "--requested-by",
            default=None,
            help="email of the platform user on whose behalf to provision (province rules apply); "
            "omitted: the operator at the command line, allowed anywhere",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        requested_by = None
        if options["requested_by"]:
            requested_by = User.objects.filter(email=options["requested_by"].lower()).first()
            if requested_by is None:
                raise CommandError(f"No platform user with email {options['requested_by']}.")
        try:
            job = tenant_provision(
                kode_wilayah=options["kode_wilayah"],
                admin_email=options["admin_email"],
                requested_by=requested_by,
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.message} (HTTP {exc.status_code})") from exc
        tenant = job.tenant
        assert tenant is not None
        counts: dict[str, int] = next(
            (s.get("counts") or {} for s in job.steps if s["name"] == "wilayah"), {}
        )
        self.stdout.write(
            f"{tenant.name} ({job.region_id}) provisioned in {job.duration_ms:.0f} ms: "
            f"schema {tenant.schema_name}, http://{tenant.primary_host}/, "
            f"{counts.get('kecamatan', 0)} kecamatan, {counts.get('desa', 0)} desa/kelurahan, "
            f"first admin {job.admin_email} invited (job {job.pk})."
        )
