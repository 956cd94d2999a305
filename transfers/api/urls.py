"""Included inside the "api" namespace under /api/v1/: api:transfer-case-list, …"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from transfers.api import views

router = SimpleRouter()
router.register("transfer-cases", views.TransferCaseViewSet, basename="transfer-case")
router.register("transport-batches", views.TransportBatchViewSet, basename="transport-batch")

urlpatterns = [
    *router.urls,
    path("eligibility-rules/", views.EligibilityRulesView.as_view(), name="eligibility-rules"),
]
