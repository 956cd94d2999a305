"""Included inside the "api" namespace under /api/v1/: api:transfer-case-list, …"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from transfers.api import case_records, intake, moves, views

router = SimpleRouter()
router.register("transfer-cases", views.TransferCaseViewSet, basename="transfer-case")
router.register("transport-batches", views.TransportBatchViewSet, basename="transport-batch")

urlpatterns = [
    *router.urls,
    # The candidate intake (transfers/api/intake.py).
    path("candidate-intakes/", intake.CandidateIntakeView.as_view(), name="candidate-intake-list"),
    path(
        "candidate-intakes/<str:pk>/",
        intake.CandidateIntakeJobView.as_view(),
        name="candidate-intake-detail",
    ),
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
    # The moves that need input, each with its own typed endpoint (transfers/api/moves.py).
    *[
        path(
            f"transfer-cases/<int:pk>/{endpoint}/",
            view.as_view(),
            name=f"transfer-case-{endpoint}",
        )
        for endpoint, view in moves.MOVE_VIEWS.items()
    ],
    path(
        "transfer-cases/<int:pk>/review/",
        moves.CaseReviewView.as_view(),
        name="transfer-case-review",
    ),
    path(
        "transport-batches/<int:pk>/departure/",
        moves.BatchDepartureView.as_view(),
        name="transport-batch-departure",
    ),
    path(
        "transport-batches/<int:pk>/arrival/",
        moves.BatchArrivalView.as_view(),
        name="transport-batch-arrival",
    ),
    path("eligibility-rules/", views.EligibilityRulesView.as_view(), name="eligibility-rules"),
]
