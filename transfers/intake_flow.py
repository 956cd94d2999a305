"""The candidate intake page (program/core/imports.py): a CSV or XLSX file from the prison
system, checked as the inmate register's import is, that also opens a transfer case for each
candidate who never had one."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from program.core.imports import ImportFlow, Preview, import_views
from program.inmates import csv_import
from program.inmates import selectors as inmates_selectors
from program.inmates.import_flow import HeldRows
from program.inmates.models_import import ImportJob
from transfers import intake, selectors
from transfers.forms import IntakeForm


def _parse(data: bytes) -> csv_import.ParsedFile:
    return intake.parse(data, known_countries=inmates_selectors.country_codes())


def _preview(rows: Sequence[csv_import.InmateRow]) -> Preview:
    plan = selectors.intake_plan(rows=rows)
    return Preview(lines=plan, context={"to_open": sum(1 for line in plan if line.opens_case)})


def _problems_summary(parsed: csv_import.ParsedFile) -> str:
    n = parsed.bad_rows
    return ngettext(
        "%(n)s row is wrong. Correct the file and upload it again.",
        "%(n)s rows are wrong. Correct the file and upload it again.",
        n,
    ) % {"n": formats.localize(n)}  # as a template writes it: 6,000


def _done_message(counts: Mapping[str, Any]) -> str:
    return _(
        "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged inmates; "
        "%(cases_opened)s case(s) opened; %(judgments_added)s judgment(s) and "
        "%(expulsion_orders_added)s expulsion order(s) added, %(judgments_updated)s and "
        "%(expulsion_orders_updated)s updated."
    ) % {
        "judgments_added": 0,
        "judgments_updated": 0,
        "expulsion_orders_added": 0,
        "expulsion_orders_updated": 0,
        **counts,
    }


FLOW = ImportFlow(
    route="transfers:intake",
    job_route="transfers:intake-job",
    done_route="transfers:worklist",
    done_label=gettext_lazy("Go to the worklist"),
    parent_label=gettext_lazy("Transfer cases"),
    title=gettext_lazy("Import candidates"),
    current_label=gettext_lazy("Import candidates"),
    submit_label=gettext_lazy("Import these candidates"),
    testid="intake",
    form=IntakeForm,
    columns=csv_import.COLUMNS,
    parse=_parse,
    preview=_preview,
    store=HeldRows(
        kind=ImportJob.Kind.CANDIDATES,
        task=intake.INTAKE_TASK,
        apply=intake.apply_intake,
        route="transfers:intake",
    ),
    problems_summary=_problems_summary,
    done_message=_done_message,
    preview_template="transfers/_intake_preview.html",
    about_template="transfers/_intake_about.html",
)
VIEWS = import_views(FLOW)
