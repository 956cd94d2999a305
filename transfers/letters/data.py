"""The data a letter is made from: read from the case file, checked, and kept with the letter.

Every value is text (dates as YYYY-MM-DD, readable in every language and script), so the stored
data shows exactly what the letter said.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from program.cells.models import Agreement
from program.core.errors import ApplicationError, ConflictError
from transfers import eligibility
from transfers.letters.kinds import KINDS
from transfers.letters.models import LetterKind
from transfers.models import Decision, ManifestEntry, TransferCase, TransportBatch

# The planned hand-over day of a letter: a typing error ("2062") is refused, not printed.
NOTIFY_WITHIN_DAYS = 366


@dataclass(frozen=True)
class Inputs:
    """What the caseworker gives: the reasons, and the day the inmate is handed the letter."""

    reasons: str = ""
    reasons_translation: str = ""
    notify_on: date | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> "Inputs":
        """From a letter form's or the API's validated values (page and API take the same)."""
        return cls(
            reasons=values["reasons"],
            reasons_translation=values["reasons_translation"],
            notify_on=values["notify_on"],
        )


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def programme_of(case: TransferCase) -> Agreement:
    """The programme the case belongs to: its templates, sender, host and facility."""
    return case.agreement


def _facility(agreement: Agreement) -> str:
    facility = agreement.facilities.order_by("id").first()
    return f"{facility.name}, {facility.location}" if facility else agreement.name


def _person(case: TransferCase) -> dict[str, str]:
    inmate = case.inmate
    return {
        "name": inmate.name,
        "case_number": inmate.case_number,
        "date_of_birth": _day(inmate.date_of_birth),
        "nationality": ", ".join(country.name for country in inmate.nationalities.all()),
        "institution": inmate.home_institution,
    }


def _common(case: TransferCase, agreement: Agreement, actor_name: str) -> dict[str, str]:
    return {
        **_person(case),
        "case": str(case.pk),
        "letter_date": _day(timezone.localdate()),
        "sender": agreement.sending_authority,
        "facility": _facility(agreement),
        "programme": agreement.name,
        "caseworker": actor_name,
    }


def _latest_decision(case: TransferCase, outcome: str) -> Decision:
    decision = case.decisions.order_by("-recorded_at", "-id").first()
    if decision is None or decision.outcome != outcome:
        raise ConflictError(
            _("Record the decision (%(outcome)s) before its letter.")
            % {"outcome": Decision.Outcome(outcome).label},
            details={"missing": "decision"},
        )
    return decision


def _deadline(case: TransferCase, inputs: Inputs) -> dict[str, str]:
    days = eligibility.params_load(case.agreement_id).appeal_days
    if case.appeal_deadline and case.notified_on:
        notified, deadline = case.notified_on, case.appeal_deadline
    else:
        today = timezone.localdate()
        notified = inputs.notify_on or today
        if abs((notified - today).days) > NOTIFY_WITHIN_DAYS:
            raise ApplicationError(
                _("Give the day the letter is handed over within a year of today."),
                details={"notify_on": ["within a year of today"]},
            )
        deadline = notified + timedelta(days=days)
    return {
        "notified_on": _day(notified),
        "appeal_days": str(days),
        "appeal_deadline": _day(deadline),
    }


def _reasons(inputs: Inputs, *, required: bool) -> dict[str, str]:
    reasons = inputs.reasons.strip()
    if required and not reasons:
        raise ApplicationError(
            _("Write the reasons for the decision: the letter must give them."),
            details={"reasons": ["required"]},
        )
    return {"reasons": reasons, "reasons_translation": inputs.reasons_translation.strip()}


def case_letter_data(
    *, case: TransferCase, kind: str, inputs: Inputs, actor_name: str
) -> tuple[Agreement, dict[str, Any]]:
    """The programme and the data of a case letter; refused when the case is not ready for it."""
    spec = KINDS.get(kind)
    if spec is None or not spec.states:
        raise ApplicationError(
            _("Choose the kind of letter."), details={"kind": [str(k) for k in KINDS]}
        )
    if case.state not in spec.states:
        raise ConflictError(
            _("A %(letter)s is not made while the case is %(state)s.")
            % {"letter": LetterKind(kind).label.lower(), "state": case.get_state_display()},
            details={"state": case.state},
        )
    agreement = programme_of(case)
    data: dict[str, Any] = _common(case, agreement, actor_name)
    data.update(_reasons(inputs, required=spec.needs_reasons))
    if kind in (LetterKind.TRANSFER_DECISION, LetterKind.NO_TRANSFER_DECISION):
        outcome = (
            Decision.Outcome.TRANSFER
            if kind == LetterKind.TRANSFER_DECISION
            else Decision.Outcome.NO_TRANSFER
        )
        decision = _latest_decision(case, outcome)
        data.update(
            decided_on=_day(decision.decided_on),
            authority=decision.authority,
            legal_basis=decision.legal_basis,
        )
    if kind == LetterKind.NOTIFICATION:
        decision = _latest_decision(case, Decision.Outcome.TRANSFER)
        data.update(decided_on=_day(decision.decided_on), authority=decision.authority)
        entry = (
            ManifestEntry.objects.select_related("batch")
            .filter(case=case, removed_at__isnull=True)
            .first()
        )
        data["departs_on"] = _day(entry.batch.departs_on) if entry else ""
    if spec.counts_deadline:
        data.update(_deadline(case, inputs))
    if kind == LetterKind.APPEAL_OUTCOME:
        if not case.appeal_outcome:
            raise ConflictError(
                _("Record the appeal's outcome before its letter."),
                details={"missing": "appeal outcome"},
            )
        data.update(
            appeal_lodged_on=_day(case.appeal_lodged_on),
            appeal_decided_on=_day(case.appeal_decided_on),
            appeal_outcome=case.appeal_outcome,
        )
    return agreement, data


def manifest_data(*, batch: TransportBatch, actor_name: str) -> tuple[Agreement, dict[str, Any]]:
    """The manifest of a transport as the system holds it: everyone with a seat, in seat order."""
    entries = list(
        batch.manifest.filter(removed_at__isnull=True)
        .select_related("case__inmate", "placement__place__cell__unit__facility__agreement")
        .prefetch_related("case__inmate__nationalities")
        .order_by("added_at", "id")
    )
    if not entries:
        raise ConflictError(
            _("Nobody is booked on this transport: there is no manifest to make."),
            details={"manifest": ["empty"]},
        )
    agreement = batch.agreement
    rows = [
        {
            "seat": str(number),
            **_person(entry.case),
            "case": str(entry.case_id),
            "place": str(entry.placement.place) if entry.placement else "",
        }
        for number, entry in enumerate(entries, start=1)
    ]
    data: dict[str, Any] = {
        "letter_date": _day(timezone.localdate()),
        "sender": agreement.sending_authority,
        "receiver": agreement.host_authority,
        "facility": _facility(agreement),
        "programme": agreement.name,
        "caseworker": actor_name,
        "departs_on": _day(batch.departs_on),
        "direction": str(batch.get_direction_display()),
        "escort": batch.escort,
        "seats": str(batch.seats),
        "count": str(len(rows)),
        "transport": str(batch.pk),
        "rows": rows,
    }
    return agreement, data


def manifest_case_ids(data: dict[str, Any]) -> list[int]:
    return [int(row["case"]) for row in data["rows"]]
