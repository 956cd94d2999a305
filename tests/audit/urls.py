"""program.urls with the audit pages mounted (kept for the tests that name this URLconf)."""

from django.urls import include, path

from program.urls import urlpatterns as project_urlpatterns

urlpatterns = list(project_urlpatterns)
if not any(getattr(p, "namespace", None) == "audit" for p in urlpatterns):
    urlpatterns.insert(0, path("audit/", include("program.audit.urls")))

handler403 = "program.core.views.permission_denied"
handler404 = "program.core.views.page_not_found"
handler500 = "program.core.views.server_error"
