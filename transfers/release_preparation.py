"""Release preparation: travel document, acceptance by the country of return, flight.

It starts a configurable number of days (parameter release_prep_days) before the expected
release date, the full-term date of the inmate's latest judgment, and goes on in the
release_prep state. Each save is one transaction: the record changes under the case's row lock,
and each step that changed adds one timeline event. A deportation waits for all three steps
(services._prepare); a release of someone who cannot be removed does not.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from program.core.errors import ApplicationError, ConflictError, PreconditionFailedError
from program.inmates.models import Judgment
from transfers import eligibility
from transfers.models import CaseEvent, ReleasePreparation, TransferCase
from transfers.services._common import _event, _label, _require_role

S = TransferCase.State
Status = ReleasePreparation.TravelDocumentStatus

# The fields a caseworker records, grouped by step: a change in a group is one timeline event.
STEPS: dict[str, tuple[str, ...]] = {
    "travel_document": (
        "travel_document_status",
        "travel_document_kind",
        "travel_document_issued_on",
    ),
    "destination": ("destination_accepted_on", "destination_reference"),
    "flight": ("flight_on", "flight_number", "escort_note"),
}
FIELDS: tuple[str, ...] = tuple(name for names in STEPS.values() for name in names)


@dataclass(frozen=True)
class Window:
    expected_release_on: date | None
    opens_on: date | None

    def is_open(self, on: date) -> bool:
        return self.opens_on is not None and on >= self.opens_on


def window(case: TransferCase, params: eligibility.Params | None = None) -> Window:
    """When preparation may start: the expected release date minus release_prep_days (the
    parameters in force, read here unless the caller has read them already)."""
    if hasattr(case, "latest_full_term"):  # the case page reads it with the case's row
        release_on = case.latest_full_term
    else:
        release_on = (
            Judgment.objects.filter(inmate_id=case.inmate_id)
            .order_by("-judgment_date")
            .values_list("full_term_date", flat=True)
            .first()
        )
    if release_on is None:
        return Window(None, None)
    days = (params or eligibility.params_load(case.agreement_id)).release_prep_days
    return Window(release_on, release_on - timedelta(days=days))


def current(case: TransferCase) -> ReleasePreparation | None:
    return ReleasePreparation.objects.filter(case=case).first()


def is_shown(
    case: TransferCase,
    preparation: ReleasePreparation | None,
    params: eligibility.Params | None = None,
) -> bool:
    """The case page shows the section while serving in the window, or once preparation began."""
    if case.state == S.RELEASE_PREP or preparation is not None:
        return True
    return case.state == S.SERVING and window(case, params).is_open(timezone.localdate())


def _require_open(case: TransferCase, preparation: ReleasePreparation | None) -> None:
    if case.state == S.RELEASE_PREP:
        return
    if case.state != S.SERVING:
        raise ConflictError(
            _(
                "Release preparation is recorded while the case is serving or in release "
                "preparation; this case is %(state)s."
            )
            % {"state": _label(case.state)},
            details={"state": case.state},
        )
    if preparation is not None:
        return
    opens = window(case)
    if not opens.is_open(timezone.localdate()):
        raise ConflictError(
            _(
                "Release preparation starts on %(date)s (%(days)s days before the expected "
                "release date)."
            )
            % {
                "date": opens.opens_on.isoformat() if opens.opens_on else "—",
                "days": eligibility.params_load(case.agreement_id).release_prep_days,
            },
            details={"opens_on": opens.opens_on.isoformat() if opens.opens_on else None},
        )


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The recorded values, checked together; every problem is named by its field."""
    today = timezone.localdate()
    clean = {name: values.get(name) for name in FIELDS}
    for name in ("travel_document_kind", "destination_reference", "flight_number", "escort_note"):
        clean[name] = str(clean[name] or "").strip()
    clean["travel_document_status"] = clean["travel_document_status"] or Status.NOT_STARTED
    problems: dict[str, list[str]] = {}
    status = clean["travel_document_status"]
    if status not in Status.values:
        problems["travel_document_status"] = [_("choose one of: %s") % ", ".join(Status.values)]
    kind = clean["travel_document_kind"]
    if kind and kind not in ReleasePreparation.TravelDocumentKind.values:
        problems["travel_document_kind"] = [
            _("choose one of: %s") % ", ".join(ReleasePreparation.TravelDocumentKind.values)
        ]
    issued_on = clean["travel_document_issued_on"]
    if status == Status.ISSUED:
        if issued_on is None:
            problems["travel_document_issued_on"] = [_("give the day it was issued")]
        if not kind:
            problems.setdefault("travel_document_kind", [_("say which document was issued")])
    elif issued_on is not None:
        problems["travel_document_issued_on"] = [_("only an issued document has this day")]
    if issued_on is not None and issued_on > today:
        problems["travel_document_issued_on"] = [_("cannot be in the future")]
    accepted_on = clean["destination_accepted_on"]
    if accepted_on is not None and accepted_on > today:
        problems["destination_accepted_on"] = [_("cannot be in the future")]
    if accepted_on is not None and not clean["destination_reference"]:
        problems["destination_reference"] = [_("give the reference of the acceptance")]
    if accepted_on is None and clean["destination_reference"]:
        problems["destination_accepted_on"] = [_("give the day the return was accepted")]
    if clean["flight_on"] is not None and not (clean["flight_number"] or clean["escort_note"]):
        problems["flight_number"] = [_("give the flight number or an escort note")]
    if clean["flight_on"] is None and (clean["flight_number"] or clean["escort_note"]):
        problems["flight_on"] = [_("give the flight date")]
    if problems:
        raise ApplicationError(
            _("Correct the release preparation: %(fields)s.")
            % {
                "fields": "; ".join(
                    f"{_field_label(name)}: {' '.join(str(m) for m in messages)}"
                    for name, messages in problems.items()
                )
            },
            details=problems,
        )
    return clean


def _field_label(name: str) -> str:
    return str(getattr(ReleasePreparation._meta.get_field(name), "verbose_name", name))


def _step_text(step: str, preparation: ReleasePreparation) -> str:
    return step_text(step, {name: getattr(preparation, name) for name in STEPS[step]})


def _label_of(choices: Any, value: Any) -> str:
    return str(choices(value).label) if value in choices.values else str(value or "")


def step_text(step: str, values: dict[str, Any]) -> str:
    """A step's event sentence in the active language, from the step's values (the timeline
    makes it again from the event's payload when it is shown)."""
    prep = ReleasePreparation
    if step == "travel_document":
        text = _("Travel document: %(status)s") % {
            "status": _label_of(prep.TravelDocumentStatus, values.get("travel_document_status"))
        }
        if values.get("travel_document_kind"):
            text += f" ({_label_of(prep.TravelDocumentKind, values['travel_document_kind'])})"
        if values.get("travel_document_issued_on"):
            text += _(", issued on %(date)s") % {
                "date": values["travel_document_issued_on"].isoformat()
            }
        return text + "."
    if step == "destination":
        if values.get("destination_accepted_on") is None:
            return _("Acceptance by the country of return withdrawn.")
        return _("Return accepted on %(date)s (reference %(ref)s).") % {
            "date": values["destination_accepted_on"].isoformat(),
            "ref": values.get("destination_reference") or "",
        }
    if values.get("flight_on") is None:
        return _("Flight cancelled.")
    return _("Flight on %(date)s: %(what)s.") % {
        "date": values["flight_on"].isoformat(),
        "what": values.get("flight_number") or values.get("escort_note") or "",
    }


def _payload_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def record(
    *,
    case: TransferCase,
    actor: User,
    values: dict[str, Any],
    expected_version: int | None = None,
) -> ReleasePreparation:
    """Save the preparation as given (all fields: absent means empty) and log each changed step.

    expected_version is the record's version the caller read (0: none yet); a record changed
    since is refused with 412 and nothing is written.
    """
    _require_role(actor, "case.manage", _("record the release preparation"))
    # The case's row lock serialises two first saves (the record is one per case) and a save
    # against a concurrent move out of serving or release preparation.
    locked = TransferCase.objects.select_for_update().get(pk=case.pk)
    preparation = ReleasePreparation.objects.filter(case=locked).first()
    have = preparation.version if preparation else 0
    if expected_version is not None and expected_version != have:
        raise PreconditionFailedError(
            _(
                "Someone changed the release preparation after you read it (your version "
                "%(read)s, now %(version)s). Nothing was saved; reload it and try again."
            )
            % {"read": expected_version, "version": have},
            details={"version": have, "read_version": expected_version},
        )
    _require_open(locked, preparation)
    clean = _clean(values)
    if preparation is None:
        preparation = ReleasePreparation(case=locked, updated_by=actor, version=0)
    changed = [
        step
        for step, names in STEPS.items()
        if any(getattr(preparation, name) != clean[name] for name in names)
    ]
    if not changed and preparation.pk is not None:
        return preparation  # the same values again: nothing to record
    for name, value in clean.items():
        setattr(preparation, name, value)
    preparation.version += 1
    preparation.updated_by = actor
    preparation.save()
    for step in changed:
        _event(
            locked,
            CaseEvent.Kind.RELEASE_PREPARATION,
            actor=actor,
            text=_step_text(step, preparation),
            payload={
                "step": step,
                **{name: _payload_value(getattr(preparation, name)) for name in STEPS[step]},
            },
        )
    return preparation
