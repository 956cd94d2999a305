"""The inspections' work queue: promised actions past their deadline (core work_queues)."""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.core.work_queues import QueueItem, WorkQueue
from program.inspections import selectors
from program.inspections.models import FindingAction


def _item(action: FindingAction) -> QueueItem:
    inspection = action.finding.inspection
    return QueueItem(
        text=action.title,
        url=action.finding.get_absolute_url(),
        detail=_("%(body)s at %(facility)s · deadline %(deadline)s")
        % {
            "body": inspection.body.short_name,
            "facility": inspection.facility.name,
            "deadline": formats.date_format(action.deadline, "SHORT_DATE_FORMAT"),
        },
        urgent=True,
    )


def _rows(user: Any) -> Any:
    # The same for everyone who holds the queue: the facility's promises are the governor's and
    # the occupancy administrators' shared business.
    return selectors.overdue_actions(timezone.localdate())


QUEUES = (
    WorkQueue(
        key="inspection_actions_overdue",
        label=gettext_lazy("Inspection actions past their deadline"),
        empty=gettext_lazy("No promised action is past its deadline."),
        capability="inspection.edit",
        nav="inspections:list",
        rows=_rows,
        item=_item,
        more_url=lambda: reverse("inspections:overdue"),
    ),
)
