"""Included inside the "api" namespace under /api/v1/: api:handover-list, …"""

from rest_framework.routers import SimpleRouter

from program.handover.api.views import HandoverViewSet

router = SimpleRouter()
router.register("handovers", HandoverViewSet, basename="handover")

urlpatterns = router.urls
