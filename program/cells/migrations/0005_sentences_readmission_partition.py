from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0004_translatable_field_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="cell",
            name="sanitary_partitioned",
            field=models.BooleanField(
                blank=True,
                help_text=(
                    "Required for a shared cell. Until it is recorded the cell counts as not "
                    "partitioned, so it holds one person."
                ),
                null=True,
                verbose_name="sanitary annex fully partitioned",
            ),
        ),
        # The partition was a default (True), so a stored True may never have been checked:
        # shared cells now count as not partitioned until someone records it. A cell that
        # already holds more places than that allows keeps them (places are not deleted behind
        # anyone's back); the facility page names the cells whose partition is not recorded,
        # and recording it, or removing a place, settles it. The trigger that refuses a cell
        # smaller than its places is paused for this one statement only.
        migrations.RunSQL(
            """
            ALTER TABLE cells_cell DISABLE TRIGGER cell_keeps_its_places;
            UPDATE cells_cell SET sanitary_partitioned = NULL WHERE kind = 'shared';
            ALTER TABLE cells_cell ENABLE TRIGGER cell_keeps_its_places;
            """,
            migrations.RunSQL.noop,
        ),
    ]
