"""What an agreement costs: pricing terms and the separate aid stream (schedules and tranches follow
with the finance issue). Money is Decimal with its currency, never a float."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from program.cells.models import Agreement
from program.core.models import TimeStampedModel


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
    per_inmate_month_fee = models.DecimalField(
        _("price per inmate-month"), null=True, blank=True, max_digits=14, decimal_places=2
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

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="aid_streams", verbose_name=_("agreement")
    )
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
