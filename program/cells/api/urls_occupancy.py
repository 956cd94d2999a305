"""Occupancy and roll endpoints; included from program/api_urls.py inside the "api" namespace."""

from django.urls import URLPattern, path

from program.cells.api import occupancy

urlpatterns: list[URLPattern] = [
    path("occupancy/", occupancy.OccupancyView.as_view(), name="occupancy"),
    path("roll/", occupancy.RollView.as_view(), name="roll"),
]
