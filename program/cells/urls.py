from django.urls import path

from program.cells import urls_occupancy, urls_units, views, views_programme

app_name = "cells"

urlpatterns = [
    # Occupancy dashboard, roll and unit views live in their own modules.
    *urls_occupancy.urlpatterns,
    *urls_units.urlpatterns,
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/new/", views_programme.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/edit/", views_programme.agreement_edit, name="agreement-edit"),
    path(
        "agreements/<int:pk>/facilities/new/",
        views_programme.facility_create,
        name="facility-create",
    ),
    path("facilities/<int:pk>/edit/", views_programme.facility_edit, name="facility-edit"),
    path("agreements/<int:pk>/ramp-up/new/", views_programme.ramp_up_create, name="ramp-up-create"),
    path("ramp-up/<int:pk>/edit/", views_programme.ramp_up_edit, name="ramp-up-edit"),
    path("my-programme/", views_programme.programme_choose, name="programme-choose"),
    path("facilities/", views.facility_list, name="facility-list"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility-detail"),
]
