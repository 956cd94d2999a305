"""Everything under /api/: version 1 of the REST API, its OpenAPI schema and its docs.

Each app brings its own router; they are included by name so that program/ imports no app.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from program.core.api import views as core_api

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/me/", core_api.MeView.as_view(), name="me"),
    path("v1/work-queues/", core_api.WorkQueuesView.as_view(), name="work-queues"),
    path("v1/system/status/", core_api.SystemStatusView.as_view(), name="system-status"),
    path("v1/", include("program.inmates.api.urls")),
    path("v1/", include("program.cells.api.urls_occupancy")),
    path("v1/", include("program.cells.api.urls_placements")),
    path("v1/", include("program.cells.api.urls")),
    path("v1/", include("program.notifications.api.urls")),
    path("v1/", include("program.tokens.api.urls")),
    path("v1/", include("program.incidents.api.urls")),
    path("v1/", include("program.inspections.api.urls")),
    path("v1/", include("program.complaints.api.urls")),
    path("v1/", include("program.visits.api.urls")),
    path("v1/", include("finance.api.urls")),
    path("v1/", include("transfers.api.urls")),
    path("v1/", include("transfers.letters.api_urls")),
    path("v1/", include("transfers.report.api_urls")),
    path("v1/", include("program.handover.api.urls")),
]
