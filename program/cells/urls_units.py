"""The unit page and the occupancy actions done on it; spliced into program/cells/urls.py."""

from django.urls import URLPattern, path

from program.cells import views_units

urlpatterns: list[URLPattern] = [
    path("units/<int:pk>/", views_units.unit_detail, name="unit-detail"),
    path("places/<int:pk>/admit/", views_units.place_admit, name="place-admit"),
    path("places/<int:pk>/reserve/", views_units.place_reserve, name="place-reserve"),
    path("placements/<int:pk>/move/", views_units.placement_move, name="placement-move"),
    path("placements/<int:pk>/release/", views_units.placement_release, name="placement-release"),
    path("placements/<int:pk>/cancel/", views_units.reservation_cancel, name="reservation-cancel"),
    path("cells/<int:pk>/out-of-use/", views_units.outage_start, name="outage-start"),
    path("outages/<int:pk>/end/", views_units.outage_end, name="outage-end"),
]
