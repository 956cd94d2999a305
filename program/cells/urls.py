from django.urls import path

from program.cells import urls_occupancy, urls_units, views

app_name = "cells"

urlpatterns = [
    # Occupancy dashboard, roll and unit views live in their own modules.
    *urls_occupancy.urlpatterns,
    *urls_units.urlpatterns,
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility-detail"),
]
