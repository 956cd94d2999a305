from django.urls import URLPattern, URLResolver
from rest_framework.routers import SimpleRouter

from program.visits.api import views

router = SimpleRouter()
router.register("visits", views.VisitViewSet, basename="visit")

urlpatterns: list[URLPattern | URLResolver] = [*router.urls]
