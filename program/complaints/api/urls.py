"""Included from program/api_urls.py inside the "api" namespace: api:complaint-list, …"""

from rest_framework.routers import SimpleRouter

from program.complaints.api import views

router = SimpleRouter()
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("complaint-receipts", views.ReceiptViewSet, basename="complaint-receipt")

urlpatterns = router.urls
