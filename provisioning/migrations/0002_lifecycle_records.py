"""The support console's records move from the former `operations` app into provisioning, so
that a region's whole lifecycle lives in one app. Existing tables are renamed in place (their rows
kept); a fresh database creates them. Only the public schema has them (a shared app)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = [
    "regionsnapshot",
    "regionlifecycle",
    "lifecyclerecord",
    "regionexport",
    "rolloutjob",
    "rolloutitem",
]


def _adopt_tables(apps, schema_editor):
    connection = schema_editor.connection
    existing = set(connection.introspection.table_names())
    for name in MODELS:
        old, new = f"operations_{name}", f"provisioning_{name}"
        if new in existing:
            continue
        if old in existing:
            schema_editor.execute(f'ALTER TABLE "{old}" RENAME TO "{new}"')
        else:
            schema_editor.create_model(apps.get_model("provisioning", name))
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'operations'")
    schema_editor.execute(
        "UPDATE django_content_type SET app_label = 'provisioning' WHERE app_label = 'operations'"
        " AND model NOT IN (SELECT model FROM django_content_type WHERE app_label = 'provisioning')"
    )


STATE = [
    migrations.CreateModel(
        name='LifecycleRecord',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('schema_name', models.CharField(db_index=True, max_length=63)),
            ('region_name', models.CharField(max_length=255)),
            ('action', models.CharField(choices=[('suspend', 'Tangguhkan'), ('resume', 'Aktifkan kembali'), ('archive', 'Arsipkan'), ('export', 'Ekspor'), ('restore', 'Pulihkan'), ('delete', 'Hapus'), ('upgrade', 'Tingkatkan versi')], max_length=16)),
            ('actor_label', models.CharField(blank=True, default='', max_length=255)),
            ('detail', models.JSONField(blank=True, default=dict)),
            ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
            ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
            ('tenant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='lifecycle_records', to='tenants.tenant')),
        ],
        options={
            'ordering': ['-created_at', '-id'],
        },
    ),
    migrations.CreateModel(
        name='RegionExport',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('schema_name', models.CharField(max_length=63)),
            ('path', models.CharField(max_length=1024)),
            ('size_bytes', models.PositiveBigIntegerField(default=0)),
            ('sha256', models.CharField(max_length=64)),
            ('manifest', models.JSONField(default=dict)),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('tenant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='exports', to='tenants.tenant')),
        ],
        options={
            'ordering': ['-created_at', '-id'],
        },
    ),
    migrations.CreateModel(
        name='RegionLifecycle',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('suspended_at', models.DateTimeField(blank=True, null=True)),
            ('archived_at', models.DateTimeField(blank=True, null=True)),
            ('delete_after', models.DateTimeField(blank=True, null=True)),
            ('status_before_archive', models.CharField(blank=True, default='', max_length=16)),
            ('tenant', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='lifecycle', to='tenants.tenant')),
        ],
    ),
    migrations.CreateModel(
        name='RolloutJob',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('scope', models.CharField(choices=[('all', 'Semua daerah'), ('province', 'Satu provinsi'), ('chosen', 'Daerah terpilih')], default='all', max_length=16)),
            ('province_code', models.CharField(blank=True, default='', max_length=2)),
            ('status', models.CharField(choices=[('pending', 'Menunggu'), ('running', 'Berjalan'), ('done', 'Selesai'), ('done_with_errors', 'Selesai dengan galat')], default='pending', max_length=20)),
            ('created_at', models.DateTimeField(auto_now_add=True)),
            ('started_at', models.DateTimeField(blank=True, null=True)),
            ('finished_at', models.DateTimeField(blank=True, null=True)),
            ('summary', models.JSONField(blank=True, default=dict)),
            ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
            ('template_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rollouts', to='tenants.templateversion')),
        ],
        options={
            'ordering': ['-created_at', '-id'],
        },
    ),
    migrations.CreateModel(
        name='RegionSnapshot',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('taken_at', models.DateTimeField(db_index=True)),
            ('status', models.CharField(max_length=16)),
            ('template_version_label', models.CharField(blank=True, default='', max_length=32)),
            ('schema_present', models.BooleanField(default=True)),
            ('migrations_current', models.BooleanField(default=False)),
            ('pending_migrations', models.PositiveIntegerField(default=0)),
            ('users', models.PositiveIntegerField(default=0)),
            ('last_activity', models.DateTimeField(blank=True, null=True)),
            ('requests_24h', models.PositiveBigIntegerField(default=0)),
            ('errors_24h', models.PositiveBigIntegerField(default=0)),
            ('storage_bytes', models.PositiveBigIntegerField(default=0)),
            ('audit_ok', models.BooleanField(null=True)),
            ('audit_head_seq', models.PositiveBigIntegerField(default=0)),
            ('audit_reason', models.CharField(blank=True, default='', max_length=255)),
            ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='snapshots', to='tenants.tenant')),
        ],
        options={
            'ordering': ['-taken_at'],
            'indexes': [models.Index(fields=['tenant', '-taken_at'], name='ops_snapshot_latest')],
        },
    ),
    migrations.CreateModel(
        name='RolloutItem',
        fields=[
            ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
            ('schema_name', models.CharField(max_length=63)),
            ('status', models.CharField(choices=[('pending', 'Menunggu'), ('running', 'Berjalan'), ('skipped', 'Sudah mutakhir'), ('done', 'Selesai'), ('failed', 'Gagal')], default='pending', max_length=16)),
            ('path', models.CharField(blank=True, choices=[('', '-'), ('sql', 'SQL'), ('python', 'Python (per skema)')], default='', max_length=8)),
            ('migrations', models.JSONField(blank=True, default=list)),
            ('reference', models.JSONField(blank=True, default=dict)),
            ('error', models.TextField(blank=True, default='')),
            ('attempts', models.PositiveIntegerField(default=0)),
            ('started_at', models.DateTimeField(blank=True, null=True)),
            ('finished_at', models.DateTimeField(blank=True, null=True)),
            ('tenant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rollout_items', to='tenants.tenant')),
            ('job', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='provisioning.rolloutjob')),
        ],
        options={
            'ordering': ['schema_name'],
            'constraints': [models.UniqueConstraint(fields=('job', 'schema_name'), name='ops_rollout_item_unique')],
        },
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("provisioning", "0001_initial"),
        ("tenants", "0003_templateversion_digest_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=STATE),
        migrations.RunPython(_adopt_tables, migrations.RunPython.noop),
    ]
