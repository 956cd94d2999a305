"""The Django admin for reference data and for repairs by a system administrator. Caseworkers
use the inmate pages, which go through the services and report rule breaches per field."""

from django.contrib import admin

from program.inmates.models import (
    Country,
    ExpulsionOrder,
    Inmate,
    Judgment,
    NonAssociation,
    OffenceCategory,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "eu_eea"]
    list_filter = ["eu_eea"]
    search_fields = ["code", "name"]


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_terrorism", "is_war_crimes"]
    search_fields = ["code", "name"]


class JudgmentInline(admin.StackedInline):
    model = Judgment
    extra = 0
    readonly_fields = ["full_term_date", "two_thirds_date", "created_at", "updated_at"]
    filter_horizontal = ["offence_categories"]


class ExpulsionOrderInline(admin.TabularInline):
    model = ExpulsionOrder
    extra = 0
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Inmate)
class InmateAdmin(admin.ModelAdmin):
    list_display = ["case_number", "name", "security_level", "home_institution"]
    list_filter = ["security_level", "interpreter_needed"]
    search_fields = ["case_number", "name"]
    filter_horizontal = ["nationalities"]
    autocomplete_fields = ["country_of_return"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [JudgmentInline, ExpulsionOrderInline]


@admin.register(NonAssociation)
class NonAssociationAdmin(admin.ModelAdmin):
    list_display = ["inmate_a", "inmate_b", "scope", "active"]
    list_filter = ["scope"]
    list_select_related = ["inmate_a", "inmate_b"]
    raw_id_fields = ["inmate_a", "inmate_b"]
    search_fields = ["inmate_a__case_number", "inmate_b__case_number"]
    readonly_fields = ["created_at", "updated_at"]
