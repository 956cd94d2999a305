"""Notifications move to program.notifications (step 3 of 3): drop the model from this app's
migration state only. The table, now notifications_notification, and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0003_notification_generic_subject"),
        ("notifications", "0001_initial"),
        ("audit", "0002_notification_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="Notification")],
        ),
    ]
