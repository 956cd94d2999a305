"""Writes on complaints: receipt, registration, answer, documents, and the daily reminders.

Each service is one user action in one transaction; the write history comes from the database
triggers (program/audit/history.py), the reminders through the notifications' outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from program.cells.models import Facility, Placement
from program.complaints.models import Authority, Complaint, ComplaintDocument, DeadlineRule, Kind
from program.core.capabilities import can, users_with
from program.core.errors import (
    ApplicationError,
    ConflictError,
    PermissionRefusedError,
)
from program.core.stored_uploads import upload_columns
from program.core.versioning import lock_at_version, stale_saying
from program.host.selectors import posted_facility
from program.inmates.models import Inmate
from program.notifications.models import Notification
from program.notifications.services import notify_users

# Danish staff who register and answer complaints.
# The host facility's staff, who may record only that a complaint was received.
SUBJECT_TYPE = "complaint"


class NotAllowedError(PermissionRefusedError):
    """The acting user's role may not do this (the route policy lets pages and the API reach
    the service; the service holds the rule for tasks and scripts too)."""


def _require(actor: User, capability: str, what: str) -> None:
    """The service rule: refuse unless the actor holds the capability."""
    if not can(actor, capability):
        raise NotAllowedError(_("Your role may not %(what)s.") % {"what": what})


# --- Where and by when ------------------------------------------------------------------------


def facility_on(*, inmate: Inmate, on: date) -> Facility | None:
    """The host facility where the person held a place on that day (None: not at one)."""
    placement = (
        Placement.objects.filter(inmate=inmate, kind=Placement.Kind.PLACEMENT, period__contains=on)
        .select_related("place__cell__unit__facility__agreement")
        .first()
    )
    return placement.place.cell.unit.facility if placement is not None else None


@dataclass(frozen=True)
class Deadline:
    due: date
    remind_on: date
    rule: DeadlineRule


def deadline_for(*, facility: Facility, kind: str, received_on: date) -> Deadline:
    """The answer deadline of a complaint of this kind received on this day, from the
    programme's rule for the kind (docs/complaints.md)."""
    rule = DeadlineRule.objects.filter(agreement_id=facility.agreement_id, kind=kind).first()
    if rule is None:
        raise ApplicationError(
            _(
                "No answer deadline is set for complaints of the kind “%(kind)s” in this "
                "programme. The system administrator sets it under Complaint deadlines."
            )
            % {"kind": Kind(kind).label},
            details={"kind": ["no deadline rule"]},
        )
    due = received_on + timedelta(days=rule.days)
    remind_on = max(received_on, due - timedelta(days=rule.remind_days_before))
    return Deadline(due=due, remind_on=remind_on, rule=rule)


def _check_received_on(received_on: date) -> None:
    if received_on > timezone.localdate():
        raise ApplicationError(
            _("The day received cannot be in the future."), details={"received_on": ["future"]}
        )


def _placed_facility(inmate: Inmate, received_on: date) -> Facility:
    facility = facility_on(inmate=inmate, on=received_on)
    if facility is None:
        raise ApplicationError(
            _(
                "The person held no place at a host facility on the day received; check the "
                "day, or the person."
            ),
            details={"inmate": ["not placed"], "received_on": ["not placed"]},
        )
    return facility


def _sealed_rules(*, channel: str, sealed: bool, subject: str) -> bool:
    sealed = sealed or channel == Complaint.Channel.SEALED_TO_OMBUDSMAN
    if sealed and subject.strip():
        raise ApplicationError(
            _(
                "A sealed letter is forwarded unopened: leave the subject empty (what it says "
                "is not recorded)."
            ),
            details={"subject": ["sealed"]},
        )
    return sealed


# --- Receipt by the host facility's staff ------------------------------------------------------


@transaction.atomic
def complaint_receipt_record(
    *,
    actor: User,
    inmate: Inmate,
    received_on: date,
    channel: str,
    sealed: bool,
) -> Complaint:
    """Record that a person at the actor's facility handed in a complaint: when, how, sealed or
    not. Nothing of what it says: Danish staff register the rest. The deadline runs from the
    day received (as a complaint of kind "other" until it is registered)."""
    _require(actor, "complaint.receipt", _("record the receipt of a complaint"))
    _check_received_on(received_on)
    posted = posted_facility(actor)
    facility = _placed_facility(inmate, received_on)
    if posted is None or facility.pk != posted.pk:
        raise ApplicationError(
            _("The person was not at your facility on the day received."),
            details={"inmate": ["not at your facility"]},
        )
    sealed = _sealed_rules(channel=channel, sealed=sealed, subject="")
    deadline = deadline_for(facility=facility, kind=Kind.OTHER, received_on=received_on)
    return Complaint.objects.create(
        inmate=inmate,
        facility=facility,
        received_on=received_on,
        channel=channel,
        sealed=sealed,
        kind=Kind.OTHER,
        deadline=deadline.due,
        remind_on=deadline.remind_on,
        registered_by=actor,
    )


# --- Registration and answer by Danish staff ---------------------------------------------------


def _ombudsman() -> Authority | None:
    return Authority.objects.filter(is_ombudsman=True).order_by("pk").first()


@transaction.atomic
def complaint_register(
    *,
    actor: User,
    inmate: Inmate,
    received_on: date,
    channel: str,
    sealed: bool = False,
    language: str = "",
    kind: str,
    subject: str = "",
    authority: Authority | None = None,
    handler: User | None = None,
    letter: UploadedFile[bytes] | None = None,
) -> Complaint:
    """Register a complaint or request with its kind and handling authority; its deadline
    follows from the kind. A sealed letter keeps no subject and no copy of the letter."""
    _require(actor, "complaint.handle", _("register complaints"))
    _check_received_on(received_on)
    facility = _placed_facility(inmate, received_on)
    sealed = _sealed_rules(channel=channel, sealed=sealed, subject=subject)
    if sealed and letter is not None:
        raise ApplicationError(
            _("A sealed letter is forwarded unopened: no copy of it is stored."),
            details={"letter": ["sealed"]},
        )
    if authority is None and channel == Complaint.Channel.SEALED_TO_OMBUDSMAN:
        authority = _ombudsman()
    if authority is None:
        raise ApplicationError(
            _("Choose the authority that handles the complaint."),
            details={"authority": ["required"]},
        )
    deadline = deadline_for(facility=facility, kind=kind, received_on=received_on)
    if handler is None and can(actor, "complaint.handle.own"):
        handler = actor
    complaint = Complaint.objects.create(
        inmate=inmate,
        facility=facility,
        received_on=received_on,
        channel=channel,
        sealed=sealed,
        language=language.strip(),
        kind=kind,
        subject=subject.strip(),
        authority=authority,
        handler=handler,
        deadline=deadline.due,
        remind_on=deadline.remind_on,
        registered_by=actor,
    )
    if letter is not None:
        _document_store(complaint, ComplaintDocument.Kind.LETTER, letter, actor)
    return complaint


def _locked(complaint: Complaint, version: int | None) -> Complaint:
    return lock_at_version(
        Complaint.objects.select_related("facility"),
        complaint.pk,
        version,
        stale=stale_saying(
            _("The complaint was changed by someone else since you opened it; open it again.")
        ),
    )


@transaction.atomic
def complaint_update(
    *,
    complaint: Complaint,
    actor: User,
    version: int | None = None,
    **fields: Any,
) -> Complaint:
    """Complete or correct the registration (a receipt recorded by the host facility gets its
    kind, subject and authority here). The deadline is computed again from the kind and the day
    received; an answered complaint is not changed."""
    _require(actor, "complaint.handle", _("register complaints"))
    current = _locked(complaint, version)
    if current.status == Complaint.Status.ANSWERED:
        raise ConflictError(_("The complaint is answered; its registration is closed."))
    allowed = {"language", "kind", "subject", "authority", "handler", "channel", "sealed"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(
            _("These cannot be changed here: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            details={name: ["not changeable"] for name in sorted(unknown)},
        )
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    current.sealed = _sealed_rules(
        channel=current.channel, sealed=current.sealed, subject=current.subject
    )
    if current.authority_id is None:
        raise ApplicationError(
            _("Choose the authority that handles the complaint."),
            details={"authority": ["required"]},
        )
    deadline = deadline_for(
        facility=current.facility, kind=current.kind, received_on=current.received_on
    )
    current.deadline, current.remind_on = deadline.due, deadline.remind_on
    current.version += 1
    current.save()
    return current


@transaction.atomic
def complaint_answer(
    *,
    complaint: Complaint,
    actor: User,
    answered_on: date,
    answer: str,
    document: UploadedFile[bytes] | None = None,
    version: int | None = None,
) -> Complaint:
    """Record the authority's answer and its date (open → answered, once). The answer's words
    or its letter (or both) are needed."""
    _require(actor, "complaint.handle", _("answer complaints"))
    current = _locked(complaint, version)
    if current.status == Complaint.Status.ANSWERED:
        raise ConflictError(_("The complaint is already answered."))
    if not current.is_registered:
        raise ConflictError(
            _("Register the complaint (its kind and authority) before recording the answer.")
        )
    if answered_on < current.received_on:
        raise ApplicationError(
            _("The answer cannot be dated before the complaint was received (%(day)s).")
            % {"day": formats.date_format(current.received_on, "SHORT_DATE_FORMAT")},
            details={"answered_on": ["before received"]},
        )
    if answered_on > timezone.localdate():
        raise ApplicationError(
            _("The answer cannot be dated in the future."), details={"answered_on": ["future"]}
        )
    if not answer.strip() and document is None:
        raise ApplicationError(
            _("Give the answer in words or attach the answer letter."),
            details={"answer": ["required"]},
        )
    current.status = Complaint.Status.ANSWERED
    current.answered_on = answered_on
    current.answer = answer.strip()
    current.answered_by = actor
    current.version += 1
    current.save()
    if document is not None:
        _document_store(current, ComplaintDocument.Kind.ANSWER, document, actor)
    return current


# --- Documents --------------------------------------------------------------------------------


def _document_store(
    complaint: Complaint, kind: str, file: UploadedFile[bytes], actor: User
) -> ComplaintDocument:
    document = ComplaintDocument(
        complaint=complaint, kind=kind, uploaded_by=actor, **upload_columns(file)
    )
    document.file.save("upload", file, save=False)
    document.save()
    return document


@transaction.atomic
def complaint_document_add(
    *, complaint: Complaint, actor: User, kind: str, file: UploadedFile[bytes]
) -> ComplaintDocument:
    """Store the inmate's letter, the answer or another document with the complaint (PDF, PNG
    or JPEG, at most 10 MB, judged by its content). Never a copy of a sealed letter."""
    _require(actor, "complaint.handle", _("add documents to complaints"))
    if kind not in ComplaintDocument.Kind.values:
        raise ApplicationError(_("Choose the kind of document."), details={"kind": ["required"]})
    current = _locked(complaint, None)
    if current.sealed and kind == ComplaintDocument.Kind.LETTER:
        raise ApplicationError(
            _("A sealed letter is forwarded unopened: no copy of it is stored."),
            details={"kind": ["sealed"]},
        )
    return _document_store(current, kind, file, actor)


# --- Reminders --------------------------------------------------------------------------------


def _governor_ids() -> list[int]:
    return list(users_with("complaint.overdue.receive").values_list("pk", flat=True))


def reminders_run(*, on: date | None = None) -> int:
    """Remind the handler (or, with none, the governors) of each open complaint whose reminder
    day has come: once before the deadline, once more when it has passed. A rerun on the same
    day, or any later day, adds nothing for a fact already told (the notification's key holds
    the deadline, so a deadline moved by a new kind is told again). Returns the notifications
    added."""
    on = on or timezone.localdate()
    due = list(
        Complaint.objects.filter(status=Complaint.Status.OPEN, remind_on__lte=on)
        .only("pk", "deadline", "handler_id")
        .order_by("deadline", "pk")
    )
    if not due:
        return 0
    governors: list[int] | None = None
    with transaction.atomic():
        before = Notification.objects.filter(subject_type=SUBJECT_TYPE).count()
        for complaint in due:
            if complaint.handler_id is not None:
                recipients = [complaint.handler_id]
            else:
                governors = _governor_ids() if governors is None else governors
                recipients = governors
            overdue = complaint.deadline < on
            notify_users(
                user_ids=recipients,
                kind=Notification.Kind.REMINDER,
                text=_reminder_text(complaint, overdue=overdue),
                subject_type=SUBJECT_TYPE,
                subject_id=complaint.pk,
                link=complaint.get_absolute_url(),
                dedupe_key=f"{'overdue' if overdue else 'due'}:{complaint.deadline.isoformat()}",
            )
        return Notification.objects.filter(subject_type=SUBJECT_TYPE).count() - before


def _reminder_text(complaint: Complaint, *, overdue: bool) -> Any:
    def text() -> str:
        day = formats.date_format(complaint.deadline, "SHORT_DATE_FORMAT")
        if overdue:
            return _("Complaint #%(pk)s: the answer was due on %(day)s and is overdue.") % {
                "pk": complaint.pk,
                "day": day,
            }
        return _("Complaint #%(pk)s: the answer is due on %(day)s.") % {
            "pk": complaint.pk,
            "day": day,
        }

    return text
