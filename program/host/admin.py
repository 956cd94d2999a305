from django.contrib import admin

from program.host.models import StaffPosting


@admin.register(StaffPosting)
class StaffPostingAdmin(admin.ModelAdmin[StaffPosting]):
    list_display = ["user", "facility", "created_at"]
    list_select_related = ["user", "facility"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username"]
