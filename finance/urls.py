from django.urls import path

from finance import views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("terms/", views.terms, name="terms"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/export/", views.schedule_export, name="schedule-export"),
    path("cost/", views.cost_report, name="cost-report"),
    path("cost/export/", views.report_export, name="report-export"),
    path("schedule/generate/", views.schedule_generate, name="schedule-generate"),
    path("tranches/<int:pk>/", views.tranche_detail, name="tranche-detail"),
    path("tranches/<int:pk>/history/", views.tranche_history, name="tranche-history"),
    path("tranches/<int:pk>/invoice/", views.tranche_invoice, name="tranche-invoice"),
    path("tranches/<int:pk>/approve/", views.tranche_approve, name="tranche-approve"),
    path("tranches/<int:pk>/reject/", views.tranche_reject, name="tranche-reject"),
    path("tranches/<int:pk>/pay/", views.tranche_pay, name="tranche-pay"),
    path("tranches/<int:pk>/dispute/", views.tranche_dispute, name="tranche-dispute"),
    path("tranches/<int:pk>/withhold/", views.tranche_withhold, name="tranche-withhold"),
    path("conditions/<int:pk>/meet/", views.condition_meet, name="condition-meet"),
    path("conditions/<int:pk>/evidence/", views.evidence_download, name="evidence-download"),
]
