"""The e-mail task is registered under its own app's name now ("notifications.", not
"transfers."): work queued under the old name and not yet done is moved onto the new one, so the
outbox relay hands it to a task that exists."""

from django.db import migrations

OLD, NEW = "transfers.notification_send", "notifications.notification_send"


def forwards(apps, schema_editor):
    apps.get_model("outbox", "OutboxMessage").objects.filter(task=OLD, done_at__isnull=True).update(
        task=NEW
    )


def backwards(apps, schema_editor):
    apps.get_model("outbox", "OutboxMessage").objects.filter(task=NEW, done_at__isnull=True).update(
        task=OLD
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_notification_kind_bulk_read"),
        ("outbox", "0001_outbox_message"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
