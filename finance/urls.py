from django.urls import path

from finance import views, views_findings, views_terms
from finance.moves import TRANCHE_MOVES
from finance.travel import urls as travel_urls

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("terms/", views.terms, name="terms"),
    path("terms/new/<int:pk>/", views_terms.terms_create, name="terms-create"),
    path("terms/<int:pk>/edit/", views_terms.terms_edit, name="terms-edit"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/export/", views.schedule_export, name="schedule-export"),
    path("cost/", views.cost_report, name="cost-report"),
    path("cost/export/", views.report_export, name="report-export"),
    path("schedule/generate/", views.schedule_generate, name="schedule-generate"),
    path("tranches/<int:pk>/", views.tranche_detail, name="tranche-detail"),
    path("tranches/<int:pk>/history/", views.tranche_history, name="tranche-history"),
    # One page route per tranche move (finance/moves.py), e.g. tranches/<pk>/invoice/.
    *(
        path(f"tranches/<int:pk>/{move.key}/", views.tranche_move(move), name=move.name)
        for move in TRANCHE_MOVES
    ),
    path("tranches/<int:pk>/conditions/add/", views.condition_add, name="condition-add"),
    path(
        "tranches/<int:pk>/conditions/finding/",
        views_findings.condition_finding,
        name="condition-finding",
    ),
    path("conditions/<int:pk>/edit/", views.condition_edit, name="condition-edit"),
    path("conditions/<int:pk>/remove/", views.condition_remove, name="condition-remove"),
    path(
        "conditions/<int:pk>/evidence/record/", views.condition_evidence, name="condition-evidence"
    ),
    path("conditions/<int:pk>/sign-off/", views.condition_sign_off, name="condition-sign-off"),
    path("conditions/<int:pk>/evidence/", views.evidence_download, name="evidence-download"),
    # The travel-support stream (finance/travel/).
    *travel_urls.urlpatterns,
]
