"""Complaint pages, mounted at /complaints/. Each name is in the route policy (routes.py)."""

from django.urls import path

from program.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_register, name="register"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/registration/", views.complaint_edit, name="edit"),
    path("<int:pk>/answer/", views.complaint_answer, name="answer"),
    path("<int:pk>/documents/", views.document_upload, name="document-upload"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("received/", views.receipts, name="receipts"),
    path("received/new/", views.receipt_create, name="receipt-create"),
]
