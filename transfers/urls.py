"""Transfer case pages, mounted at /cases/. Each name is in the route policy."""

from django.urls import path

from transfers import intake_flow, views, views_intake, views_records, views_transport

app_name = "transfers"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("screen/", views_intake.screen_selected, name="screen-selected"),
    path("screen-all/", views_intake.screen_all, name="screen-all"),
    path("screen-all/<int:pk>/", views_intake.screen_job, name="screen-job"),
    path("new/", views.case_open, name="case-open"),
    path("intake/", intake_flow.VIEWS.page, name="intake"),
    path("intake/<uuid:pk>/", intake_flow.VIEWS.job, name="intake-job"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/history/", views.case_history, name="case-history"),
    path("<int:pk>/transition/", views.case_transition, name="case-transition"),
    path("<int:pk>/screen/", views.case_screen, name="case-screen"),
    path("<int:pk>/review/", views.case_review, name="case-review"),
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
    path("transports/", views_transport.batch_list, name="batch-list"),
    path("transports/<int:pk>/", views_transport.batch_detail, name="batch-detail"),
    path("transports/<int:pk>/departure/", views_transport.batch_depart, name="batch-departure"),
    path("transports/<int:pk>/arrival/", views_transport.batch_arrive, name="batch-arrival"),
    path("arrivals/", views_transport.expected_arrivals, name="expected-arrivals"),
    path("transports/<int:pk>/manifest.csv", views_records.batch_manifest, name="batch-manifest"),
    path("rules/", views_transport.rules, name="rules"),
    path("rules/<slug:name>/", views_transport.rule_parameter_edit, name="rule-parameter-edit"),
]
