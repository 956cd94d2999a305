from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from finance import finding_conditions
from finance.models import AidStream, Payment, PricingTerms, Tranche, TrancheCondition
from finance.pricing_fields import PRICING_TERMS_FIELDS
from program.core.api.query import QuerySerializer


class PricingTermsSerializer(serializers.ModelSerializer[PricingTerms]):
    class Meta:
        model = PricingTerms
        fields = ["id", "agreement", *PRICING_TERMS_FIELDS]
        read_only_fields = ["id"]
        # One set of terms per agreement: the service says so, with its message.
        validators: list[object] = []


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
            "corrects",
            "period_start",
            "period_end",
            "due_on",
            "amount",
            "occupied_place_days",
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


# --- Release conditions -----------------------------------------------------------------------


class ConditionFindingActionSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    owner = serializers.CharField()
    deadline = serializers.DateField()
    status = serializers.CharField()


class ConditionFindingSerializer(serializers.Serializer[Any]):
    """The finding a condition waits for, as finance may see it: no text, no person."""

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    status = serializers.CharField()
    actions_not_done = ConditionFindingActionSerializer(source="pending", many=True)


class TrancheConditionSerializer(serializers.ModelSerializer[TrancheCondition]):
    """A release condition: met once its evidence is recorded and a second user signed it off."""

    finding = serializers.SerializerMethodField()

    has_evidence_file = serializers.SerializerMethodField()
    evidence_recorded_by = serializers.IntegerField(
        source="met_by_id", read_only=True, allow_null=True
    )
    is_met = serializers.BooleanField(read_only=True)

    class Meta:
        model = TrancheCondition
        fields = [
            "id",
            "tranche",
            "kind",
            "description",
            "added_by",
            "evidence_reference",
            "has_evidence_file",
            "evidence_at",
            "evidence_recorded_by",
            "signed_off_by",
            "met_at",
            "is_met",
            "note",
            "finding",
        ]
        read_only_fields = fields

    def get_has_evidence_file(self, condition: TrancheCondition) -> bool:
        return bool(condition.evidence)

    @extend_schema_field(ConditionFindingSerializer(allow_null=True))
    def get_finding(self, condition: TrancheCondition) -> dict[str, Any] | None:
        found = finding_conditions.summary(condition)
        return None if found is None else dict(ConditionFindingSerializer(found).data)


class ConditionFindingInput(serializers.Serializer[dict[str, Any]]):
    tranche = serializers.IntegerField(min_value=1)
    finding = serializers.IntegerField(min_value=1)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ConditionAddInput(serializers.Serializer[dict[str, Any]]):
    tranche = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TrancheCondition.Kind.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ConditionEditInput(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=TrancheCondition.Kind.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ConditionEvidenceInput(serializers.Serializer[dict[str, Any]]):
    evidence = serializers.FileField(
        required=False, help_text=gettext_lazy("PDF, PNG or JPEG, at most 10 MB.")
    )
    reference = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The reference of a document kept elsewhere; or send a file."),
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


# --- Cost per occupied place-day --------------------------------------------------------------


class CostQueryInput(QuerySerializer):
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
        help_text=gettext_lazy(
            "Rent owed: rent tranches pro rata by day of their period; per inmate-month, "
            "each month's occupied place-days × fee ÷ days in that month."
        ),
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
        help_text=gettext_lazy(
            "Per calendar month: occupied place-days ÷ days in that month, summed."
        ),
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
