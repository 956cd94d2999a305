from rest_framework.routers import SimpleRouter

from program.inspections.api import views

router = SimpleRouter()
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("finding-actions", views.FindingActionViewSet, basename="finding-action")

urlpatterns = router.urls
