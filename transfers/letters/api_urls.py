"""Included inside the "api" namespace under /api/v1/ (program/api_urls.py)."""

from django.urls import path

from transfers.letters import api

urlpatterns = [
    path(
        "transfer-cases/<int:pk>/letters/",
        api.CaseLettersView.as_view(),
        name="transfer-case-letters",
    ),
    path(
        "transport-batches/<int:pk>/letters/",
        api.TransportLettersView.as_view(),
        name="transport-batch-letters",
    ),
    path("letter-jobs/<int:pk>/", api.LetterJobView.as_view(), name="letter-job-detail"),
]
