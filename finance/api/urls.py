from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from finance.api import finding_links, views
from finance.travel import api as travel_api

router = SimpleRouter()
router.register("pricing-terms", views.PricingTermsViewSet, basename="pricing-terms")
router.register("aid-streams", views.AidStreamViewSet, basename="aid-stream")
router.register("tranches", views.TrancheViewSet, basename="tranche")
router.register("tranche-conditions", views.TrancheConditionViewSet, basename="tranche-condition")
# The travel-support stream (finance/travel/api.py).
router.register("travel-budgets", travel_api.TravelBudgetViewSet, basename="travel-budget")
router.register("travel-grants", travel_api.TravelGrantViewSet, basename="travel-grant")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "finance-reports/cost-per-place-day/",
        views.CostPerPlaceDayView.as_view(),
        name="cost-per-place-day",
    ),
    path(
        "tranche-conditions/finding/",
        finding_links.ConditionFindingView.as_view(),
        name="tranche-condition-finding",
    ),
    path(
        "finance-reports/travel-support/",
        travel_api.TravelSupportReportView.as_view(),
        name="travel-support-report",
    ),
    *router.urls,
]
