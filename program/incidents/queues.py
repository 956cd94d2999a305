"""The governor's work queue: incident reviews past their deadline (core work_queues)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.core.work_queues import QueueItem, WorkQueue
from program.incidents import selectors
from program.incidents.models import Incident


def _item(incident: Incident) -> QueueItem:
    return QueueItem(
        text=_("Incident #%(pk)s · %(kind)s")
        % {"pk": incident.pk, "kind": incident.get_kind_display()},
        url=reverse("incidents:detail", args=[incident.pk]),
        detail=_("review due %(when)s")
        % {
            "when": formats.date_format(
                timezone.localtime(incident.review_due_at), "SHORT_DATETIME_FORMAT"
            )
        },
        urgent=True,
    )


QUEUES = (
    WorkQueue(
        key="incident_reviews_overdue",
        label=gettext_lazy("Incident reviews overdue"),
        empty=gettext_lazy("No incident review is overdue."),
        capability="incident.review",
        nav="incidents:list",
        rows=selectors.reviews_overdue,
        item=_item,
        more_url=lambda: reverse("incidents:list") + "?overdue=on",
    ),
)
