"""What an agreement costs and what is paid: pricing terms, the separate aid stream, the payment
schedule's tranches with their release conditions, approvals, payments and timeline.

Money is Decimal with its currency, never a float. The invariants that matter (amounts positive, the
approver never the preparer, one payment per tranche, bank references unique) are PostgreSQL
constraints; the services turn their refusals into messages.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from program.cells.models import Agreement
from program.core.models import FourEyesDecision, TimeStampedModel, staff_reference
from program.core.references import agreement_reference, optional_link, version_field


class PricingTerms(TimeStampedModel):
    class Model(models.TextChoices):
        FIXED_ANNUAL = "fixed_annual", _("Fixed annual fee for the contracted places")
        PER_INMATE_MONTH = "per_inmate_month", _("Price per inmate-month")

    agreement = models.OneToOneField(
        Agreement,
        on_delete=models.PROTECT,
        related_name="pricing_terms",
        verbose_name=_("agreement"),
    )
    pricing_model = models.CharField(_("pricing model"), max_length=20, choices=Model.choices)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    annual_fee = models.DecimalField(
        _("annual fee"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    # With the fixed-annual model this is the comparison price the cost report uses (the
    # Sweden–Tartu EUR 8,500 per inmate-month), not a price that is charged.
    per_inmate_month_fee = models.DecimalField(
        _("price per inmate-month"),
        null=True,
        blank=True,
        max_digits=14,
        decimal_places=2,
        help_text=_(
            "With a fixed annual fee: the comparison price per inmate-month for the cost report."
        ),
    )
    start_fee = models.DecimalField(
        _("one-off start fee"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    yearly_indexation_percent = models.DecimalField(
        _("yearly indexation (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rent_starts_on = models.DateField(
        _("rent starts on"),
        null=True,
        blank=True,
        help_text=_("A milestone of its own: rent may start later than the signature."),
    )

    class Meta:
        verbose_name = _("pricing terms")
        verbose_name_plural = _("pricing terms")
        constraints = [
            models.CheckConstraint(
                # isnull=False: NULL > 0 is NULL, which a CHECK constraint lets through.
                condition=(
                    Q(pricing_model="fixed_annual", annual_fee__isnull=False, annual_fee__gt=0)
                )
                | Q(
                    pricing_model="per_inmate_month",
                    per_inmate_month_fee__isnull=False,
                    per_inmate_month_fee__gt=0,
                ),
                name="pricingterms_model_has_its_price",
            ),
            models.CheckConstraint(
                condition=(Q(annual_fee__isnull=True) | Q(annual_fee__gt=0))
                & (Q(per_inmate_month_fee__isnull=True) | Q(per_inmate_month_fee__gt=0))
                & (Q(start_fee__isnull=True) | Q(start_fee__gt=0)),
                name="pricingterms_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="pricingterms_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.get_pricing_model_display()}"


class AidStream(TimeStampedModel):
    """Money that travels with the agreement but is not rent (for Kosovo: green-energy aid),
    kept apart so reports can show rent alone or everything together."""

    agreement = agreement_reference("aid_streams", _("agreement"))
    name = models.CharField(_("name"), max_length=200)
    budget_owner = models.CharField(_("budget owner"), max_length=200)
    annual_amount = models.DecimalField(_("annual amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    years = models.PositiveSmallIntegerField(_("years"))

    class Meta:
        verbose_name = _("aid stream")
        verbose_name_plural = _("aid streams")
        ordering = ["agreement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="aidstream_unique_name"),
            models.CheckConstraint(
                condition=Q(annual_amount__gt=0), name="aidstream_amount_positive"
            ),
            models.CheckConstraint(condition=Q(years__gt=0), name="aidstream_years_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="aidstream_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_amount(self) -> Decimal:
        return self.annual_amount * self.years


class Tranche(TimeStampedModel):
    """One instalment of the payment schedule: rent for a period, the start fee, or aid."""

    class Stream(models.TextChoices):
        RENT = "rent", _("Rent")
        # The difference a late-recorded admission or release makes to a per-inmate-month
        # period already past planned: a tranche of its own, never an edit of the one invoiced.
        CORRECTION = "correction", _("Rent correction")
        START_FEE = "start_fee", _("Start fee")
        AID = "aid", _("Aid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DUE = "due", _("Due")
        INVOICED = "invoiced", _("Invoiced")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        OVERDUE = "overdue", _("Overdue")
        DISPUTED = "disputed", _("Disputed")
        WITHHELD = "withheld", _("Withheld")

    agreement = agreement_reference("tranches", _("agreement"))
    stream = models.CharField(_("stream"), max_length=12, choices=Stream.choices)
    aid_stream = optional_link(AidStream, "tranches", _("aid stream"))
    # The rent tranche a correction adjusts (only on corrections).
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    # Per-inmate-month rent: the occupied place-days the amount was computed from.
    occupied_place_days = models.PositiveIntegerField(
        _("occupied place-days"), null=True, blank=True
    )
    # The half-open period [period_start, period_end) the tranche pays for; none for the start fee.
    period_start = models.DateField(_("period starts"), null=True, blank=True)
    period_end = models.DateField(_("period ends (exclusive)"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # Bumped on every status move; the compare-and-set of the services checks it.
    version = version_field()
    prepared_by = staff_reference(_("prepared by"), optional=True)
    invoice_reference = models.CharField(_("invoice reference"), max_length=100, blank=True)
    invoiced_on = models.DateField(_("invoiced on"), null=True, blank=True)
    # Each invoice opens a new approval round; a rejection sends the tranche back for another.
    approval_round = models.PositiveSmallIntegerField(_("approval round"), default=0)
    # Why a tranche is disputed or withheld, and who decided it.
    reason = models.TextField(_("reason"), blank=True)
    decided_by = staff_reference(_("decided by"), optional=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["due_on", "stream", "id"]
        indexes = [
            # The daily job and the schedule page select by status and due date.
            models.Index(fields=["status", "due_on"], name="tranche_status_due"),
        ]
        constraints = [
            # A correction may be a credit (a late-recorded release lowers the month's rent).
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(stream="correction", amount__lt=0),
                name="tranche_amount_positive",
            ),
            models.CheckConstraint(
                condition=Q(stream="correction", corrects__isnull=False)
                | (~Q(stream="correction") & Q(corrects__isnull=True)),
                name="tranche_correction_has_its_tranche",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="tranche_currency_iso"
            ),
            models.CheckConstraint(
                condition=Q(stream="aid", aid_stream__isnull=False)
                | (~Q(stream="aid") & Q(aid_stream__isnull=True)),
                name="tranche_aid_has_its_stream",
            ),
            models.CheckConstraint(
                condition=Q(stream="start_fee", period_start__isnull=True, period_end__isnull=True)
                | Q(
                    ~Q(stream="start_fee"),
                    period_start__isnull=False,
                    period_end__gt=F("period_start"),
                ),
                name="tranche_period_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["disputed", "withheld"])
                | (~Q(reason="") & Q(decided_by__isnull=False)),
                name="tranche_side_states_have_reason",
            ),
            # One tranche per stream and period, so regenerating can find what it made before;
            # a period may collect several corrections.
            models.UniqueConstraint(
                fields=["agreement", "stream", "aid_stream", "period_start"],
                nulls_distinct=False,
                condition=~Q(stream="correction"),
                name="tranche_unique_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stream_display()} {self.due_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("finance:tranche-detail", args=[self.pk])


class TrancheCondition(TimeStampedModel):
    """A release condition: the tranche cannot fall due, nor be approved, until each is met.

    Met means two people: a finance officer records the evidence (a file, or the reference of a
    document kept elsewhere), and a second user of the system, neither that officer nor the one
    who added the condition, signs it off in their own session.
    """

    class Kind(models.TextChoices):
        FACILITY_READY = "facility_ready", _("Facility ready")
        INSPECTION_CLOSED = "inspection_closed", _("Inspection findings closed")
        OCCUPANCY_MATCHED = "occupancy_matched", _("Occupancy statement matched")

    tranche = models.ForeignKey(
        Tranche, on_delete=models.CASCADE, related_name="conditions", verbose_name=_("tranche")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(
        _("what must be shown"),
        blank=True,
        help_text=_("What the evidence must show, e.g. which inspection report must be closed."),
    )
    added_by = staff_reference(_("added by"), optional=True)
    evidence = models.FileField(_("evidence"), upload_to="finance/evidence/%Y/%m/", blank=True)
    evidence_reference = models.CharField(
        _("evidence reference"),
        max_length=200,
        blank=True,
        help_text=_("The journal or document number of evidence kept elsewhere."),
    )
    evidence_at = models.DateTimeField(_("evidence recorded at"), null=True, blank=True)
    met_by = staff_reference(_("evidence recorded by"), optional=True)
    # The sign-off: by a second user, who did it in their own session.
    signed_off_by = staff_reference(_("signed off by"), optional=True)
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    # Conditions met before sign-off was a user's own action carry the name that was typed then;
    # nothing writes it any more.
    signed_off_by_legacy = models.CharField(
        _("signed off by (recorded as text)"), max_length=200, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # The inspection finding this condition waits for (kind "inspection findings closed"): it
    # can be signed off only once every action promised on the finding is done
    # (finance/finding_conditions.py, docs/inspections.md).
    finding = models.ForeignKey(
        "inspections.Finding",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tranche_conditions",
        verbose_name=_("inspection finding"),
    )

    class Meta:
        verbose_name = _("release condition")
        verbose_name_plural = _("release conditions")
        ordering = ["tranche", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["tranche", "kind"], name="condition_unique_kind"),
            models.CheckConstraint(
                condition=Q(evidence_at__isnull=True, met_by__isnull=True)
                & Q(evidence="", evidence_reference="")
                | (
                    Q(evidence_at__isnull=False, met_by__isnull=False)
                    & (~Q(evidence="") | ~Q(evidence_reference=""))
                ),
                name="condition_evidence_recorded",
            ),
            models.CheckConstraint(
                condition=Q(met_at__isnull=True, signed_off_by__isnull=True)
                | Q(
                    met_at__isnull=False,
                    evidence_at__isnull=False,
                    signed_off_by__isnull=True,
                    signed_off_by_legacy__gt="",
                )
                | (
                    Q(met_at__isnull=False, evidence_at__isnull=False, signed_off_by__isnull=False)
                    & ~Q(signed_off_by=F("met_by"))
                    & (Q(added_by__isnull=True) | ~Q(signed_off_by=F("added_by")))
                ),
                name="condition_met_with_second_signature",
            ),
            models.CheckConstraint(
                condition=Q(finding__isnull=True) | Q(kind="inspection_closed"),
                name="condition_finding_is_inspection",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_met(self) -> bool:
        return self.met_at is not None

    @property
    def has_evidence(self) -> bool:
        return self.evidence_at is not None

    @property
    def signer_name(self) -> str:
        if self.signed_off_by is not None:
            return self.signed_off_by.get_full_name() or self.signed_off_by.get_username()
        return self.signed_off_by_legacy


class TrancheApproval(FourEyesDecision):
    """One approval or rejection of a tranche, in its approval round."""

    tranche = models.ForeignKey(
        Tranche, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("tranche")
    )
    round = models.PositiveSmallIntegerField(_("approval round"))

    class Meta(FourEyesDecision.Meta):
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.CheckConstraint(condition=~Q(approver=F("preparer")), name="approval_four_eyes"),
            models.CheckConstraint(condition=Q(level__in=[1, 2]), name="approval_level_1_or_2"),
            # A level is approved once per round, and one person approves at one level only.
            models.UniqueConstraint(
                fields=["tranche", "round", "level"],
                condition=Q(decision="approve"),
                name="approval_one_per_level",
            ),
            models.UniqueConstraint(
                fields=["tranche", "round", "approver"],
                condition=Q(decision="approve"),
                name="approval_one_level_per_person",
            ),
        ]


class Payment(TimeStampedModel):
    """The money leaving Denmark for one tranche, in EUR and in DKK at the day's rate."""

    tranche = models.OneToOneField(
        Tranche, on_delete=models.PROTECT, related_name="payment", verbose_name=_("tranche")
    )
    paid_on = models.DateField(_("paid on"))
    bank_reference = models.CharField(_("bank reference"), max_length=100, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    eur_dkk_rate = models.DecimalField(_("EUR/DKK rate"), max_digits=10, decimal_places=6)
    amount_dkk = models.DecimalField(_("amount (DKK)"), max_digits=16, decimal_places=2)
    recorded_by = staff_reference(_("recorded by"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [
            # A credit correction is settled by a negative payment (deducted or refunded).
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount_dkk__gt=0) | Q(amount__lt=0, amount_dkk__lt=0),
                name="payment_amount_not_zero",
            ),
            models.CheckConstraint(condition=Q(eur_dkk_rate__gt=0), name="payment_rate_positive"),
            models.CheckConstraint(
                condition=~Q(bank_reference=""), name="payment_bank_reference_given"
            ),
        ]

    def __str__(self) -> str:
        return self.bank_reference


class TrancheEvent(models.Model):
    """The tranche's timeline: every status move and decision, who made it and when."""

    tranche = models.ForeignKey(
        Tranche, on_delete=models.CASCADE, related_name="events", verbose_name=_("tranche")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = staff_reference(_("by"), optional=True)
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, blank=True)
    text = models.CharField(_("what happened"), max_length=300)

    class Meta:
        verbose_name = _("tranche event")
        verbose_name_plural = _("tranche events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def summary(self) -> str:
        """What happened, in the reader's language (see finance/timeline.py)."""
        from finance.timeline import event_text

        return event_text(self)


# The travel-support stream lives in its own module (finance/travel/); importing it here makes
# its models part of the finance app.
from finance.travel.models import (  # noqa: E402, F401
    TravelBudget,
    TravelGrant,
    TravelGrantApproval,
)
