from django.contrib import admin
from django.http import HttpRequest

from program.core.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "runs", "worker"]
    readonly_fields = ["name", "last_run_at", "runs", "worker"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
