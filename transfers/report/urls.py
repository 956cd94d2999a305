"""Report pages at /reports/. Each name is in the route policy."""

from django.urls import path

from transfers.report import views

app_name = "reports"

urlpatterns = [
    path("programme/", views.programme, name="programme"),
    path("programme/file/", views.programme_export, name="programme-export"),
    path("programme/cases/", views.programme_cases, name="programme-cases"),
]
