"""Notifications moved from transfers to program.notifications: their history follows.

The history table stays audit_notificationchange with every row; its triggers move to the
renamed table notifications_notification, and the case a row was about becomes its subject.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

import program.audit.triggers

OLD_TRIGGERS = (
    "pgtrigger_insert_insert_044e3",
    "pgtrigger_update_update_6981e",
    "pgtrigger_delete_delete_dc9d6",
)
DROP_OLD_TRIGGERS = "".join(
    f"DROP TRIGGER IF EXISTS {pgid} ON notifications_notification; "
    f"DROP FUNCTION IF EXISTS {pgid}(); "
    for pgid in OLD_TRIGGERS
)
CASE_TO_SUBJECT = """
ALTER TABLE audit_notificationchange RENAME COLUMN case_id TO subject_id;
ALTER TABLE audit_notificationchange ALTER COLUMN subject_id TYPE varchar(64)
    USING subject_id::text;
-- The foreign key's index, by the name Django gave it; the subject id is not searched alone.
DROP INDEX IF EXISTS audit_notificationchange_case_id_e69be3ad;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="notificationchange",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="notificationchange",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="notificationchange",
            name="delete_delete",
        ),
        # The old triggers' drops above name the table by its old name (transfers_notification),
        # which is gone: Postgres skips them. Drop them on the renamed table, with their
        # functions, before anything writes a row (they read the dropped case_id column).
        migrations.RunSQL(DROP_OLD_TRIGGERS, reverse_sql=migrations.RunSQL.noop),
        # History rows are append-only and keep what they recorded: the case id becomes the
        # subject id by renaming the column (DDL, no row is rewritten by an UPDATE).
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(CASE_TO_SUBJECT, reverse_sql=migrations.RunSQL.noop)
            ],
            state_operations=[
                migrations.RemoveField(model_name="notificationchange", name="case"),
                migrations.AddField(
                    model_name="notificationchange",
                    name="subject_id",
                    field=models.CharField(default="", max_length=64, verbose_name="subject id"),
                    preserve_default=False,
                ),
            ],
        ),
        migrations.AddField(
            model_name="notificationchange",
            name="link",
            field=models.CharField(blank=True, max_length=200, verbose_name="link"),
        ),
        migrations.AddField(
            model_name="notificationchange",
            name="subject_type",
            # Every notification recorded before the move was about a transfer case.
            field=models.CharField(
                default="transfer_case", max_length=40, verbose_name="subject type"
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="notificationchange",
            name="kind",
            field=models.CharField(
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
        migrations.AlterField(
            model_name="notificationchange",
            name="pgh_obj",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="notifications.notification",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="notificationchange",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=program.audit.triggers.StrictUpsertTriggerSql(
                    func='INSERT INTO "audit_notificationchange" ("created_at", "dedupe_key", "email_error", "email_state", "id", "kind", "link", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "read_at", "recipient_id", "sent_at", "subject_id", "subject_type", "text") VALUES (NEW."created_at", NEW."dedupe_key", NEW."email_error", NEW."email_state", NEW."id", NEW."kind", NEW."link", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'insert\', NEW."id", NEW."read_at", NEW."recipient_id", NEW."sent_at", NEW."subject_id", NEW."subject_type", NEW."text"); RETURN NULL;',
                    hash="e80c451b97fcfaf02862c091d94bbf4ff64243ae",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_e1b01",
                    table="notifications_notification",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="notificationchange",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=program.audit.triggers.StrictUpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "audit_notificationchange" ("created_at", "dedupe_key", "email_error", "email_state", "id", "kind", "link", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "read_at", "recipient_id", "sent_at", "subject_id", "subject_type", "text") VALUES (NEW."created_at", NEW."dedupe_key", NEW."email_error", NEW."email_state", NEW."id", NEW."kind", NEW."link", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'update\', NEW."id", NEW."read_at", NEW."recipient_id", NEW."sent_at", NEW."subject_id", NEW."subject_type", NEW."text"); RETURN NULL;',
                    hash="aa778f60ded6fd3b203bef570f8f84fa09c8ddb2",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_a25db",
                    table="notifications_notification",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="notificationchange",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=program.audit.triggers.StrictUpsertTriggerSql(
                    func='INSERT INTO "audit_notificationchange" ("created_at", "dedupe_key", "email_error", "email_state", "id", "kind", "link", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "read_at", "recipient_id", "sent_at", "subject_id", "subject_type", "text") VALUES (OLD."created_at", OLD."dedupe_key", OLD."email_error", OLD."email_state", OLD."id", OLD."kind", OLD."link", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'delete\', OLD."id", OLD."read_at", OLD."recipient_id", OLD."sent_at", OLD."subject_id", OLD."subject_type", OLD."text"); RETURN NULL;',
                    hash="6e51d1e3e50e0b7783e75e4c77e384939b16f16a",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_f6b13",
                    table="notifications_notification",
                    when="AFTER",
                ),
            ),
        ),
    ]
