from rest_framework.routers import SimpleRouter

from program.cells.api import views

router = SimpleRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("ramp-up-caps", views.RampUpCapViewSet, basename="ramp-up-cap")
router.register("facilities", views.FacilityViewSet, basename="facility")
router.register("cells", views.CellViewSet, basename="cell")

urlpatterns = router.urls
