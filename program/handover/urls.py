from django.urls import path

from program.handover import views

app_name = "handover"

urlpatterns = [
    path("", views.handover_list, name="list"),
    path("case/<int:case_pk>/", views.handover_for_case, name="for-case"),
    path("<int:pk>/", views.handover_detail, name="detail"),
    path("<int:pk>/edit/", views.handover_edit, name="edit"),
    path("<int:pk>/health/", views.handover_health, name="health"),
    path("<int:pk>/complete/", views.handover_complete, name="complete"),
    path("<int:pk>/escort/", views.handover_escort, name="escort"),
    path("<int:pk>/arrival/", views.handover_arrival, name="arrival"),
    path("<int:pk>/correct/", views.handover_correct, name="correct"),
]
