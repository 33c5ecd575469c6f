"""The user table is in public and in every region: its console-only columns go, after
apps.platform copied them into StaffRole (public only)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_delete_supportgrantrecord"),
        ("platform", "0002_staffrole"),
    ]

    operations = [
        migrations.RemoveField(model_name="user", name="platform_role"),
        migrations.RemoveField(model_name="user", name="province_code"),
    ]
