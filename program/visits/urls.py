"""Family contact's pages, mounted at /visits/; each name is in program/visits/routes.py."""

from django.urls import path

from program.visits import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("people/<int:pk>/", views.visit_person, name="person"),
    path("people/<int:pk>/request/", views.visit_request, name="request"),
    path("<int:pk>/", views.visit_detail, name="detail"),
    path("<int:pk>/book/", views.visit_book, name="book"),
    path("<int:pk>/outcome/", views.visit_outcome, name="outcome"),
]
