"""The agreement, the facility it rents, and the units, cells and places that make up its capacity.

The agreement, its capacity and its ramp-up are data: one install can hold several programmes
(Denmark–Kosovo, Norway–Netherlands, Sweden–Estonia, …).
"""

from decimal import Decimal

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Cast, Floor
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel
from program.core.references import agreement_reference, inmate_reference

# CPT living-space standards (docs/domain-rules.md §4): single cell 6 m²; shared cell 4 m² a
# person with a fully partitioned sanitary annex; no occupancy below 2 m between walls or 2.5 m
# ceiling height. Floor area excludes the sanitary annex.
CPT_SINGLE_MIN_M2 = Decimal("6")
CPT_SHARED_M2_PER_PERSON = Decimal("4")
CPT_MIN_WALL_DISTANCE_M = Decimal("2")
CPT_MIN_CEILING_HEIGHT_M = Decimal("2.5")


# The agreement's own terms: what an administrator edits and what the API and the tags name.
AGREEMENT_TERMS: tuple[str, ...] = (
    "name",
    "sending_state",
    "host_state",
    "sending_authority",
    "host_authority",
    "signed_on",
    "in_force_on",
    "initial_term_years",
    "extension_years",
    "extension_type",
    "extension_confirmed",
    "contracted_places",
)


class Agreement(TimeStampedModel):
    class ExtensionType(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        OPTIONAL = "optional", _("Optional")

    name = models.CharField(_("name"), max_length=200, unique=True)
    sending_state = models.CharField(_("sending state"), max_length=2, help_text=_("ISO 3166 code"))
    host_state = models.CharField(_("host state"), max_length=2, help_text=_("ISO 3166 code"))
    sending_authority = models.CharField(_("sending authority"), max_length=200)
    host_authority = models.CharField(_("host authority"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    in_force_on = models.DateField(_("entered into force on"), null=True, blank=True)
    initial_term_years = models.PositiveSmallIntegerField(_("initial term (years)"))
    extension_years = models.PositiveSmallIntegerField(_("extension (years)"), default=0)
    extension_type = models.CharField(
        _("extension type"),
        max_length=20,
        choices=ExtensionType.choices,
        default=ExtensionType.OPTIONAL,
    )
    extension_confirmed = models.BooleanField(_("extension confirmed"), default=False)
    contracted_places = models.PositiveIntegerField(_("contracted places"))

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["signed_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contracted_places__gt=0), name="agreement_places_positive"
            ),
            models.CheckConstraint(
                condition=Q(initial_term_years__gt=0), name="agreement_term_positive"
            ),
            models.CheckConstraint(
                condition=~Q(sending_state=F("host_state")), name="agreement_two_states"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_term_years(self) -> int:
        return self.initial_term_years + self.extension_years


class RampUpCap(TimeStampedModel):
    """From this date on, at most `places` of the contracted places may be used."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="ramp_up_caps",
        verbose_name=_("agreement"),
    )
    effective_from = models.DateField(_("effective from"))
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("ramp-up cap")
        verbose_name_plural = _("ramp-up caps")
        ordering = ["agreement", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "effective_from"], name="rampupcap_one_per_date"
            ),
            models.CheckConstraint(condition=Q(places__gt=0), name="rampupcap_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.places} from {self.effective_from:%Y-%m-%d}"


class Facility(TimeStampedModel):
    agreement = agreement_reference("facilities", _("agreement"))
    name = models.CharField(_("name"), max_length=200)
    location = models.CharField(_("location"), max_length=200)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code"))
    opens_on = models.DateField(_("opens on"), null=True, blank=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="facility_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(TimeStampedModel):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="units", verbose_name=_("facility")
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["facility", "code"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="unit_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


def cpt_capacity_expression() -> Case:
    """The most people the CPT standards allow in a cell, computed by PostgreSQL.

    A shared cell holds floor(area / 4) when that is two or more and its toilet is recorded as
    fully partitioned; otherwise (not partitioned, or not yet recorded) any cell holds one person
    if it has 6 m², else nobody (rules C1–C3 in docs/cells.md).
    """
    return Case(
        When(
            Q(shortest_wall_m__lt=CPT_MIN_WALL_DISTANCE_M)
            | Q(ceiling_height_m__lt=CPT_MIN_CEILING_HEIGHT_M),
            then=Value(0),
        ),
        When(
            Q(kind="shared")
            & Q(sanitary_partitioned=True)
            & Q(floor_area_m2__gte=2 * CPT_SHARED_M2_PER_PERSON),
            then=Cast(
                Floor(F("floor_area_m2") / Value(CPT_SHARED_M2_PER_PERSON)),
                output_field=models.IntegerField(),
            ),
        ),
        When(Q(floor_area_m2__gte=CPT_SINGLE_MIN_M2), then=Value(1)),
        default=Value(0),
        output_field=models.IntegerField(),
    )


class Cell(TimeStampedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single")
        SHARED = "shared", _("Shared")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="cells", verbose_name=_("unit")
    )
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    floor_area_m2 = models.DecimalField(
        _("floor area (m², without sanitary annex)"), max_digits=5, decimal_places=2
    )
    # A fact to record, never a default: while it is not recorded (None) the stricter rule
    # applies (one person), because a generous guess would put two people in a cell the CPT
    # standards may allow only one.
    sanitary_partitioned = models.BooleanField(
        _("sanitary annex fully partitioned"),
        null=True,
        blank=True,
        help_text=_(
            "Required for a shared cell. Until it is recorded the cell counts as not "
            "partitioned, so it holds one person."
        ),
    )
    shortest_wall_m = models.DecimalField(
        _("shortest distance between walls (m)"), max_digits=4, decimal_places=2
    )
    ceiling_height_m = models.DecimalField(_("ceiling height (m)"), max_digits=4, decimal_places=2)
    medical_observation = models.BooleanField(_("medical observation"), default=False)
    accessible = models.BooleanField(_("accessible"), default=False)
    cpt_capacity = models.GeneratedField(
        expression=cpt_capacity_expression(),
        output_field=models.IntegerField(),
        db_persist=True,
        verbose_name=_("CPT capacity"),
    )

    class Meta:
        verbose_name = _("cell")
        verbose_name_plural = _("cells")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="cell_unique_number"),
            models.CheckConstraint(
                condition=Q(floor_area_m2__gt=0)
                & Q(shortest_wall_m__gt=0)
                & Q(ceiling_height_m__gt=0),
                name="cell_dimensions_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        # Forms (the admin) and the API ask for it on a shared cell; rows from before it was
        # required may still lack it, and count as not partitioned meanwhile.
        if self.kind == self.Kind.SHARED and self.sanitary_partitioned is None:
            raise ValidationError(
                {
                    "sanitary_partitioned": _(
                        "Record whether the sanitary annex of a shared cell is fully "
                        "partitioned: the CPT capacity depends on it."
                    )
                }
            )

    @property
    def sanitary_unrecorded(self) -> bool:
        return self.kind == self.Kind.SHARED and self.sanitary_partitioned is None


class Place(TimeStampedModel):
    """One bed. A cell never has more places than its CPT capacity (a trigger locks the cell row
    and counts, so two concurrent inserts cannot both squeeze in)."""

    cell = models.ForeignKey(
        Cell, on_delete=models.CASCADE, related_name="places", verbose_name=_("cell")
    )
    number = models.PositiveSmallIntegerField(_("number in cell"))

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["cell", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cell", "number"], name="place_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="place_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.cell.number}-{self.number}"


class Outage(TimeStampedModel):
    """A cell or a single place out of use for a period; its places count as unavailable, not free.

    The period is half-open [from, to); `to` is the expected return while the outage is open and
    becomes the actual return when the cell or place is brought back.
    """

    class Reason(models.TextChoices):
        REPAIR = "repair", _("Repair")
        RENOVATION = "renovation", _("Renovation")
        SECURITY = "security", _("Security")
        MEDICAL = "medical", _("Medical or hygiene")
        INSPECTION = "inspection", _("Inspection")
        OTHER = "other", _("Other")

    cell = models.ForeignKey(
        Cell,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outages",
        verbose_name=_("cell"),
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outages",
        verbose_name=_("place"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    period = DateRangeField(_("period"))
    expected_back_on = models.DateField(_("expected back on"), null=True, blank=True)
    ended_on = models.DateField(_("back in use on"), null=True, blank=True)

    class Meta:
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(cell__isnull=False) & Q(place__isnull=True))
                | (Q(cell__isnull=True) & Q(place__isnull=False)),
                name="outage_cell_xor_place",
                violation_error_message=_("An outage concerns either a cell or one place."),
            ),
            ExclusionConstraint(
                name="outage_cell_no_overlap",
                expressions=[("cell", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=Q(cell__isnull=False),
                violation_error_message=_("This cell is already out of use then."),
            ),
            ExclusionConstraint(
                name="outage_place_no_overlap",
                expressions=[("place", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=Q(place__isnull=False),
                violation_error_message=_("This place is already out of use then."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.period}"


class Placement(TimeStampedModel):
    """An inmate in a place for a half-open period [from, to), or a reservation holding the place
    for an expected arrival. Two exclusion constraints keep one inmate per place and one place
    per inmate on any day, whoever writes (docs/architecture.md, "What PostgreSQL enforces")."""

    class Kind(models.TextChoices):
        RESERVATION = "reservation", _("Reservation")
        PLACEMENT = "placement", _("Placement")

    class EndReason(models.TextChoices):
        MOVED = "moved", _("Moved to another place")
        DEPORTED = "deported", _("Deported")
        RETURNED = "returned", _("Returned to Denmark")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Reservation cancelled")

    inmate = inmate_reference("placements")
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="placements", verbose_name=_("place")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    period = DateRangeField(_("period"))
    reason = models.CharField(_("reason"), max_length=300)
    end_reason = models.CharField(
        _("end reason"), max_length=12, choices=EndReason.choices, blank=True
    )
    expected_release_on = models.DateField(_("expected release"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["-period"]
        constraints = [
            # A cancelled reservation keeps its period for the record but holds no days.
            ExclusionConstraint(
                name="placement_one_inmate_per_place",
                expressions=[("place", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=~Q(end_reason="cancelled"),
                violation_error_message=_("The place is already taken for part of that period."),
            ),
            ExclusionConstraint(
                name="placement_one_place_per_inmate",
                expressions=[("inmate", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=~Q(end_reason="cancelled"),
                violation_error_message=_(
                    "The inmate already has a place for part of that period."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period__isempty=False),
                name="placement_period_not_empty",
                violation_error_message=_("A placement must last at least one day."),
            ),
            models.CheckConstraint(
                condition=~Q(end_reason="cancelled") | Q(kind="reservation"),
                name="placement_only_reservations_cancelled",
                violation_error_message=_("Only a reservation can be cancelled."),
            ),
        ]
        indexes = [
            models.Index(fields=["place"], name="placement_place_idx"),
            models.Index(fields=["inmate"], name="placement_inmate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.inmate_id} in {self.place_id} {self.period}"
