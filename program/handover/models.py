"""The handover record of a person on a transport (in the spirit of a person escort record).

One record per person and transport seat: risk and safety alerts by kind, each with its level (or
yes/no) and what to do, which everyone who handles the person reads; and the health details,
which only health staff read (field tag HEALTH). The caseworker fills it with the prison's health
staff and marks it complete; the escort acknowledges it before departure and the host facility on
arrival. An acknowledged record is never changed again: a correction is a new edition, and the
old one stays, superseded (docs/handover.md).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel, staff_reference
from program.core.references import facility_reference, superseded_by_reference, version_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Level(models.TextChoices):
    NONE = "none", _("No known risk")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


@dataclass(frozen=True)
class AlertKind:
    """One kind of alert: its field (a Level, or yes/no) and its `<field>_todo` instructions."""

    field: str
    label: "StrOrPromise"
    graded: bool  # a Level; else yes/no

    @property
    def todo_field(self) -> str:
        return f"{self.field}_todo"

    def raised(self, handover: "Handover") -> bool:
        value = getattr(handover, self.field)
        return value not in (Level.NONE, False, "")


# The one table of alert kinds: the model's fields, the forms, the API and the pages follow it.
ALERTS: tuple[AlertKind, ...] = (
    AlertKind("self_harm", _("Self-harm"), graded=True),
    AlertKind("violence", _("Violence"), graded=True),
    AlertKind("escape", _("Escape"), graded=True),
    AlertKind("medical_needs", _("Medical needs"), graded=False),
    AlertKind("medication", _("Medication in transit"), graded=False),
    AlertKind("diet", _("Diet"), graded=False),
    AlertKind("interpreter", _("Language and interpreter"), graded=False),
)
# What the caseworker writes (the health staff write HEALTH_FIELDS).
CASEWORKER_FIELDS: tuple[str, ...] = (
    *(name for kind in ALERTS for name in (kind.field, kind.todo_field)),
    "interpreter_language",
)
HEALTH_FIELDS: tuple[str, ...] = ("health_details",)


def _level(label: "StrOrPromise") -> "models.CharField[str, str]":
    return models.CharField(label, max_length=10, choices=Level.choices, default=Level.NONE)


def _todo(label: "StrOrPromise") -> "models.TextField[str, str]":
    return models.TextField(label, blank=True, max_length=2000)


class Handover(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being filled in")
        COMPLETE = "complete", _("Complete, not yet acknowledged by the escort")
        ESCORT = "escort", _("Acknowledged by the escort")
        ARRIVAL = "arrival", _("Acknowledged by the host facility on arrival")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    case = models.ForeignKey(
        "transfers.TransferCase",
        on_delete=models.PROTECT,
        related_name="handovers",
        verbose_name=_("transfer case"),
    )
    batch = models.ForeignKey(
        "transfers.TransportBatch",
        on_delete=models.PROTECT,
        related_name="handovers",
        verbose_name=_("transport"),
    )
    # Where the person is taken (the reserved place's facility): its officers acknowledge.
    facility = facility_reference("+", verbose_name=_("destination facility"))
    # 1 for the first record of this seat; a correction of an acknowledged one is the next.
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    # Bumped by every write: the compare-and-set token and the API's ETag.
    version = version_field()

    self_harm = _level(_("self-harm"))
    self_harm_todo = _todo(_("self-harm: what to do"))
    violence = _level(_("violence"))
    violence_todo = _todo(_("violence: what to do"))
    escape = _level(_("escape"))
    escape_todo = _todo(_("escape: what to do"))
    medical_needs = models.BooleanField(_("medical needs"), default=False)
    medical_needs_todo = _todo(_("medical needs: what to do"))
    medication = models.BooleanField(_("medication in transit"), default=False)
    medication_todo = _todo(_("medication in transit: what to do"))
    diet = models.BooleanField(_("diet"), default=False)
    diet_todo = _todo(_("diet: what to do"))
    interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    interpreter_language = models.CharField(_("language"), max_length=100, blank=True)
    interpreter_todo = _todo(_("language and interpreter: what to do"))

    # Health staff only (field tag HEALTH): never shown to any other role.
    health_details = models.TextField(_("health details"), blank=True, max_length=4000)
    health_reviewed_by = staff_reference(_("health part by"), optional=True)
    health_reviewed_at = models.DateTimeField(_("health part at"), null=True, blank=True)

    completed_by = staff_reference(_("completed by"), optional=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    escort_officer = models.CharField(_("escort officer"), max_length=200, blank=True)
    escort_recorded_by = staff_reference(_("escort acknowledgment recorded by"), optional=True)
    escort_acknowledged_at = models.DateTimeField(
        _("acknowledged by the escort at"), null=True, blank=True
    )
    arrival_acknowledged_by = staff_reference(_("acknowledged on arrival by"), optional=True)
    arrival_acknowledged_at = models.DateTimeField(
        _("acknowledged on arrival at"), null=True, blank=True
    )
    # Set first when a correction is made (the one record in force is the one without it), then
    # superseded_by once the new edition exists.
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_by = superseded_by_reference()
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    created_by = staff_reference(_("created by"))
    updated_by = staff_reference(_("last changed by"))

    class Meta:
        verbose_name = _("handover record")
        verbose_name_plural = _("handover records")
        ordering = ["batch", "case", "-edition"]
        constraints = [
            # One record in force per person and transport, whoever writes.
            models.UniqueConstraint(
                fields=["case", "batch"],
                condition=Q(superseded_at__isnull=True),
                name="handover_one_current_per_seat",
                violation_error_message=_("This person already has a handover for this transport."),
            ),
            models.UniqueConstraint(
                fields=["case", "batch", "edition"], name="handover_one_row_per_edition"
            ),
            # The order of the steps holds whatever writes: complete, escort, then arrival.
            models.CheckConstraint(
                condition=Q(escort_acknowledged_at__isnull=True) | Q(completed_at__isnull=False),
                name="handover_escort_after_complete",
            ),
            models.CheckConstraint(
                condition=Q(arrival_acknowledged_at__isnull=True)
                | Q(escort_acknowledged_at__isnull=False),
                name="handover_arrival_after_escort",
            ),
            models.CheckConstraint(
                condition=Q(escort_acknowledged_at__isnull=True) | ~Q(escort_officer=""),
                name="handover_escort_named",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="handover_version_pos"),
        ]
        indexes = [
            # The transport page and the departure check: the records of a transport's people.
            models.Index(fields=["batch", "case"], name="handover_batch_case"),
            # The host facility's list of arrivals.
            models.Index(fields=["facility", "batch"], name="handover_facility_batch"),
        ]

    def __str__(self) -> str:
        return f"handover {self.pk} (case {self.case_id}, transport {self.batch_id})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("handover:detail", args=[self.pk])

    @property
    def status(self) -> str:
        if self.superseded_at is not None:
            return self.Status.SUPERSEDED
        if self.arrival_acknowledged_at is not None:
            return self.Status.ARRIVAL
        if self.escort_acknowledged_at is not None:
            return self.Status.ESCORT
        if self.completed_at is not None:
            return self.Status.COMPLETE
        return self.Status.DRAFT

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_locked(self) -> bool:
        """Acknowledged (or superseded): read-only; a change is a correction."""
        return self.escort_acknowledged_at is not None or self.superseded_at is not None

    @property
    def ready_to_travel(self) -> bool:
        return self.is_current and self.escort_acknowledged_at is not None

    def alerts_raised(self) -> list[AlertKind]:
        return [kind for kind in ALERTS if kind.raised(self)]
