"""SupportGrantRecord moves from apps.accounts (a table in public and, unused, in every region) to
this public-only app; the console's existing records are copied before accounts drops its table."""

from django.db import migrations, models

COPY = """
INSERT INTO platform_supportgrantrecord (
    grant_id, schema_name, region_name, support_user_id, support_email, reason, opened_at,
    expires_at, ended_at, ended_by, ended_by_label
)
SELECT grant_id, schema_name, region_name, support_user_id, support_email, reason, opened_at,
       expires_at, ended_at, ended_by, ended_by_label
FROM accounts_supportgrantrecord
"""


def copy_records(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Public only (the router keeps this app out of regions): the console's grant records."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('accounts_supportgrantrecord') IS NOT NULL")
        if cursor.fetchone()[0]:
            cursor.execute(COPY)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0003_supportgrantrecord"),
    ]

    operations = [
        migrations.CreateModel(
            name="SupportGrantRecord",
            fields=[
                ("grant_id", models.UUIDField(editable=False, primary_key=True, serialize=False)),
                ("schema_name", models.CharField(max_length=63)),
                ("region_name", models.CharField(max_length=255, verbose_name="daerah")),
                ("support_user_id", models.CharField(db_index=True, max_length=64)),
                ("support_email", models.EmailField(max_length=254)),
                ("reason", models.TextField(verbose_name="alasan")),
                ("opened_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
                ("ended_at", models.DateTimeField(blank=True, null=True)),
                (
                    "ended_by",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "-"),
                            ("region_admin", "Admin daerah"),
                            ("support", "Dukungan pusat"),
                        ],
                        default="",
                        max_length=16,
                    ),
                ),
                ("ended_by_label", models.CharField(blank=True, default="", max_length=255)),
            ],
            options={"ordering": ["-opened_at"]},
        ),
        migrations.RunPython(copy_records, migrations.RunPython.noop),
    ]
