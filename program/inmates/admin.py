"""The Django admin for the inmates app's reference data: countries and offence groups.

People's records (inmates, judgments, expulsion orders, non-associations) are not registered:
the system administrator manages users, roles, reference data and settings, and has no purpose
to read a person's file. Caseworkers use the inmate pages, which ask the purpose, log the read,
and write through the services."""

from django.contrib import admin

from program.inmates.models import Country, OffenceCategory


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin[Country]):
    """Countries are reference data, kept where the rest is; every change is in the history
    (the trigger on the table records it, whoever writes). Readmission is the answer rule E16
    reads for every national of the country; a person's own answer overrides it on their
    record, with the reason (docs/readmission.md)."""

    list_display = ["code", "name", "eu_eea", "readmission", "readmission_as_of"]
    list_filter = ["eu_eea", "readmission"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "eu_eea", "readmission", "readmission_as_of", "readmission_source"]


@admin.register(OffenceCategory)
class OffenceCategoryAdmin(admin.ModelAdmin[OffenceCategory]):
    list_display = ["code", "name", "is_terrorism", "is_war_crimes"]
    search_fields = ["code", "name"]
