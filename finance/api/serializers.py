from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from finance.models import AidStream, Payment, PricingTerms, Tranche


class PricingTermsSerializer(serializers.ModelSerializer[PricingTerms]):
    class Meta:
        model = PricingTerms
        fields = [
            "id",
            "agreement",
            "pricing_model",
            "currency",
            "annual_fee",
            "per_inmate_month_fee",
            "start_fee",
            "yearly_indexation_percent",
            "rent_starts_on",
        ]
        read_only_fields = fields


class AidStreamSerializer(serializers.ModelSerializer[AidStream]):
    total_amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = AidStream
        fields = [
            "id",
            "agreement",
            "name",
            "budget_owner",
            "annual_amount",
            "currency",
            "years",
            "total_amount",
        ]
        read_only_fields = fields


# --- Tranches ---------------------------------------------------------------------------------


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    class Meta:
        model = Payment
        fields = ["paid_on", "bank_reference", "amount", "currency", "eur_dkk_rate", "amount_dkk"]
        read_only_fields = fields


class TrancheSerializer(serializers.ModelSerializer[Tranche]):
    """A tranche of the payment schedule; `period_end` is exclusive."""

    payment = PaymentSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Tranche
        fields = [
            "id",
            "agreement",
            "stream",
            "aid_stream",
            "period_start",
            "period_end",
            "due_on",
            "amount",
            "currency",
            "status",
            "version",
            "prepared_by",
            "invoice_reference",
            "invoiced_on",
            "approval_round",
            "reason",
            "decided_by",
            "decided_at",
            "payment",
        ]
        read_only_fields = fields


class _ActionInput(serializers.Serializer[dict[str, Any]]):
    """The version the client read travels in If-Match, not in the body."""


class InvoiceInput(_ActionInput):
    invoice_reference = serializers.CharField(max_length=100)
    invoiced_on = serializers.DateField()
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=gettext_lazy("Must match the tranche.")
    )


class DecisionInput(_ActionInput):
    comment = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("Required to reject."),
    )


class PayInput(_ActionInput):
    paid_on = serializers.DateField()
    bank_reference = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=gettext_lazy("Must match the tranche.")
    )
    eur_dkk_rate = serializers.DecimalField(
        max_digits=10, decimal_places=6, help_text=gettext_lazy("DKK per EUR on the day paid.")
    )


class ReasonInput(_ActionInput):
    reason = serializers.CharField(max_length=2000, allow_blank=True)


# --- Cost per occupied place-day --------------------------------------------------------------


class CostQueryInput(serializers.Serializer[dict[str, Any]]):
    """`from` and `to` are Python keywords: declared as start and end, renamed in get_fields."""

    start = serializers.DateField(
        source="start",
        required=False,
        help_text=gettext_lazy("First day; by default 1 January this year."),
    )
    end = serializers.DateField(
        source="end",
        required=False,
        help_text=gettext_lazy("Last day (included); by default 31 December this year."),
    )
    agreement = serializers.IntegerField(
        required=False, help_text=gettext_lazy("Agreement id; by default the first signed.")
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        names = {"start": "from", "end": "to"}
        return {names.get(k, k): v for k, v in super().get_fields().items()}


class CostRowSerializer(serializers.Serializer[Any]):
    period = serializers.CharField(source="label", help_text=gettext_lazy("“2026” or “2026 Q2”."))
    first_day = serializers.DateField(source="start")
    last_day = serializers.DateField()
    rent_days = serializers.IntegerField(
        help_text=gettext_lazy("Days of the period that rent is owed for.")
    )
    contracted_places = serializers.IntegerField()
    rent = serializers.DecimalField(
        source="rent_rounded",
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("Rent owed: rent tranches pro rata by day of their period."),
    )
    currency = serializers.CharField()
    occupied_place_days = serializers.IntegerField()
    contracted_place_days = serializers.IntegerField()
    empty_place_days = serializers.IntegerField(
        help_text=gettext_lazy("Paid but empty: contracted less occupied place-days.")
    )
    empty_cost = serializers.DecimalField(max_digits=16, decimal_places=2)
    cost_per_occupied_place_day = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True
    )
    cost_per_contracted_place_day = serializers.DecimalField(
        max_digits=16, decimal_places=2, allow_null=True
    )
    inmate_months = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        help_text=gettext_lazy("Occupied place-days ÷ 30.4375 (365.25 / 12)."),
    )
    per_inmate_month_fee = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True
    )
    per_inmate_month_cost = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        allow_null=True,
        help_text=gettext_lazy("The same occupancy at the per-inmate-month price."),
    )


class CostReportSerializer(serializers.Serializer[Any]):
    agreement = serializers.IntegerField(source="agreement.pk")
    first_day = serializers.DateField(source="start")
    last_day = serializers.DateField()
    years = CostRowSerializer(many=True)
    quarters = CostRowSerializer(many=True)
    total = CostRowSerializer()
