"""Family contact: visits at the host facility, in person or by video, and who comes.

A visit is requested (by the inmate, a relative or the caseworker), booked by the host
facility's staff for a time, and ends with its outcome: it took place, or it was cancelled or
refused, each with a reason. Nothing here is a conviction or a health fact; the host
facility's staff see all of it for their own facility.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel, staff_reference
from program.core.references import facility_reference, inmate_reference, version_field


class TsTzRange(Func):
    """tstzrange(starts_at, ends_at, '[)'): the half-open time a booked visit holds."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


# The states in which a visit holds its time: the one the booking rule keeps apart.
HOLDING_STATES = ("booked", "took_place")


class Visit(TimeStampedModel):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person at the facility")
        VIDEO = "video", _("Video call")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        BOOKED = "booked", _("Booked")
        TOOK_PLACE = "took_place", _("Took place")
        CANCELLED = "cancelled", _("Cancelled")
        REFUSED = "refused", _("Refused")

    class RequestedBy(models.TextChoices):
        INMATE = "inmate", _("The inmate")
        RELATIVE = "relative", _("A relative")
        CASEWORKER = "caseworker", _("The caseworker")

    inmate = inmate_reference("visits")
    facility = facility_reference("visits")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.CharField(_("requested by"), max_length=10, choices=RequestedBy.choices)
    requested_on = models.DateField(_("requested on"))
    # The day the family would like; the host staff book the actual time.
    wished_on = models.DateField(_("wished for"), null=True, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    interpreter_language = models.CharField(_("interpreter language"), max_length=50, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = staff_reference(_("recorded by"))
    # The booked time, half-open [starts_at, ends_at).
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    booked_by = staff_reference(_("booked by"), optional=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    outcome_by = staff_reference(_("outcome recorded by"), optional=True)
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    # Bumped on every change; forms and If-Match compare it (compare-and-set).
    version = version_field()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["starts_at", "requested_on", "id"]
        indexes = [
            # The facility's schedule and the counts beside E15 select by these.
            models.Index(fields=["facility", "starts_at"], name="visit_facility_start"),
            models.Index(fields=["inmate", "status"], name="visit_inmate_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=HOLDING_STATES)
                | Q(starts_at__isnull=False, ends_at__gt=F("starts_at"), booked_by__isnull=False),
                name="visit_booked_has_time",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__gt=F("starts_at")),
                name="visit_time_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["cancelled", "refused"])
                | (~Q(outcome_reason="") & Q(outcome_by__isnull=False)),
                name="visit_end_has_reason",
            ),
            # One person is at one visit at a time: no double booking of the same inmate.
            ExclusionConstraint(
                name="visit_inmate_no_double_booking",
                expressions=[
                    ("inmate", RangeOperators.EQUAL),
                    (
                        TsTzRange("starts_at", "ends_at", RangeBoundary()),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                # Written as equalities, not IN: PostgreSQL prints a varchar IN differently after
                # a dump and restore, and the restored database must equal the source.
                condition=Q(status=HOLDING_STATES[0]) | Q(status=HOLDING_STATES[1]),
                violation_error_message=_("The inmate already has a visit booked at that time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("visits:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.BOOKED)


class Visitor(TimeStampedModel):
    """One person coming to (or calling in to) a visit."""

    class Relation(models.TextChoices):
        CHILD = "child", _("Child")
        PARTNER = "partner", _("Partner")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        OTHER = "other", _("Other")

    class AgeGroup(models.TextChoices):
        UNDER_6 = "0_5", _("Under 6")
        AGE_6_11 = "6_11", _("6–11 years")
        AGE_12_17 = "12_17", _("12–17 years")
        ADULT = "adult", _("18 or over")

    MINOR_AGE_GROUPS = ("0_5", "6_11", "12_17")

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="visitors", verbose_name=_("visit")
    )
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    age_group = models.CharField(_("age group"), max_length=5, choices=AgeGroup.choices, blank=True)

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["visit", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="visitor_has_name"),
            # A child's age group says whether a minor visits (E15); others carry none.
            models.CheckConstraint(
                condition=Q(relation="child", age_group__in=["0_5", "6_11", "12_17", "adult"])
                | (~Q(relation="child") & Q(age_group="")),
                name="visitor_child_has_age_group",
            ),
        ]

    def __str__(self) -> str:
        return self.get_relation_display()

    @property
    def is_minor(self) -> bool:
        return self.relation == self.Relation.CHILD and self.age_group in self.MINOR_AGE_GROUPS
