"""Inmate pages, mounted at /inmates/. Each name is in the route policy (program/core/policy.py)."""

from django.urls import path

from program.inmates import import_flow, views

app_name = "inmates"

urlpatterns = [
    path("", views.inmate_list, name="list"),
    path("new/", views.inmate_create, name="create"),
    path("import/", import_flow.VIEWS.page, name="import"),
    path("import/<uuid:pk>/", import_flow.VIEWS.job, name="import-job"),
    path("<int:pk>/", views.inmate_detail, name="detail"),
    path("<int:pk>/edit/", views.inmate_edit, name="edit"),
    path("<int:pk>/judgments/new/", views.judgment_create, name="judgment-create"),
    path("judgments/<int:pk>/edit/", views.judgment_edit, name="judgment-edit"),
    path("<int:pk>/expulsion-orders/new/", views.expulsion_create, name="expulsion-create"),
    path("expulsion-orders/<int:pk>/edit/", views.expulsion_edit, name="expulsion-edit"),
    path(
        "<int:pk>/non-associations/new/",
        views.non_association_create,
        name="non-association-create",
    ),
    path(
        "non-associations/<int:pk>/end/",
        views.non_association_end,
        name="non-association-end",
    ),
]
