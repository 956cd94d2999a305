"""Transfer case pages, mounted at /cases/. Each name is in the route policy."""

from django.urls import path

from transfers import views, views_records

app_name = "transfers"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("screen/", views.screen_selected, name="screen-selected"),
    path("screen-all/", views.screen_all, name="screen-all"),
    path("screen-all/<int:pk>/", views.screen_job, name="screen-job"),
    path("new/", views.case_open, name="case-open"),
    path("intake/", views.intake, name="intake"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/history/", views.case_history, name="case-history"),
    path("<int:pk>/transition/", views.case_transition, name="case-transition"),
    path("<int:pk>/screen/", views.case_screen, name="case-screen"),
    path("<int:pk>/opinion/", views.case_opinion, name="case-opinion"),
    path("<int:pk>/decision/", views.case_decision, name="case-decision"),
    path("<int:pk>/appeal/", views_records.case_appeal_outcome, name="case-appeal-outcome"),
    path(
        "<int:pk>/release-preparation/",
        views_records.case_release_preparation,
        name="case-release-preparation",
    ),
    path("<int:pk>/documents/", views.document_upload, name="document-upload"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("transports/", views.batch_list, name="batch-list"),
    path("transports/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("transports/<int:pk>/manifest.csv", views_records.batch_manifest, name="batch-manifest"),
    path("rules/", views.rules, name="rules"),
    path("rules/<slug:name>/", views.rule_parameter_edit, name="rule-parameter-edit"),
]
