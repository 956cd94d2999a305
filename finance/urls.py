from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("terms/", views.terms, name="terms"),
    path("schedule/", views.schedule, name="schedule"),
    path("tranches/<int:pk>/", views.tranche_detail, name="tranche-detail"),
]
