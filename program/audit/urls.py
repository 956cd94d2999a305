from django.urls import path

from program.audit import views

app_name = "audit"

urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("subject-report/", views.subject_report, name="subject-report"),
    path("history/", views.history, name="history"),
    path("purpose/", views.purpose, name="purpose"),
]
