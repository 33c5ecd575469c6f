"""python manage.py planning_demo --schema daerah_12_71 [--tahun 2027]"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.planning.demo import planner_ensure, planning_demo_fill


class Command(BaseCommand):
    help = "Give a region a believable planning year (calendar, Musrenbang, RKPD) via services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schema", required=True, help="the region's schema name")
        parser.add_argument("--tahun", type=int, default=timezone.localdate().year + 1)
        parser.add_argument("--jumlah", type=int, default=300, help="about this many sub kegiatan")

    def handle(self, *args: Any, **options: Any) -> None:
        from provisioning.demo import DEMO_PASSWORD

        email = f"bappeda.{options['schema'].removeprefix('daerah_').replace('_', '')}@berbagi.test"
        with schema_context(options["schema"]):
            actor = planner_ensure(email=email, password=DEMO_PASSWORD)
            made = planning_demo_fill(actor=actor, tahun=options["tahun"], count=options["jumlah"])
        word = "dibuat" if made else "sudah ada"
        self.stdout.write(f"rencana {options['tahun']} di {options['schema']}: {word} ({email})")
