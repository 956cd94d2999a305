"""Included inside the "api" namespace under /api/v1/: api:token-list, api:token-revoke."""

from rest_framework.routers import SimpleRouter

from program.tokens.api import views

router = SimpleRouter()
router.register("me/tokens", views.ApiTokenViewSet, basename="token")

urlpatterns = router.urls
