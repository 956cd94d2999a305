"""The period a programme report covers: a calendar quarter or a calendar year."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from program.core.errors import ApplicationError

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None  # None: the whole year

    @property
    def code(self) -> str:
        """The machine-read form in addresses and file names: 2026 or 2026-Q3."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Q%(quarter)s %(year)s") % {"quarter": self.quarter, "year": self.year}
        return str(self.year)

    @property
    def start(self) -> date:
        return date(self.year, 3 * (self.quarter - 1) + 1 if self.quarter else 1, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        if not self.quarter or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.quarter + 1, 1)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def quarters(self) -> list["Period"]:
        """The quarters the period is made of (itself for a quarter)."""
        if self.quarter:
            return [self]
        return [Period(self.year, quarter) for quarter in (1, 2, 3, 4)]


def period_parse(raw: str | None, *, today: date) -> Period:
    """2026 or 2026-Q3; empty means the current year. A period that has not begun is refused:
    it has no figures yet."""
    text = (raw or "").strip().upper()
    if not text:
        return Period(today.year)
    match = _PATTERN.match(text)
    if match is None or int(match["year"]) < FIRST_YEAR:
        raise ApplicationError(
            _("Give the period as a year (2026) or a quarter (2026-Q3)."),
            details={"period": ["invalid"]},
        )
    period = Period(int(match["year"]), int(match["quarter"]) if match["quarter"] else None)
    if period.start > today:
        raise ApplicationError(
            _("The period %(period)s has not begun yet: choose one that has.")
            % {"period": period.code},
            details={"period": ["not begun"]},
        )
    return period


def period_choices(*, today: date, first_year: int) -> list[Period]:
    """Every year and quarter from the programme's first year to today, newest first."""
    choices: list[Period] = []
    for year in range(today.year, min(first_year, today.year) - 1, -1):
        choices.append(Period(year))
        choices += [q for q in reversed(Period(year).quarters()) if q.start <= today]
    return choices
