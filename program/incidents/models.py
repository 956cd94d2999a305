"""Incidents at a host facility, the governor's review of each, and who was told.

An incident is reported by the host facility's staff (at their own facility) or by Danish
staff; the governor reviews it within the deadline of its kind (rules.py). Use of force and
deaths are notified to the programme's Danish authority at once (`AuthorityNotice`), the
inmates involved get a notice in their language (`InmateNotice`), staff named are told in the
app. See docs/incidents.md.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel
from program.core.references import (
    facility_reference,
    inmate_reference,
    optional_cell_reference,
    optional_unit_reference,
    staff_link,
    version_field,
)


class Incident(TimeStampedModel):
    class Kind(models.TextChoices):
        VIOLENCE = "violence", _("Violence between prisoners")
        USE_OF_FORCE = "use_of_force", _("Use of force")
        SELF_HARM = "self_harm", _("Self-harm")
        DEATH = "death", _("Death")
        ESCAPE_ATTEMPT = "escape_attempt", _("Escape attempt")
        DISCIPLINE = "discipline", _("Discipline under Danish rules")

    class State(models.TextChoices):
        AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
        MORE_INFORMATION = "more_information", _("More information asked for")
        CLOSED = "closed", _("Reviewed and closed")

    facility = facility_reference("incidents")
    unit = optional_unit_reference("incidents")
    cell = optional_cell_reference("incidents")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when it happened"))
    description = models.TextField(_("what happened"))
    injuries = models.TextField(_("injuries"), blank=True)
    actions_taken = models.TextField(_("actions taken"), blank=True)
    # Staff involved by name and role, as the reporter writes them (they need not be users).
    staff_involved = models.TextField(_("staff involved"), blank=True)
    reported_by = staff_link(_("reported by"), related_name="incidents_reported")
    reported_at = models.DateTimeField(_("reported at"))
    # Fixed when reported from the kind's rule (rules.py): a later change of the rule never
    # moves it. Set again when information asked for by the governor is added.
    review_due_at = models.DateTimeField(_("review due"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.AWAITING_REVIEW
    )
    version = version_field()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due_at__gt=models.F("reported_at")),
                name="incident_review_due_after_report",
            ),
            models.CheckConstraint(
                condition=Q(occurred_at__lte=models.F("reported_at")),
                name="incident_occurred_before_report",
            ),
        ]
        indexes = [
            # The governor's queue and the reminder job: reviews still owed, by deadline.
            models.Index(
                fields=["review_due_at"],
                condition=Q(state="awaiting_review"),
                name="incident_review_owed",
            ),
            models.Index(fields=["facility", "-occurred_at"], name="incident_facility_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"


class IncidentInmate(models.Model):
    """An inmate involved in an incident (one row per person)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="people", verbose_name=_("incident")
    )
    inmate = inmate_reference("incidents")

    class Meta:
        verbose_name = _("inmate involved")
        verbose_name_plural = _("inmates involved")
        constraints = [
            models.UniqueConstraint(fields=["incident", "inmate"], name="incident_inmate_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.inmate_id}"


class IncidentStaff(models.Model):
    """A member of staff named in an incident who is a user, told of it in the app."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="named_staff", verbose_name=_("incident")
    )
    user = staff_link(_("user"), related_name="incidents_named_in")

    class Meta:
        verbose_name = _("staff named")
        verbose_name_plural = _("staff named")
        constraints = [
            models.UniqueConstraint(fields=["incident", "user"], name="incident_staff_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.user_id}"


class IncidentReview(models.Model):
    """One review by the governor: it closes the incident or asks for more information."""

    class Outcome(models.TextChoices):
        CLOSE = "close", _("Close the incident")
        MORE_INFORMATION = "more_information", _("Ask for more information")

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("incident")
    )
    reviewer = staff_link(_("reviewer"), related_name="incident_reviews")
    reviewed_at = models.DateTimeField(_("reviewed at"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    findings = models.TextField(_("findings"))
    follow_up = models.TextField(_("follow-up"), blank=True)
    information_requested = models.TextField(_("information asked for"), blank=True)

    class Meta:
        verbose_name = _("incident review")
        verbose_name_plural = _("incident reviews")
        ordering = ["reviewed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="more_information") | ~Q(information_requested=""),
                name="incident_review_says_what_is_asked",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.outcome}"


class IncidentAddition(models.Model):
    """Information added to an incident after it was reported (what the governor asked for)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="additions", verbose_name=_("incident")
    )
    added_by = staff_link(_("added by"), related_name="incident_additions")
    added_at = models.DateTimeField(_("added at"))
    text = models.TextField(_("information"))

    class Meta:
        verbose_name = _("information added")
        verbose_name_plural = _("information added")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.added_at}"


class AuthorityContact(TimeStampedModel):
    """Where a programme's Danish (sending) authority is told of use of force and deaths.

    The authority's name is the agreement's `sending_authority`, as the letters name it; the
    address is kept here, set by the system administrator (admin) or the demo.
    """

    agreement = models.OneToOneField(
        "cells.Agreement",
        on_delete=models.CASCADE,
        related_name="authority_contact",
        verbose_name=_("agreement"),
    )
    email = models.EmailField(_("e-mail address"))

    class Meta:
        verbose_name = _("authority contact")
        verbose_name_plural = _("authority contacts")

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.email}"


class AuthorityNotice(models.Model):
    """The e-mail to the Danish authority about one incident: queued through the outbox in the
    report's transaction, sent once by the worker, with its outcome."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    incident = models.OneToOneField(
        Incident,
        on_delete=models.CASCADE,
        related_name="authority_notice",
        verbose_name=_("incident"),
    )
    authority = models.CharField(_("authority"), max_length=200)
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("authority notice")
        verbose_name_plural = _("authority notices")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="authority_notice_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.state}"


class InmateNotice(models.Model):
    """The informational notice to an inmate involved in an incident, written in their language
    and kept as given (handed over at the facility)."""

    incident = models.ForeignKey(
        Incident, on_delete=models.CASCADE, related_name="notices", verbose_name=_("incident")
    )
    inmate = inmate_reference("incident_notices")
    language = models.CharField(_("language"), max_length=10)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice to an inmate")
        verbose_name_plural = _("notices to inmates")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "inmate"], name="incident_notice_once_per_inmate"
            )
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.inmate_id}"
