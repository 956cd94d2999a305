"""Inmates, their judgments and expulsion orders, and who must be kept apart.

Dates derived from a judgment (two-thirds date, full-term date) are computed by PostgreSQL as
generated columns: one place, the same answer for pages, filters, exports and the API.
"""

from datetime import date

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import DateField, ExpressionWrapper, F, Q, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from program.core.models import TimeStampedModel
from program.core.references import optional_link, version_field


class Readmission(models.TextChoices):
    """Whether a country takes its nationals back when they are deported (rule E16)."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


class Country(models.Model):
    """ISO 3166 reference data, with EU/EEA membership (rule E2) and readmission of its own
    nationals (rule E16) kept as data, each readmission answer with the date and source it
    rests on."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    eu_eea = models.BooleanField(_("EU/EEA member"), default=False)
    readmission = models.CharField(
        _("readmits its nationals"),
        max_length=10,
        choices=Readmission.choices,
        default=Readmission.UNKNOWN,
    )
    readmission_as_of = models.DateField(_("readmission known as of"), null=True, blank=True)
    readmission_source = models.CharField(
        _("readmission source"),
        max_length=300,
        blank=True,
        help_text=_("Where the answer comes from: an agreement, a ministry letter, a practice."),
    )

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso"),
            # A yes or a no is a finding; it must say when and from where, or it is not one.
            models.CheckConstraint(
                condition=Q(readmission="unknown")
                | (Q(readmission_as_of__isnull=False) & ~Q(readmission_source="")),
                name="country_readmission_dated_and_sourced",
                violation_error_message=_(
                    "Give the date and the source of a yes or a no on readmission."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OffenceCategory(models.Model):
    """Offence groups as reference data; terrorism and war crimes are flagged (rules E6, E7)."""

    code = models.CharField(_("code"), max_length=30, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    is_terrorism = models.BooleanField(_("terrorism group"), default=False)
    is_war_crimes = models.BooleanField(_("war-crimes group"), default=False)

    class Meta:
        verbose_name = _("offence category")
        verbose_name_plural = _("offence categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Inmate(TimeStampedModel):
    class Sex(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")
        OTHER = "X", _("Other")

    Readmission = Readmission

    class SecurityLevel(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    case_number = models.CharField(
        _("case number"),
        max_length=30,
        unique=True,
        help_text=_("The Danish Prison and Probation Service's case number."),
    )
    name = models.CharField(_("name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    nationalities = models.ManyToManyField(
        Country, related_name="nationals", verbose_name=_("nationalities")
    )
    languages = ArrayField(
        models.CharField(max_length=50), default=list, blank=True, verbose_name=_("languages")
    )
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    country_of_return = optional_link(Country, "returnees", _("country of return"))
    # Empty: the country's own answer applies. A value overrides it for this person only
    # (a personal travel document, a refusal in this person's case), with the reason why.
    return_readmits = models.CharField(
        _("readmission for this person"),
        max_length=10,
        choices=Readmission.choices,
        blank=True,
        default="",
        help_text=_("Leave empty to follow the country's answer; set only to override it."),
    )
    # db_default too: rows written by SQL (the benchmark's seeding) get the same empty value.
    return_readmits_reason = models.TextField(
        _("reason for the readmission override"), blank=True, default="", db_default=""
    )
    security_level = models.CharField(
        _("security level"), max_length=10, choices=SecurityLevel.choices
    )
    serious_mental_disorder = models.BooleanField(
        _("serious mental disorder needing treatment outside prison"), default=False
    )
    specialist_treatment = models.BooleanField(_("ongoing specialist treatment"), default=False)
    minor_children_visiting = models.BooleanField(
        _("minor children in Denmark who visit"), default=False
    )
    home_institution = models.CharField(_("home Danish institution"), max_length=200)
    # The sentence as it runs: all fixed-term judgments combined (docs/sentences.md). Kept by a
    # PostgreSQL trigger on every judgment write, whatever its route, so rules, lists, exports and
    # the occupancy forecast read one answer. Empty with no fixed-term judgment, or when an
    # indefinite one (forvaring, life) is among them.
    sentence_days = models.PositiveIntegerField(
        _("combined sentence (days)"), null=True, blank=True, editable=False
    )
    release_on = models.DateField(
        _("combined full-term date"), null=True, blank=True, editable=False
    )
    two_thirds_on = models.DateField(
        _("combined two-thirds date"), null=True, blank=True, editable=False
    )

    # Moves on with every change (services): the edit form's hidden field and the API's ETag,
    # so a write based on an older read is refused instead of overwriting (program/core/versioning).
    version = version_field(editable=False)

    class Meta:
        verbose_name = _("inmate")
        verbose_name_plural = _("inmates")
        ordering = ["name", "case_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_readmits="") | ~Q(return_readmits_reason=""),
                name="inmate_readmission_override_reasoned",
                violation_error_message=_(
                    "Give the reason when readmission for this person differs from the country's."
                ),
            ),
        ]
        indexes = [
            models.Index(models.functions.Upper("name"), name="inmate_name_upper"),
            # The search (icontains is UPPER(col) LIKE '%term%'): a B-tree cannot serve a leading
            # wildcard, trigrams can (100,000 inmates: 320 ms scan → 26 ms, make bench).
            GinIndex(
                OpClass(models.functions.Upper("name"), name="gin_trgm_ops"),
                name="inmate_name_trgm",
            ),
            GinIndex(
                OpClass(models.functions.Upper("case_number"), name="gin_trgm_ops"),
                name="inmate_case_number_trgm",
            ),
            # The institution filter's choices, read by skipping through this index.
            models.Index(fields=["home_institution"], name="inmate_home_institution"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.case_number})"

    @property
    def initials(self) -> str:
        return "".join(part[0].upper() for part in self.name.split() if part)[:4]

    @property
    def readmission_effective(self) -> str:
        """The person's override when set, else the country of return's answer."""
        if self.return_readmits:
            return self.return_readmits
        if self.country_of_return is None:
            return Readmission.UNKNOWN
        return self.country_of_return.readmission

    @property
    def needs_medical_observation(self) -> bool:
        """Whether only a medical-observation cell (or one beside it) suits this person: the
        alert placing them needs, without the diagnosis behind it."""
        return self.serious_mental_disorder or self.specialist_treatment


# What a person may set on an inmate's record, in the order forms, the API and the CSV import
# use (the CSV file's columns are exactly these).
INMATE_EDITABLE_FIELDS: tuple[str, ...] = (
    "case_number",
    "name",
    "date_of_birth",
    "sex",
    "nationalities",
    "languages",
    "interpreter_needed",
    "country_of_return",
    "return_readmits",
    "return_readmits_reason",
    "security_level",
    "serious_mental_disorder",
    "specialist_treatment",
    "minor_children_visiting",
    "home_institution",
)


# What a caseworker records of a judgment (the page and the API take the same).
JUDGMENT_INPUTS: tuple[str, ...] = (
    "court",
    "judgment_date",
    "final_on",
    "sentence_type",
    "length_days",
    "remand_days",
    "sentence_start",
    "runs",
    "offence_categories",
)


class Judgment(TimeStampedModel):
    class SentenceType(models.TextChoices):
        FIXED_TERM = "fixed_term", _("Fixed-term prison")
        FORVARING = "forvaring", _("Forvaring (indefinite preventive detention)")
        LIFE = "life", _("Life")

    class Runs(models.TextChoices):
        # How this sentence is served beside the person's others (docs/sentences.md).
        CONSECUTIVE = "consecutive", _("After the other sentences (joint serving)")
        CONCURRENT = "concurrent", _("Alongside, from its own start")

    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="judgments", verbose_name=_("inmate")
    )
    court = models.CharField(_("court"), max_length=200)
    judgment_date = models.DateField(_("judgment date"))
    final_on = models.DateField(_("final on"), null=True, blank=True)
    sentence_type = models.CharField(_("sentence type"), max_length=20, choices=SentenceType)
    length_days = models.PositiveIntegerField(
        _("length (days)"),
        null=True,
        blank=True,
        help_text=_("For fixed-term sentences; empty for forvaring and life."),
    )
    remand_days = models.PositiveIntegerField(_("remand days credited"), default=0)
    sentence_start = models.DateField(_("sentence start"))
    runs = models.CharField(
        _("served"),
        max_length=12,
        choices=Runs.choices,
        default=Runs.CONSECUTIVE,
        db_default=Runs.CONSECUTIVE,
        help_text=_(
            "Sentences are served one after the other and counted together unless the "
            "judgment says it runs alongside."
        ),
    )
    offence_categories = models.ManyToManyField(
        OffenceCategory, related_name="judgments", blank=True, verbose_name=_("offences")
    )
    # The release dates, computed by PostgreSQL (date + integer is a date). Two-thirds is rounded
    # up to a whole day: (2 × length + 2) div 3 = ceil(2 × length / 3) in integer arithmetic.
    full_term_date = models.GeneratedField(
        expression=ExpressionWrapper(
            F("sentence_start") + F("length_days") - F("remand_days"), output_field=DateField()
        ),
        output_field=DateField(),
        db_persist=True,
        verbose_name=_("full-term date"),
    )
    two_thirds_date = models.GeneratedField(
        expression=ExpressionWrapper(
            F("sentence_start")
            + (F("length_days") * Value(2) + Value(2)) / Value(3)
            - F("remand_days"),
            output_field=DateField(),
        ),
        output_field=DateField(),
        db_persist=True,
        verbose_name=_("two-thirds date"),
    )

    # Moves on with every change (services): the edit form's hidden field and the API's ETag,
    # so a write based on an older read is refused instead of overwriting (program/core/versioning).
    version = version_field(editable=False)

    class Meta:
        verbose_name = _("judgment")
        verbose_name_plural = _("judgments")
        ordering = ["inmate", "-judgment_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sentence_type="fixed_term") & Q(length_days__isnull=False))
                | (~Q(sentence_type="fixed_term") & Q(length_days__isnull=True)),
                name="judgment_length_iff_fixed_term",
                violation_error_message=_(
                    "A fixed-term sentence needs its length in days; forvaring and life have none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(length_days__isnull=True) | Q(length_days__gt=F("remand_days")),
                name="judgment_remand_below_length",
                violation_error_message=_("Remand days credited must be less than the sentence."),
            ),
            models.CheckConstraint(
                condition=Q(final_on__isnull=True) | Q(final_on__gte=F("judgment_date")),
                name="judgment_final_after_judgment",
                violation_error_message=_("A judgment cannot become final before it is given."),
            ),
        ]
        indexes = [models.Index(fields=["full_term_date"], name="judgment_full_term_idx")]

    def __str__(self) -> str:
        return f"{self.court}, {self.judgment_date:%Y-%m-%d}"


class ExpulsionOrder(TimeStampedModel):
    inmate = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="expulsion_orders", verbose_name=_("inmate")
    )
    ordered_on = models.DateField(_("ordered on"))
    final = models.BooleanField(_("final"), default=False)
    entry_ban_years = models.PositiveSmallIntegerField(
        _("entry ban (years)"), null=True, blank=True
    )
    entry_ban_permanent = models.BooleanField(_("permanent entry ban"), default=False)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)

    # Moves on with every change (services): the edit form's hidden field and the API's ETag,
    # so a write based on an older read is refused instead of overwriting (program/core/versioning).
    version = version_field(editable=False)

    class Meta:
        verbose_name = _("expulsion order")
        verbose_name_plural = _("expulsion orders")
        ordering = ["inmate", "-ordered_on"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(entry_ban_permanent=True) & Q(entry_ban_years__isnull=False)),
                name="expulsion_ban_years_or_permanent",
                violation_error_message=_("An entry ban is either for some years or permanent."),
            ),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F("ordered_on")),
                name="expulsion_revoked_after_order",
                violation_error_message=_("An order cannot be revoked before it was made."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordered_on:%Y-%m-%d}"

    def in_force_on(self, on: date) -> bool:
        """A revocation counts from its effective date: one dated later does not count yet."""
        return self.revoked_on is None or self.revoked_on > on

    @property
    def in_force(self) -> bool:
        return self.in_force_on(timezone.localdate())


class NonAssociation(TimeStampedModel):
    """Two inmates who must not share a cell, a unit or the whole facility, for a period."""

    class Scope(models.TextChoices):
        CELL = "cell", _("Cell")
        UNIT = "unit", _("Unit")
        FACILITY = "facility", _("Facility")

    inmate_a = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="+", verbose_name=_("inmate")
    )
    inmate_b = models.ForeignKey(
        Inmate, on_delete=models.CASCADE, related_name="+", verbose_name=_("kept apart from")
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    reason = models.TextField(_("reason"))
    active = DateRangeField(_("active period"), help_text=_("Half-open: [from, to)."))

    class Meta:
        verbose_name = _("non-association")
        verbose_name_plural = _("non-associations")
        ordering = ["-created_at"]
        constraints = [
            # One canonical order per pair, so (A, B) and (B, A) cannot both exist.
            models.CheckConstraint(
                condition=Q(inmate_a__lt=F("inmate_b")),
                name="nonassociation_ordered_pair",
                violation_error_message=_("An inmate cannot be kept apart from themselves."),
            ),
            ExclusionConstraint(
                name="nonassociation_no_overlap",
                expressions=[
                    ("inmate_a", RangeOperators.EQUAL),
                    ("inmate_b", RangeOperators.EQUAL),
                    ("active", RangeOperators.OVERLAPS),
                ],
                violation_error_message=_(
                    "These two inmates are already kept apart for part of this period."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inmate_a_id} / {self.inmate_b_id} ({self.scope})"


# Registered with the app from its own module (see there why).
from program.inmates.models_import import ImportJob  # noqa: E402, F401
