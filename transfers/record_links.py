"""The inmate page's links to the person's transfer cases (registered in TransfersConfig.ready):
each case the reader may open, newest first, and for a caseworker a button to open one when no
case is open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, QuerySet
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.core.capabilities import holds
from program.core.policy import allows
from program.inmates.models import Inmate
from program.inmates.record_links import RecordLink
from transfers.models import TransferCase


def case_rows(
    inmate: Inmate, user: AbstractBaseUser | AnonymousUser, roles: frozenset[str]
) -> QuerySet[Any] | None:
    """The person's cases (a handful at most), read in the record page's one record-links
    query."""
    if not allows("transfers:case-detail", roles):
        return None
    return TransferCase.objects.filter(inmate=inmate).annotate(
        record=JSONObject(pk=F("pk"), state=F("state"), closed_at=F("closed_at"))
    )


def case_links(
    inmate: Inmate,
    user: AbstractBaseUser | AnonymousUser,
    roles: frozenset[str],
    rows: list[dict[str, Any]],
) -> list[RecordLink]:
    # Newest first; closed_at only says whether the case is open.
    cases = sorted(
        (
            TransferCase(
                pk=row["pk"],
                state=row["state"],
                closed_at=datetime.fromisoformat(row["closed_at"]) if row["closed_at"] else None,
            )
            for row in rows
        ),
        key=lambda case: case.pk,
        reverse=True,
    )
    links = [
        RecordLink(
            label=_("Transfer case #%(pk)s") % {"pk": case.pk},
            url=reverse("transfers:case-detail", args=[case.pk]),
            detail=case.get_state_display()
            if case.is_open
            else _("%(state)s (closed)") % {"state": case.get_state_display()},
            testid="transfer-case-link",
        )
        for case in cases
    ]
    if holds(roles, "case.open") and not any(case.is_open for case in cases):
        links.append(
            RecordLink(
                label=gettext_lazy("Open a transfer case"),
                post_url=reverse("transfers:case-open"),
                fields={"case_number": inmate.case_number},
                testid="transfer-case-open",
            )
        )
    return links
