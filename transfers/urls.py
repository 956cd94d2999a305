"""Transfer case pages (filled by the transfers work)."""

from django.urls import URLPattern

app_name = "transfers"

urlpatterns: list[URLPattern] = []
