"""The append-only trigger for the history and access-log tables.

pgtrigger's own Protect can be switched off by any session with `SET pgtrigger.ignore = …`
(every pgtrigger function starts with that check). The application's database role can do that,
so a Protect alone would not keep the application from rewriting its own audit trail. This
trigger is installed from a template without the ignore check: only DDL (ALTER TABLE … DISABLE
TRIGGER, DROP TRIGGER) can lift it, and DDL needs the table's owner.

Deployment note: in development and test the application's role owns these tables (it runs the
migrations), so it could still drop the trigger. A production deployment should run migrations
as a separate owner role and give the application role only SELECT and INSERT on the audit
tables (plus DELETE on the access log for the retention job), and no TRUNCATE.
"""

import pgtrigger
from django.db import models
from pgtrigger import compiler


class StrictUpsertTriggerSql(compiler.UpsertTriggerSql):
    """pgtrigger's installation template (v1) without the `pgtrigger.ignore` escape hatch.

    Migrations reference this class by path: do not change the template in place; add a new
    class if it ever has to change.
    """

    def get_template(self) -> str:
        return """
            CREATE OR REPLACE FUNCTION {pgid}()
            RETURNS TRIGGER AS $$
                {declare}
                BEGIN
                    {func}
                END;
            $$ LANGUAGE plpgsql;

            DROP TRIGGER IF EXISTS {pgid} ON {table};
            CREATE {constraint} TRIGGER {pgid}
                {when} {operation} ON {table}
                {timing}
                {referencing}
                FOR EACH {level} {condition}
                EXECUTE PROCEDURE {execute};

            COMMENT ON TRIGGER {pgid} ON {table} IS '{hash}';
        """


class AppendOnly(pgtrigger.Trigger):
    """Refuse UPDATE and DELETE on every row, whoever asks.

    With `purge_column` and `purge_floor_days`, one narrow exception: a DELETE is let through
    when the transaction has set `audit.purge` to 'on' (SET LOCAL, so it ends with the
    transaction) and the row's `purge_column` is older than the floor. The floor is written into
    the trigger, so neither a setting nor a caller can make it shorter.
    """

    when = pgtrigger.Before
    operation = pgtrigger.Update | pgtrigger.Delete

    def __init__(
        self,
        *,
        name: str = "append_only",
        purge_column: str = "",
        purge_floor_days: int = 0,
    ) -> None:
        super().__init__(name=name)
        if bool(purge_column) != bool(purge_floor_days):
            raise ValueError("Give both purge_column and purge_floor_days, or neither.")
        self.purge_column = purge_column
        self.purge_floor_days = int(purge_floor_days)

    def get_func(self, model: models.Model) -> str:
        purge = ""
        if self.purge_column:
            column = getattr(model._meta.get_field(self.purge_column), "column", self.purge_column)
            purge = (
                "IF TG_OP = 'DELETE' "
                "AND COALESCE(CURRENT_SETTING('audit.purge', TRUE), '') = 'on' "
                f"AND OLD.\"{column}\" < NOW() - INTERVAL '{self.purge_floor_days} days' "
                "THEN RETURN OLD; END IF; "
            )
        return (
            purge + "RAISE EXCEPTION 'audit: % on % refused: the table is append-only.', "
            "TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';"
        )

    def compile(self, model: models.Model) -> compiler.Trigger:
        return compiler.Trigger(
            name=self.name,
            sql=StrictUpsertTriggerSql(
                pgid=self.get_pgid(model),
                declare=self.render_declare(model),
                func=self.render_func(model),
                table=model._meta.db_table,
                when=self.when,
                operation=self.operation,
                level=self.level,
                condition=self.render_condition(model),
                execute=self.render_execute(model),
            ),
        )
