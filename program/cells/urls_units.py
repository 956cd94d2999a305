"""Filled by its own piece of work; included from program/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
