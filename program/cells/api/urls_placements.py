"""Places and placements, with the placement actions; included inside the "api" namespace."""

from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from program.cells.api import placements

router = SimpleRouter()
router.register("places", placements.PlaceViewSet, basename="place")
router.register("placements", placements.PlacementViewSet, basename="placement")

urlpatterns: list[URLPattern | URLResolver] = [
    # Before the router's routes, so that "admit" is never read as a placement's id.
    path("placements/admit/", placements.PlacementAdmitView.as_view(), name="placement-admit"),
    path(
        "placements/reserve/", placements.PlacementReserveView.as_view(), name="placement-reserve"
    ),
    path(
        "placements/<int:pk>/move/",
        placements.PlacementMoveView.as_view(),
        name="placement-move",
    ),
    path(
        "placements/<int:pk>/release/",
        placements.PlacementReleaseView.as_view(),
        name="placement-release",
    ),
    path(
        "placements/<int:pk>/cancel/",
        placements.PlacementCancelView.as_view(),
        name="placement-cancel",
    ),
    *router.urls,
]
