"""Notifications move here from transfers (step 2 of 3), keeping every row.

transfers' 0003 gave the rows a generic subject and renamed the table to notifications_notification;
this migration only takes the model over in the migration state (no table is created), then adds
the rule that a link is a path on this site.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("transfers", "0003_notification_generic_subject"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("outcome_changed", "Eligibility outcome changed"),
                                    ("reminder", "Deadline reminder"),
                                    ("tranche_due", "Tranche due"),
                                    ("tranche_overdue", "Tranche overdue"),
                                ],
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        ("text", models.CharField(max_length=300, verbose_name="text")),
                        (
                            "subject_type",
                            models.CharField(max_length=40, verbose_name="subject type"),
                        ),
                        ("subject_id", models.CharField(max_length=64, verbose_name="subject id")),
                        (
                            "link",
                            models.CharField(blank=True, max_length=200, verbose_name="link"),
                        ),
                        (
                            "dedupe_key",
                            models.CharField(
                                blank=True, max_length=120, verbose_name="idempotency key"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created at"),
                        ),
                        (
                            "read_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="read at"),
                        ),
                        (
                            "email_state",
                            models.CharField(
                                choices=[
                                    ("pending", "Pending"),
                                    ("sent", "Sent"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="e-mail",
                            ),
                        ),
                        (
                            "email_error",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="e-mail error"
                            ),
                        ),
                        (
                            "sent_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="sent at"),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recipient",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                condition=models.Q(("read_at__isnull", True)),
                                fields=["recipient", "-created_at"],
                                name="notification_unread",
                            ),
                            models.Index(
                                fields=["recipient", "-created_at"],
                                name="notification_recipient",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("dedupe_key", ""), _negated=True),
                                fields=("recipient", "subject_type", "subject_id", "dedupe_key"),
                                name="notification_once_per_key",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(("email_state", "sent"), ("sent_at__isnull", False)),
                                    models.Q(("email_state", "sent"), _negated=True),
                                    _connector="OR",
                                ),
                                name="notification_sent_has_time",
                            ),
                        ],
                    },
                ),
            ],
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("link", ""),
                    models.Q(
                        ("link__startswith", "/"),
                        models.Q(("link__startswith", "//"), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="notification_link_is_a_path",
            ),
        ),
    ]
