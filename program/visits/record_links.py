"""The count of visits and video calls on the person's record page, where E15 (minor children
visiting) matters: registered with program.inmates.record_links from VisitsConfig.ready()."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from program.core.policy import allows
from program.inmates.models import Inmate
from program.inmates.record_links import RecordLink
from program.visits.selectors import ContactCounts, contact_counts_from, contact_counts_rows


def contact_summary(counts: ContactCounts) -> str:
    """ "In the last 12 months: 3 visits (2 with children), 5 video calls"."""
    visits = ngettext(
        "%(n)d visit (%(children)d with children)",
        "%(n)d visits (%(children)d with children)",
        counts.visits,
    ) % {"n": counts.visits, "children": counts.visits_with_children}
    calls = ngettext(
        "%(n)d video call (%(children)d with children)",
        "%(n)d video calls (%(children)d with children)",
        counts.video_calls,
    ) % {"n": counts.video_calls, "children": counts.video_calls_with_children}
    return str(_("In the last 12 months: %(visits)s, %(calls)s")) % {
        "visits": visits,
        "calls": calls,
    }


def contact_rows(
    inmate: Inmate, user: AbstractBaseUser | AnonymousUser, roles: frozenset[str]
) -> QuerySet[Any] | None:
    """The person's counts of family contact, read in the record page's one record-links
    query."""
    if not allows("visits:person", roles):
        return None
    return contact_counts_rows(inmate_id=inmate.pk, now=timezone.now())


def contact_links(
    inmate: Inmate,
    user: AbstractBaseUser | AnonymousUser,
    roles: frozenset[str],
    rows: list[dict[str, Any]],
) -> list[RecordLink]:
    counts = contact_counts_from(rows[0] if rows else None, now=timezone.now())
    return [
        RecordLink(
            label=_("Family contact (E15)"),
            url=reverse("visits:person", args=[inmate.pk]),
            detail=contact_summary(counts),
            testid="family-contact",
        )
    ]
