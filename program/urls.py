from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from program.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", core_views.SignOutEverywhereView.as_view(), name="logout"),
    path("language/", core_views.language_switch, name="language"),
    path("account/", include("program.core.account_urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("system/", core_views.system_status, name="system-status"),
    path("inmates/", include("program.inmates.urls")),
    path("incidents/", include("program.incidents.urls")),
    path("programme/", include("program.cells.urls")),
    path("cases/", include("transfers.urls")),
    path("cases/", include("transfers.letters.urls")),
    path("handovers/", include("program.handover.urls")),
    path("reports/", include("transfers.report.urls")),
    path("audit/", include("program.audit.urls")),
    path("visits/", include("program.visits.urls")),
    path("finance/", include("finance.urls")),
    path("notifications/", include("program.notifications.urls")),
    path("host/", include("program.host.urls")),
    path("inspections/", include("program.inspections.urls")),
    path("complaints/", include("program.complaints.urls")),
    # The docs are a page (anonymous users are sent to log in); the schema is part of the API.
    # The split view serves Swagger UI's start-up script as a file, so the page keeps the
    # content security policy; only its small <style> block needs inline styles.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="api-docs",
    ),
    path("api/", include("program.api_urls")),
    path("admin/", admin.site.urls),
]

handler403 = "program.core.views.permission_denied"
handler404 = "program.core.views.page_not_found"
handler500 = "program.core.views.server_error"
