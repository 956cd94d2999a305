"""Included from program/api_urls.py inside the "api" namespace: api:inmate-list, …"""

from rest_framework.routers import SimpleRouter

from program.inmates.api import views

router = SimpleRouter()
router.register("inmates", views.InmateViewSet, basename="inmate")
router.register("non-associations", views.NonAssociationViewSet, basename="non-association")
router.register("judgments", views.JudgmentViewSet, basename="judgment")
router.register("expulsion-orders", views.ExpulsionOrderViewSet, basename="expulsion-order")

urlpatterns = router.urls
