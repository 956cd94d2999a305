"""Included inside the "api" namespace under /api/v1/ (program/api_urls.py)."""

from django.urls import path

from transfers.report import api

urlpatterns = [
    path("programme-report/", api.ProgrammeReportView.as_view(), name="programme-report"),
    path(
        "programme-report/cases/",
        api.ProgrammeReportCasesView.as_view(),
        name="programme-report-cases",
    ),
]
