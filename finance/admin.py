from django.contrib import admin

from finance.models import AidStream, PricingTerms


@admin.register(PricingTerms)
class PricingTermsAdmin(admin.ModelAdmin[PricingTerms]):
    list_display = ["agreement", "pricing_model", "currency", "annual_fee", "start_fee"]
    list_select_related = ["agreement"]


@admin.register(AidStream)
class AidStreamAdmin(admin.ModelAdmin[AidStream]):
    list_display = ["name", "agreement", "annual_amount", "currency", "years", "budget_owner"]
    list_select_related = ["agreement"]
