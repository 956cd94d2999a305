"""The travel-support stream: money for relatives' journeys to visit a person at the host facility.

Each programme has a budget per year (about DKK 3.5 m for Kosovo; the amount is data). A grant
pays for one visit (what it covers, an amount in DKK); a finance officer prepares it and two
different approvers, neither the preparer, approve it (four eyes, as with tranches), after which
it is paid. PostgreSQL refuses an approval by the preparer (a CHECK against a copy of the
preparer that a trigger ties to the grant) and a second approval by one person.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from program.core.models import FourEyesDecision, TimeStampedModel, staff_reference
from program.core.references import agreement_reference, version_field

# Two different approvers, neither the preparer (docs/finance.md, travel support).
GRANT_APPROVAL_LEVELS = 2


class TravelBudget(TimeStampedModel):
    """What a programme may spend on relatives' travel in one calendar year."""

    agreement = agreement_reference("travel_budgets", _("agreement"))
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="DKK")

    class Meta:
        verbose_name = _("travel-support budget")
        verbose_name_plural = _("travel-support budgets")
        ordering = ["agreement", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="travelbudget_one_a_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="travelbudget_amount_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="travelbudget_year_plausible"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="travelbudget_currency_iso"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"


class TravelGrant(TimeStampedModel):
    """Travel support for the relatives coming to one visit."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    budget = models.ForeignKey(
        TravelBudget, on_delete=models.PROTECT, related_name="grants", verbose_name=_("budget")
    )
    visit = models.ForeignKey(
        "visits.Visit",
        on_delete=models.PROTECT,
        related_name="travel_grants",
        verbose_name=_("visit"),
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="DKK")
    covers = models.CharField(
        _("what it covers"),
        max_length=300,
        help_text=_("For example: return flights Copenhagen–Pristina for two, two nights' stay."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARED
    )
    version = version_field()
    prepared_by = staff_reference(_("prepared by"))
    rejection_reason = models.TextField(_("why rejected"), blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_by = staff_reference(_("payment recorded by"), optional=True)

    class Meta:
        verbose_name = _("travel grant")
        verbose_name_plural = _("travel grants")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The budget report sums each year's grants by status.
            models.Index(fields=["budget", "status"], name="travelgrant_budget_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="travelgrant_amount_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="travelgrant_currency_iso"
            ),
            models.CheckConstraint(condition=~Q(covers=""), name="travelgrant_says_what"),
            models.CheckConstraint(
                condition=~Q(status="paid")
                | (Q(paid_on__isnull=False, paid_by__isnull=False) & ~Q(payment_reference="")),
                name="travelgrant_paid_has_payment",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="travelgrant_rejected_has_reason",
            ),
            # One live grant per visit: a rejected one may be followed by a new one.
            models.UniqueConstraint(
                fields=["visit"],
                condition=~Q(status="rejected"),
                name="travelgrant_one_per_visit",
            ),
            models.UniqueConstraint(
                fields=["payment_reference"],
                condition=~Q(payment_reference=""),
                name="travelgrant_payment_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("finance:travel-grant-detail", args=[self.pk])


class TravelGrantApproval(FourEyesDecision):
    """One approval or rejection of a travel grant."""

    grant = models.ForeignKey(
        TravelGrant, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("grant")
    )

    class Meta(FourEyesDecision.Meta):
        verbose_name = _("travel-grant approval")
        verbose_name_plural = _("travel-grant approvals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(approver=F("preparer")), name="travelgrantapproval_four_eyes"
            ),
            models.CheckConstraint(
                condition=Q(level__in=[1, 2]), name="travelgrantapproval_level_1_or_2"
            ),
            models.UniqueConstraint(
                fields=["grant", "level"],
                condition=Q(decision="approve"),
                name="travelgrantapproval_one_per_level",
            ),
            models.UniqueConstraint(
                fields=["grant", "approver"],
                condition=Q(decision="approve"),
                name="travelgrantapproval_one_level_per_person",
            ),
        ]
