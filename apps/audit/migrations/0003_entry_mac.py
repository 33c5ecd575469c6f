"""Entries get an HMAC of their hash under AUDIT_HMAC_KEY (a key kept outside the database).

Entries written before this migration are signed here, so existing chains (and those copied from
the master template) stay verifiable; from now on every append signs its entry.
"""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def sign_existing(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    key = settings.AUDIT_HMAC_KEY.encode("utf-8")
    batch = []
    for entry in AuditEntry.objects.filter(mac="").only("pk", "hash").iterator(chunk_size=2000):
        entry.mac = hmac.new(key, entry.hash.encode("ascii"), hashlib.sha256).hexdigest()
        batch.append(entry)
        if len(batch) >= 2000:
            AuditEntry.objects.bulk_update(batch, ["mac"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["mac"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_head")]
    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(sign_existing, migrations.RunPython.noop),
    ]
