from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from finance.api import views

router = SimpleRouter()
router.register("pricing-terms", views.PricingTermsViewSet, basename="pricing-terms")
router.register("aid-streams", views.AidStreamViewSet, basename="aid-stream")
router.register("tranches", views.TrancheViewSet, basename="tranche")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "finance-reports/cost-per-place-day/",
        views.CostPerPlaceDayView.as_view(),
        name="cost-per-place-day",
    ),
    *router.urls,
]
