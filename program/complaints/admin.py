"""The administrator keeps the reference data of complaints: the authorities and the answer
deadlines per programme and kind (with their source). Complaints themselves are not here:
people's records are not in the admin (tests/security/test_admin_scope.py)."""

from django.contrib import admin

from program.complaints.models import Authority, DeadlineRule


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin[Authority]):
    list_display = ["code", "name_en", "name_da", "is_ombudsman"]
    search_fields = ["code", "name_en", "name_da"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin[DeadlineRule]):
    list_display = ["agreement", "kind", "days", "remind_days_before", "is_assumption"]
    list_filter = ["agreement", "kind", "is_assumption"]
    list_select_related = ["agreement"]
