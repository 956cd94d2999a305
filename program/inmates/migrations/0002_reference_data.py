from django.db import migrations

from program.inmates.reference import reference_data_load


def load(apps, schema_editor):
    reference_data_load(
        apps.get_model("inmates", "Country"), apps.get_model("inmates", "OffenceCategory")
    )


class Migration(migrations.Migration):
    dependencies = [("inmates", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
