"""Telling the occupancy administrators that a reservation landed in one of their work queues
(program/cells/queues.py) by the passing of time: its arrival day has come, or has passed with
nobody admitted. No user action moves a reservation there, so the daily job (tasks.py) does.

Each fact is one notification per administrator (the dedupe key holds the arrival day), so a
rerun, a redelivered job or two workers at once tell nobody twice; a reservation moved to a new
arrival day that passes again is a new fact. The texts name the place and the day only: an
e-mail leaves the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from program.cells.models import Placement
from program.cells.queues import open_reservations
from program.cells.unit_view import place_label
from program.core.capabilities import users_with
from program.core.selectors import user_languages
from program.notifications import services as notifications
from program.notifications.models import Notification

RESERVATION_SUBJECT = "reservation"


@dataclass(frozen=True)
class Notices:
    arriving_today: int
    overdue: int


def _administrators() -> list[int]:
    return list(users_with("occupancy.notified").order_by("pk").values_list("pk", flat=True))


def _unit_link(reservation: Placement, on: date) -> str:
    return (
        reverse("cells:unit-detail", args=[reservation.place.cell.unit_id])
        + f"?date={on.isoformat()}&show=reserved"
    )


def _text(reservation: Placement, *, overdue: bool) -> str:
    """The notice in the active language."""
    what = {
        "place": place_label(reservation.place),
        "day": formats.date_format(reservation.period.lower, "SHORT_DATE_FORMAT"),
    }
    if overdue:
        return (
            _(
                "Place %(place)s: the arrival expected on %(day)s is overdue; admit the person "
                "or cancel the reservation."
            )
            % what
        )
    return _("Place %(place)s: an arrival is expected today (%(day)s).") % what


def _notices(
    languages: dict[int, str], reservation: Placement, on: date, *, overdue: bool
) -> list[Notification]:
    """One notification per administrator, each in the language they read."""
    texts: dict[str, str] = {}
    for language in set(languages.values()):
        with translation.override(language):
            texts[language] = _text(reservation, overdue=overdue)
    fact = "overdue" if overdue else "arrives"
    return [
        Notification(
            recipient_id=pk,
            kind=Notification.Kind.WAITING,
            text=texts[language],
            subject_type=RESERVATION_SUBJECT,
            subject_id=str(reservation.pk),
            link=_unit_link(reservation, on),
            dedupe_key=f"{fact}:{reservation.period.lower.isoformat()}",
        )
        for pk, language in sorted(languages.items())
    ]


@transaction.atomic
def reservation_notices_send(*, on: date) -> Notices:
    """Tell every occupancy administrator of each reservation arriving on `on` and of each whose
    arrival day has passed with nobody admitted; each fact once (a rerun adds nothing)."""
    recipients = _administrators()
    arriving = list(open_reservations(on).filter(period__startswith=on))
    overdue = list(open_reservations(on).filter(period__startswith__lt=on))
    if recipients and (arriving or overdue):
        languages = user_languages(user_ids=recipients)
        rows = [
            *(n for r in arriving for n in _notices(languages, r, on, overdue=False)),
            *(n for r in overdue for n in _notices(languages, r, on, overdue=True)),
        ]
        # One insert for all; the unique dedupe key skips the facts already told.
        notifications.notify_many(rows)
    return Notices(arriving_today=len(arriving), overdue=len(overdue))
