"""The finance work queue: tranches waiting for the signed-in approver (core work_queues)."""

from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import selectors
from finance.models import Tranche
from finance.services import tranche_label
from program.core.templatetags.humanize_money import money
from program.core.work_queues import QueueItem, WorkQueue


def _item(tranche: Tranche) -> QueueItem:
    return QueueItem(
        text=f"{tranche_label(tranche)} · {money(tranche.amount, tranche.currency)}",
        url=tranche.get_absolute_url(),
        api_url=reverse("api:tranche-detail", args=[tranche.pk]),
        detail=_("invoice %(ref)s, due on %(due)s")
        % {
            "ref": tranche.invoice_reference,
            "due": formats.date_format(tranche.due_on, "SHORT_DATE_FORMAT"),
        },
    )


def _rows(user: Any) -> Any:
    return selectors.tranches_awaiting_approval_by(user)


QUEUES = (
    WorkQueue(
        key="tranches_awaiting_my_approval",
        label=gettext_lazy("Tranches waiting for my approval"),
        empty=gettext_lazy("No tranche waits for your approval."),
        capability="tranche.approve",
        nav="finance:dashboard",
        rows=_rows,
        item=_item,
        more_url=lambda: reverse("finance:schedule") + "?waiting=mine",
    ),
)
