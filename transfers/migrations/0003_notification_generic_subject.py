"""Notifications leave transfers for program.notifications (step 1 of 3), keeping every row.

A notification no longer points at a transfer case by foreign key: it names its subject by
type and id ("transfer_case", the case id) and carries its link, so the same table serves the
finance notifications too. Existing rows are filled from their case, then the table is renamed
to the new app's name. program.notifications' 0001 takes the model over in the migration state
(no table is created), audit's 0002 re-points the history triggers, and transfers' 0004 drops the
model from this app's state.
"""

from django.db import migrations, models

# The case page's path when this migration was written (/cases/<id>/): a migration must not
# depend on today's URL configuration.
FILL_FROM_CASE = """
UPDATE transfers_notification
   SET subject_type = 'transfer_case',
       subject_id = case_id::text,
       link = '/cases/' || case_id::text || '/'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0002_notifications_screening_jobs"),
        # The history triggers on this table are made by audit's 0001: on a new database they
        # must exist before the rename, so audit's 0002 finds and replaces them.
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="subject_type",
            field=models.CharField(default="", max_length=40, verbose_name="subject type"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_id",
            field=models.CharField(default="", max_length=64, verbose_name="subject id"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="notification",
            name="link",
            field=models.CharField(blank=True, max_length=200, verbose_name="link"),
        ),
        migrations.RunSQL(FILL_FROM_CASE, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveConstraint(model_name="notification", name="notification_once_per_key"),
        migrations.RemoveField(model_name="notification", name="case"),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dedupe_key", ""), _negated=True),
                fields=("recipient", "subject_type", "subject_id", "dedupe_key"),
                name="notification_once_per_key",
            ),
        ),
        migrations.AlterModelTable(name="notification", table="notifications_notification"),
    ]
