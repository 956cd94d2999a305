"""Filled by its own piece of work; included from program/api_urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
