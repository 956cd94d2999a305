"""The complaints' work queue: answers due (program/core/work_queues.py, docs/work-queues.md)."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.complaints import selectors
from program.complaints.models import Complaint
from program.core.work_queues import QueueItem, WorkQueue


def _item(complaint: Complaint) -> QueueItem:
    # Number, kind and deadline only: the home page names no one.
    overdue = complaint.deadline < timezone.localdate()
    day = formats.date_format(complaint.deadline, "SHORT_DATE_FORMAT")
    return QueueItem(
        text=_("Complaint #%(pk)s · %(kind)s")
        % {"pk": complaint.pk, "kind": complaint.get_kind_display()},
        url=complaint.get_absolute_url(),
        detail=(_("overdue since %(day)s") if overdue else _("answer due on %(day)s"))
        % {"day": day},
        urgent=overdue,
    )


def _rows(user: Any) -> QuerySet[Complaint]:
    return selectors.answers_due(user, today=timezone.localdate())


QUEUES = (
    WorkQueue(
        key="complaint_answers_due",
        label=gettext_lazy("Complaint answers due"),
        empty=gettext_lazy("No complaint waits for an answer from you."),
        capability="complaint.handle",
        nav="complaints:list",
        rows=_rows,
        item=_item,
        more_url=lambda: reverse("complaints:list") + "?status=open",
    ),
)
