"""The travel-support stream's pages, mounted inside finance's urls (finance:travel-…)."""

from django.urls import path

from finance.travel import views

urlpatterns = [
    path("travel-support/", views.travel_support, name="travel-support"),
    path("travel-support/export/", views.travel_support_export, name="travel-support-export"),
    path("travel-support/budget/", views.travel_budget_set, name="travel-budget-set"),
    path("travel-support/grants/", views.travel_grant_list, name="travel-grant-list"),
    path("travel-support/grants/new/", views.travel_grant_prepare, name="travel-grant-prepare"),
    path("travel-support/grants/<int:pk>/", views.travel_grant_detail, name="travel-grant-detail"),
    path(
        "travel-support/grants/<int:pk>/approve/",
        views.travel_grant_approve,
        name="travel-grant-approve",
    ),
    path(
        "travel-support/grants/<int:pk>/reject/",
        views.travel_grant_reject,
        name="travel-grant-reject",
    ),
    path("travel-support/grants/<int:pk>/pay/", views.travel_grant_pay, name="travel-grant-pay"),
]
