"""Included inside the "api" namespace under /api/v1/: api:transfer-case-list, …"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from transfers.api import case_records, views

router = SimpleRouter()
router.register("transfer-cases", views.TransferCaseViewSet, basename="transfer-case")
router.register("transport-batches", views.TransportBatchViewSet, basename="transport-batch")

urlpatterns = [
    *router.urls,
    # A case's file beyond its moves (transfers/api/case_records.py).
    path(
        "transfer-cases/<int:pk>/opinions/",
        case_records.CaseOpinionsView.as_view(),
        name="transfer-case-opinions",
    ),
    path(
        "transfer-cases/<int:pk>/decisions/",
        case_records.CaseDecisionsView.as_view(),
        name="transfer-case-decisions",
    ),
    path(
        "transfer-cases/<int:pk>/notification/",
        case_records.CaseNotificationView.as_view(),
        name="transfer-case-notification",
    ),
    path(
        "transfer-cases/<int:pk>/appeal/",
        case_records.CaseAppealView.as_view(),
        name="transfer-case-appeal",
    ),
    path(
        "transfer-cases/<int:pk>/appeal-outcome/",
        case_records.CaseAppealOutcomeView.as_view(),
        name="transfer-case-appeal-outcome",
    ),
    path(
        "transfer-cases/<int:pk>/release-preparation/",
        case_records.CaseReleasePreparationView.as_view(),
        name="transfer-case-release-preparation",
    ),
    path(
        "transport-batches/<int:pk>/manifest/",
        case_records.TransportManifestView.as_view(),
        name="transport-batch-manifest",
    ),
    path("eligibility-rules/", views.EligibilityRulesView.as_view(), name="eligibility-rules"),
]
