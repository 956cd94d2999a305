from django.contrib import admin

from program.inspections.models import InspectionBody


@admin.register(InspectionBody)
class InspectionBodyAdmin(admin.ModelAdmin[InspectionBody]):
    """The bodies that inspect are data: the system administrator adds one when it first visits."""

    list_display = ["short_name", "name"]
    search_fields = ["short_name", "name"]
