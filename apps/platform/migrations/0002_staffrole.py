"""Platform roles move off the user table (which every region carries) into StaffRole, a
public-only table; every console user's role and province are copied before accounts drops the
columns."""

from django.conf import settings
from django.db import migrations, models

COPY = """
INSERT INTO platform_staffrole (user_id, platform_role, province_code)
SELECT id, platform_role, province_code FROM accounts_user WHERE platform_role <> ''
"""


def copy_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Public only (the router keeps this app out of regions): the console users' roles."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = 'accounts_user' AND column_name = 'platform_role'"
        )
        if cursor.fetchone() is not None:
            cursor.execute(COPY)


class Migration(migrations.Migration):
    dependencies = [
        ("platform", "0001_initial"),
        ("accounts", "0004_delete_supportgrantrecord"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffRole",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="staff_role",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "platform_role",
                    models.CharField(
                        choices=[
                            ("central_support", "Dukungan pusat"),
                            ("provincial_admin", "Admin provinsi"),
                        ],
                        max_length=32,
                        verbose_name="peran platform",
                    ),
                ),
                (
                    "province_code",
                    models.CharField(
                        blank=True,
                        default="",
                        help_text="Two-digit kode wilayah of the province a provincial admin manages.",
                        max_length=2,
                        verbose_name="kode provinsi",
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_roles, migrations.RunPython.noop),
    ]
