"""The Django admin for the programme's reference data: agreements, facilities, units, cells,
places and their outages. Placements (who is in which place) are people's records and are not
registered: they are read on the unit and roll pages, which log each read."""

from django.contrib import admin

from program.cells.models import (
    Agreement,
    Cell,
    Facility,
    Outage,
    Place,
    RampUpCap,
    Unit,
)


class RampUpCapInline(admin.TabularInline[RampUpCap, Agreement]):
    model = RampUpCap
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ["name", "sending_state", "host_state", "signed_on", "contracted_places"]
    inlines = [RampUpCapInline]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin[Facility]):
    list_display = ["name", "agreement", "location", "opens_on"]
    list_select_related = ["agreement"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["code", "name", "facility"]
    list_select_related = ["facility"]


class PlaceInline(admin.TabularInline[Place, Cell]):
    model = Place
    extra = 0


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin[Cell]):
    list_display = ["number", "unit", "kind", "floor_area_m2", "cpt_capacity"]
    list_filter = ["kind", "unit__facility", "medical_observation", "accessible"]
    list_select_related = ["unit"]
    readonly_fields = ["cpt_capacity"]
    inlines = [PlaceInline]


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin[Outage]):
    list_display = ["cell", "place", "reason", "period", "expected_back_on", "ended_on"]
    list_select_related = ["cell", "place__cell"]
    list_filter = ["reason"]
