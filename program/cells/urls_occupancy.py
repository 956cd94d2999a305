"""The occupancy dashboard and the nominal roll; spliced into program/cells/urls.py."""

from django.urls import URLPattern, path

from program.cells import views_occupancy

urlpatterns: list[URLPattern] = [
    path("occupancy/", views_occupancy.occupancy_dashboard, name="occupancy"),
    path("roll.csv", views_occupancy.roll_csv, name="roll-csv"),
]
