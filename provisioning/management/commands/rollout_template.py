import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.core.errors import ApplicationError
from provisioning import services
from provisioning.models import RolloutItem, RolloutJob
from tenants.models import TemplateVersion


class Command(BaseCommand):
    help = (
        "Upgrade regions to a template version: migrations (schemas with nothing to migrate are "
        "skipped after one query over all schemas; SQL-only migrations are replayed per schema in "
        "parallel, RunPython ones run per schema) plus the reference-data diff. Runs in this "
        "process and prints progress per region. --publish LABEL first publishes a new version "
        "from the master template; --retry JOB retries that job's failed regions one by one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--template-version", dest="label", help="label of the version to roll out"
        )
        parser.add_argument("--publish", metavar="LABEL", help="publish this new version first")
        parser.add_argument("--notes", default="", help="notes for --publish")
        parser.add_argument(
            "--release",
            default="",
            help="with --publish: the reference-data release to load into the template (2027.1)",
        )
        parser.add_argument("--province", default="", help="only this province (two digits)")
        parser.add_argument("--regions", nargs="*", default=[], help="only these schema names")
        parser.add_argument("--retry", type=int, metavar="JOB", help="retry a job's failed regions")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["retry"]:
                job = RolloutJob.objects.get(pk=options["retry"])
                for item in job.items.filter(status=RolloutItem.Status.FAILED):
                    item = services.rollout_item_retry(item=item)
                    self.stdout.write(f"{item.schema_name}: {item.status} {item.error}")
                return
            if options["publish"]:
                version = services.template_version_publish(
                    label=options["publish"],
                    notes=options["notes"],
                    actor="manage.py",
                    release=options["release"],
                )
                self.stdout.write(f"published {version.label}")
            elif options["label"]:
                found = TemplateVersion.objects.filter(label=options["label"]).first()
                if found is None:
                    raise CommandError(f"Versi {options['label']} tidak ada.")
                version = found
            else:
                raise CommandError("Sebutkan --template-version LABEL atau --publish LABEL.")
            started = time.perf_counter()
            job = services.rollout_create(
                template_version=version,
                actor="manage.py",
                province_code=options["province"],
                schema_names=options["regions"],
            )
            job = services.rollout_run(job=job)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        elapsed = time.perf_counter() - started
        for item in job.items.exclude(status=RolloutItem.Status.SKIPPED):
            line = f"{item.schema_name}: {item.status} {item.path} {','.join(item.migrations)}"
            self.stdout.write(line + (f" ERROR {item.error}" if item.error else ""))
        self.stdout.write(f"job {job.pk}: {job.status} {job.summary} in {elapsed:.2f}s")
