"""Telling people that a case landed in their work queue (program.core.work_queues).

Called by case_transition inside its transaction; the notifications' e-mails go after commit.
The texts name the case by number only: an e-mail leaves the system.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from program.core.capabilities import roles_with, users_with
from program.core.selectors import user_languages
from program.notifications import services as notifications
from program.notifications.models import Notification
from transfers import selectors
from transfers.models import TransferCase
from transfers.moves import MOVES, SCREENABLE_STATES, S

CASE_SUBJECT = "transfer_case"
# The states whose next step is the caseworker's at once (the "cases needing my action" rule,
# less the states where a clock runs first: the appeal window, the transport, the review).
CASEWORKER_STATES = frozenset(
    {
        frm
        for (frm, to), move in MOVES.items()
        if to != S.WITHDRAWN and move.capability == "case.manage"
    }
    | SCREENABLE_STATES
) - {S.NOTIFIED, S.SCHEDULED, S.SERVING}
# The states a case enters the caseworker's queue in when a clock runs out, not by a move: the
# appeal window closes, the transport's departure day comes, the periodic review falls due.
CLOCK_STATES = frozenset({S.NOTIFIED, S.SCHEDULED, S.SERVING})
# The moves that put an arrival in the occupancy administrators' queue.
ARRIVAL_STATES = frozenset({S.SCHEDULED, S.IN_TRANSIT})


def _case_link(case: TransferCase) -> str:
    return reverse("transfers:case-detail", args=[case.pk])


def tell_after_move(*, case: TransferCase, frm: str, to: str, actor: Any) -> None:
    """After a move by someone other than the case's caseworker into a state where the
    caseworker acts, tell the caseworker; after a booking or a departure, tell the occupancy
    administrators an arrival is coming."""
    caseworker_id = case.caseworker_id
    actor_id = getattr(actor, "pk", None)  # None: a system job moved it
    if caseworker_id and caseworker_id != actor_id and to in CASEWORKER_STATES:
        notifications.notify_users(
            user_ids=[caseworker_id],
            kind=Notification.Kind.WAITING,
            text=lambda: (
                _("Case #%(pk)s is now %(state)s and waits for you.")
                % {"pk": case.pk, "state": TransferCase.State(to).label}
            ),
            subject_type=CASE_SUBJECT,
            subject_id=case.pk,
            link=_case_link(case),
            dedupe_key=f"waits:{to}:v{case.version}",
        )
    if to in ARRIVAL_STATES and frm != to:
        admins = users_with("occupancy.notified").values_list("pk", flat=True)
        if actor_id is not None:
            admins = admins.exclude(pk=actor_id)
        # The reservation the move has just made or kept (read fresh: the move set it).
        period = (
            TransferCase.objects.filter(pk=case.pk)
            .values_list("placement__period", flat=True)
            .first()
        )
        arrival = period.lower if period is not None else None

        def text() -> str:
            if arrival is None:
                return _("Case #%(pk)s is %(state)s: an arrival is coming.") % {
                    "pk": case.pk,
                    "state": TransferCase.State(to).label,
                }
            return _("Case #%(pk)s is %(state)s: arrival expected on %(day)s.") % {
                "pk": case.pk,
                "state": TransferCase.State(to).label,
                "day": formats.date_format(arrival, "SHORT_DATE_FORMAT"),
            }

        notifications.notify_users(
            user_ids=list(admins),
            kind=Notification.Kind.WAITING,
            text=text,
            subject_type=CASE_SUBJECT,
            subject_id=case.pk,
            link=_case_link(case),
            dedupe_key=f"arrival:{to}:v{case.version}",
        )


def tell_clock_waits(*, on: date) -> int:
    """Tell each caseworker of their cases that entered "cases needing my action" because a
    clock ran out (no move did, so tell_after_move never ran): once per case, state and deadline
    (a rerun tells nobody again; a new deadline that runs out is a new fact). Returns how many
    cases wait so."""
    cases = list(
        selectors.case_queryset()
        .filter(selectors.needs_action(roles_with("case.manage"), today=on))
        .filter(state__in=sorted(CLOCK_STATES), caseworker__isnull=False)
        .order_by("pk")
    )
    languages = user_languages(user_ids={case.caseworker_id for case in cases})
    rows = []
    for case in cases:
        deadline = case.next_deadline  # type: ignore[attr-defined]
        with translation.override(languages[case.caseworker_id]):
            text = _("Case #%(pk)s is %(state)s and waits for you (deadline %(day)s).") % {
                "pk": case.pk,
                "state": case.get_state_display(),
                "day": formats.date_format(deadline, "SHORT_DATE_FORMAT") if deadline else "",
            }
        rows.append(
            Notification(
                recipient_id=case.caseworker_id,
                kind=Notification.Kind.WAITING,
                text=text,
                subject_type=CASE_SUBJECT,
                subject_id=str(case.pk),
                link=_case_link(case),
                dedupe_key=f"waits:{case.state}:{deadline.isoformat() if deadline else ''}",
            )
        )
    if rows:
        notifications.notify_many(rows)
    return len(rows)
