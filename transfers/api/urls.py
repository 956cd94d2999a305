"""Transfer case API (filled by the transfers work); included inside the "api" namespace."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
