from rest_framework.routers import SimpleRouter

from finance.api import views

router = SimpleRouter()
router.register("pricing-terms", views.PricingTermsViewSet, basename="pricing-terms")
router.register("aid-streams", views.AidStreamViewSet, basename="aid-stream")

urlpatterns = router.urls
