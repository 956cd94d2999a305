"""The only writers of incidents: report, review, add information, and the reminder sweep.

Each public service owns its transaction (one per user action) and queues what leaves the
system (e-mails) through the outbox, so nothing is sent for a report that did not commit and a
broker outage delays the sending without losing it (docs/incidents.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from program.cells.models import Cell, Facility, Unit
from program.core.capabilities import can
from program.core.errors import (
    ApplicationError,
    ConflictError,
    NotFoundError,
    PermissionRefusedError,
)
from program.core.versioning import bump_version, lock_at_version, stale_saying
from program.incidents import rules, selectors
from program.incidents.models import (
    AuthorityContact,
    AuthorityNotice,
    Incident,
    IncidentAddition,
    IncidentInmate,
    IncidentReview,
    IncidentStaff,
    InmateNotice,
)
from program.inmates.models import Inmate
from program.notifications.models import Notification
from program.notifications.services import notify_users
from program.outbox.services import enqueue

# The worker task that e-mails the Danish authority (tasks.py).
AUTHORITY_SEND_TASK = "incidents.authority_notice_send"
SUBJECT = "incident"
# The languages an inmate's notice can be written in, by the language names the register uses
# (Inmate.languages); anything else gets the English notice.
NOTICE_LANGUAGES = {"danish": "da", "albanian": "sq", "english": "en"}


def _require(actor: AbstractBaseUser, capability: str, what: str) -> None:
    """The service rule: refuse unless the actor holds the capability."""
    if not can(actor, capability):
        raise PermissionRefusedError(what)


def _link(incident: Incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def _tell(
    incident: Incident,
    *,
    user_ids: Sequence[int],
    text: Callable[[], str],
    dedupe_key: str,
    kind: str = Notification.Kind.INCIDENT,
) -> None:
    """Tell users a fact about an incident: the notice names the incident and links to it."""
    notify_users(
        user_ids=user_ids,
        kind=kind,
        text=text,
        subject_type=SUBJECT,
        subject_id=incident.pk,
        link=_link(incident),
        dedupe_key=dedupe_key,
    )


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _check_place(*, facility: Facility, unit: Unit | None, cell: Cell | None) -> Unit | None:
    if unit is not None and unit.facility_id != facility.pk:
        raise ApplicationError(
            _("The unit is not at this facility. Choose one of the facility's units."),
            details={"unit": [_("Not at this facility.")]},
        )
    if cell is not None:
        if cell.unit.facility_id != facility.pk:
            raise ApplicationError(
                _("The cell is not at this facility. Choose one of the facility's cells."),
                details={"cell": [_("Not at this facility.")]},
            )
        if unit is not None and cell.unit_id != unit.pk:
            raise ApplicationError(
                _("The cell is not in the unit given. Choose the cell's own unit, or none."),
                details={"cell": [_("Not in this unit.")]},
            )
        unit = cell.unit
    return unit


def _notice_language(inmate: Inmate) -> str:
    offered = {code for code, _name in settings.LANGUAGES} | {"en"}
    for name in inmate.languages:
        code = NOTICE_LANGUAGES.get(name.strip().lower())
        if code and code in offered:
            return code
    return "en"


def _notice_text(incident: Incident) -> str:
    return _(
        "An incident on %(when)s at %(facility)s in which you were involved has been recorded "
        "(incident no. %(pk)s: %(kind)s). The Danish governor reviews every incident. You may "
        "complain about it to the Danish authorities or to the Danish Parliamentary Ombudsman; "
        "the staff will help you send your complaint."
    ) % {
        "when": _when(incident.occurred_at),
        "facility": incident.facility.name,
        "pk": incident.pk,
        "kind": incident.get_kind_display(),
    }


def _write_notices(incident: Incident, inmates: Sequence[Inmate]) -> None:
    notices = []
    for inmate in inmates:
        language = _notice_language(inmate)
        with translation.override(language):
            notices.append(
                InmateNotice(
                    incident=incident,
                    inmate=inmate,
                    language=language,
                    text=_notice_text(incident),
                )
            )
    InmateNotice.objects.bulk_create(notices, ignore_conflicts=True)


def _tell_governors(incident: Incident) -> None:
    urgent = rules.notifies_authority(incident.kind)

    def text() -> str:
        if urgent:
            return _(
                "Incident no. %(pk)s (%(kind)s) at %(facility)s: the Danish authority is "
                "being notified. Review it by %(due)s."
            ) % _facts(incident)
        return _(
            "Incident no. %(pk)s (%(kind)s) at %(facility)s awaits your review by %(due)s."
        ) % _facts(incident)

    _tell(
        incident,
        user_ids=selectors.governor_ids(),
        text=text,
        dedupe_key="reported",
    )


def _facts(incident: Incident) -> dict[str, object]:
    return {
        "pk": incident.pk,
        "kind": incident.get_kind_display(),
        "facility": incident.facility.name,
        "due": _when(incident.review_due_at),
    }


def _tell_named_staff(incident: Incident, user_ids: Sequence[int]) -> None:
    _tell(
        incident,
        user_ids=list(user_ids),
        text=lambda: (
            _("You are named in incident no. %(pk)s (%(kind)s) at %(facility)s.") % _facts(incident)
        ),
        dedupe_key="named",
    )


def _notify_authority(incident: Incident) -> None:
    agreement = incident.facility.agreement
    contact = AuthorityContact.objects.filter(agreement=agreement).first()
    notice, _created = AuthorityNotice.objects.get_or_create(
        incident=incident,
        defaults={
            "authority": agreement.sending_authority,
            "email": contact.email if contact else "",
        },
    )
    enqueue(AUTHORITY_SEND_TASK, notice.pk, key=f"incident-authority:{notice.pk}")


@transaction.atomic
def incident_report(
    *,
    actor: AbstractBaseUser,
    facility: Facility,
    kind: str,
    occurred_at: datetime,
    description: str,
    unit: Unit | None = None,
    cell: Cell | None = None,
    injuries: str = "",
    actions_taken: str = "",
    staff_involved: str = "",
    inmates: Sequence[Inmate] = (),
    named_staff: Sequence[AbstractBaseUser] = (),
) -> Incident:
    """Record an incident and tell those who must know, all in one transaction.

    Host staff report only at the facility they are posted to, Danish staff anywhere; the
    people named must be held at the facility on the day. The governors are told in the app;
    for use of force and deaths the programme's Danish authority is e-mailed (outbox, after
    commit); each inmate named gets a notice in their language; staff named are told in the app.
    """
    _require(
        actor,
        "incident.report",
        _("Only the host facility's staff, the governor or a caseworker may report an incident."),
    )
    if not selectors.reportable_facilities(actor).filter(pk=facility.pk).exists():
        raise ApplicationError(
            _("You may report incidents only at the facility you are posted to."),
            details={"facility": [_("Not your facility.")]},
        )
    if kind not in Incident.Kind.values:
        raise ApplicationError(
            _("Choose the kind of incident from the list."), details={"kind": [kind]}
        )
    now = timezone.now()
    if occurred_at > now:
        raise ApplicationError(
            _("The incident cannot have happened in the future. Give the time it happened."),
            details={"occurred_at": [_("In the future.")]},
        )
    if not description.strip():
        raise ApplicationError(
            _("Describe what happened."), details={"description": [_("This field is required.")]}
        )
    unit = _check_place(facility=facility, unit=unit, cell=cell)
    people = list(dict.fromkeys(inmates))
    held = set(
        selectors.inmates_at(facility, on=timezone.localdate(occurred_at)).values_list(
            "pk", flat=True
        )
    )
    strangers = [inmate for inmate in people if inmate.pk not in held]
    if strangers:
        raise ApplicationError(
            _(
                "Only people held at this facility on the day may be named; not: %(names)s. "
                "Check the day and the facility."
            )
            % {"names": ", ".join(inmate.case_number for inmate in strangers)},
            details={"inmates": [inmate.case_number for inmate in strangers]},
        )
    staff_ids = sorted({user.pk for user in named_staff})
    allowed_staff = set(
        selectors.staff_to_name(facility).filter(pk__in=staff_ids).values_list("pk", flat=True)
    )
    if set(staff_ids) - allowed_staff:
        raise ApplicationError(
            _("Only the facility's staff and the governors may be named as users."),
            details={"named_staff": sorted(set(staff_ids) - allowed_staff)},
        )
    incident = Incident.objects.create(
        facility=facility,
        unit=unit,
        cell=cell,
        kind=kind,
        occurred_at=occurred_at,
        description=description.strip(),
        injuries=injuries.strip(),
        actions_taken=actions_taken.strip(),
        staff_involved=staff_involved.strip(),
        reported_by_id=actor.pk,
        reported_at=now,
        review_due_at=now + rules.review_period(kind),
    )
    IncidentInmate.objects.bulk_create(
        [IncidentInmate(incident=incident, inmate=inmate) for inmate in people]
    )
    IncidentStaff.objects.bulk_create(
        [IncidentStaff(incident=incident, user_id=pk) for pk in staff_ids]
    )
    _write_notices(incident, people)
    _tell_governors(incident)
    _tell_named_staff(incident, staff_ids)
    if rules.notifies_authority(kind):
        _notify_authority(incident)
    return incident


def _locked(incident_id: int, expected_version: int | None) -> Incident:
    return lock_at_version(
        Incident.objects.select_related("facility"),
        incident_id,
        expected_version,
        missing=NotFoundError(_("No such incident.")),
        stale=stale_saying(
            _(
                "Someone changed this incident after you opened it. Reload the page, read the "
                "change and try again."
            )
        ),
    )


@transaction.atomic
def incident_review(
    *,
    actor: AbstractBaseUser,
    incident_id: int,
    outcome: str,
    findings: str,
    follow_up: str = "",
    information_requested: str = "",
    expected_version: int | None = None,
) -> IncidentReview:
    """The governor's review: findings and follow-up, then close the incident or ask for more
    information (which the reporting side adds; the review deadline starts again then).

    Compare-and-set on the incident's version: a review of a changed incident is refused (409).
    """
    _require(actor, "incident.review", _("Only the governor reviews incidents."))
    if outcome not in IncidentReview.Outcome.values:
        raise ApplicationError(
            _("Choose whether to close the incident or ask for more information."),
            details={"outcome": [outcome]},
        )
    if not findings.strip():
        raise ApplicationError(
            _("Write the findings of the review."),
            details={"findings": [_("This field is required.")]},
        )
    asking = outcome == IncidentReview.Outcome.MORE_INFORMATION
    if asking and not information_requested.strip():
        raise ApplicationError(
            _("Say what information you ask for."),
            details={"information_requested": [_("This field is required.")]},
        )
    incident = _locked(incident_id, expected_version)
    if incident.state != Incident.State.AWAITING_REVIEW:
        raise ConflictError(
            _("This incident does not await a review (it is: %(state)s).")
            % {"state": incident.get_state_display()}
        )
    review = IncidentReview.objects.create(
        incident=incident,
        reviewer_id=actor.pk,
        reviewed_at=timezone.now(),
        outcome=outcome,
        findings=findings.strip(),
        follow_up=follow_up.strip(),
        information_requested=information_requested.strip() if asking else "",
    )
    incident.state = Incident.State.MORE_INFORMATION if asking else Incident.State.CLOSED
    bump_version(incident, fields=["state"])
    if asking:
        version = incident.version
        _tell(
            incident,
            user_ids=[incident.reported_by_id],
            text=lambda: (
                _("The governor asks for more information about incident no. %(pk)s.")
                % {"pk": incident.pk}
            ),
            dedupe_key=f"asked:{version}",
        )
    return review


@transaction.atomic
def incident_add_information(
    *,
    actor: AbstractBaseUser,
    incident_id: int,
    text: str,
    expected_version: int | None = None,
) -> IncidentAddition:
    """Add the information the governor asked for; the incident awaits review again, with a
    new deadline of its kind from now."""
    what = _("Only those who may report incidents may add information.")
    _require(actor, "incident.report", what)
    if not text.strip():
        raise ApplicationError(
            _("Write the information to add."), details={"text": [_("This field is required.")]}
        )
    if not selectors.incidents_for(actor).filter(pk=incident_id).exists():
        raise NotFoundError(_("No such incident."))
    incident = _locked(incident_id, expected_version)
    if incident.state != Incident.State.MORE_INFORMATION:
        raise ConflictError(_("The governor has not asked for more information on this incident."))
    now = timezone.now()
    addition = IncidentAddition.objects.create(
        incident=incident, added_by_id=actor.pk, added_at=now, text=text.strip()
    )
    incident.state = Incident.State.AWAITING_REVIEW
    incident.review_due_at = now + rules.review_period(incident.kind)
    bump_version(incident, fields=["state", "review_due_at"])
    version = incident.version
    _tell(
        incident,
        user_ids=selectors.governor_ids(),
        text=lambda: (
            _("Information was added to incident no. %(pk)s; it awaits your review by %(due)s.")
            % _facts(incident)
        ),
        dedupe_key=f"added:{version}",
    )
    return addition


@transaction.atomic
def review_reminders_send(*, now: datetime | None = None) -> int:
    """Remind the governors of every review past its deadline: once per incident and deadline
    (the dedupe key holds both), so the hourly job may run any number of times. Returns how
    many incidents are overdue."""
    governors = selectors.governor_ids()
    rows = list(
        selectors.overdue(Incident.objects.all(), now=now)
        .select_related("facility")
        .order_by("review_due_at", "id")
    )
    for incident in rows:
        _tell(
            incident,
            user_ids=governors,
            text=lambda incident=incident: (  # type: ignore[misc]
                _("The review of incident no. %(pk)s (%(kind)s) at %(facility)s was due %(due)s.")
                % _facts(incident)
            ),
            dedupe_key=f"overdue:{incident.review_due_at.isoformat()}",
            kind=Notification.Kind.REMINDER,
        )
    return len(rows)


@transaction.atomic
def authority_notice_deliver(*, notice_id: int) -> str:
    """E-mail the Danish authority once about a use of force or a death; record the outcome.

    The row lock makes two deliveries take turns: the second finds it sent. The e-mail names
    the incident by number, kind, facility and time, never a person: it leaves the system.
    """
    notice = (
        AuthorityNotice.objects.select_for_update(of=("self",))
        .select_related("incident__facility")
        .filter(pk=notice_id)
        .first()
    )
    if notice is None or notice.state != AuthorityNotice.State.PENDING:
        return notice.state if notice else "gone"
    if not notice.email:
        notice.state = AuthorityNotice.State.FAILED
        notice.error = "no e-mail address for the authority (AuthorityContact)"
        notice.save(update_fields=["state", "error"])
        return notice.state
    incident = notice.incident
    # The authority is Danish: the message is in Danish, whoever reported.
    with translation.override("da"):
        subject = _("Incident no. %(pk)s: %(kind)s at %(facility)s") % _facts(incident)
        body = _(
            "%(authority)s is notified of incident no. %(pk)s: %(kind)s at %(facility)s on "
            "%(when)s. The governor reviews it by %(due)s. The report: %(link)s"
        ) % {
            **_facts(incident),
            "authority": notice.authority,
            "when": _when(incident.occurred_at),
            "link": f"{getattr(settings, 'SITE_URL', '')}{_link(incident)}",
        }
    try:
        send_mail(
            subject=subject[:150], message=body, from_email=None, recipient_list=[notice.email]
        )
    except Exception as error:  # recorded and left pending: the task retries it
        notice.error = f"{type(error).__name__}: {error}"[:200]
        notice.save(update_fields=["error"])
        return notice.state
    notice.state = AuthorityNotice.State.SENT
    notice.sent_at = timezone.now()
    notice.error = ""
    notice.save(update_fields=["state", "sent_at", "error"])
    return notice.state
