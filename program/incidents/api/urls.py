"""Included from program/api_urls.py inside the "api" namespace: api:incident-list, …"""

from rest_framework.routers import SimpleRouter

from program.incidents.api import views

router = SimpleRouter()
router.register("incidents", views.IncidentViewSet, basename="incident")

urlpatterns = router.urls
