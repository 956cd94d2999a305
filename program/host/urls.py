from django.urls import path

from program.host import views

app_name = "host"

urlpatterns = [
    path("", views.roll, name="roll"),
    path("arrivals/", views.arrivals_list, name="arrivals"),
    path("arrivals/<int:case_id>/", views.check_in, name="check-in"),
    path("arrivals/<int:case_id>/refuse/", views.refuse, name="refuse"),
    path("headcount/", views.headcount, name="headcount"),
    path("overview/", views.overview, name="overview"),
]
