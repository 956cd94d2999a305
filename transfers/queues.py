"""The caseworker's work queue: their open cases whose next step is theirs (core work_queues).

The same rule as the worklist's "Needs my action" filter, so the home page, the navigation count
and the filtered worklist always agree.
"""

from typing import Any

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.core.capabilities import roles_with
from program.core.work_queues import QueueItem, WorkQueue
from transfers import selectors
from transfers.models import TransferCase


def cases_needing_action(user: Any) -> Any:
    return selectors.case_list(
        user=user,
        filters=selectors.CaseFilters(
            mine=True, needs_action_of=roles_with("case.manage"), sort="deadline"
        ),
    )


def _item(case: TransferCase) -> QueueItem:
    deadline = getattr(case, "next_deadline", None)
    late = deadline is not None and deadline < timezone.localdate()
    detail = ""
    if deadline is not None:
        day = formats.date_format(deadline, "SHORT_DATE_FORMAT")
        detail = (
            _("overdue since %(day)s") % {"day": day}
            if late
            else _("next deadline %(day)s") % {"day": day}
        )
    return QueueItem(
        text=_("Case #%(pk)s · %(state)s") % {"pk": case.pk, "state": case.get_state_display()},
        url=reverse("transfers:case-detail", args=[case.pk]),
        detail=detail,
        urgent=late,
        api_url=reverse("api:transfer-case-detail", args=[case.pk]),
    )


QUEUES = (
    WorkQueue(
        key="cases_needing_my_action",
        label=gettext_lazy("Cases needing my action"),
        empty=gettext_lazy("None of your cases waits for you."),
        capability="case.manage",
        nav="transfers:worklist",
        rows=cases_needing_action,
        item=_item,
        more_url=lambda: (
            reverse("transfers:worklist") + "?scope=mine&needs_action=on&sort=deadline"
        ),
    ),
)
