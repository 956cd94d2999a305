from rest_framework import serializers

from finance.models import AidStream, PricingTerms


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
