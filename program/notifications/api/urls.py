"""Included inside the "api" namespace under /api/v1/: api:notification-list, -read."""

from rest_framework.routers import SimpleRouter

from program.notifications.api import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = router.urls
