"""Transfer case pages, mounted at /cases/. Each name is in the route policy."""

from django.urls import path

from transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("screen/", views.screen_selected, name="screen-selected"),
    path("screen-all/", views.screen_all, name="screen-all"),
    path("screen-all/<int:pk>/", views.screen_job, name="screen-job"),
    path("new/", views.case_open, name="case-open"),
    path("intake/", views.intake, name="intake"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/transition/", views.case_transition, name="case-transition"),
    path("<int:pk>/screen/", views.case_screen, name="case-screen"),
    path("<int:pk>/opinion/", views.case_opinion, name="case-opinion"),
    path("<int:pk>/decision/", views.case_decision, name="case-decision"),
    path("<int:pk>/documents/", views.document_upload, name="document-upload"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("transports/", views.batch_list, name="batch-list"),
    path("transports/<int:pk>/", views.batch_detail, name="batch-detail"),
    path("rules/", views.rules, name="rules"),
    path("rules/<slug:name>/", views.rule_parameter_edit, name="rule-parameter-edit"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
]
