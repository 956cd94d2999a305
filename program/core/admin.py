from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from program.core.models import Heartbeat
from program.core.sessions import user_sessions_end


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "runs", "worker"]
    readonly_fields = ["name", "last_run_at", "runs", "worker"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ProgramUserAdmin(UserAdmin):
    """Django's user admin, plus ending a user's sessions (on deactivation, a lost device)."""

    actions = ["end_sessions"]

    @admin.action(description=gettext_lazy("End sessions"), permissions=["change"])
    def end_sessions(self, request: HttpRequest, queryset: QuerySet) -> None:
        ended = sum(user_sessions_end(user=user) for user in queryset)
        self.message_user(
            request,
            _("Ended %(sessions)d sessions of %(users)d users.")
            % {"sessions": ended, "users": queryset.count()},
            messages.SUCCESS,
        )
