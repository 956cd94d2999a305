from django.urls import path

from program.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("report/", views.incident_create, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/review/", views.incident_review, name="review"),
    path("<int:pk>/add-information/", views.incident_add_information, name="add-information"),
]
