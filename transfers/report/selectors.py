"""Reading a report request: which programme and period, with a message for a bad choice."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from program.cells.models import Agreement
from program.core.errors import ApplicationError, NotFoundError
from transfers.report.figures import Scope, scope_for
from transfers.report.periods import period_parse


@dataclass(frozen=True)
class Choice:
    agreements: list[Agreement]
    scope: Scope


def report_choice(params: Any, *, today: date) -> Choice:
    """The programme (by id, or the first signed) and the period asked for (one query)."""
    agreements = list(Agreement.objects.order_by("signed_on", "pk"))
    if not agreements:
        raise NotFoundError(_("No programme (agreement) has been recorded yet."))
    raw = params.get("programme")
    if raw is not None and not raw.strip().isdigit():
        raise ApplicationError(
            _("Give the programme as its number, or leave it out for the first."),
            details={"programme": ["not a number"]},
        )
    if raw is not None:
        raw = raw.strip()
        agreement = next((a for a in agreements if str(a.pk) == raw), None)
        if agreement is None:
            raise NotFoundError(
                _("There is no programme %(id)s: choose one from the list.") % {"id": raw[:20]},
                details={"programme": [a.pk for a in agreements]},
            )
    else:
        agreement = agreements[0]
    period = period_parse(params.get("period"), today=today)
    if period.end <= date(agreement.signed_on.year, 1, 1):
        raise ApplicationError(
            _("The programme %(name)s was signed in %(year)s: choose a period from then on.")
            % {"name": agreement.name, "year": agreement.signed_on.year},
            details={"period": ["before the programme"]},
        )
    return Choice(agreements, scope_for(agreement=agreement, period=period, today=today))
