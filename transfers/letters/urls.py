"""Letter pages, mounted beside the case pages at /cases/. Each name is in the route policy."""

from django.urls import path

from transfers.letters import views

app_name = "letters"

urlpatterns = [
    path("<int:pk>/letters/", views.case_letter_generate, name="case-letter-generate"),
    path("transports/<int:pk>/letters/", views.batch_letters, name="batch-letters"),
    path("letter-jobs/<int:pk>/", views.letter_job, name="letter-job"),
]
