"""The console's support grant records now live in apps.platform (public only): drop the table
here, in public after platform copied its rows, and in every region, where it was never used."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_supportgrantrecord"),
        ("platform", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="SupportGrantRecord"),
    ]
