from django.contrib import admin
from django.http import HttpRequest

from program.cells.models import (
    Agreement,
    Cell,
    Facility,
    Outage,
    Place,
    Placement,
    RampUpCap,
    Unit,
)


class RampUpCapInline(admin.TabularInline):
    model = RampUpCap
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["name", "sending_state", "host_state", "signed_on", "contracted_places"]
    inlines = [RampUpCapInline]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement", "location", "opens_on"]
    list_select_related = ["agreement"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "facility"]
    list_select_related = ["facility"]


class PlaceInline(admin.TabularInline):
    model = Place
    extra = 0


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin):
    list_display = ["number", "unit", "kind", "floor_area_m2", "cpt_capacity"]
    list_filter = ["kind", "unit__facility", "medical_observation", "accessible"]
    list_select_related = ["unit"]
    readonly_fields = ["cpt_capacity"]
    inlines = [PlaceInline]


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    list_display = ["cell", "place", "reason", "period", "expected_back_on", "ended_on"]
    list_select_related = ["cell", "place__cell"]
    list_filter = ["reason"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Read-only: placements change only through the services, which check every rule."""

    list_display = ["inmate", "place", "kind", "period", "end_reason"]
    list_select_related = ["inmate", "place__cell"]
    list_filter = ["kind", "end_reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Placement | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Placement | None = None) -> bool:
        return False
