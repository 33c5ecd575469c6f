"""python manage.py budgeting_demo --schema daerah_12_71 [--tahun 2027] [--per-sub 10]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.budgeting.demo import budgeting_demo_fill
from apps.budgeting.models import Rincian


class Command(BaseCommand):
    help = (
        "Give a region an enacted APBD (and one enacted pergeseran) for a year whose RKPD the "
        "planning demo made, through the services; the RKPD penetapan stage is closed first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schema", required=True, help="the region's schema name")
        parser.add_argument("--tahun", type=int, default=timezone.localdate().year + 1)
        parser.add_argument(
            "--per-sub", type=int, default=10, help="budget lines per sub kegiatan (about)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from provisioning.demo import DEMO_PASSWORD

        with schema_context(options["schema"]):
            made = budgeting_demo_fill(
                tahun=options["tahun"], password=DEMO_PASSWORD, per_entry=options["per_sub"]
            )
            count = Rincian.objects.filter(versi__tahun__tahun=options["tahun"]).count()
        word = "dibuat" if made else "sudah ada atau belum ada RKPD"
        self.stdout.write(
            f"APBD {options['tahun']} di {options['schema']}: {word} ({count} rincian; "
            "tapd.demo@berbagi.test, bpkad.demo@berbagi.test, operatorN/kepalaN.demo@berbagi.test)"
        )
