from typing import Any

from django.db import migrations, models


def fail_duplicate_active_jobs(apps: Any, schema_editor: Any) -> None:
    """Older runs could leave several jobs of a region "running" (killed processes): all but the
    newest active job of a region are marked failed so the unique index can be built."""
    job_model = apps.get_model("provisioning", "ProvisioningJob")
    seen: set[str] = set()
    active = job_model.objects.filter(status__in=["pending", "running"]).order_by("-created_at")
    for job in active:
        if job.region_id in seen:
            job.status = "failed"
            job.error = "Proses penyiapan berhenti sebelum selesai."
            job.save(update_fields=["status", "error"])
        seen.add(job.region_id)


class Migration(migrations.Migration):
    dependencies = [("provisioning", "0003_lifecyclerecord_download_action")]

    operations = [
        migrations.RunPython(fail_duplicate_active_jobs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="provisioningjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(status__in=["pending", "running"]),
                fields=["region"],
                name="provisioning_one_active_job_per_region",
            ),
        ),
    ]
