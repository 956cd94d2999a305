"""The incident rules as one table: how long the governor has to review each kind, and which
kinds the Danish authorities must hear of at once (docs/incidents.md).

The deadline is fixed on the incident when it is reported (`Incident.review_due_at`), so a
change to this table applies to incidents reported after it, never moves an existing deadline.
A deployment may set other hours per kind in the setting INCIDENT_REVIEW_HOURS (a dict of kind
to hours, for the kinds it changes).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings


@dataclass(frozen=True)
class KindRule:
    review_hours: int
    # Use of force and deaths: the governor and the programme's Danish authority are told as
    # the report is saved, not when it is reviewed.
    notify_authority: bool = False


RULES: dict[str, KindRule] = {
    "violence": KindRule(review_hours=72),
    "use_of_force": KindRule(review_hours=24, notify_authority=True),
    "self_harm": KindRule(review_hours=72),
    "death": KindRule(review_hours=24, notify_authority=True),
    "escape_attempt": KindRule(review_hours=72),
    "discipline": KindRule(review_hours=72),
}


def review_hours(kind: str) -> int:
    overrides: dict[str, int] = getattr(settings, "INCIDENT_REVIEW_HOURS", {}) or {}
    return int(overrides.get(kind, RULES[kind].review_hours))


def review_period(kind: str) -> timedelta:
    return timedelta(hours=review_hours(kind))


def notifies_authority(kind: str) -> bool:
    return RULES[kind].notify_authority
