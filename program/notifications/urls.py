"""Notification pages, mounted at /notifications/. Each name is in the route policy."""

from django.urls import path

from program.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/read/", views.notification_read, name="read"),
]
