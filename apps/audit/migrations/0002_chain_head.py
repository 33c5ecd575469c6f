from django.db import migrations

GENESIS_HASH = "0" * 64


def create_head(apps, schema_editor):
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditChainHead.objects.get_or_create(singleton=True, defaults={"seq": 0, "hash": GENESIS_HASH})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
