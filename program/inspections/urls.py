from django.urls import path

from program.inspections import views

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_create, name="create"),
    path("overdue-actions/", views.overdue_actions, name="overdue"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/report/", views.report_download, name="report"),
    path("<int:pk>/findings/new/", views.finding_create, name="finding-create"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding-edit"),
    path("findings/<int:pk>/actions/new/", views.action_add, name="action-add"),
    path("actions/<int:pk>/", views.action_update, name="action-update"),
]
