"""Inmate pages (filled by the inmates work)."""

from django.urls import URLPattern

app_name = "inmates"

urlpatterns: list[URLPattern] = []
