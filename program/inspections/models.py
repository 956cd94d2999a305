"""Inspections of a facility (the Danish Ombudsman as national preventive mechanism, the Kosovo
Ombudsperson, the CPT, others), their findings and the actions promised on each finding.

A finding's status is never stored: it is derived from its actions (`finding_status`), so it
cannot disagree with them. The rules that must hold whoever writes (dates in order, a finding
about exactly what its kind says, an action done with its evidence and date, one not accepted
with its reason) are PostgreSQL constraints; the services turn their refusals into messages.
"""

from collections.abc import Iterable

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel, staff_reference
from program.core.references import (
    facility_reference,
    optional_cell_reference,
    optional_unit_reference,
    version_field,
)


class InspectionBody(TimeStampedModel):
    """Who inspects: kept as data, so a new body needs no release."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("inspection body")
        verbose_name_plural = _("inspection bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name


class Inspection(TimeStampedModel):
    class Kind(models.TextChoices):
        ANNOUNCED = "announced", _("Announced")
        UNANNOUNCED = "unannounced", _("Unannounced")

    body = models.ForeignKey(
        InspectionBody,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspection body"),
    )
    facility = facility_reference("inspections")
    kind = models.CharField(_("kind of visit"), max_length=12, choices=Kind.choices)
    starts_on = models.DateField(_("first day of the visit"))
    ends_on = models.DateField(_("last day of the visit"))
    reference = models.CharField(
        _("the body's reference"),
        max_length=100,
        blank=True,
        help_text=_("The inspection body's own reference or journal number, if it gave one."),
    )
    report = models.FileField(
        _("report"), upload_to="inspections/reports/%Y/%m/", blank=True, max_length=300
    )
    report_content_type = models.CharField(_("report's content type"), max_length=50, blank=True)
    published_on = models.DateField(_("report published on"), null=True, blank=True)
    recorded_by = staff_reference(_("recorded by"))
    # Bumped on every change; the API's If-Match and the forms' hidden field compare it.
    version = version_field()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="inspection_days_in_order"
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("starts_on")),
                name="inspection_published_after_visit",
            ),
            models.CheckConstraint(
                condition=Q(report="", report_content_type="")
                | (~Q(report="") & ~Q(report_content_type="")),
                name="inspection_report_has_its_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.starts_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("inspections:detail", args=[self.pk])


class Finding(TimeStampedModel):
    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Concerns(models.TextChoices):
        UNIT = "unit", _("A unit")
        CELL = "cell", _("A cell")
        PERSON = "person", _("A person")
        PRACTICE = "practice", _("A practice")

    class Status(models.TextChoices):
        """Derived from the actions (finding_status), never stored."""

        NO_ACTIONS = "no_actions", _("No actions promised yet")
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        CLOSED = "closed", _("Closed")
        CLOSED_NOT_ACCEPTED = "closed_not_accepted", _("Closed, partly not accepted")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="findings", verbose_name=_("inspection")
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_(
            "A short title without names: finance staff see it where the finding holds back a "
            "payment."
        ),
    )
    text = models.TextField(_("what the inspection found"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    concerns = models.CharField(_("concerns"), max_length=10, choices=Concerns.choices)
    unit = optional_unit_reference("findings")
    cell = optional_cell_reference("findings")
    person = models.ForeignKey(
        "inmates.Inmate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("person"),
    )
    practice = models.CharField(_("practice"), max_length=200, blank=True)
    recorded_by = staff_reference(_("recorded by"))
    version = version_field()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "id"]
        constraints = [
            # Exactly the one link its kind names, so "about a cell" always points at a cell.
            models.CheckConstraint(
                condition=Q(
                    concerns="unit",
                    unit__isnull=False,
                    cell__isnull=True,
                    person__isnull=True,
                    practice="",
                )
                | Q(
                    concerns="cell",
                    unit__isnull=True,
                    cell__isnull=False,
                    person__isnull=True,
                    practice="",
                )
                | Q(
                    concerns="person",
                    unit__isnull=True,
                    cell__isnull=True,
                    person__isnull=False,
                    practice="",
                )
                | Q(
                    ~Q(practice=""),
                    concerns="practice",
                    unit__isnull=True,
                    cell__isnull=True,
                    person__isnull=True,
                ),
                name="finding_concerns_one_thing",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="finding_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inspections:finding-detail", args=[self.pk])

    @property
    def status(self) -> str:
        """Derived from the actions (prefetch `actions` when listing findings)."""
        return finding_status(action.status for action in self.actions.all())

    def get_status_display(self) -> str:
        return str(Finding.Status(self.status).label)

    @property
    def pending_actions(self) -> list["FindingAction"]:
        return [action for action in self.actions.all() if action.is_pending]


class FindingAction(TimeStampedModel):
    """One action promised on a finding: who answers for it, by when, and where it stands."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    finding = models.ForeignKey(
        Finding, on_delete=models.PROTECT, related_name="actions", verbose_name=_("finding")
    )
    title = models.CharField(
        _("action"),
        max_length=200,
        help_text=_("What will be done, without names (finance staff may see it)."),
    )
    owner = models.CharField(
        _("owner"),
        max_length=200,
        help_text=_("Who answers for it: a post or an office, e.g. the facility's director."),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("What shows it is done: a document's reference, what was seen, by whom."),
    )
    reason = models.TextField(_("why not accepted"), blank=True)
    # Who recorded the last move (done or not accepted); a tranche condition names them.
    decided_by = staff_reference(_("recorded by"), optional=True)
    version = version_field()

    class Meta:
        verbose_name = _("promised action")
        verbose_name_plural = _("promised actions")
        ordering = ["deadline", "id"]
        indexes = [
            # The overdue queue: open or in progress, by deadline.
            models.Index(fields=["status", "deadline"], name="finding_action_status_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status="done",
                    done_on__isnull=False,
                    decided_by__isnull=False,
                    reason="",
                )
                & ~Q(evidence="")
                | Q(
                    ~Q(reason=""),
                    status="not_accepted",
                    done_on__isnull=True,
                    decided_by__isnull=False,
                )
                | Q(status__in=["open", "in_progress"], done_on__isnull=True, reason=""),
                name="finding_action_state_complete",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="finding_action_has_title"),
            models.CheckConstraint(condition=~Q(owner=""), name="finding_action_has_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING


# An action still to be carried out: it can be overdue.
PENDING = (FindingAction.Status.OPEN, FindingAction.Status.IN_PROGRESS)


def finding_status(action_statuses: Iterable[str]) -> str:
    """A finding's status from its actions' statuses: closed once every action is done (or
    closed with some not accepted), in progress once any has moved, open otherwise; a finding
    with no action yet is not closed, it waits for one."""
    statuses = list(action_statuses)
    S = FindingAction.Status  # noqa: N806 (the enum, read as in the model)
    if not statuses:
        return Finding.Status.NO_ACTIONS
    if all(s == S.DONE for s in statuses):
        return Finding.Status.CLOSED
    if all(s in (S.DONE, S.NOT_ACCEPTED) for s in statuses):
        return Finding.Status.CLOSED_NOT_ACCEPTED
    if any(s in (S.IN_PROGRESS, S.DONE, S.NOT_ACCEPTED) for s in statuses):
        return Finding.Status.IN_PROGRESS
    return Finding.Status.OPEN
