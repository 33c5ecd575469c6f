from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_roleassignment_wilayah_code")]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="wilayah_code",
            field=models.CharField(
                blank=True, default="", max_length=13, verbose_name="kode wilayah"
            ),
        ),
    ]
