"""The inmate page's links to the incidents the person was involved in (registered in
IncidentsConfig.ready): for the roles that may open an incident, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from program.core.policy import allows
from program.core.record_rows import newest_first
from program.incidents import selectors
from program.incidents.models import Incident
from program.inmates.models import Inmate
from program.inmates.record_links import RecordLink


def incident_rows(
    inmate: Inmate, user: AbstractBaseUser | AnonymousUser, roles: frozenset[str]
) -> QuerySet[Any] | None:
    """The person's incidents the reader may see (host staff: their facility's), read in the
    record page's one record-links query."""
    if not allows("incidents:detail", roles):
        return None
    return selectors.incidents_of_inmate(user=user, inmate_id=inmate.pk).annotate(
        record=JSONObject(
            pk=F("pk"), kind=F("kind"), state=F("state"), occurred_at=F("occurred_at")
        )
    )


def incident_links(
    inmate: Inmate,
    user: AbstractBaseUser | AnonymousUser,
    roles: frozenset[str],
    rows: list[dict[str, Any]],
) -> list[RecordLink]:
    incidents = newest_first(Incident, rows, when="occurred_at", parse=datetime.fromisoformat)
    return [
        RecordLink(
            label=_("Incident #%(pk)s: %(kind)s")
            % {"pk": incident.pk, "kind": incident.get_kind_display()},
            url=reverse("incidents:detail", args=[incident.pk]),
            detail=_("%(when)s, %(state)s")
            % {
                "when": formats.date_format(
                    timezone.localtime(incident.occurred_at), "SHORT_DATE_FORMAT"
                ),
                "state": incident.get_state_display(),
            },
            testid="incident-link",
        )
        for incident in incidents
    ]
