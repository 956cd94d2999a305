"""A case event's words, in the reader's language.

Events are append-only and were written with a sentence in the language of whoever acted. The
sentence a reader sees is made again from the event's kind and payload when it is shown, so a
Danish reader sees Danish and an English reader English whoever wrote the event. What the payload
cannot rebuild is shown as stored: a note typed by a person, and events older than their payload.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from transfers.models import CaseEvent, Decision, Document, InmateOpinion, Screening, TransferCase

K = CaseEvent.Kind

DEADLINES = {
    "appeal_window": gettext_lazy("The appeal window"),
    "review": gettext_lazy("The periodic review"),
    "transport": gettext_lazy("The transport"),
    "release_preparation": gettext_lazy("Release preparation"),
}
# The rule-set version in a screening event written before the payload carried it.
_RULE_SET = re.compile(r"\(\D*([\w.+-]+)\)\.?$")


def state_label(value: str) -> str:
    """A case state's (or screening outcome's) name; an unknown value as stored."""
    for choices in (TransferCase.State, Screening.Outcome):
        if value in choices.values:
            return str(choices(value).label)
    return value


def _choice(choices: Any, value: Any) -> str | None:
    return str(choices(value).label) if value in choices.values else None


def _day(value: Any) -> str:
    return date.fromisoformat(value).isoformat() if isinstance(value, str) and value else ""


def _screening(event: CaseEvent, payload: dict[str, Any]) -> str | None:
    outcome = _choice(Screening.Outcome, payload.get("outcome"))
    if outcome is None:
        return None
    version = payload.get("rule_set_version")
    if not version:
        match = _RULE_SET.search(event.text)
        version = match.group(1) if match else ""
    if not version:
        return _("Screened: %(outcome)s.") % {"outcome": outcome}
    return _("Screened: %(outcome)s (rule set %(version)s).") % {
        "outcome": outcome,
        "version": version,
    }


def _outcome_changed(payload: dict[str, Any]) -> str | None:
    after = _choice(Screening.Outcome, payload.get("after"))
    if after is None:
        return None
    before = _choice(Screening.Outcome, payload.get("before")) or _("not screened")
    return _("Eligibility changed from %(before)s to %(after)s.") % {
        "before": before,
        "after": after,
    }


def _decision(event: CaseEvent, payload: dict[str, Any]) -> str | None:
    outcome = _choice(Decision.Outcome, payload.get("outcome"))
    if outcome is None:
        return None
    # The authority and the legal basis are data, written after the outcome's name.
    _label, sep, rest = event.text.partition(": ")
    return f"{outcome}: {rest}" if sep else outcome


def _document(payload: dict[str, Any]) -> str | None:
    kind = _choice(Document.Kind, payload.get("kind"))
    if kind is None:
        return None
    return _("%(kind)s, version %(version)s") % {"kind": kind, "version": payload.get("version")}


def _appeal(payload: dict[str, Any]) -> str | None:
    outcome = _choice(TransferCase.AppealOutcome, payload.get("outcome"))
    if outcome is None or not payload.get("decided_on"):
        return None
    return _("Appeal decided on %(date)s: %(outcome)s.") % {
        "date": _day(payload["decided_on"]),
        "outcome": outcome,
    }


def _review(event: CaseEvent, payload: dict[str, Any]) -> str | None:
    from transfers.services import REVIEW_OUTCOMES

    outcome = REVIEW_OUTCOMES.get(payload.get("outcome", ""))
    reviewed_on, next_on = _day(payload.get("reviewed_on")), _day(payload.get("next_review_on"))
    if outcome is None or not reviewed_on or not next_on:
        return None
    text = _("Reviewed on %(on)s: %(outcome)s. Next review %(next)s.") % {
        "on": reviewed_on,
        "outcome": outcome,
        "next": next_on,
    }
    # A note typed by the reviewer follows the sentence, after the next review's day.
    _sentence, sep, note = event.text.partition(f"{next_on}.")
    return f"{text} {note.strip()}" if sep and note.strip() else text


def _reminder(payload: dict[str, Any]) -> str | None:
    what = DEADLINES.get(payload.get("what", ""))
    if what is None or not payload.get("due"):
        return None
    return _("%(what)s is due on %(date)s.") % {"what": what, "date": _day(payload["due"])}


def _release_preparation(payload: dict[str, Any]) -> str | None:
    from transfers import release_preparation

    step = payload.get("step")
    if step not in release_preparation.STEPS:
        return None
    values: dict[str, Any] = {}
    for name in release_preparation.STEPS[step]:
        value = payload.get(name)
        values[name] = date.fromisoformat(value) if name.endswith("_on") and value else value
    return release_preparation.step_text(step, values)


def event_text(event: CaseEvent) -> str:
    """What happened, in the active language; the stored words when nothing else can say it."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    text: str | None = None
    if event.kind == K.SCREENING:
        text = _screening(event, payload)
    elif event.kind == K.OUTCOME_CHANGED:
        text = _outcome_changed(payload)
    elif event.kind == K.OPINION:
        text = _choice(InmateOpinion.Stance, payload.get("stance"))
    elif event.kind == K.DECISION:
        text = _decision(event, payload)
    elif event.kind == K.DOCUMENT:
        text = _document(payload)
    elif event.kind == K.APPEAL:
        text = _appeal(payload)
    elif event.kind == K.REVIEW:
        text = _review(event, payload)
    elif event.kind == K.REMINDER:
        text = _reminder(payload)
    elif event.kind == K.RELEASE_PREPARATION:
        text = _release_preparation(payload)
    return event.text if text is None else text
