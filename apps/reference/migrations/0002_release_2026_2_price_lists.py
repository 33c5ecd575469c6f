"""Nomenclature metadata of the 2023/2027 lists, and standard prices owned by a region's dated
price list (rows of an existing starter list move into one archived list)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def existing_prices_to_a_list(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    StandarHarga = apps.get_model("reference", "StandarHarga")
    DaftarHarga = apps.get_model("reference", "DaftarHarga")
    count = StandarHarga.objects.count()
    if count:
        daftar = DaftarHarga.objects.create(
            tahun=2026,
            versi=1,
            dasar_hukum="Daftar contoh (ilustratif) dari rilis awal",
            status="arsip",
            jumlah=count,
        )
        StandarHarga.objects.update(daftar=daftar)


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="nomenklatur",
            name="kekhususan",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.AddField(
            model_name="nomenklatur",
            name="kode_sebelumnya",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.AddField(
            model_name="nomenklatur", name="spm", field=models.BooleanField(default=False)
        ),
        migrations.AddField(
            model_name="nomenklatur",
            name="jenis",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="nomenklatur", name="tag", field=models.TextField(blank=True, default="")
        ),
        migrations.AddField(
            model_name="nomenklatur",
            name="pelaksana",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="nomenklatur",
            name="definisi_operasional",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.CreateModel(
            name="DaftarHarga",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tahun", models.PositiveSmallIntegerField()),
                ("versi", models.PositiveSmallIntegerField(default=1)),
                ("dasar_hukum", models.TextField(blank=True, default="")),
                (
                    "status",
                    models.CharField(
                        choices=[("draft", "Draf"), ("berlaku", "Berlaku"), ("arsip", "Arsip")],
                        default="berlaku",
                        max_length=10,
                    ),
                ),
                ("dipinjam_dari", models.CharField(blank=True, default="", max_length=200)),
                ("berkas", models.CharField(blank=True, default="", max_length=255)),
                ("jumlah", models.PositiveIntegerField(default=0)),
                ("dibuat_pada", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name_plural": "daftar harga",
                "ordering": ["-tahun", "-versi"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("tahun", "versi"), name="reference_daftarharga_uniq"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="standarharga",
            name="daftar",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="item",
                to="reference.daftarharga",
            ),
        ),
        migrations.AddField(
            model_name="standarharga",
            name="tkdn",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=5, null=True),
        ),
        migrations.RunPython(existing_prices_to_a_list, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="standarharga",
            name="daftar",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="item",
                to="reference.daftarharga",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="standarharga", name="reference_standarharga_kode_uniq"
        ),
        migrations.AddConstraint(
            model_name="standarharga",
            constraint=models.UniqueConstraint(
                fields=("daftar", "kode"), name="reference_standarharga_kode_uniq"
            ),
        ),
    ]
