from typing import Any

from django.core.management.base import BaseCommand

from provisioning import tasks


class Command(BaseCommand):
    help = (
        "Collect one monitoring snapshot of every region now (what the beat task does every "
        "OPERATIONS_SNAPSHOT_INTERVAL seconds). Runs in this process."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = tasks.snapshot_collect.apply(kwargs={"schema_name": "public"}).get()
        self.stdout.write(f"{count} snapshots")
