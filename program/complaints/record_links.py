"""The person's record lists their complaints, for the roles that may read them (registered in
ComplaintsConfig.ready; program/inmates/record_links.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from program.complaints.models import Complaint
from program.complaints.selectors import complaints_of
from program.core.policy import allows
from program.core.record_rows import newest_first
from program.inmates.models import Inmate
from program.inmates.record_links import RecordLink


def complaint_rows(
    inmate: Inmate, user: AbstractBaseUser | AnonymousUser, roles: frozenset[str]
) -> QuerySet[Any] | None:
    """The person's complaints, read in the record page's one record-links query."""
    if not allows("complaints:detail", roles):
        return None
    return complaints_of(inmate.pk).annotate(
        record=JSONObject(
            pk=F("pk"), kind=F("kind"), status=F("status"), received_on=F("received_on")
        )
    )


def complaint_links(
    inmate: Inmate,
    user: AbstractBaseUser | AnonymousUser,
    roles: frozenset[str],
    rows: list[dict[str, Any]],
) -> list[RecordLink]:
    complaints = newest_first(Complaint, rows, when="received_on", parse=date.fromisoformat)
    return [
        RecordLink(
            label=_("Complaint #%(pk)s") % {"pk": complaint.pk},
            url=reverse("complaints:detail", args=[complaint.pk]),
            detail=_("%(kind)s, received %(day)s, %(status)s")
            % {
                "kind": complaint.get_kind_display(),
                "day": formats.date_format(complaint.received_on, "SHORT_DATE_FORMAT"),
                "status": complaint.get_status_display(),
            },
            testid="complaint-link",
        )
        for complaint in complaints
    ]
